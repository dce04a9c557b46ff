"""Patterns compiled in earlier runs are made again from their kept code (regex_cache.py):
the same patterns as re.compile makes, a pattern tried for endless backtracking not tried
again, a damaged cache no loss, and --jobs workers' patterns kept too."""

from __future__ import annotations

import marshal
import re
from pathlib import Path

import pytest

from conftest import corpus_pages, needs_corpus, run_process
from lgcontent import regex_cache
from lgcontent.kinds import base
from lgcontent.packs import builtin_rules_dir, find_rule, load_builtin, load_catalogue

TEXTS = [
    "Please utilise the online form to apply for a blue badge by 1/2/2024.",
    "We will deliver the key services in 2024/25; call Tel: 01234 567890, 9am to 5pm.",
    "“Quoted words” and 'others' – 25% per cent – £1,000-£2,000 – 10 to 20 March.",
    "İstanbul ſtraße ﬁne Ünïcode façade naïve COUNCIL TAX",
]


@pytest.fixture()
def fresh_cache(tmp_path_factory, monkeypatch) -> Path:
    """An empty cache folder, and a regex cache that has read nothing yet."""
    folder = tmp_path_factory.mktemp("lgcontent") / "cache"
    monkeypatch.setenv("LGCONTENT_CACHE_DIR", str(folder))
    monkeypatch.setattr(regex_cache, "_CACHE", regex_cache._Cache())
    return folder


def _forget(monkeypatch) -> None:
    """As a new run: the cache file is read again, nothing compiled in this one."""
    monkeypatch.setattr(regex_cache, "_CACHE", regex_cache._Cache())


def _refuse_compiling(monkeypatch) -> None:
    def refuse(source: str, flags: int):
        raise AssertionError(f"{source!r} was compiled again, not made from the kept code")
    monkeypatch.setattr(regex_cache, "_code_of", refuse)


def _cache_file(folder: Path) -> dict:
    (path,) = folder.glob("regex-*.marshal")
    return marshal.loads(path.read_bytes())


def test_the_packs_patterns_made_from_kept_code_are_the_patterns_re_makes(fresh_cache, monkeypatch) -> None:
    load_catalogue([builtin_rules_dir()])
    kept = _cache_file(fresh_cache)
    assert len(kept) > 40  # every pattern option of the packs, compiled as each kind does
    _forget(monkeypatch)
    _refuse_compiling(monkeypatch)
    for source, flags in kept:
        made, expected = regex_cache.compile(source, flags), re.compile(source, flags)
        assert (made.pattern, made.flags, made.groups, made.groupindex) == (
            expected.pattern, expected.flags, expected.groups, expected.groupindex)
        for text in TEXTS:
            assert [m.span() for m in made.finditer(text)] == [m.span() for m in expected.finditer(text)]
            assert [m.groups() for m in made.finditer(text)] == [m.groups() for m in expected.finditer(text)]


def test_named_groups_flags_and_errors_are_as_re_gives_them(fresh_cache, monkeypatch) -> None:
    with pytest.raises(re.error, match="missing \\)"):
        regex_cache.compile("waste (management")
    cases = [(r"(?P<day>\d+)/(?P<month>\d+)", 0), (r"(?i)council tax", 0), ("bin day", re.IGNORECASE),
             (r"(a)(b)?(?:c)", re.MULTILINE | re.VERBOSE)]
    for source, flags in cases:
        regex_cache.compile(source, flags)
    regex_cache.save()
    _forget(monkeypatch)
    _refuse_compiling(monkeypatch)
    for source, flags in cases:
        made, expected = regex_cache.compile(source, flags), re.compile(source, flags)
        assert (made.flags, made.groups, made.groupindex) == (expected.flags, expected.groups, expected.groupindex)
    assert regex_cache.compile(cases[0][0]).fullmatch("12/3").groupdict() == {"day": "12", "month": "3"}
    assert regex_cache.compile(cases[1][0]).search("COUNCIL TAX")
    assert regex_cache.compile(*cases[2]).search("Bin Day")


def test_a_pattern_tried_for_backtracking_is_not_tried_again(fresh_cache, monkeypatch) -> None:
    base.compile_checked("pattern", r"\bbins?\b")
    regex_cache.save()
    assert regex_cache.was_tried(r"\bbins?\b", 0)
    _forget(monkeypatch)
    monkeypatch.setattr(base, "_PROBES", None)  # trying it now would fail: iterating None
    assert base.compile_checked("pattern", r"\bbins?\b").search("put the bin out")
    with pytest.raises(TypeError):
        base.compile_checked("pattern", r"\bboxes\b")  # a new pattern is tried


def test_a_damaged_cache_file_is_no_loss(fresh_cache, monkeypatch) -> None:
    regex_cache.compile(r"\bbin\b")
    regex_cache.save()
    (path,) = fresh_cache.glob("regex-*.marshal")
    entry = marshal.loads(path.read_bytes())[(r"\bbin\b", 0)]
    for damaged in [b"not marshal at all", marshal.dumps([1, 2]), marshal.dumps({(r"\bbin\b", 0): 7, "x": (1,)}),
                    marshal.dumps({(r"\bbin\b", 0): (entry[0], [99999, 1, 2], *entry[2:])}),
                    marshal.dumps({(r"\bbin\b", 0): entry[:3]})]:
        path.write_bytes(damaged)
        _forget(monkeypatch)
        assert not regex_cache.was_tried(r"\bbin\b", 0)
        assert regex_cache.compile(r"\bbin\b").findall("a bin, bins, bin.") == ["bin", "bin"]
        regex_cache.compile(r"\bbins\b")
        regex_cache.save()  # (over what is left of the damaged file)
        assert {(r"\bbin\b", 0), (r"\bbins\b", 0)} <= set(_cache_file(fresh_cache))


def test_saving_adds_to_what_another_process_kept(fresh_cache, monkeypatch) -> None:
    regex_cache.compile("first")
    other = regex_cache._CACHE
    _forget(monkeypatch)
    regex_cache.compile("second")
    regex_cache.save()
    monkeypatch.setattr(regex_cache, "_CACHE", other)
    regex_cache.save()
    assert {("first", 0), ("second", 0)} <= set(_cache_file(fresh_cache))


def test_a_run_keeps_the_patterns_its_pages_needed_with_jobs_too(tmp_path: Path) -> None:
    """Word lists' long patterns are compiled on a page's first need: with --jobs, in the
    workers, which keep them when their work is done."""
    pages = tmp_path / "site"
    pages.mkdir()
    for n in range(20):  # (enough for workers: see runner.MIN_FOR_POOL)
        (pages / f"page{n}.md").write_text(f"# Page {n}\n\nPlease utilise the form to deliver a key plan.\n")
    words_to_avoid = (find_rule(load_builtin(), "plain-english.words-to-avoid").checker.pattern.source, 0)
    reports = []
    for jobs in ("1", "2"):
        cache = tmp_path / f"cache-{jobs}"
        done = run_process("check", str(pages), "--jobs", jobs, "--format", "json",
                           env={"LGCONTENT_CACHE_DIR": str(cache)})
        assert done.returncode == 0, done.stderr  # (warnings and suggestions only)
        reports.append(done.stdout)
        assert words_to_avoid in _cache_file(cache), f"--jobs {jobs}: the word list's pattern was not kept"
    assert reports[0] == reports[1]


@needs_corpus()
def test_the_corpus_report_is_the_same_from_kept_code(tmp_path: Path) -> None:
    env = {"LGCONTENT_CACHE_DIR": str(tmp_path / "cache")}
    pages = [str(p) for p in corpus_pages()[:60]]
    first = run_process("check", *pages, "--jobs", "1", "--format", "json", env=env)
    assert list((tmp_path / "cache").glob("regex-*.marshal"))
    again = run_process("check", *pages, "--jobs", "1", "--format", "json", env=env)
    assert again.stdout == first.stdout and b'"findings": [' in first.stdout
