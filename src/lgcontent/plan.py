"""Turn configuration and command-line choices into the rules each page is checked with.

Order, later winning: pack defaults, ``extends``, the config's ``enable``/``disable``,
then the command line's; severities (pack, then group, then rule); options from the
config, then ``--set``. Per-path ``overrides`` apply on top, for the pages they match.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from .config import Config, ConfigError, Override, Value
from .errors import LgcontentError
from .findings import Severity
from .packs import Catalogue, Pack, Rule, did_you_mean, load_catalogue, parse_rule, select_rules, with_options
from .yamlfile import LineMap


@dataclass
class CommandLine:
    """What the user chose on the command line for this run."""

    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule id -> options


def _error_at(origin: str, message: str) -> ConfigError:
    path, _, line = origin.rpartition(":")
    if path and line.isdigit():
        return ConfigError(path, message, int(line))
    return ConfigError(origin, message)


def _is_folder_reference(name: str, root: Path) -> bool:
    return name.startswith((".", "/", "~")) or os.sep in name or "/" in name or (root / name).is_dir()


def resolve_extends(config: Config) -> tuple[list[Path], list[Value]]:
    """``extends`` entries: local folders to load, and pack names to switch on."""
    folders, names = [], []
    for entry in config.extends:
        if _is_folder_reference(entry.value, config.root):
            folder = (config.root / os.path.expanduser(entry.value)).resolve()
            if not folder.is_dir():
                raise _error_at(entry.origin, f"extends {entry.value}, which is not a folder")
            folders.append(folder)
        else:
            names.append(entry)
    return folders, names


def vocabulary_rules(config: Config) -> list[Rule]:
    """A council's rejected terms, as rules of the ``vocabulary`` pack."""
    rules = []
    source = f"vocabulary in {config.path}" if config.path else "vocabulary"
    swaps = {term: v.value for term, v in config.reject.items() if v.value}
    avoid = [term for term, v in config.reject.items() if not v.value]
    base = {"level": "warning", "why": "Your organisation's style guide lists this term.", "source": source}
    if swaps:
        first = next(iter(swaps))
        rules.append(parse_rule({
            **base, "kind": "substitution", "summary": "Terms your house style replaces",
            "message": "Your house style uses '{suggestion}' instead of '{match}'.",
            "options": {"swap": swaps},
            "examples": {"fail": [f"About {first}."], "pass": ["Plain words."]},
        }, LineMap(), str(config.path or "vocabulary"), "vocabulary", "vocabulary", "use-instead"))
    if avoid:
        rules.append(parse_rule({
            **base, "kind": "word-list", "summary": "Terms your house style avoids",
            "message": "Your house style avoids '{match}'. Say it another way.",
            "options": {"words": avoid},
            "examples": {"fail": [f"About {avoid[0]}."], "pass": ["Plain words."]},
        }, LineMap(), str(config.path or "vocabulary"), "vocabulary", "vocabulary", "avoid"))
    return rules


def accept_pattern(config: Config) -> re.Pattern[str] | None:
    """One matcher for the accepted terms: literal words, or regular expressions (Vale style)."""
    if not config.accept:
        return None
    parts = []
    for term in config.accept:
        if re.search(r"[\[\]()|*+?{}\\^$]", term.value):
            try:
                re.compile(term.value)
            except re.error as exc:
                raise _error_at(term.origin, f"'{term.value}' is not a valid regular expression: {exc}") from None
            parts.append(f"(?:{term.value})")
        else:
            parts.append(r"\s+".join(re.escape(w) for w in term.value.split()))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def _pack_names(folders: list[Path], config: Config) -> list[Value]:
    """The packs inside extended folders: ``extends`` switches them on."""
    from .packs import is_pack_folder

    origins = {(config.root / os.path.expanduser(v.value)).resolve(): v.origin for v in config.extends}
    names = []
    for folder in folders:
        packs = [folder] if is_pack_folder(folder) else sorted(
            e for e in folder.iterdir() if e.is_dir() and not e.name.startswith("."))
        names += [Value(pack.name, origins.get(folder, str(folder))) for pack in packs]
    return names


class RulePlan:
    """The rules for each page of a run."""

    def __init__(self, catalogue: Catalogue, config: Config, command_line: CommandLine) -> None:
        self.catalogue = catalogue
        self.config = config
        self.command_line = command_line
        self.extra_rules = vocabulary_rules(config)
        self.all_rules = [*catalogue.rules, *self.extra_rules]
        self.known = {n for r in self.all_rules for n in (r.id, r.group, r.pack)}
        folders, self.extended = resolve_extends(config)
        self.extended += _pack_names(folders, config)
        self.accept = accept_pattern(config)
        self._check_names()
        self._cache: dict[tuple[int, ...], list[Rule]] = {}
        self.base = self._build(())

    def _check_names(self) -> None:
        ids = {r.id for r in self.all_rules}
        named: list[tuple[Value, set[str], str]] = []
        for value in (*self.extended, *self.config.enable, *self.config.disable):
            named.append((value, self.known, "rule, group or pack"))
        named += [(Value(name, v.origin), self.known, "rule, group or pack")
                  for name, v in self.config.severity.items()]
        named += [(Value(name, v.origin), ids, "rule") for name, v in self.config.options.items()]
        for override in self.config.overrides:
            named += [(v, self.known, "rule, group or pack") for v in (*override.enable, *override.disable)]
            named += [(Value(n, v.origin), self.known, "rule, group or pack") for n, v in override.severity.items()]
            named += [(Value(n, v.origin), ids, "rule") for n, v in override.options.items()]
        for value, allowed, what in named:
            if value.value not in allowed:
                hint = did_you_mean(value.value, sorted(allowed))
                raise _error_at(value.origin, f"'{value.value}' is not a {what}.{hint}")

    def _build(self, overrides: tuple[int, ...]) -> list[Rule]:
        chosen = [self.config.overrides[i] for i in overrides]
        enable = [v.value for v in (*self.extended, *self.config.enable)]
        disable = [v.value for v in self.config.disable]
        severity = {k: v for k, v in self.config.severity.items()}
        options: dict[str, tuple[dict[str, Any], str]] = {
            k: (dict(v.value), v.origin) for k, v in self.config.options.items()}
        for override in chosen:
            enable += [v.value for v in override.enable]
            disable = [d for d in disable if d not in {v.value for v in override.enable}]
            disable += [v.value for v in override.disable]
            severity.update(override.severity)
            for rule_id, value in override.options.items():
                merged = {**options.get(rule_id, ({}, ""))[0], **value.value}
                options[rule_id] = (merged, value.origin)
        enable += self.command_line.enable
        disable += self.command_line.disable
        for rule_id, values in self.command_line.settings.items():
            options[rule_id] = ({**options.get(rule_id, ({}, ""))[0], **values}, "--set")
        vocabulary = Pack("vocabulary", "Your house style's vocabulary", True, (), str(self.config.path))
        catalogue = Catalogue([*self.catalogue.rules, *self.extra_rules],
                              {**self.catalogue.packs, "vocabulary": vocabulary})
        try:
            rules = select_rules(catalogue, tuple(enable), tuple(disable))
        except LgcontentError as exc:
            raise LgcontentError(exc.path, exc.message) from None
        return [self._adjust(rule, severity, options) for rule in rules]

    @staticmethod
    def _adjust(rule: Rule, severity: dict[str, Value], options: dict[str, tuple[dict, str]]) -> Rule:
        for name in (rule.pack, rule.group, rule.id):  # the most specific name wins
            if name in severity:
                rule = replace(rule, level=Severity.parse(severity[name].value))
        if rule.id in options:
            values, origin = options[rule.id]
            try:
                rule = with_options(rule, values, origin)
            except LgcontentError as exc:
                raise _error_at(origin, exc.message) from None
        return rule

    def rules_for(self, page_path: str) -> list[Rule]:
        if not self.config.overrides or page_path == "-":
            return self.base
        relative = os.path.relpath(os.path.abspath(page_path), self.config.root).replace(os.sep, "/")
        matched = tuple(i for i, o in enumerate(self.config.overrides) if o.matches(relative))
        if matched not in self._cache:
            self._cache[matched] = self.base if not matched else self._build(matched)
        return self._cache[matched]


def build_plan(catalogue_folders: list[Path], installed: Callable[[], list[Path]], config: Config,
               command_line: CommandLine, with_installed: bool = False) -> RulePlan:
    """Load every pack (built-in, extended, --pack, and installed ones) and make the plan.

    Finding installed packs means reading every installed package's metadata, which
    costs a noticeable part of a one-page run, so it is done only when asked for or
    when a name to switch on is not among the other packs.
    """
    extended_folders, _ = resolve_extends(config)
    folders = [*catalogue_folders, *extended_folders]
    catalogue = load_catalogue(folders)
    known = {n for r in catalogue.rules for n in (r.id, r.group, r.pack)}
    wanted = {v.value for v in (*config.extends, *config.enable)} | set(command_line.enable)
    wanted |= {v.value for o in config.overrides for v in o.enable}
    wanted = {name for name in wanted if not _is_folder_reference(name, config.root)}
    if with_installed or not wanted <= known:
        extra = tuple(installed())
        if extra:
            catalogue = load_catalogue(folders, off_by_default=extra)
    return RulePlan(catalogue, config, command_line)


__all__ = ["CommandLine", "Override", "RulePlan", "build_plan"]
