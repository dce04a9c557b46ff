"""The markdown-it parser lgcontent reads Markdown with, set up to do less needless work.

markdown-it-py is most of the cost of reading a Markdown page. Two of its habits cost
about a quarter of its parse time on the corpus and change nothing that lgcontent sees:

* It normalises every link address through a full URL parse and re-encode (mdurl), yet
  for most addresses (plain ASCII, no user name, no port) that gives back the address
  unchanged. :func:`normalize_link` returns those as they are and hands the rest to
  markdown-it's own function, so every address comes out exactly as before.
  ``MarkdownIt.normalizeLink`` is the documented place to change this.
* Its block rules log their entry at debug level, about 60,000 calls on the corpus,
  each a call through the logging module only to find debug logging off. lgcontent
  never shows those logs, so :func:`_quieten` makes each of those loggers' ``debug`` a
  no-op when the parser is made, unless debug logging is on by then.
"""

from __future__ import annotations

import logging
import re
import sys

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink as _markdown_it_normalize_link

# An address that markdown-it's normalisation gives back unchanged: an optional scheme,
# then characters it never encodes (no '@' or ':', which its URL parse moves about, and
# '%' only as an escape). Checked against markdown-it's own function in the tests.
_UNCHANGED = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.\-]*:)?(?:[A-Za-z0-9/._\-#?=&~+,;!*'()$]|%[0-9A-Fa-f]{2})*\Z")
#: Longer addresses may have a host name past the length markdown-it keeps.
_LONGEST_UNCHANGED = 255


def normalize_link(url: str) -> str:
    """What markdown-it's ``normalizeLink`` gives, without its URL parse where it changes nothing."""
    if len(url) <= _LONGEST_UNCHANGED and _UNCHANGED.match(url):
        return url
    return _markdown_it_normalize_link(url)


def _no_debug(*_args: object, **_kwargs: object) -> None:
    """Stands in for ``Logger.debug`` on markdown-it's loggers while debug logging is off."""


def _quieten() -> None:
    """Make markdown-it's module loggers skip their debug calls, unless debug is on."""
    for name, module in list(sys.modules.items()):
        logger = getattr(module, "LOGGER", None) if name.startswith("markdown_it.") else None
        if isinstance(logger, logging.Logger) and not logger.isEnabledFor(logging.DEBUG):
            logger.debug = _no_debug  # type: ignore[method-assign]


_parser: MarkdownIt | None = None


def markdown_it() -> MarkdownIt:
    """The one parser: CommonMark with tables and strikethrough (made on first use)."""
    global _parser
    if _parser is None:
        _parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
        _parser.normalizeLink = normalize_link  # type: ignore[method-assign]
        _quieten()
    return _parser
