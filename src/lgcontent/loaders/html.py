"""HTML pages -> Document, with an exact source offset for every character.

Built on the standard library's HTMLParser, which is a flat tokenizer: it never
recurses, so deeply nested pages cannot exhaust the stack. html_tokens.py reads its
plain tokens faster and says where every token starts. Text is grouped into blocks
at block-level tags; the block's kind (paragraph, list item, table cell...) comes
from its nearest ancestor. The builder that does so, _PageParser, has a compiled copy
(PageBuilder in _speedups.c) that runs where it was built; this one is its reference.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Callable

from ..document import (
    CODE_PLACEHOLDER,
    HARD_BREAK,
    Block,
    Document,
    Heading,
    Image,
    LineIndex,
    Link,
    ListInfo,
    Mark,
    MetaField,
    SourceText,
    Suppression,
)
from .. import speedups
from ..suppressions import parse_comment
from ..text import has_letter_or_digit
from .html_tokens import TokenReader

# Tags whose start or end closes the current block of text.
BLOCK_TAGS = frozenset(
    """
    address article aside blockquote body button caption center dd details dialog
    div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header
    hgroup hr html legend li main menu nav ol option p section summary table tbody
    td tfoot th thead tr ul title
    """.split()
)
# Content that is not prose: never linted.
SKIP_TAGS = frozenset(
    "script style pre code noscript template textarea svg math select object iframe kbd samp".split()
)
VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
_KIND_OF_TAG = {
    **{f"h{n}": "heading" for n in range(1, 7)},
    "li": "list-item",
    "dt": "list-item",
    "dd": "list-item",
    "td": "table-cell",
    "th": "table-cell",
    "blockquote": "blockquote",
    "caption": "caption",
    "figcaption": "caption",
}
# Start tags that implicitly close an open element of the same family.
_CLOSES = {
    "li": ("li",),
    "dt": ("dt", "dd"),
    "dd": ("dt", "dd"),
    "tr": ("tr", "td", "th"),
    "td": ("td", "th"),
    "th": ("td", "th"),
    "thead": ("thead", "tbody", "tfoot", "tr", "td", "th"),
    "tbody": ("thead", "tbody", "tfoot", "tr", "td", "th"),
    "tfoot": ("thead", "tbody", "tfoot", "tr", "td", "th"),
    "option": ("option",),
}
# A list, table or definition list bounds how far an implied close may reach.
_SCOPE_OF = {"li": ("ul", "ol", "menu"), "dt": ("dl",), "dd": ("dl",), "option": ("select",)}
_P_CLOSERS = BLOCK_TAGS - {"body", "html", "head", "title", "td", "th", "tr", "tbody", "thead",
                           "tfoot", "caption", "option", "button"}

_P_SCOPE = ("table", "td", "th", "caption", "button", "html", "template", "li", "dd", "dt",
            "blockquote", "div", "section", "article", "main", "aside", "nav", "header", "footer")
_MAX_WALK = 256

_NO_ATTRIBUTES: dict[str, str] = {}  # shared: attributes are only ever read
_INLINE_CODE = frozenset({"code", "kbd", "samp"})
_MARK_OF_TAG = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline"}
# Every piece of text is added to each open mark, so a page of thousands of unclosed <b>
# tags took time that grew with the square of their number (20,000: minutes). Marks
# nested deeper than this are not recorded; real pages nest two or three.
_MAX_OPEN_MARKS = 8

_CONTENT_ATTR = re.compile(r"""\bcontent\s*=\s*(["']?)""", re.IGNORECASE)
_LANG_ATTR = re.compile(r"""\blang\s*=\s*(["']?)""", re.IGNORECASE)


class _Frame:
    """One open element, with what its descendants inherit."""

    __slots__ = ("tag", "kind", "level", "ordered", "skip", "main", "selected", "start", "list_id", "item",
                 "region")

    def __init__(self, tag: str, kind: str, level: int, ordered: bool, skip: bool,
                 main: bool, selected: bool, start: int) -> None:
        self.tag = tag
        self.kind = kind
        self.level = level
        self.ordered = ordered
        self.skip = skip
        self.main = main
        self.selected = selected
        self.start = start
        self.list_id: int | None = None  # the innermost list this element is in
        self.item: tuple[int, int] | None = None  # (list, item number) of the innermost item
        self.region = _REGIONS[main, selected]  # what is found inside it lies in this region


@dataclass(frozen=True)
class _Region:
    """Whether an item lies inside <main> and inside the user's content selector."""

    main: bool
    selected: bool


_REGIONS = {(main, selected): _Region(main, selected) for main in (False, True) for selected in (False, True)}


@dataclass
class HtmlParts:
    """What the parser found; the loader filters it to the checked region."""

    blocks: list[tuple[Block, _Region]] = field(default_factory=list)
    lists: list[tuple[ListInfo, _Region]] = field(default_factory=list)
    marks: list[tuple[Mark, _Region]] = field(default_factory=list)
    headings: list[tuple[Heading, _Region]] = field(default_factory=list)
    links: list[tuple[Link, _Region]] = field(default_factory=list)
    images: list[tuple[Image, _Region]] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    title: MetaField | None = None
    description: MetaField | None = None
    lang: MetaField | None = None
    has_html_element: bool = False
    has_main: bool = False
    has_selected: bool = False


class _PageReading(TokenReader):
    """What both page builders share: the tokens that are rare on a page (references,
    comments, images, the title, the meta and lang attributes), read in Python.

    The builder proper keeps the element stack and handles tags and text: it is
    :class:`_PageParser` here, and ``PageBuilder`` in the compiled speed-ups where they
    were built. It calls these methods, and provides ``_text``, ``_close_all``, ``_link``,
    ``_title``, ``_title_start`` and ``_title_done``.
    """

    def __init__(self, source: str, lines: LineIndex, begin: int = 0,
                 selected_starts: frozenset[int] = frozenset()) -> None:
        super().__init__(begin)
        self.source = source
        self.lines = lines
        self.selected_starts = selected_starts
        self.parts = HtmlParts()

    def handle_entityref(self, name: str) -> None:
        self._reference("&" + name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#" + name)

    def handle_comment(self, data: str) -> None:
        start = self.token_start
        close = self.source.find(">", start + 4 + len(data))
        end = close + 1 if close >= 0 else start + 4 + len(data)
        found = parse_comment(data, start, end, self.lines)
        if found:
            self.parts.suppressions.append(found)

    def _reference(self, raw: str) -> None:
        start = self.token_start
        end = start + len(raw)
        if self.source.startswith(";", end):
            raw += ";"
            end += 1
        decoded = html.unescape(raw)
        if decoded == raw:
            self._text(raw, start)
        else:
            self._text(decoded, start, end)

    def _image(self, attrs: dict[str, str], start: int, region: _Region) -> None:
        """An <img> outside skipped content (the builder adds a space after it)."""
        tag_end = start + len(self.get_starttag_text() or "")
        alt = attrs.get("alt") if "alt" in attrs else None
        link = self._link
        labelled = bool(attrs.get("aria-label") or attrs.get("aria-labelledby") or attrs.get("title")
                        or (attrs.get("role") or "").lower() in ("presentation", "none")
                        or (attrs.get("aria-hidden") or "").lower() == "true")
        image = Image(attrs.get("src", ""), alt, start, tag_end, link is not None, labelled)
        self.parts.images.append((image, region))
        if link is not None:
            link[0].has_image = True
            if alt:
                link[1].append(f" {alt} ", start, tag_end)

    def _attribute(self, pattern: re.Pattern[str], start: int) -> MetaField | None:
        """An attribute's value and the source span of its raw text."""
        tag_text = self.get_starttag_text() or ""
        found = pattern.search(tag_text)
        if not found:
            return None
        quote = found.group(1)
        rest = tag_text[found.end():]
        raw = rest.split(quote, 1)[0] if quote else re.split(r"[\s>]", rest, maxsplit=1)[0]
        value_start = start + found.end()
        return MetaField(html.unescape(raw).strip(), value_start, value_start + len(raw))

    def _read_meta(self, attrs: dict[str, str], start: int) -> None:
        if (attrs.get("name") or "").lower() == "description" and not self.parts.description:
            self.parts.description = self._attribute(_CONTENT_ATTR, start)

    def _read_lang(self, start: int) -> None:
        self.parts.lang = self._attribute(_LANG_ATTR, start)

    def _finish_title(self) -> None:
        assert self._title is not None
        text = self._title.normalised(keep_newlines=False)
        start, end = text.source_span() if text.text else (self._title_start, self._title_start)
        self.parts.title = MetaField(text.text, start, end)
        self._title = None
        self._title_done = True

    def finish(self) -> HtmlParts:
        self.close()
        if self._title is not None:
            self._finish_title()
        self._close_all()
        return self.parts


class _PageParser(_PageReading):
    """The page builder in Python: the reference for the compiled ``PageBuilder``."""

    def __init__(self, source: str, lines: LineIndex, begin: int = 0,
                 selected_starts: frozenset[int] = frozenset()) -> None:
        super().__init__(source, lines, begin, selected_starts)
        root = _Frame("#root", "paragraph", 0, False, False, False, False, begin)
        self._stack: list[_Frame] = [root]
        self._open: dict[str, int] = {}
        self._buf = SourceText()
        self._buf_frame: _Frame = root
        self._buf_started = False  # whether any text (white space too) came since the last flush
        self._link: tuple[Link, SourceText, _Frame, _Region] | None = None
        self._heading: tuple[int, int, SourceText, _Frame] | None = None
        self._title: SourceText | None = None
        self._marks: list[tuple[str, SourceText, _Frame]] = []
        self._title_start = 0
        self._title_done = False

    # -- element stack --------------------------------------------------------
    @property
    def _top(self) -> _Frame:
        return self._stack[-1]

    def _push(self, tag: str, attrs: dict[str, str | None], start: int) -> _Frame:
        parent = self._stack[-1]
        kind = _KIND_OF_TAG.get(tag, parent.kind)
        level = int(tag[1]) if kind == "heading" and tag[0] == "h" and tag[1:].isdigit() else parent.level
        ordered = tag == "ol" if tag in ("ol", "ul", "menu") else parent.ordered
        skip = parent.skip or tag in SKIP_TAGS or tag == "head" or "hidden" in attrs
        is_main = tag == "main" or (attrs.get("role") or "").lower() == "main"
        if is_main:
            self.parts.has_main = True
        chosen = start in self.selected_starts if self.selected_starts else False
        selected = parent.selected or chosen
        if chosen:
            self.parts.has_selected = True
        frame = _Frame(tag, kind, level, ordered, skip, parent.main or is_main, selected, start)
        frame.list_id, frame.item = parent.list_id, parent.item
        if tag in ("ul", "ol", "menu") and not skip:
            frame.list_id, frame.item = len(self.parts.lists), None
            self.parts.lists.append((ListInfo(tag == "ol", start), frame.region))
        elif tag == "li" and frame.list_id is not None:
            info = self.parts.lists[frame.list_id][0]
            frame.item = (frame.list_id, info.items)
            info.items += 1
        self._stack.append(frame)
        self._open[tag] = self._open.get(tag, 0) + 1
        return frame

    def _pop_to(self, tag: str) -> None:
        """Close ``tag`` and every element opened inside it."""
        while len(self._stack) > 1:
            frame = self._stack.pop()
            self._open[frame.tag] -= 1
            self._on_close(frame)
            if frame.tag == tag:
                return

    def _close_implied(self, tag: str) -> None:
        """Apply the HTML rules that close an element without an end tag."""
        if tag in _P_CLOSERS and self._open.get("p"):
            self._close_nearest(("p",), _P_SCOPE)
        closes = _CLOSES.get(tag)
        if closes:
            self._close_nearest(closes, _SCOPE_OF.get(tag, ("table",)))

    def _close_nearest(self, tags: tuple[str, ...], bounds: tuple[str, ...]) -> None:
        """Close the nearest open element among ``tags`` unless a bound comes first.

        The walk is capped so a page nested 100,000 deep stays linear.
        """
        for frame in reversed(self._stack[-_MAX_WALK:]):
            if frame.tag in tags:
                self._pop_to(frame.tag)
                return
            if frame.tag in bounds:
                return

    # -- text buffers -----------------------------------------------------------
    def _flush(self) -> None:
        if not self._buf_started:
            return  # no text since the last flush (most calls: every block tag flushes)
        self._buf_started = False
        buf, frame = self._buf, self._buf_frame
        if not buf:
            return  # only white space came, which was not kept: the empty buffer serves again
        if not has_letter_or_digit(buf.text):
            buf.clear()  # white space between tags, or signs only: not prose
            return
        self._buf = SourceText()
        content = buf.normalised()
        block = Block(frame.kind, content, frame.level if frame.kind == "heading" else 0, frame.ordered,
                      frame.item)
        self.parts.blocks.append((block, frame.region))

    def _text(self, chars: str, start: int, end: int | None = None) -> None:
        if self._title is not None:
            self._title.append(chars, start, end)
            return
        frame = self._stack[-1]
        if frame.skip:
            return
        if not self._buf_started:  # the block belongs to the element its first text is in
            self._buf_frame = frame
            self._buf_started = True
        if not chars.isspace() or self._buf:  # white space before a block's text is dropped
            self._buf.append(chars, start, end)
        if self._link is not None:
            self._link[1].append(chars, start, end)
        if self._heading is not None:
            self._heading[2].append(chars, start, end)
        for _, text, _frame in self._marks:
            text.append(chars, start, end)

    # -- HTMLParser callbacks ----------------------------------------------------
    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        start = self.token_start
        attrs = {k: (v if v is not None else "") for k, v in attr_list} if attr_list else _NO_ATTRIBUTES
        if tag == "html":
            self.parts.has_html_element = True
            self._read_lang(start)
        self._close_implied(tag)
        if tag in BLOCK_TAGS:
            self._flush()
        if tag == "title" and not self._open.get("svg") and not self._open.get("math"):
            if not self._title_done:
                self._title = SourceText()
                self._title_start = start
        elif tag == "meta":
            self._read_meta(attrs, start)
        if tag in VOID_TAGS:
            self._void(tag, attrs, start)
            return
        skipping = self._stack[-1].skip
        if not skipping and tag in ("sup", "sub"):
            self._text(" ", start)  # a footnote mark is not part of the word before it
        if not skipping and (tag in SKIP_TAGS or "hidden" in attrs):
            # Keep the words on either side apart; inline code stands in the sentence.
            self._text(CODE_PLACEHOLDER if tag in _INLINE_CODE else " ", start)
        frame = self._push(tag, attrs, start)
        if tag == "a" and "href" in attrs and not frame.skip and (link := _link_of(
                attrs, start, frame.kind == "heading", frame.item is not None)) is not None:
            self._close_link()
            self._link = (link, SourceText(), frame, frame.region)
        elif tag in _MARK_OF_TAG and not frame.skip and len(self._marks) < _MAX_OPEN_MARKS:
            self._marks.append((_MARK_OF_TAG[tag], SourceText(), frame))
        elif frame.kind == "heading" and tag[0] == "h" and tag[1:].isdigit() and not frame.skip:
            self._heading = (frame.level, start, SourceText(), frame)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._flush()
        if tag == "title" and self._title is not None:
            self._finish_title()
        if self._open.get(tag):
            self._pop_to(tag)
        elif tag == "br":  # </br> is read as <br> by browsers
            self._text(HARD_BREAK, self.token_start)

    def handle_data(self, data: str) -> None:
        self._text(data, self.token_start)

    # -- helpers ------------------------------------------------------------------
    def _void(self, tag: str, attrs: dict[str, str], start: int) -> None:
        frame = self._top
        if tag == "br":
            self._text(HARD_BREAK, start)
        elif tag == "img" and not frame.skip:
            self._image(attrs, start, frame.region)
            self._text(" ", start)
        elif tag in ("hr", "input"):
            self._flush()

    def _close_link(self) -> None:
        if self._link is None:
            return
        link, text, _frame, region = self._link
        self._link = None
        content = text.normalised(keep_newlines=False)
        link.text = content.text
        if content.text:
            link.start, link.end = content.source_span()
        else:
            link.end = link.start + 1
        self.parts.links.append((link, region))

    def _on_close(self, frame: _Frame) -> None:
        if frame.tag in BLOCK_TAGS:
            self._flush()
        if self._marks and self._marks[-1][2] is frame:
            kind, text, _ = self._marks.pop()
            content = text.normalised(keep_newlines=False)
            if content.text:
                mark = Mark(kind, content.text, *content.source_span())
                self.parts.marks.append((mark, frame.region))
        if self._link is not None and self._link[2] is frame:
            self._close_link()
        if self._heading is not None and self._heading[3] is frame:
            level, start, text, _ = self._heading
            self._heading = None
            content = text.normalised(keep_newlines=False)
            span = content.source_span() if content.text else (start, start + 1)
            self.parts.headings.append((Heading(level, content.text, *span), frame.region))
        if frame.skip and len(self._stack) and not self._top.skip:
            self._text(" ", self.token_start)

    def _close_all(self) -> None:
        """Close every element still open, at the end of the page."""
        while len(self._stack) > 1:
            self._pop_to(self._top.tag)
        self._flush()


def _link_of(attrs: dict[str, str], start: int, in_heading: bool, in_list: bool) -> Link | None:
    """The link an <a href> starts (its text and end come later), or None for hidden
    links and links that work as buttons or show and hide a section."""
    if ((attrs.get("aria-hidden") or "").lower() == "true" or (attrs.get("role") or "").lower() == "button"
            or "aria-expanded" in attrs or "data-expanded" in attrs):
        return None
    return Link(text="", href=attrs["href"], start=start, end=start, in_heading=in_heading,
                label=attrs.get("aria-label", "").strip(), in_list=in_list)


_compiled = speedups.load()
if _compiled is not None:  # the same builder in C (_speedups.c), where it was built
    _compiled.configure_builder(
        block_tags=BLOCK_TAGS, skip_tags=SKIP_TAGS, void_tags=VOID_TAGS, p_closers=_P_CLOSERS,
        inline_code=_INLINE_CODE, kind_of_tag=_KIND_OF_TAG, closes=_CLOSES, scope_of=_SCOPE_OF,
        mark_of_tag=_MARK_OF_TAG, regions=_REGIONS, p_scope=_P_SCOPE, no_attributes=_NO_ATTRIBUTES,
        block=Block, list_info=ListInfo, mark=Mark, heading=Heading, link_of=_link_of,
        code_placeholder=CODE_PLACEHOLDER, hard_break=HARD_BREAK, max_walk=_MAX_WALK,
        max_open_marks=_MAX_OPEN_MARKS)

    class _CompiledPageParser(_compiled.PageBuilder, _PageReading):  # type: ignore[misc,name-defined]
        """_PageParser with the compiled PageBuilder's stack, tags and text."""

        def __init__(self, source: str, lines: LineIndex, begin: int = 0,
                     selected_starts: frozenset[int] = frozenset()) -> None:
            super().__init__(source, lines, begin, selected_starts)
            self._begin(begin, selected_starts)

    PageParser: type[_PageReading] = _CompiledPageParser
else:
    PageParser = _PageParser


def _region_filter(parts: HtmlParts, use_selector: bool) -> Callable[[_Region], bool]:
    """The part of the page to check: the selector's match, else <main>, else all."""
    if use_selector:
        return (lambda r: r.selected) if parts.has_selected else (lambda r: True)
    if parts.has_main:
        return lambda r: r.main
    return lambda r: True


def _keep_lists(doc: Document, parts: HtmlParts, keep: Callable[[_Region], bool]) -> None:
    """Keep the lists in the checked region, renumbering the blocks' references."""
    renumber: dict[int, int] = {}
    for old, (info, region) in enumerate(parts.lists):
        if keep(region):
            renumber[old] = len(doc.lists)
            doc.lists.append(info)
    for block in doc.blocks:
        if block.list_item is not None:
            new = renumber.get(block.list_item[0])
            block.list_item = (new, block.list_item[1]) if new is not None else None


def selector_starts(source: str, selector: str) -> frozenset[int]:
    """Offsets of the start tags of elements that match a CSS selector.

    BeautifulSoup's html.parser builder records where each tag starts (line and
    column, counting lines by newline only, as HTMLParser does).
    """
    from bs4 import BeautifulSoup  # imported only when a selector is used

    soup = BeautifulSoup(source, "html.parser")
    line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
    starts = set()
    for element in soup.select(selector):
        if element.sourceline is not None:
            starts.add(line_starts[element.sourceline - 1] + (element.sourcepos or 0))
    return frozenset(starts)


def parse_fragment(source: str, lines: LineIndex, begin: int, end: int) -> HtmlParts:
    """Parse ``source[begin:end]`` (raw HTML inside Markdown) in place."""
    parser = PageParser(source, lines, begin)
    parser.feed(source[begin:end])
    return parser.finish()


def load_html(path: str, source: str, content_selector: str | None = None) -> Document:
    """Build a Document from a decoded HTML page."""
    doc = Document(path=path, format="html", source=source)
    starts = selector_starts(source, content_selector) if content_selector else frozenset()
    parser = PageParser(source, doc.lines, 0, starts)
    parser.feed(source)
    parts = parser.finish()
    keep = _region_filter(parts, content_selector is not None)
    doc.blocks = [b for b, r in parts.blocks if keep(r)]
    doc.headings = [h for h, r in parts.headings if keep(r)]
    doc.links = [link for link, r in parts.links if keep(r)]
    doc.images = [i for i, r in parts.images if keep(r)]
    doc.marks = [m for m, r in parts.marks if keep(r)]
    _keep_lists(doc, parts, keep)
    doc.suppressions = parts.suppressions
    doc.title, doc.description, doc.lang = parts.title, parts.description, parts.lang
    doc.has_html_element = parts.has_html_element
    if content_selector and not parts.has_selected:
        doc.notes.append(f"the content selector {content_selector!r} matches nothing here,"
                         " so the whole page was checked")
    return doc
