"""lgcontent: a linter for UK council web content."""

__version__ = "0.1.0"
