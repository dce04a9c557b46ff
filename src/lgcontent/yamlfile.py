"""Load YAML safely, remembering the line of every key so errors can name it.

Only plain data is built (the safe loader's scalars, lists and mappings), and
the number of nodes built is capped, so an alias bomb ("billion laughs") is
refused instead of eating the machine's memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import LgcontentError

if TYPE_CHECKING:
    import yaml

# PyYAML is imported where it is first needed, not with this module: importing it takes a
# tenth of lgcontent's start-up, and a run whose rule and configuration files are all in
# the cache of parsed files (rule_file_cache.py), with no Markdown front matter, never
# parses YAML.

MAX_NODES = 200_000
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")

Path = tuple[Any, ...]


class LineMap:
    """The 1-based line where each key or list item (by its path) is written."""

    def __init__(self) -> None:
        self._lines: dict[Path, int] = {}

    @classmethod
    def of(cls, recorded: dict[Path, int]) -> "LineMap":
        """A LineMap holding ``recorded`` (as :meth:`recorded` gave it)."""
        made = cls()
        made._lines = recorded
        return made

    def recorded(self) -> dict[Path, int]:
        """Every path recorded, with its line (plain data, to keep between runs)."""
        return self._lines

    def record(self, path: Path, line: int) -> None:
        self._lines.setdefault(path, line)

    def line(self, *path: Any) -> int:
        """Line of ``path``, or of its nearest recorded parent."""
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), 1)


class _Builder:
    def __init__(self, loader: Any, file: str) -> None:
        self.loader = loader
        self.file = file
        self.lines = LineMap()
        self.count = 0

    def build(self, node: yaml.Node, path: Path) -> Any:
        import yaml

        self.count += 1
        if self.count > MAX_NODES:
            raise LgcontentError(self.file, "is too large or repeats itself through aliases"
                                 f" (more than {MAX_NODES:,} values); refusing to load it",
                                 node.start_mark.line + 1)
        self.lines.record(path, node.start_mark.line + 1)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            raise LgcontentError(self.file, f"is not valid YAML: the tag {node.tag} is not allowed"
                                 " (only plain data is)", node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise LgcontentError(self.file, "merge keys (<<) are not supported",
                                         key_node.start_mark.line + 1)
                key = self.build(key_node, path + ("<key>",))
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    raise LgcontentError(self.file, "keys must be plain words",
                                         key_node.start_mark.line + 1)
                if key in result:
                    raise LgcontentError(self.file, f"'{key}' is given twice",
                                         key_node.start_mark.line + 1)
                self.lines.record(path + (key,), key_node.start_mark.line + 1)
                result[key] = self.build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node)


#: The loader class: found on first use by :func:`safe_loader` (tests may set it).
SAFE_LOADER: Any = None


def safe_loader() -> Any:
    """libyaml's parser when PyYAML has it (it is several times faster); the same safe
    rules, and the same line and column (in characters) for every scalar."""
    global SAFE_LOADER
    if SAFE_LOADER is None:
        import yaml

        SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return SAFE_LOADER


#: How deep collections may nest. PyYAML builds nodes by recursing once a level: the pure
#: Python loader stops at Python's recursion limit, but with libyaml the recursion is in
#: C and crashes the process somewhere past 50,000 levels (sooner where stacks are small).
MAX_DEPTH = 500
# Each level of nesting begins on a new line or after one of these signs, so text with
# fewer of them than MAX_DEPTH cannot nest deeper (most files: counting them is quick).
_NESTING_SIGNS = "\n[{-?:"


def check_nesting(text: str) -> None:
    """Raise a MarkedYAMLError, before any node is built, if ``text`` nests deeper than
    MAX_DEPTH. The parser's events are read to count (libyaml's parser keeps its own
    stack), only when the quick count of signs allows that much nesting."""
    if sum(map(text.count, _NESTING_SIGNS)) <= MAX_DEPTH:
        return
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=safe_loader()):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise yaml.MarkedYAMLError(problem=f"it is nested more than {MAX_DEPTH} levels deep",
                                           problem_mark=event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def compose_yaml(text: str) -> yaml.Node | None:
    """``text``'s node tree (for its values' positions), with libyaml when PyYAML has it
    and never deeper than MAX_DEPTH. Raises yaml.YAMLError, or RecursionError where the
    pure Python composer runs out of stack first."""
    import yaml

    check_nesting(text)
    return yaml.compose(text, Loader=safe_loader())


def load_yaml(text: str, file: str) -> tuple[Any, LineMap]:
    """Parse ``text`` as YAML data. Raises LgcontentError naming file and line."""
    import yaml

    loader = None
    try:
        check_nesting(text)
        loader = safe_loader()(text)
        node = loader.get_single_node()
        if node is None:
            return None, LineMap()
        builder = _Builder(loader, file)
        return builder.build(node, ()), builder.lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "is not valid YAML"
        raise LgcontentError(file, f"is not valid YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise LgcontentError(file, f"is not valid YAML: {exc}") from None
    except RecursionError:  # nested deeply, but not past MAX_DEPTH, in a small stack
        raise LgcontentError(file, "is not valid YAML: it is nested too deeply to read") from None
    finally:
        if loader is not None:
            loader.dispose()
