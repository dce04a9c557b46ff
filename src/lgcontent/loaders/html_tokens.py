"""HTMLParser that knows where each token starts, and reads plain tokens quickly.

The standard library's HTMLParser is the reference for how lgcontent reads HTML:
it never recurses, and its quirks are well known. But it spends several regex
calls and Python calls on every tag. Most of a page is made of tokens that any
HTMLParser reads one way whatever came before or comes after: text, tags with plain
attributes, plain end tags, ``&name;`` references, plain comments, the doctype, and
scripts and styles with no ``<`` inside. Those are read here with one regex, calling
the same handler methods with the same arguments. At the first token of any other
kind, HTMLParser itself reads the rest of the page, so the result is always its own.

Which elements hold raw text comes from the running HTMLParser (newer versions read
``<title>`` and ``<textarea>`` that way too), so the two never disagree about them.

The compiled speed-ups (``_speedups.c``) read plain tokens the same way in C, where
they were built; the regex loop here is the reference they must match.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser

from .. import speedups

_SPACE = r"[ \t\n\r\f]"
_NAME = r"[a-zA-Z_:@][-a-zA-Z0-9_:.@]*"
# One plain attribute: its name, '=' if it has a value, and the value in double quotes,
# single quotes, or bare.
_ATTRIBUTE = (rf"""{_SPACE}+({_NAME})(?:{_SPACE}*(=){_SPACE}*"""
              r"""(?:"([^"<>]*)"|'([^'<>]*)'|([-a-zA-Z0-9_:./#?&;%=+,]+)))?""")
_PLAIN_TOKEN = re.compile(rf"""
    (?P<text>[^<&]+)
  | <(?P<tag>[a-zA-Z][a-zA-Z0-9-]*)(?P<attributes>(?:{_ATTRIBUTE})*){_SPACE}*(?P<empty>/?)>
  | </(?P<end>[a-zA-Z][a-zA-Z0-9-]*)>
  | &(?P<reference>\#[0-9]+|\#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);
  | (?P<ampersand>&)(?=[^a-zA-Z\#])
  | <!--(?P<comment>[^-<>]*(?:-[^-<>]+)*)-->
  | <!(?P<doctype>[dD][oO][cC][tT][yY][pP][eE][^<>]*)>
""", re.VERBOSE)
_PLAIN_ATTRIBUTE = re.compile(_ATTRIBUTE)

# Elements whose content this HTMLParser reads as raw text (no tags), and as text in
# which only references count (no tags; newer versions only).
_RAW_TEXT = frozenset(HTMLParser.CDATA_CONTENT_ELEMENTS)
_ESCAPABLE_RAW_TEXT = frozenset(getattr(HTMLParser, "RCDATA_CONTENT_ELEMENTS", ()))


@lru_cache(maxsize=16)
def _end_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}>", re.IGNORECASE)


def _attributes(text: str) -> list[tuple[str, str | None]]:
    """Attributes as HTMLParser gives them: names in lower case, values unquoted and
    unescaped, None for an attribute written without a value."""
    found = []
    for name, equals, double, single, bare in _PLAIN_ATTRIBUTE.findall(text):
        value = double or single or bare
        found.append((name.lower(), (unescape(value) if value else "") if equals else None))
    return found


def _plain_content_end(rawdata: str, tag: str, after: int) -> int | None:
    """Where a raw-text element's end tag ends, if its content is plain (no '<',
    and for escapable raw text no '&'): then every HTMLParser reads it alike."""
    close = _end_tag(tag).search(rawdata, after)
    if close is None:
        return None
    content = rawdata[after:close.start()]
    if "<" in content or (tag in _ESCAPABLE_RAW_TEXT and "&" in content):
        return None
    return close.end()


class TokenReader(HTMLParser):
    """An HTMLParser whose ``token_start`` is the source offset of the token being handled.

    ``begin`` is the source offset of the first character fed to it.
    """

    #: Read plain tokens with one regex (False: leave every token to HTMLParser).
    quick = True

    def __init__(self, begin: int = 0) -> None:
        super().__init__(convert_charrefs=False)
        self._base = begin  # the source offset of rawdata[0]
        self.token_start = begin
        self._quick = self.quick  # False once HTMLParser has been left the rest of the page

    def updatepos(self, i: int, j: int) -> int:  # HTMLParser calls this after each token
        self.token_start = self._base + j
        return j

    def goahead(self, end: bool) -> None:
        if self._quick and not self.cdata_elem:
            self._read_plain_tokens()
        before = len(self.rawdata)
        super().goahead(end)
        self._base += before - len(self.rawdata)

    def _read_plain_tokens(self) -> None:
        """Read plain tokens from ``rawdata``; leave the rest, from the first other token."""
        rawdata, base = self.rawdata, self._base
        if _compiled is not None:
            i = _compiled.read_plain_tokens(self, rawdata, base)
        else:
            i = self._read_with_regex(rawdata, base)
        self.rawdata, self._base = rawdata[i:], base + i
        self.token_start = self._base
        if i < len(rawdata):
            self._quick = False

    def _read_with_regex(self, rawdata: str, base: int) -> int:
        """Call the handlers for the plain tokens at the start of ``rawdata``; return
        where the first other token starts (the reference for the compiled reader)."""
        n = len(rawdata)
        i = 0
        match = _PLAIN_TOKEN.match
        while i < n:
            found = match(rawdata, i)
            kind = found.lastgroup if found is not None else None
            self.token_start = base + i
            if kind == "text":
                self.handle_data(found.group("text"))
            elif kind == "empty":
                tag = found.group("tag").lower()
                content_end = None
                if tag in _RAW_TEXT or tag in _ESCAPABLE_RAW_TEXT:
                    content_end = None if found.group("empty") else _plain_content_end(rawdata, tag, found.end())
                    if content_end is None:
                        break
                self._HTMLParser__starttag_text = found.group()
                self.lasttag = tag
                written = found.group("attributes")
                attributes = _attributes(written) if written else []
                if found.group("empty"):
                    self.handle_startendtag(tag, attributes)
                else:
                    self.handle_starttag(tag, attributes)
                if content_end is not None:
                    end_tag_start = rawdata.rindex("<", 0, content_end)
                    if end_tag_start > found.end():
                        self.token_start = base + found.end()
                        self.handle_data(rawdata[found.end():end_tag_start])
                    self.token_start = base + end_tag_start
                    self.handle_endtag(tag)
                    i = content_end
                    continue
            elif kind == "end":
                self.handle_endtag(found.group("end").lower())
            elif kind == "reference":
                reference = found.group("reference")
                if reference[0] == "#":
                    self.handle_charref(reference[1:])
                else:
                    self.handle_entityref(reference)
            elif kind == "ampersand":
                self.handle_data("&")
            elif kind == "comment":
                self.handle_comment(found.group("comment"))
            elif kind == "doctype":
                self.handle_decl(found.group("doctype"))
            else:
                break  # not a plain token: HTMLParser reads from here to the end
            i = found.end()
        return i


_compiled = speedups.load()
if _compiled is not None:  # the same reader in C (_speedups.c), where it was built
    _compiled.configure_tokens(_RAW_TEXT | _ESCAPABLE_RAW_TEXT, _plain_content_end, unescape)
