"""Body extraction and entity tagging: plain functions, usable without Scrapy or a database."""


class VeilleError(Exception):
    """Bad input or setup that the user can fix; the message fits on one line of stderr."""
