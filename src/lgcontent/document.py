"""The document model every loader produces and every rule kind reads.

Loaders turn HTML or Markdown into a :class:`Document`. Each piece of text keeps,
for every character, the offsets of the source characters it came from, so a
finding points at the exact characters of the original file (through entities,
inline tags, escapes, CRLF and front matter) without searching for the text again.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import add

from . import speedups

#: Stands for a forced line break (``<br>``, a Markdown hard break) in raw text.
HARD_BREAK = "\u2028"

# White space that is not one plain space: a run of two or more, or one other white space
# character (written so, rather than as \s{2,}|[^\S ], it is found about a third faster).
_MESSY_SPACE = re.compile(r"[^\S ]\s*| \s+")
_LINE_END = re.compile(r"\r\n|\r|\n")

#: Stands for inline code in prose: not a word, but it keeps the words around it apart.
CODE_PLACEHOLDER = "\ufffc"

#: Block kinds a rule can name in its ``scope``.
BLOCK_KINDS: tuple[str, ...] = (
    "paragraph",
    "list-item",
    "table-cell",
    "heading",
    "blockquote",
    "caption",
)


class LineIndex:
    """Turns a character offset in the source into a 1-based line and column.

    ``\\r\\n``, a lone ``\\r`` and ``\\n`` each end a line, as they do in editors.
    Columns count characters (code points), starting at 1.
    """

    def __init__(self, source: str) -> None:
        if "\r" in source:
            self._starts = [0, *(m.end() for m in _LINE_END.finditer(source))]
        else:  # the usual case, all in C: each line's start is the sum of the lengths (and
            # line ends) before it
            self._starts = list(accumulate(map(add, map(len, source.split("\n")[:-1]), repeat(1)), initial=0))
        self._length = len(source)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``."""
        offset = max(0, min(offset, self._length))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def positions(self, start: int, end: int) -> tuple[int, int, int, int]:
        """1-based (line, column, end line, end column) of a span: one search when it
        ends on the line it starts on, as nearly every finding does."""
        start = max(0, min(start, self._length))
        end = max(start, min(end, self._length))
        starts = self._starts
        line = bisect.bisect_right(starts, start) - 1
        if line + 1 < len(starts) and end >= starts[line + 1]:
            end_line = bisect.bisect_right(starts, end, line + 1) - 1
        else:
            end_line = line
        return line + 1, start - starts[line] + 1, end_line + 1, end - starts[end_line] + 1

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[max(0, min(line - 1, len(self._starts) - 1))]

    def line_span(self, line: int) -> tuple[int, int]:
        """(start, end) offsets of 1-based ``line`` without its line break."""
        start = self.line_start(line)
        end = self._starts[line] if line < len(self._starts) else self._length
        return start, end

    @property
    def line_count(self) -> int:
        return len(self._starts)


class _Offsets:
    """``starts`` or ``ends`` of a SourceText, read as a sequence (one value a character)."""

    __slots__ = ("_source", "_ends")

    def __init__(self, source: "SourceText", ends: bool) -> None:
        self._source, self._ends = source, ends

    def __len__(self) -> int:
        return len(self._source)

    def __getitem__(self, index: int) -> int:
        length = len(self._source)
        if index < 0:
            index += length
        if not 0 <= index < length:
            raise IndexError("offset index out of range")
        return self._source.end_of(index) if self._ends else self._source.start_of(index)


class SourceText:
    """Text with, for every character, the source offsets it came from.

    ``starts[i]`` is the offset of the first source character behind ``text[i]``;
    ``ends[i]`` the offset just past the last one (an entity such as ``&amp;``
    stands behind one character but covers five).

    The offsets are kept as runs, not one a character: a run either maps its
    characters one to one onto consecutive source characters, or maps each of them
    to the same source span (an entity, a line break). Text from one text node is
    one run, so building and copying text costs little whatever its length.
    """

    __slots__ = ("_parts", "_text", "_length", "_at", "_src", "_end", "_unworked")

    def __init__(self, text: str = "", start: int = 0) -> None:
        self._parts: list[str] = []
        self._text: str | None = ""
        self._length = 0
        self._at: list[int] = []  # where each run begins in the text
        self._src: list[int] = []  # the source offset of the run's first character
        self._end: list[int | None] = []  # None: one to one; else every character's source end
        # Normalised text whose runs are not worked out yet: the raw text, keep_newlines,
        # and where the raw text's first and just past its last non-space character are.
        self._unworked: tuple[SourceText, bool, int, int] | None = None
        if text:  # most are made empty, to be filled
            self.append(text, start)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self._parts)
            self._parts = [self._text]
        return self._text

    @property
    def starts(self) -> _Offsets:
        return _Offsets(self, ends=False)

    @property
    def ends(self) -> _Offsets:
        return _Offsets(self, ends=True)

    def __len__(self) -> int:
        return self._length

    def __bool__(self) -> bool:
        return self._length > 0

    def __repr__(self) -> str:
        return f"SourceText({self.text!r})"

    def clear(self) -> None:
        """Empty the text, to be filled again (cheaper than making a new one)."""
        self._parts, self._text, self._length = [], "", 0
        self._at, self._src, self._end, self._unworked = [], [], [], None

    def append(self, chars: str, start: int, end: int | None = None) -> None:
        """Add characters that all come from source ``start``..``end``.

        With ``end`` omitted, each character is one source character in a row.
        """
        if not chars:
            return
        if self._unworked is not None:
            self._work_out_runs()
        at = self._length
        self._parts.append(chars)
        self._text = None
        self._length += len(chars)
        if self._at:
            last_end = self._end[-1]
            if end is None and last_end is None and self._src[-1] + (at - self._at[-1]) == start:
                return  # carries on the last one-to-one run
            if end is not None and last_end == end and self._src[-1] == start:
                return  # more characters standing for the same source span
        self._at.append(at)
        self._src.append(start)
        self._end.append(end)

    def _run(self, index: int) -> int:
        if self._unworked is not None:
            self._work_out_runs()
        return bisect.bisect_right(self._at, index) - 1

    def start_of(self, index: int) -> int:
        """Source offset of the first source character behind ``text[index]``."""
        if self._unworked is not None and index == 0:  # the ends need no runs
            raw, _, first, _ = self._unworked
            return raw.start_of(first)
        run = self._run(index)
        return self._src[run] + (index - self._at[run] if self._end[run] is None else 0)

    def end_of(self, index: int) -> int:
        """Source offset just past the source characters behind ``text[index]``."""
        if self._unworked is not None and index == self._length - 1:
            raw, _, _, last = self._unworked
            return raw.end_of(last - 1)
        run = self._run(index)
        end = self._end[run]
        return self._src[run] + (index - self._at[run]) + 1 if end is None else end

    def span(self, begin: int, finish: int) -> tuple[int, int]:
        """Source (start, end) offsets of ``text[begin:finish]``."""
        if not self._length:
            return 0, 0
        begin = max(0, min(begin, self._length - 1))
        finish = max(begin + 1, min(finish, self._length))
        return self.start_of(begin), self.end_of(finish - 1)

    def source_span(self) -> tuple[int, int]:
        return self.span(0, self._length)

    def normalised(self, keep_newlines: bool = True) -> "SourceText":
        """Collapse runs of white space to one space and trim both ends.

        A forced line break (:data:`HARD_BREAK`, from ``<br>`` or a Markdown hard
        break) survives as a newline when ``keep_newlines`` is set, because it
        ends a line the way a full stop does. Newlines in the source are spaces.

        The text is made at once (in C: a split and a join, or one regex substitution
        when line breaks are kept); the offsets of its characters only when first asked
        for, as most blocks never need them.
        """
        text = self.text
        stripped = text.strip()
        result = type(self)()
        if not stripped:
            return result
        first = len(text) - len(text.lstrip())
        if keep_newlines and HARD_BREAK in stripped:
            tidy = _MESSY_SPACE.sub(_space_or_newline, stripped)
        else:
            # The same as _MESSY_SPACE.sub(" ", stripped), three times faster: str.split's
            # white space is exactly the regex's \s (str.isspace), and the ends are stripped.
            tidy = " ".join(stripped.split())
        result._parts, result._text, result._length = [tidy], tidy, len(tidy)
        result._unworked = (self, keep_newlines, first, first + len(stripped))
        return result

    def _work_out_runs(self) -> None:
        """The runs of normalised text: each character's offsets, from the raw text's.

        The normalised text is the raw text from ``first`` to ``last`` with each run of
        messy white space cut to its first character (which becomes a space or a newline
        but keeps that character's offsets). So its runs are the raw runs over the stretches
        between those cuts, each stretch taking the cut character with it.
        """
        assert self._unworked is not None
        raw, _, first, last = self._unworked  # (a newline or a space: the offsets are the same)
        self._unworked = None
        self._at, self._src, self._end = [], [], []
        length = 0
        position = first
        for run in _MESSY_SPACE.finditer(raw.text, first, last):
            length = self._take_runs(raw, position, run.start() + 1, length)
            position = run.end()
        length = self._take_runs(raw, position, last, length)
        assert length == self._length, "normalised text and its offsets disagree"

    def _take_runs(self, raw: "SourceText", low: int, high: int, length: int) -> int:
        """Add the runs of ``raw.text[low:high]``, starting at normalised index ``length``;
        return the normalised length after them."""
        first_run = bisect.bisect_right(raw._at, low) - 1
        past_runs = bisect.bisect_left(raw._at, high)
        end = raw._end[first_run]
        self._at.append(length)
        self._src.append(raw._src[first_run] + (low - raw._at[first_run] if end is None else 0))
        self._end.append(end)
        shift = length - low
        self._at += [at + shift for at in raw._at[first_run + 1:past_runs]]
        self._src += raw._src[first_run + 1:past_runs]
        self._end += raw._end[first_run + 1:past_runs]
        return length + high - low


def _space_or_newline(run: re.Match[str]) -> str:
    return "\n" if HARD_BREAK in run.group() else " "


#: The Python SourceText: the reference for the compiled one, and the one used where the
#: compiled speed-ups were not built.
PythonSourceText = SourceText

_compiled = speedups.load()
if _compiled is not None:  # the same type in C (_speedups.c): loaders make tens of thousands
    _compiled.configure_source_text(_Offsets, HARD_BREAK)
    SourceText = _compiled.SourceText  # type: ignore[misc]


@dataclass(slots=True)
class Block:
    """One run of prose: a paragraph, list item, table cell, heading..."""

    kind: str
    content: SourceText
    heading_level: int = 0
    list_ordered: bool = False
    #: (index into Document.lists, item number) for text inside a list item.
    list_item: tuple[int, int] | None = None
    #: The block's text, read once: every text rule asks for it.
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = self.content.text


@dataclass(slots=True)
class Heading:
    level: int
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Link:
    """A link: its visible text (with image alt text standing in for images)."""

    text: str
    href: str
    start: int
    end: int
    has_image: bool = False
    in_heading: bool = False
    label: str = ""  # aria-label, which screen readers announce instead of the text
    in_list: bool = False  # inside a list item (contents lists, link lists)

    @property
    def name(self) -> str:
        """What a screen reader announces for the link."""
        return self.label or self.text


@dataclass(slots=True)
class Image:
    src: str
    alt: str | None  # None: no alt attribute at all
    start: int
    end: int
    in_link: bool = False
    labelled: bool = False  # named another way (aria-label, title) or marked decorative


@dataclass(slots=True)
class ListInfo:
    """A bulleted or numbered list: where it starts and how many items it has."""

    ordered: bool
    start: int
    items: int = 0


@dataclass(slots=True)
class Mark:
    """Inline formatting: ``bold``, ``italic`` or ``underline`` text and where it is."""

    kind: str
    text: str
    start: int
    end: int


@dataclass(slots=True)
class MetaField:
    """Page metadata (title, description, language) and where it is written."""

    value: str
    start: int
    end: int


@dataclass(slots=True)
class Suppression:
    """A ``lgcontent-disable`` / ``-enable`` / ``-disable-next-line`` comment."""

    action: str  # "disable", "enable" or "disable-next-line"
    rules: tuple[str, ...]  # empty: every rule
    line: int  # line of the comment's start
    end_line: int  # line of the comment's end
    reason: str = ""
    start: int = 0  # source offsets of the whole comment
    end: int = 0


@dataclass(slots=True)
class Document:
    """A checked page: its source text, metadata, prose blocks and links."""

    path: str
    format: str  # "html" or "markdown"
    source: str
    title: MetaField | None = None
    description: MetaField | None = None
    lang: MetaField | None = None
    blocks: list[Block] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    lists: list[ListInfo] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    has_html_element: bool = False  # HTML only: whether an <html> tag was written
    notes: list[str] = field(default_factory=list)  # things the user should know
    incomplete: bool = False  # a rule was stopped on this page, so findings may be missing
    _lines: LineIndex | None = None

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.source)
        return self._lines

    def position(self, offset: int) -> tuple[int, int]:
        return self.lines.position(offset)

    def body_start(self) -> int:
        """Offset where the checked content begins (for page-level findings)."""
        if self.blocks:
            content = self.blocks[0].content
            return content.start_of(0) if content else 0
        return 0
