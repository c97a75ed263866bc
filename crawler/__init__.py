"""veille: a news crawler and entity extractor (Scrapy project, storage and command line)."""

__version__ = "0.1.0"
