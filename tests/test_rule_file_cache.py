"""Rule files parsed in earlier runs are read back from the cache folder (rule_file_cache.py):
the same data and lines as parsing them, an edited file parsed again, a damaged or
unwritable cache no loss."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from conftest import run_process
from lgcontent import rule_file_cache
from lgcontent.errors import RuleError
from lgcontent.packs import builtin_rules_dir, load_catalogue, load_packs
from lgcontent.rule_file_cache import ParsedFiles
from lgcontent.yamlfile import load_yaml
from test_packs import GOOD, write_pack

TEXT = "kind: word-list\noptions:\n  words: [a, b]\n  when: 2024-01-31\n"


def _refuse_parsing(monkeypatch) -> None:
    def refuse(text: str, file: str):
        raise AssertionError(f"{file} was parsed again, not read from the cache")
    monkeypatch.setattr(rule_file_cache, "load_yaml", refuse)


@pytest.fixture()
def cache_dir(tmp_path_factory, monkeypatch) -> Path:
    folder = tmp_path_factory.mktemp("lgcontent") / "cache"  # apart from the packs in tmp_path
    monkeypatch.setenv("LGCONTENT_CACHE_DIR", str(folder))
    return folder


def test_a_file_parsed_once_is_read_back_alike(cache_dir: Path, monkeypatch) -> None:
    text = "kind: word-list\noptions:\n  words: [a, b]\n  nested: {x: 1, y: [true, null, 2.5]}\n"
    first = ParsedFiles()
    data, lines = first.load(text, "rule.yml")
    first.save()
    assert list(cache_dir.glob("rule-files-*.marshal"))
    _refuse_parsing(monkeypatch)
    again, again_lines = ParsedFiles().load(text, "rule.yml")
    assert again == data == load_yaml(text, "rule.yml")[0]
    assert again_lines.recorded() == lines.recorded()
    assert again_lines.line("options", "nested", "y", 1) == 4


def test_an_edited_file_is_parsed_again(cache_dir: Path) -> None:
    first = ParsedFiles()
    first.load("words: [a]\n", "rule.yml")
    first.save()
    assert ParsedFiles().load("words: [a, b]\n", "rule.yml")[0] == {"words": ["a", "b"]}


def test_what_marshal_cannot_keep_is_parsed_every_time(cache_dir: Path) -> None:
    parsed = ParsedFiles()
    data, _ = parsed.load(TEXT, "rule.yml")
    parsed.save()
    assert str(data["options"]["when"]) == "2024-01-31"
    assert not list(cache_dir.glob("rule-files-*.marshal"))  # nothing to keep: not written
    assert ParsedFiles().load(TEXT, "rule.yml")[0] == data


def test_data_changed_by_its_reader_is_kept_as_parsed(cache_dir: Path, monkeypatch) -> None:
    first = ParsedFiles()
    data, _ = first.load("words: [a]\n", "rule.yml")
    data["words"].append("changed")
    first.save()
    _refuse_parsing(monkeypatch)
    assert ParsedFiles().load("words: [a]\n", "rule.yml")[0] == {"words": ["a"]}


@pytest.mark.parametrize("damage", [b"", b"not marshal at all", marshal.dumps([1, 2]),
                                    marshal.dumps({b"x": b"y"})[:-3]])
def test_a_damaged_cache_file_is_no_loss(cache_dir: Path, damage: bytes) -> None:
    parsed = ParsedFiles()
    parsed.path.parent.mkdir(parents=True)
    parsed.path.write_bytes(damage)
    assert parsed.load("words: [a]\n", "rule.yml")[0] == {"words": ["a"]}
    parsed.save()
    assert ParsedFiles().load("words: [a]\n", "rule.yml")[0] == {"words": ["a"]}


def test_a_damaged_entry_is_parsed_again(cache_dir: Path) -> None:
    first = ParsedFiles()
    first.load("words: [a]\n", "rule.yml")
    first.save()
    entries = marshal.loads(first.path.read_bytes())
    first.path.write_bytes(marshal.dumps({key: b"\x00broken" for key in entries}))
    assert ParsedFiles().load("words: [a]\n", "rule.yml")[0] == {"words": ["a"]}


def test_a_cache_that_cannot_be_written_is_no_loss(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("LGCONTENT_CACHE_DIR", str(blocker / "cache"))
    rules = load_packs([write_pack(tmp_path / "packs", GOOD, "council-words.yml")])
    assert [r.id for r in rules] == ["house.council-words"]


def test_errors_name_the_same_line_from_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    folder = write_pack(tmp_path, GOOD.replace("level: warning", "level: fatal"))
    found = []
    for _ in range(2):
        with pytest.raises(RuleError) as caught:
            load_packs([folder])
        found.append(str(caught.value))
    assert found[0] == found[1] and ":2: " in found[0]


def test_files_parsed_before_a_wrong_one_are_kept(cache_dir: Path, tmp_path: Path, monkeypatch) -> None:
    write_pack(tmp_path, GOOD, "a-good-one.yml")
    write_pack(tmp_path, "kind: [", "b-broken.yml")
    with pytest.raises(RuleError):
        load_packs([tmp_path])
    (tmp_path / "house" / "b-broken.yml").unlink()
    _refuse_parsing(monkeypatch)
    assert [r.id for r in load_packs([tmp_path])] == ["house.a-good-one"]


def test_the_newest_entries_are_kept(cache_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr(rule_file_cache, "MOST_ENTRIES", 3)
    parsed = ParsedFiles()
    for n in range(5):
        parsed.load(f"n: {n}\n", "rule.yml")
    parsed.save()
    _refuse_parsing(monkeypatch)
    assert [ParsedFiles().load(f"n: {n}\n", "rule.yml")[0] for n in (2, 3, 4)] == [{"n": 2}, {"n": 3}, {"n": 4}]
    with pytest.raises(AssertionError, match="parsed again"):
        ParsedFiles().load("n: 1\n", "rule.yml")


def test_cache_files_of_other_versions_are_pruned(cache_dir: Path) -> None:
    cache_dir.mkdir()
    for n in range(6):
        old = cache_dir / f"rule-files-old{n}.marshal"
        old.write_bytes(b"")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    parsed = ParsedFiles()
    parsed.load("words: [a]\n", "rule.yml")
    parsed.save()
    kept = sorted(p.name for p in cache_dir.glob("rule-files-*.marshal"))
    assert len(kept) == rule_file_cache.KEEP and parsed.path.name in kept


def test_the_builtin_packs_load_alike_from_the_cache(cache_dir: Path, monkeypatch) -> None:
    parsed_afresh = load_catalogue([builtin_rules_dir()])
    _refuse_parsing(monkeypatch)
    from_cache = load_catalogue([builtin_rules_dir()])
    assert len(from_cache.rules) > 90
    assert [(r.id, r.options, r.message, r.fail_examples) for r in from_cache.rules] == \
           [(r.id, r.options, r.message, r.fail_examples) for r in parsed_afresh.rules]


def test_a_run_keeps_the_parsed_rules_for_the_next(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<p>Please utilise the form.</p>", encoding="utf-8")
    env = {"LGCONTENT_CACHE_DIR": str(tmp_path / "cache")}
    first = run_process("check", str(page), "--format", "json", env=env)
    assert list((tmp_path / "cache").glob("rule-files-*.marshal"))
    second = run_process("check", str(page), "--format", "json", env=env)
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout and b"utilise" in first.stdout
