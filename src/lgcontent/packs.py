"""Load rule packs: folders of YAML rule files, checked thoroughly on load.

A pack is a folder; each ``<pack>/<rule>.yml`` file is one rule with the id
``pack.rule``. Every field is validated, and any problem is reported with the
rule file and line, so a council's own pack fails loudly, never silently.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .document import BLOCK_KINDS
from .errors import LgcontentError, RuleError
from .findings import SEVERITY_NAMES, Severity
from .kinds import KINDS, Kind, OptionError
from .yamlfile import LineMap, load_yaml

NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RULE_SUFFIXES = (".yml", ".yaml")
FORMATS = ("html", "markdown")

#: Blocks a text rule reads unless its ``scope`` says otherwise.
DEFAULT_SCOPE = frozenset(BLOCK_KINDS)

_REQUIRED = ("kind", "level", "summary", "message", "why", "source", "examples")
_OPTIONAL = ("options", "scope", "link", "fix", "enabled", "formats")
_FIELDS = _REQUIRED + _OPTIONAL


@dataclass(frozen=True, slots=True)
class Example:
    """A snippet a rule's tests run: Markdown unless ``format`` says HTML."""

    text: str
    format: str  # "markdown" or "html"
    line: int  # where it is written in the rule file


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    pack: str
    kind: str
    level: Severity
    summary: str
    message: str
    why: str
    source: str
    link: str | None
    fix: str | None
    scope: frozenset[str]
    formats: frozenset[str]
    enabled: bool
    options: dict[str, Any]
    fail_examples: tuple[Example, ...]
    pass_examples: tuple[Example, ...]
    path: str
    checker: Kind

    @property
    def text_based(self) -> bool:
        return self.checker.text_based


def builtin_rules_dir() -> Path:
    """The bundled ``rules/`` folder: inside the installed package, or the checkout's."""
    packaged = resources.files("lgcontent") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "rules"


def _fail(path: str, lines: LineMap, message: str, *key: Any) -> RuleError:
    return RuleError(path, message, lines.line(*key))


def _text_field(data: dict, key: str, path: str, lines: LineMap) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, lines, f"'{key}' must be some text", key)
    return value.strip()


def _examples(data: dict, path: str, lines: LineMap) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    raw = data["examples"]
    if not isinstance(raw, dict):
        raise _fail(path, lines, "'examples' needs 'fail' and 'pass' lists", "examples")
    unknown = set(raw) - {"fail", "pass"}
    if unknown:
        key = sorted(map(str, unknown))[0]
        raise _fail(path, lines, f"unknown key '{key}' in examples (use fail and pass)", "examples", key)
    result = []
    for group in ("fail", "pass"):
        items = raw.get(group)
        if not isinstance(items, list) or not items:
            raise _fail(path, lines, f"examples need at least one '{group}' example"
                        f" ({'text the rule must flag' if group == 'fail' else 'text it must leave alone'})",
                        "examples", group)
        parsed = []
        for i, item in enumerate(items):
            line = lines.line("examples", group, i)
            if isinstance(item, str) and item.strip():
                parsed.append(Example(item, "markdown", line))
            elif isinstance(item, dict) and len(item) == 1 and next(iter(item)) in FORMATS \
                    and isinstance(next(iter(item.values())), str):
                fmt, text = next(iter(item.items()))
                parsed.append(Example(text, fmt, line))
            else:
                raise RuleError(path, "each example is a Markdown string, or 'html: ...'"
                                " or 'markdown: ...'", line)
        result.append(tuple(parsed))
    return result[0], result[1]


def _string_list(value: Any, allowed: tuple[str, ...], key: str, path: str, lines: LineMap) -> frozenset[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise _fail(path, lines, f"'{key}' must be a list from: {', '.join(allowed)}", key)
    for i, item in enumerate(items):
        if item not in allowed:
            raise _fail(path, lines, f"unknown {key} '{item}' (choose from: {', '.join(allowed)})", key, i)
    return frozenset(items)


def _check_message(message: str, kind: type[Kind], path: str, lines: LineMap) -> None:
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(message) if name is not None]
    except ValueError as exc:
        raise _fail(path, lines, f"'message' has a stray brace: {exc}", "message") from None
    for name in names:
        if name not in kind.placeholders:
            offered = ", ".join("{" + p + "}" for p in sorted(kind.placeholders)) or "none"
            raise _fail(path, lines, f"'message' uses {{{name}}}, which kind {kind.name} does not"
                        f" offer (it offers: {offered})", "message")


def parse_rule(data: Any, lines: LineMap, path: str, pack: str, name: str) -> Rule:
    """Validate one rule file's data and build the Rule."""
    if not isinstance(data, dict):
        raise RuleError(path, "must be a mapping of fields (kind, level, message...)", 1)
    for key in data:
        if key not in _FIELDS:
            raise _fail(path, lines, f"unknown field '{key}' (fields: {', '.join(_FIELDS)})", key)
    for key in _REQUIRED:
        if key not in data:
            raise RuleError(path, f"missing field '{key}'", 1)
    kind_name = data["kind"]
    if kind_name not in KINDS:
        raise _fail(path, lines, f"unknown kind '{kind_name}' (kinds: {', '.join(sorted(KINDS))})", "kind")
    kind = KINDS[kind_name]
    if data["level"] not in SEVERITY_NAMES:
        raise _fail(path, lines, f"'level' must be one of {', '.join(SEVERITY_NAMES)},"
                    f" not {data['level']!r}", "level")
    message = _text_field(data, "message", path, lines)
    _check_message(message, kind, path, lines)
    options = data.get("options", {})
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise _fail(path, lines, "'options' must be a mapping", "options")
    try:
        checker = kind.build(options)
    except OptionError as exc:
        raise _fail(path, lines, exc.message, "options", exc.key) from None
    if "scope" in data and not checker.text_based:
        raise _fail(path, lines, f"'scope' does not apply to kind {kind_name}: it reads the whole page",
                    "scope")
    scope = _string_list(data["scope"], BLOCK_KINDS, "scope", path, lines) if "scope" in data else DEFAULT_SCOPE
    formats = _string_list(data["formats"], FORMATS, "formats", path, lines) if "formats" in data \
        else frozenset(FORMATS)
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _fail(path, lines, "'enabled' must be true or false", "enabled")
    summary = _text_field(data, "summary", path, lines)
    if "\n" in summary:
        raise _fail(path, lines, "'summary' must be one line", "summary")
    fail_examples, pass_examples = _examples(data, path, lines)
    return Rule(
        id=f"{pack}.{name}",
        pack=pack,
        kind=kind_name,
        level=Severity.parse(data["level"]),
        summary=summary,
        message=message,
        why=_text_field(data, "why", path, lines),
        source=_text_field(data, "source", path, lines),
        link=_text_field(data, "link", path, lines) if "link" in data else None,
        fix=_text_field(data, "fix", path, lines) if "fix" in data else None,
        scope=scope,
        formats=formats,
        enabled=enabled,
        options=options,
        fail_examples=fail_examples,
        pass_examples=pass_examples,
        path=path,
        checker=checker,
    )


def load_rule_file(path: Path, pack: str) -> Rule:
    name = path.stem
    if not NAME_RE.match(name):
        raise RuleError(str(path), "rule file names must be lower-case words joined by hyphens"
                        " (for example words-to-avoid.yml)")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RuleError(str(path), "is not UTF-8 text") from None
    except OSError as exc:
        raise RuleError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    try:
        data, lines = load_yaml(text, str(path))
    except RuleError:
        raise
    except LgcontentError as exc:
        raise RuleError(exc.path, exc.message, exc.line) from None
    return parse_rule(data, lines, str(path), pack, name)


def load_pack(folder: Path) -> list[Rule]:
    """Every rule in one pack folder, sorted by id."""
    pack = folder.name
    if not NAME_RE.match(pack):
        raise RuleError(str(folder), "pack folder names must be lower-case words joined by hyphens")
    rules = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_file() and entry.suffix in RULE_SUFFIXES:
            rules.append(load_rule_file(entry, pack))
        elif entry.is_file() and entry.suffix.lower() not in (".md", ".txt"):
            raise RuleError(str(entry), "is not a rule file (rule files end in .yml)")
    return rules


def load_packs(folders: list[Path]) -> list[Rule]:
    """Load each folder: a pack itself (holding .yml files) or a folder of packs."""
    rules: dict[str, Rule] = {}
    for folder in folders:
        if not folder.is_dir():
            raise RuleError(str(folder), "is not a folder of rules")
        entries = sorted(e for e in folder.iterdir() if not e.name.startswith("."))
        is_pack = any(e.is_file() and e.suffix in RULE_SUFFIXES for e in entries)
        packs = [folder] if is_pack else [e for e in entries if e.is_dir()]
        for pack_folder in packs:
            for rule in load_pack(pack_folder):
                if rule.id in rules:
                    raise RuleError(rule.path, f"rule id {rule.id} is already defined in {rules[rule.id].path}")
                rules[rule.id] = rule
    return [rules[k] for k in sorted(rules)]


def load_builtin() -> list[Rule]:
    return load_packs([builtin_rules_dir()])


def find_rule(rules: list[Rule], rule_id: str) -> Rule | None:
    return next((r for r in rules if r.id == rule_id), None)

