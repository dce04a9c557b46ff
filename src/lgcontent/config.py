"""Find, read and check configuration: lgcontent.yml, .lgcontent.yml or pyproject.toml.

Every value remembers where it came from (file and line), so ``lgcontent config``
can show it and every mistake can be reported at its line. YAML is read with
the safe, alias-limited loader in :mod:`lgcontent.yamlfile`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import LgcontentError
from .findings import SEVERITY_NAMES
from .rule_file_cache import ParsedFiles
from .yamlfile import LineMap

CONFIG_NAMES = ("lgcontent.yml", ".lgcontent.yml")
PYPROJECT = "pyproject.toml"
TOP_KEYS = ("extends", "enable", "disable", "severity", "options", "vocabulary", "overrides",
            "fail_on", "max_warnings", "content_selector", "cache")
OVERRIDE_KEYS = ("files", "enable", "disable", "severity", "options")
VOCABULARY_KEYS = ("accept", "reject")
FAIL_ON = (*SEVERITY_NAMES, "never")


class ConfigError(LgcontentError):
    """A mistake in a configuration file."""


@dataclass(frozen=True, slots=True)
class Value:
    """A configured value and where it was set (``file:line``, or ``default``)."""

    value: Any
    origin: str


@dataclass
class Override:
    """Settings for the pages that match some glob patterns, such as ``legal/**``."""

    files: list[Value]
    patterns: list[re.Pattern[str]]
    enable: list[Value] = field(default_factory=list)
    disable: list[Value] = field(default_factory=list)
    severity: dict[str, Value] = field(default_factory=dict)
    options: dict[str, Value] = field(default_factory=dict)
    origin: str = ""

    def matches(self, relative_path: str) -> bool:
        return any(p.fullmatch(relative_path) for p in self.patterns)


@dataclass
class Config:
    path: Path | None = None  # the file read, if any
    root: Path = field(default_factory=Path.cwd)  # globs and relative paths start here
    extends: list[Value] = field(default_factory=list)
    enable: list[Value] = field(default_factory=list)
    disable: list[Value] = field(default_factory=list)
    severity: dict[str, Value] = field(default_factory=dict)
    options: dict[str, Value] = field(default_factory=dict)
    accept: list[Value] = field(default_factory=list)
    reject: dict[str, Value] = field(default_factory=dict)  # term -> suggestion ('' for none)
    overrides: list[Override] = field(default_factory=list)
    fail_on: Value | None = None
    max_warnings: Value | None = None
    content_selector: Value | None = None
    cache: Value | None = None  # keep results for later runs, as --cache does


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """A glob with ``**`` (any folders), ``*`` and ``?`` (within a folder name), as a regex."""
    if not pattern or "\\" in pattern or pattern.count("[") != pattern.count("]"):
        raise ValueError("use / between folders, and * ** ? as wildcards")
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            close = pattern.index("]", i)
            out.append("[" + re.escape(pattern[i + 1:close]).replace("\\-", "-") + "]")
            i = close + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    if pattern.endswith("/"):
        out.append(".*")
    return re.compile("".join(out))


class _Reader:
    """Checks one configuration mapping, naming the file and line of each mistake."""

    def __init__(self, path: Path, lines: LineMap) -> None:
        self.path = path
        self.lines = lines

    def where(self, *key: Any) -> str:
        return f"{self.path}:{self.lines.line(*key)}"

    def fail(self, message: str, *key: Any) -> ConfigError:
        return ConfigError(str(self.path), message, self.lines.line(*key))

    def names(self, data: Any, *key: Any) -> list[Value]:
        """A list of rule, group or pack names (a single name is allowed too)."""
        items = [data] if isinstance(data, str) else data
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            raise self.fail(f"'{key[-1]}' must be a list of names of rules, groups or packs", *key)
        return [Value(item.strip(), self.where(*key, n)) for n, item in enumerate(items)]

    def severity(self, data: Any, *key: Any) -> dict[str, Value]:
        if not isinstance(data, dict):
            raise self.fail("'severity' maps rule, group or pack names to error, warning or suggestion", *key)
        result = {}
        for name, level in data.items():
            if level not in SEVERITY_NAMES:
                raise self.fail(f"the severity of {name} must be one of {', '.join(SEVERITY_NAMES)},"
                                f" not {level!r}", *key, name)
            result[str(name)] = Value(level, self.where(*key, name))
        return result

    def options(self, data: Any, *key: Any) -> dict[str, Value]:
        if not isinstance(data, dict):
            raise self.fail("'options' maps rule ids to their options, for example"
                            " readability.sentence-length: {max_words: 20}", *key)
        result = {}
        for rule_id, values in data.items():
            if not isinstance(values, dict):
                raise self.fail(f"the options of {rule_id} must be a mapping, such as {{max_words: 20}}",
                                *key, rule_id)
            result[str(rule_id)] = Value(values, self.where(*key, rule_id))
        return result

    def terms(self, data: Any, *key: Any) -> list[Value]:
        """Accepted terms: a list, or the path of a Vale-style accept.txt file."""
        if isinstance(data, str):
            return [Value(t, f"{self._relative(data)}:{n}") for n, t in self._text_file(data, *key)]
        if not isinstance(data, list) or not all(isinstance(t, str) and t.strip() for t in data):
            raise self.fail("'accept' must be a list of terms or the name of a text file", *key)
        return [Value(t.strip(), self.where(*key, n)) for n, t in enumerate(data)]

    def rejections(self, data: Any, *key: Any) -> dict[str, Value]:
        """Rejected terms: term -> suggestion, a list of terms, or a reject.txt file."""
        if isinstance(data, str):
            return {t: Value("", f"{self._relative(data)}:{n}") for n, t in self._text_file(data, *key)}
        if isinstance(data, list) and all(isinstance(t, str) and t.strip() for t in data):
            return {t.strip(): Value("", self.where(*key, n)) for n, t in enumerate(data)}
        if isinstance(data, dict) and all(isinstance(k, str) and (v is None or isinstance(v, str))
                                          for k, v in data.items()):
            return {k.strip(): Value((v or "").strip(), self.where(*key, k)) for k, v in data.items()}
        raise self.fail("'reject' must map each term to what to write instead, list terms,"
                        " or name a text file", *key)

    def _relative(self, name: str) -> Path:
        return (self.path.parent / name) if not os.path.isabs(name) else Path(name)

    def _text_file(self, name: str, *key: Any) -> list[tuple[int, str]]:
        """Lines of a Vale-style vocabulary file: one term a line, '#' starts a comment."""
        path = self._relative(name)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise self.fail(f"cannot read the vocabulary file {path}: {getattr(exc, 'strerror', None) or exc}",
                            *key) from None
        return [(n, line.strip()) for n, line in enumerate(lines, 1)
                if line.strip() and not line.strip().startswith("#")]

    def setting(self, data: dict, key: str, check, message: str) -> Value | None:
        if key not in data:
            return None
        if not check(data[key]):
            raise self.fail(message, key)
        return Value(data[key], self.where(key))

    def read(self, data: Any) -> Config:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise ConfigError(str(self.path), "must be a mapping of settings (extends, enable, disable...)", 1)
        for key in data:
            if key not in TOP_KEYS:
                raise self.fail(f"unknown setting '{key}' (settings: {', '.join(TOP_KEYS)})", key)
        config = Config(path=self.path, root=self.path.parent)
        for key in ("extends", "enable", "disable"):
            if key in data:
                setattr(config, key, self.names(data[key], key))
        if "severity" in data:
            config.severity = self.severity(data["severity"], "severity")
        if "options" in data:
            config.options = self.options(data["options"], "options")
        if "vocabulary" in data:
            vocab = data["vocabulary"]
            if not isinstance(vocab, dict):
                raise self.fail("'vocabulary' needs 'accept' and/or 'reject'", "vocabulary")
            for key in vocab:
                if key not in VOCABULARY_KEYS:
                    raise self.fail(f"unknown vocabulary setting '{key}' (use accept and reject)", "vocabulary", key)
            if "accept" in vocab:
                config.accept = self.terms(vocab["accept"], "vocabulary", "accept")
            if "reject" in vocab:
                config.reject = self.rejections(vocab["reject"], "vocabulary", "reject")
        if "overrides" in data:
            config.overrides = self.overrides(data["overrides"])
        config.fail_on = self.setting(data, "fail_on", lambda v: v in FAIL_ON,
                                      f"'fail_on' must be one of {', '.join(FAIL_ON)}")
        config.max_warnings = self.setting(data, "max_warnings",
                                           lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
                                           "'max_warnings' must be a whole number, 0 or more")
        config.content_selector = self.setting(data, "content_selector", lambda v: isinstance(v, str) and v.strip(),
                                               "'content_selector' must be a CSS selector")
        config.cache = self.setting(data, "cache", lambda v: isinstance(v, bool), "'cache' must be true or false")
        return config

    def overrides(self, data: Any) -> list[Override]:
        if not isinstance(data, list):
            raise self.fail("'overrides' must be a list, each with 'files' and the settings for them", "overrides")
        result = []
        for n, item in enumerate(data):
            key = ("overrides", n)
            if not isinstance(item, dict) or "files" not in item:
                raise self.fail("each override needs 'files': the glob patterns of the pages it is for", *key)
            for name in item:
                if name not in OVERRIDE_KEYS:
                    raise self.fail(f"unknown override setting '{name}' (use: {', '.join(OVERRIDE_KEYS)})",
                                    *key, name)
            files = self.names(item["files"], *key, "files")
            patterns = []
            for value in files:
                try:
                    patterns.append(glob_to_regex(value.value))
                except (ValueError, re.error) as exc:
                    raise ConfigError(str(self.path), f"'{value.value}' is not a usable glob pattern: {exc}",
                                      int(value.origin.rsplit(":", 1)[1])) from None
            override = Override(files=files, patterns=patterns, origin=self.where(*key))
            if "enable" in item:
                override.enable = self.names(item["enable"], *key, "enable")
            if "disable" in item:
                override.disable = self.names(item["disable"], *key, "disable")
            if "severity" in item:
                override.severity = self.severity(item["severity"], *key, "severity")
            if "options" in item:
                override.options = self.options(item["options"], *key, "options")
            result.append(override)
        return result


def _pyproject_section(path: Path) -> tuple[Any, LineMap] | None:
    """``[tool.lgcontent]`` from pyproject.toml, with approximate lines for its keys."""
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"is not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot be read: {exc}") from None
    section = data.get("tool", {}).get("lgcontent")
    if section is None:
        return None
    lines = LineMap()
    header = re.search(r"^\[tool\.lgcontent[\].]", text, re.MULTILINE)
    first = text.count("\n", 0, header.start()) + 1 if header else 1
    lines.record((), first)
    for number, line in enumerate(text.splitlines()[first - 1:], first):
        found = re.match(r"\s*([A-Za-z_][\w.-]*|\"[^\"]+\")\s*=", line)
        if found:
            lines.record((found.group(1).strip('"'),), number)
    return section, lines


def read_config(path: Path) -> Config:
    """Read one configuration file (YAML, or pyproject.toml's [tool.lgcontent])."""
    if path.name == PYPROJECT:
        found = _pyproject_section(path)
        if found is None:
            raise ConfigError(str(path), "has no [tool.lgcontent] section")
        data, lines = found
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(str(path), "no such configuration file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(str(path), f"cannot be read: {exc}") from None
        parsed = ParsedFiles()  # (kept as parsed, like the rule files: see rule_file_cache.py)
        try:
            data, lines = parsed.load(text, str(path))
        except LgcontentError as exc:
            raise ConfigError(exc.path, exc.message, exc.line) from None
        finally:
            parsed.save()
    return _Reader(path, lines).read(data)


def find_config(start: Path) -> Path | None:
    """The nearest lgcontent.yml, .lgcontent.yml or pyproject.toml with [tool.lgcontent]."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if (candidate / name).is_file():
                return candidate / name
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and "[tool.lgcontent" in pyproject.read_text(encoding="utf-8", errors="replace"):
            return pyproject
    return None


def start_folder(paths: list[str]) -> Path:
    """Where to look for configuration: the folder holding all the checked paths, or here."""
    real = [os.path.abspath(p) for p in paths if p != "-" and not p.startswith(("http://", "https://"))]
    if not real:
        return Path.cwd()
    common = os.path.commonpath(real)
    return Path(common if os.path.isdir(common) else os.path.dirname(common))


def load_config(explicit: str | None, paths: list[str]) -> Config:
    """The configuration for a run: --config FILE, else the nearest file found, else defaults."""
    if explicit:
        return read_config(Path(explicit))
    found = find_config(start_folder(paths))
    return read_config(found) if found else Config()
