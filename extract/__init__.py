"""Body extraction and entity tagging: plain functions, usable without Scrapy or a database."""
