"""Markdown pages -> Document, with an exact source offset for every character.

markdown-it-py (CommonMark plus tables and strikethrough) gives each block its
source lines but no columns. Its inline ``content`` is raw source with container
markers stripped, so we find each of its lines in the source, then walk the
inline tokens over that raw text, skipping markup, escapes and entities, to map
every character of prose back to the file.
"""

from __future__ import annotations

import bisect
import html
import re
from typing import TYPE_CHECKING, Callable

from markdown_it.token import Token

from ..document import (
    CODE_PLACEHOLDER,
    HARD_BREAK,
    Block,
    Document,
    Heading,
    Image,
    Link,
    ListInfo,
    Mark,
    MetaField,
    SourceText,
)
from ..suppressions import parse_comment
from ..text import has_letter_or_digit
from ..yamlfile import compose_yaml
from .html import parse_fragment
from .markdown_parser import markdown_it

if TYPE_CHECKING:
    import yaml

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_HTML_COMMENT = re.compile(r"\A<!--(.*?)-->\Z", re.DOTALL)
# What ends or nests a link's destination and title: all other characters are skipped.
_DESTINATION_MARK = re.compile(r"""[\\"'()]""")
_HTML_A_OPEN = re.compile(r"""\A<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_HTML_A_CLOSE = re.compile(r"\A</a\s*>\Z", re.IGNORECASE)
_HTML_BR = re.compile(r"\A<br\b[^>]*>\Z", re.IGNORECASE)
_HTML_IMG = re.compile(r"\A<img\b", re.IGNORECASE)

_KIND_OF_CONTAINER = {
    "heading_open": "heading",
    "th_open": "table-cell",
    "td_open": "table-cell",
    "list_item_open": "list-item",
    "blockquote_open": "blockquote",
}

class _Positions:
    """Converts offsets in newline-normalised text to offsets in the file.

    markdown-it turns CRLF and CR into LF; lines and columns are unchanged by
    that, so we convert through (line, column).
    """

    def __init__(self, source: str, norm: str) -> None:
        self.norm = norm
        self.norm_starts = [0] + [m.end() for m in re.finditer("\n", norm)]
        self.identity = "\r" not in source
        if not self.identity:
            starts = [0]
            for m in re.finditer(r"\r\n|\r|\n", source):
                starts.append(m.end())
            self.source_starts = starts

    def line_start(self, line: int) -> int:
        """Normalised offset of 0-based ``line``."""
        if line >= len(self.norm_starts):
            return len(self.norm)
        return self.norm_starts[line]

    def line_end(self, line: int) -> int:
        if line + 1 < len(self.norm_starts):
            return self.norm_starts[line + 1] - 1
        return len(self.norm)

    def to_source(self, offset: int) -> int:
        if self.identity:
            return offset
        line = bisect.bisect_right(self.norm_starts, offset) - 1
        return self.source_starts[line] + (offset - self.norm_starts[line])


class _InlineWalker:
    """Maps one inline token's children onto the source."""

    def __init__(self, loader: "_MarkdownLoader", content: str, offsets: list[int]) -> None:
        self.loader = loader
        self.content = content
        self.offsets = offsets  # source offset of each content character
        self._count, self._last = len(offsets), offsets[-1] if offsets else 0  # (for at)
        self.p = 0
        self.text = SourceText()
        self.link: tuple[Link, SourceText] | None = None
        self.marks: list[tuple[int, str]] = []  # open emphasis: (text index, token type)

    def at(self, index: int) -> int:
        return self.offsets[index] if index < self._count else self._last

    def emit(self, chars: str, begin: int, end: int) -> None:
        """Add ``chars`` standing for content[begin:end]."""
        start = self.at(begin)
        stop = self.at(end - 1) + 1 if end > begin else start + 1
        if len(chars) == end - begin and stop - start == len(chars):
            self.text.append(chars, start)
            if self.link:
                self.link[1].append(chars, start)
        else:
            for ch in chars:
                self.text.append(ch, start, stop)
                if self.link:
                    self.link[1].append(ch, start, stop)

    def align(self, t: str, emit: bool = True) -> None:
        """Consume ``t`` (decoded text) from the raw content, skipping markup."""
        content, n = self.content, len(self.content)
        if content.startswith(t, self.p):
            if emit:
                self.emit(t, self.p, self.p + len(t))
            self.p += len(t)
            return
        i = 0
        while i < len(t):
            c = t[i]
            p = self.p
            if p >= n:
                if emit:
                    self.emit(t[i:], max(0, n - 1), max(1, n))
                return
            raw = content[p]
            if raw == "\\" and p + 1 < n and content[p + 1] == c:
                if emit:
                    self.emit(c, p, p + 2)
                self.p, i = p + 2, i + 1
            elif raw == "&" and (m := _ENTITY.match(content, p)) and (
                decoded := html.unescape(m.group())
            ) and t.startswith(decoded, i):
                if emit:
                    self.emit(decoded, p, m.end())
                self.p, i = m.end(), i + len(decoded)
            elif raw == c:
                if emit:
                    self.emit(c, p, p + 1)
                self.p, i = p + 1, i + 1
            else:
                self.p = p + 1  # a markup character: skip it

    def skip_markup(self, markup: str) -> None:
        found = self.content.find(markup, self.p, self.p + len(markup) + 8)
        if found >= 0:
            self.p = found + len(markup)

    def skip_destination(self) -> None:
        """Skip ``](url "title")``, ``][ref]`` or ``]`` after link text."""
        content, n = self.content, len(self.content)
        close = content.find("]", self.p)
        if close < 0:
            return
        p = close + 1
        if p < n and content[p] == "(":
            depth, quote = 0, ""
            while p < n:
                if quote:  # inside a title: only its closing quotation mark counts
                    end = content.find(quote, p)
                    p, quote = (end + 1, "") if end >= 0 else (n, quote)
                    continue
                found = _DESTINATION_MARK.search(content, p)  # (skips the plain characters in C)
                if found is None:
                    p = n
                    break
                p = found.start()
                ch = content[p]
                if ch == "\\":
                    p += 1
                elif ch == "(":
                    depth += 1
                elif ch == ")":
                    depth -= 1
                    if depth == 0:
                        p += 1
                        break
                elif depth == 1:
                    quote = ch
                p += 1
        elif p < n and content[p] == "[":
            end = content.find("]", p)
            p = end + 1 if end >= 0 else p
        self.p = p

    def walk(self, children: list[Token]) -> None:
        for tok in children:
            handler = getattr(self, "on_" + tok.type, None)
            if handler is not None:
                handler(tok)

    # -- token handlers -------------------------------------------------------
    def on_text(self, tok: Token) -> None:
        self.align(tok.content)

    on_text_special = on_text

    def on_softbreak(self, tok: Token) -> None:
        nl = self.content.find("\n", self.p)
        if nl >= 0:
            self.emit(" ", nl, nl + 1)
            self.p = nl + 1

    def on_hardbreak(self, tok: Token) -> None:
        nl = self.content.find("\n", self.p)
        if nl >= 0:
            self.emit(HARD_BREAK, nl, nl + 1)
            self.p = nl + 1

    def on_code_inline(self, tok: Token) -> None:
        ticks = tok.markup or "`"
        start = self.content.find(ticks, self.p)
        if start < 0:
            return
        close = re.compile(r"(?<!`)" + re.escape(ticks) + r"(?!`)").search(
            self.content, start + len(ticks)
        )
        self.emit(CODE_PLACEHOLDER, start, start + 1)  # code is not prose, but keeps words apart
        self.p = close.end() if close else start + len(ticks)

    def _skip_own_markup(self, tok: Token) -> None:
        self.skip_markup(tok.markup)

    on_s_open = on_s_close = _skip_own_markup

    def _open_mark(self, tok: Token) -> None:
        self.skip_markup(tok.markup)
        self.marks.append((len(self.text), tok.type))

    def _close_mark(self, tok: Token) -> None:
        self.skip_markup(tok.markup)
        if not self.marks:
            return
        begin, kind = self.marks.pop()
        end = len(self.text)
        text = self.text.text[begin:end]
        lead = len(text) - len(text.lstrip())
        stripped = text.strip()
        if stripped:
            start, stop = self.text.span(begin + lead, begin + lead + len(stripped))
            mark_kind = "bold" if kind.startswith("strong") else "italic"
            self.loader.doc.marks.append(Mark(mark_kind, " ".join(stripped.split()), start, stop))

    on_em_open = on_strong_open = _open_mark
    on_em_close = on_strong_close = _close_mark

    def on_link_open(self, tok: Token) -> None:
        self.close_link()
        if tok.markup == "autolink":
            self.skip_markup("<")
        else:
            self.skip_markup("[")
        self._open_link(str(tok.attrGet("href") or ""), self.at(self.p), self.at(self.p) + 1)

    def _open_link(self, href: str, start: int, end: int) -> None:
        """Start collecting a link's text (from Markdown or inline HTML)."""
        self.link = (Link(text="", href=href, start=start, end=end, in_heading=self.loader.kind == "heading",
                          in_list=self.loader.kind == "list-item"), SourceText())

    def _add_image(self, image: Image, start: int, end: int) -> None:
        """Record an image; inside a link, its alt text becomes part of the link's name."""
        image.in_link = self.link is not None
        self.loader.doc.images.append(image)
        if self.link is not None:
            self.link[0].has_image = True
            if image.alt:
                self.link[1].append(f" {image.alt} ", start, end)

    def on_link_close(self, tok: Token) -> None:
        markup = tok.markup
        self.close_link()
        if markup == "autolink":
            self.skip_markup(">")
        else:
            self.skip_destination()

    def close_link(self) -> None:
        if self.link is None:
            return
        link, text = self.link
        self.link = None
        content = text.normalised(keep_newlines=False)
        link.text = content.text
        if content.text:
            link.start, link.end = content.source_span()
        self.loader.doc.links.append(link)

    def on_image(self, tok: Token) -> None:
        begin = self.content.find("![", self.p)
        if begin < 0:
            return
        self.p = begin + 2
        alt = tok.content
        start = self.at(begin)
        self.align(alt, emit=False)
        self.skip_destination()
        end = self.at(self.p - 1) + 1 if self.p > 0 else start + 1
        self._add_image(Image(str(tok.attrGet("src") or ""), alt or None, start, end), start, end)
        self.emit(" ", begin, begin + 1)

    def on_html_inline(self, tok: Token) -> None:
        raw = tok.content
        begin = self.content.find(raw, self.p)
        if begin < 0:
            return
        self.p = begin + len(raw)
        start, end = self.at(begin), self.at(begin + len(raw) - 1) + 1
        if m := _HTML_COMMENT.match(raw):
            found = parse_comment(m.group(1), start, end, self.loader.doc.lines)
            if found:
                self.loader.doc.suppressions.append(found)
        elif _HTML_BR.match(raw):
            self.emit(HARD_BREAK, begin, begin + 1)
        elif m := _HTML_A_OPEN.match(raw):
            self.close_link()
            href = next(g for g in (m.group(1), m.group(2), m.group(3), "") if g is not None)
            self._open_link(html.unescape(href), start, end)
        elif _HTML_A_CLOSE.match(raw):
            self.close_link()
        elif _HTML_IMG.match(raw):
            parts = parse_fragment(self.loader.doc.source, self.loader.doc.lines, start, end)
            for image, _ in parts.images:
                self._add_image(image, start, end)
            self.emit(" ", begin, begin + 1)


class _MarkdownLoader:
    def __init__(self, path: str, source: str) -> None:
        self.doc = Document(path=path, format="markdown", source=source)
        norm = source.replace("\r\n", "\n").replace("\r", "\n")
        self.pos = _Positions(source, norm)
        self.kind = "paragraph"
        self.ptr = 0  # normalised offset: inline content is found from here on
        self.list_stack: list[int] = []  # open lists, as indexes into doc.lists
        self.item_stack: list[tuple[int, int]] = []  # open list items: (list, item number)

    def load(self) -> Document:
        norm = self.pos.norm
        body = self._front_matter(norm)
        tokens = markdown_it().parse(body)
        containers: list[Token] = []
        heading_level = 0
        for tok in tokens:
            if tok.nesting == 1:
                containers.append(tok)
                if tok.type == "heading_open":
                    heading_level = int(tok.tag[1:])
                elif tok.type in ("bullet_list_open", "ordered_list_open"):
                    self._open_list(tok)
                elif tok.type == "list_item_open" and self.list_stack:
                    info = self.doc.lists[self.list_stack[-1]]
                    self.item_stack.append((self.list_stack[-1], info.items))
                    info.items += 1
            elif tok.nesting == -1:
                if containers:
                    containers.pop()
                if tok.type in ("bullet_list_close", "ordered_list_close") and self.list_stack:
                    self.list_stack.pop()
                elif tok.type == "list_item_close" and self.item_stack:
                    self.item_stack.pop()
            elif tok.type == "inline":
                self._inline(tok, containers, heading_level)
            elif tok.type == "html_block" and tok.map:
                self._html_block(tok)
        if self.doc.title is None:
            first_h1 = next((h for h in self.doc.headings if h.level == 1), None)
            if first_h1 is not None:
                self.doc.title = MetaField(first_h1.text, first_h1.start, first_h1.end)
        return self.doc

    def _open_list(self, tok: Token) -> None:
        start = self.pos.to_source(self.pos.line_start(tok.map[0])) if tok.map else 0
        self.list_stack.append(len(self.doc.lists))
        self.doc.lists.append(ListInfo(tok.type == "ordered_list_open", start))

    # -- front matter -------------------------------------------------------------
    def _front_matter(self, norm: str) -> str:
        """Read YAML front matter as metadata; blank it out for markdown-it."""
        found = _FRONT_MATTER.match(norm)
        if not found:
            return norm
        yaml_text = found.group(1) or ""
        self._read_front_matter(yaml_text, first_line=1)
        blanked = "\n" * norm.count("\n", 0, found.end())
        self.ptr = found.end()
        return blanked + norm[found.end():]

    def _read_front_matter(self, yaml_text: str, first_line: int) -> None:
        import yaml  # (here, not at start-up: see yamlfile.py)

        try:
            node = compose_yaml(yaml_text)
        except (yaml.YAMLError, RecursionError) as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1 + first_line})" if mark else ""
            self.doc.notes.append(f"the front matter is not valid YAML{where}, so its title"
                                  " and description were not read")
            return
        if not isinstance(node, yaml.MappingNode):
            return
        for key_node, value_node in node.value:
            key = str(key_node.value).lower()
            if not isinstance(value_node, yaml.ScalarNode):
                continue
            value = str(value_node.value)
            start = self._yaml_offset(value_node.start_mark, first_line)
            end = self._yaml_offset(value_node.end_mark, first_line)
            field = MetaField(value.strip(), start, max(end, start + 1))
            if key == "title" and self.doc.title is None:
                self.doc.title = field
            elif key in ("description", "summary") and self.doc.description is None:
                self.doc.description = field
            elif key == "lang" and self.doc.lang is None:
                self.doc.lang = field

    def _yaml_offset(self, mark: yaml.Mark, first_line: int) -> int:
        return self.pos.to_source(self.pos.line_start(first_line + mark.line) + mark.column)

    # -- blocks ---------------------------------------------------------------------
    def _inline(self, tok: Token, containers: list[Token], heading_level: int) -> None:
        kind = "paragraph"
        ordered = False
        for container in reversed(containers):
            found = _KIND_OF_CONTAINER.get(container.type)
            if found and kind == "paragraph":
                kind = found
            if container.type in ("ordered_list_open", "bullet_list_open"):
                ordered = container.type == "ordered_list_open"
                break
        self.kind = kind
        offsets = self._locate(tok)
        walker = _InlineWalker(self, tok.content, offsets)
        walker.walk(tok.children or [])
        walker.close_link()
        content = walker.text.normalised()
        line_start = self.pos.to_source(self.pos.line_start(tok.map[0])) if tok.map else 0
        if kind == "heading":
            span = content.source_span() if content.text else (line_start, line_start + 1)
            self.doc.headings.append(Heading(heading_level, content.text, *span))
        if has_letter_or_digit(content.text):
            level = heading_level if kind == "heading" else 0
            item = self.item_stack[-1] if self.item_stack and kind != "heading" else None
            if item is not None and self.list_stack and item[0] != self.list_stack[-1]:
                item = None  # text after a nested list's end but in no item of the inner list
            self.doc.blocks.append(Block(kind, content, level, ordered, item))

    def _locate(self, tok: Token) -> list[int]:
        """Source offset of each character of the inline token's raw content."""
        content = tok.content
        if not tok.map:
            return [self.ptr] * len(content)
        pos = self.pos
        norm = pos.norm
        offsets: list[int] = []
        to_source: Callable[[int], int] = pos.to_source
        for i, line_text in enumerate(content.split("\n")):
            line = tok.map[0] + i
            line_begin, line_end = pos.line_start(line), pos.line_end(line)
            search_from = max(self.ptr, line_begin)
            stripped = line_text.lstrip()
            lead = len(line_text) - len(stripped)
            found = norm.find(stripped, search_from, line_end) if stripped else -1
            if found < 0:
                found = min(search_from + lead, line_end)
            if i:
                offsets.append(to_source(max(line_begin - 1, 0)))  # the newline
            offsets.extend(to_source(max(found - lead + j, line_begin)) for j in range(lead))
            first = to_source(found)  # one line: the rest follow one by one
            offsets.extend(range(first, first + len(stripped)))
            self.ptr = found + len(stripped)
        return offsets

    def _html_block(self, tok: Token) -> None:
        assert tok.map is not None
        begin = self.pos.to_source(self.pos.line_start(tok.map[0]))
        end = self.pos.to_source(self.pos.line_start(tok.map[1]))
        parts = parse_fragment(self.doc.source, self.doc.lines, begin, end)
        offset = len(self.doc.lists)
        for block, _ in parts.blocks:
            if block.list_item is not None:
                block.list_item = (block.list_item[0] + offset, block.list_item[1])
        self.doc.lists.extend(info for info, _ in parts.lists)
        self.doc.marks.extend(mark for mark, _ in parts.marks)
        self.doc.blocks.extend(b for b, _ in parts.blocks)
        self.doc.headings.extend(h for h, _ in parts.headings)
        self.doc.links.extend(link for link, _ in parts.links)
        self.doc.images.extend(i for i, _ in parts.images)
        self.doc.suppressions.extend(parts.suppressions)
        self.ptr = self.pos.line_start(tok.map[1])


def load_markdown(path: str, source: str) -> Document:
    """Build a Document from a decoded Markdown page."""
    return _MarkdownLoader(path, source).load()
