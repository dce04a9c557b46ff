"""Load rule packs: folders of YAML rule files, checked thoroughly on load.

A pack is a folder; each ``<pack>/<rule>.yml`` file is one rule with the id
``pack.rule``. Every field is validated, and any problem is reported with the
rule file and line, so a council's own pack fails loudly, never silently.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

from . import regex_cache
from .document import BLOCK_KINDS
from .errors import LgcontentError, RuleError
from .findings import SEVERITY_NAMES, Severity
from .kinds import KINDS, Kind, OptionError
from .rule_file_cache import ParsedFiles
from .yamlfile import LineMap, load_yaml

NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RULE_SUFFIXES = (".yml", ".yaml")
PACK_FILE = "pack.yml"
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
    format: str  # "markdown", "html", or "site" (several pages, for site-wide rules)
    line: int  # where it is written in the rule file
    pages: tuple[str, ...] = ()  # for "site": each page, Markdown or HTML (starting with '<')


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    pack: str  # the folder the rule was loaded from, switched on or off as one
    group: str  # the first part of the id: the pack, or a topic folder inside it
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
    here = Path(__file__).resolve().parent
    packaged = here / "rules"  # the wheel puts rules/ inside the package
    return packaged if packaged.is_dir() else here.parents[1] / "rules"


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
            elif isinstance(item, dict) and list(item) == ["pages"] and isinstance(item["pages"], list) \
                    and item["pages"] and all(isinstance(page, str) for page in item["pages"]):
                parsed.append(Example("\n\n".join(item["pages"]), "site", line, tuple(item["pages"])))
            elif isinstance(item, dict) and len(item) == 1 and next(iter(item)) in FORMATS \
                    and isinstance(next(iter(item.values())), str):
                fmt, text = next(iter(item.items()))
                parsed.append(Example(text, fmt, line))
            else:
                raise RuleError(path, "each example is a Markdown string, 'html: ...', 'markdown: ...'"
                                " or, for site-wide rules, 'pages: [...]'", line)
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


def parse_rule(data: Any, lines: LineMap, path: str, pack: str, group: str, name: str) -> Rule:
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
        id=f"{group}.{name}",
        pack=pack,
        group=group,
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


def _read_yaml(path: Path, parsed: ParsedFiles | None = None) -> tuple[Any, LineMap]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RuleError(str(path), "is not UTF-8 text") from None
    except OSError as exc:
        raise RuleError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    try:
        return parsed.load(text, str(path)) if parsed is not None else load_yaml(text, str(path))
    except LgcontentError as exc:
        raise RuleError(exc.path, exc.message, exc.line) from None


def load_rule_file(path: Path, pack: str, group: str, parsed: ParsedFiles | None = None) -> Rule:
    name = path.stem
    if not NAME_RE.match(name):
        raise RuleError(str(path), "rule file names must be lower-case words joined by hyphens"
                        " (for example words-to-avoid.yml)")
    data, lines = _read_yaml(path, parsed)
    return parse_rule(data, lines, str(path), pack, group, name)


@dataclass(frozen=True, slots=True)
class Pack:
    """A folder of rules that is switched on or off as one (``pack.yml`` describes it)."""

    name: str
    summary: str
    enabled: bool
    replaces: tuple[str, ...]  # rule ids this pack turns off when it is switched on
    path: str


_PACK_FIELDS = ("summary", "enabled", "replaces", "source", "link")


def _load_pack_file(folder: Path, parsed: ParsedFiles | None = None) -> Pack:
    path = folder / PACK_FILE
    if not path.exists():
        return Pack(folder.name, "", True, (), str(folder))
    data, lines = _read_yaml(path, parsed)
    if not isinstance(data, dict):
        raise RuleError(str(path), "must be a mapping of fields (summary, enabled, replaces)", 1)
    for key in data:
        if key not in _PACK_FIELDS:
            raise _fail(str(path), lines, f"unknown field '{key}' (fields: {', '.join(_PACK_FIELDS)})", key)
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _fail(str(path), lines, "'enabled' must be true or false", "enabled")
    replaces = data.get("replaces", [])
    if not isinstance(replaces, list) or not all(isinstance(r, str) for r in replaces):
        raise _fail(str(path), lines, "'replaces' must be a list of rule ids", "replaces")
    summary = _text_field(data, "summary", str(path), lines) if "summary" in data else ""
    return Pack(folder.name, summary, enabled, tuple(replaces), str(path))


def _rule_files(folder: Path) -> list[Path]:
    result = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.name == PACK_FILE or entry.is_dir():
            continue
        if entry.suffix in RULE_SUFFIXES:
            result.append(entry)
        elif entry.suffix.lower() not in (".md", ".txt"):
            raise RuleError(str(entry), "is not a rule file (rule files end in .yml)")
    return result


def load_pack(folder: Path, parsed: ParsedFiles | None = None) -> tuple[Pack, list[Rule]]:
    """One pack folder: its rules, and those in its group folders one level down.

    ``<pack>/<rule>.yml`` has the id ``pack.rule``; ``<pack>/<group>/<rule>.yml``
    has the id ``group.rule``, so a pack can hold rules on several topics. ``parsed``:
    rule files parsed in earlier runs.
    """
    if not NAME_RE.match(folder.name):
        raise RuleError(str(folder), "pack folder names must be lower-case words joined by hyphens")
    pack = _load_pack_file(folder, parsed)
    rules = [load_rule_file(path, pack.name, pack.name, parsed) for path in _rule_files(folder)]
    for group in sorted(e for e in folder.iterdir() if e.is_dir() and not e.name.startswith(".")):
        if not NAME_RE.match(group.name):
            raise RuleError(str(group), "rule group folder names must be lower-case words joined by hyphens")
        nested = next((e for e in group.iterdir() if e.is_dir() and not e.name.startswith(".")), None)
        if nested is not None:
            raise RuleError(str(nested), "rule groups go only one folder deep inside a pack")
        rules.extend(load_rule_file(path, pack.name, group.name, parsed) for path in _rule_files(group))
    if not pack.enabled:
        rules = [replace(rule, enabled=False) for rule in rules]
    return pack, rules


@dataclass
class Catalogue:
    """Every rule loaded, and the packs they came from."""

    rules: list[Rule]
    packs: dict[str, Pack]


def is_pack_folder(folder: Path) -> bool:
    return (folder / PACK_FILE).exists() or bool(_rule_files(folder))


def load_catalogue(folders: list[Path], off_by_default: tuple[Path, ...] = ()) -> Catalogue:
    """Load each folder: a pack itself, or a folder of packs.

    Packs from ``off_by_default`` folders (installed packages) are loaded switched
    off: installing a pack lists its rules, and ``extends`` or ``--enable`` uses them.
    Rule files parsed in earlier runs come from the cache folder (rule_file_cache.py).
    """
    parsed = ParsedFiles()
    try:
        return _load_catalogue(folders, off_by_default, parsed)
    finally:
        parsed.save()  # what was parsed afresh, even when a later file is wrong
        regex_cache.save()  # and the rules' patterns, compiled afresh (see regex_cache.py)


def _load_catalogue(folders: list[Path], off_by_default: tuple[Path, ...], parsed: ParsedFiles) -> Catalogue:
    rules: dict[str, Rule] = {}
    packs: dict[str, Pack] = {}
    for folder in [*folders, *off_by_default]:
        if not folder.is_dir():
            raise RuleError(str(folder), "is not a folder of rules")
        pack_folders = [folder] if is_pack_folder(folder) else sorted(
            e for e in folder.iterdir() if e.is_dir() and not e.name.startswith("."))
        for pack_folder in pack_folders:
            pack, pack_rules = load_pack(pack_folder, parsed)
            if folder in off_by_default:
                pack = replace(pack, enabled=False)
                pack_rules = [replace(rule, enabled=False) for rule in pack_rules]
            if pack.name in packs:
                raise RuleError(str(pack_folder), f"a pack called {pack.name} is already loaded"
                                f" from {packs[pack.name].path}")
            packs[pack.name] = pack
            for rule in pack_rules:
                if rule.id in rules:
                    raise RuleError(rule.path, f"rule id {rule.id} is already defined in {rules[rule.id].path}")
                rules[rule.id] = rule
    for pack in packs.values():
        for rule_id in pack.replaces:
            if rule_id not in rules:
                raise RuleError(pack.path, f"'replaces' names {rule_id}, which is not a rule")
    return Catalogue([rules[k] for k in sorted(rules)], packs)


ENTRY_POINT_GROUP = "lgcontent.packs"


def installed_pack_dirs() -> list[Path]:
    """Pack folders published by installed Python packages (entry point group lgcontent.packs).

    An entry point names a folder path, or a function that returns one.
    """
    from importlib.metadata import entry_points

    folders = []
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        where = f"installed pack {entry.name} ({entry.value})"
        try:
            target = entry.load()
            folder = Path(str(target() if callable(target) else target))
        except Exception as exc:  # a broken package must not hide which one it is
            raise RuleError(where, f"cannot be loaded: {type(exc).__name__}: {exc}") from None
        if not folder.is_dir():
            raise RuleError(where, f"names {folder}, which is not a folder of rules")
        folders.append(folder)
    return folders


def load_packs(folders: list[Path]) -> list[Rule]:
    return load_catalogue(folders).rules


def load_builtin() -> list[Rule]:
    return load_packs([builtin_rules_dir()])


def find_rule(rules: list[Rule], rule_id: str) -> Rule | None:
    return next((r for r in rules if r.id == rule_id), None)


def names_rule(name: str, rule: Rule) -> bool:
    """Whether ``name`` (a rule id, a group such as ``links``, or a pack) covers ``rule``."""
    return name in (rule.id, rule.group, rule.pack)


def select_rules(catalogue: Catalogue, enable: tuple[str, ...] = (), disable: tuple[str, ...] = ()) -> list[Rule]:
    """The rules to run: defaults, then ``enable``, then ``disable``.

    A pack that is on turns off the rules it ``replaces`` (``govuk`` replaces the
    LocalGov rules it disagrees with), unless a rule is enabled by its own id.
    """
    known = {n for r in catalogue.rules for n in (r.id, r.group, r.pack)}
    for name in (*enable, *disable):
        if name not in known:
            raise LgcontentError(name, f"is not a rule, group or pack.{did_you_mean(name, sorted(known))}")
    on = {r.id for r in catalogue.rules if r.enabled}
    on |= {r.id for r in catalogue.rules if any(names_rule(n, r) for n in enable)}
    active_packs = {r.pack for r in catalogue.rules if r.id in on}
    for pack in active_packs:
        on -= {rule_id for rule_id in catalogue.packs[pack].replaces if rule_id not in enable}
    on -= {r.id for r in catalogue.rules if any(names_rule(n, r) for n in disable)}
    return [r for r in catalogue.rules if r.id in on]


def with_options(rule: Rule, overrides: dict[str, Any], where: str) -> Rule:
    """A copy of ``rule`` with some options changed, checked as strictly as a rule file.

    ``where`` names the source of the change (an option on the command line, a
    config file and line) for the error message.
    """
    merged = {**(rule.options or {}), **overrides}
    try:
        checker = KINDS[rule.kind].build(merged)
    except OptionError as exc:
        raise LgcontentError(where, f"{rule.id}: {exc.message}") from None
    return replace(rule, options=merged, checker=checker)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A hint naming up to three names close to a mistyped one (empty if none is)."""
    import difflib  # only for a hint: not loaded on every run

    close = difflib.get_close_matches(name, list(candidates), n=3)
    return f" Did you mean: {', '.join(close)}?" if close else ""


def parse_setting(text: str, rules: list[Rule]) -> tuple[str, str, Any]:
    """Read ``RULE.OPTION=VALUE`` (the value is YAML: a number, word, list...)."""
    name, equals, raw = text.partition("=")
    rule_id, dot, key = name.strip().rpartition(".")
    if not equals or not dot or not key:
        raise LgcontentError(text, f"{text}: should look like RULE.OPTION=VALUE, for example"
                             " readability.sentence-length.max_words=20")
    rule = find_rule(rules, rule_id)
    if rule is None:
        hint = did_you_mean(rule_id, (r.id for r in rules))
        raise LgcontentError(text, f"{text}: there is no rule called '{rule_id}'.{hint}")
    try:
        value, _ = load_yaml(raw, text)
    except LgcontentError:
        value = raw
    return rule_id, key, value
