"""Shared test helpers: running the CLI, finding the corpus, loading snippets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lgcontent.cli import cli
from lgcontent.document import Document
from lgcontent.loaders import load_bytes

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"


def needs_corpus() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not CORPUS.is_dir(),
        reason=f"the shared corpus is not here ({CORPUS}); it sits beside the project in the"
        " team's workspace and is not part of a clone",
    )


def load(text: str, fmt: str = "markdown", path: str = "page") -> Document:
    return load_bytes(text.encode("utf-8"), path, fmt)


def run(*args: str, input: bytes | None = None, env: dict[str, str] | None = None):
    """Run the CLI in-process (fast); returns click's Result."""
    runner = CliRunner()
    return runner.invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


def run_process(*args: str, input: bytes | None = None, env: dict[str, str] | None = None,
                cwd: str | Path | None = None, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m lgcontent`` as a real process, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "lgcontent", *args], input=input,
                          capture_output=True, env=full_env, cwd=cwd, timeout=timeout)


def json_report(result) -> dict:
    return json.loads(result.stdout if isinstance(result.stdout, str) else result.stdout.decode())


def source_at(source: str, line: int, column: int) -> str:
    """The source text from 1-based ``line`` and ``column`` to the end.

    Lines end at CRLF, CR or LF, as lgcontent counts them.
    """
    import re

    lines = re.split(r"\r\n|\r|\n", source)
    rest = "\n".join(lines[line - 1:])
    return rest[column - 1:]


def assert_matches_at_positions(findings: list[dict], sources: dict[str, str]) -> None:
    """Every finding with a ``match`` must point at exactly that text in its file."""
    for f in findings:
        if f["match"] is None:
            continue
        source = sources[f["path"]]
        at = source_at(source, f["line"], f["column"])
        expected = f["match"].replace("\r\n", "\n").replace("\r", "\n")
        assert at.startswith(expected), (f, at[:60])


def run_in_terminal(*args: str, env: dict[str, str] | None = None, timeout: int = 120) -> str:
    """Run ``python -m lgcontent`` with a pseudo-terminal as its stdout and stderr; return what it showed."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "lgcontent", *args], stdout=slave, stderr=slave,
                            env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", **(env or {})})
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closed: the program has ended
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=timeout)
    os.close(master)
    return b"".join(chunks).decode(errors="replace")



def example_pages() -> list[Path]:
    """The bundled example pages."""
    return sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".html", ".md"))


def corpus_pages() -> list[Path]:
    """Every page of the shared corpus (tests that use it skip when it is absent)."""
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".html", ".htm", ".md"))


def engine_findings(paths: list[Path], rules) -> list[tuple]:
    """Each page's findings from the engine, as (path, line, column, rule, message)."""
    from lgcontent.engine import check_document
    from lgcontent.loaders import load_file

    return [(f.path, f.line, f.column, f.rule, f.message) for p in paths
            for f in check_document(load_file(str(p)), rules)]

@pytest.fixture(autouse=True, scope="session")
def _cache_folder_of_our_own(tmp_path_factory):
    """Compiled pattern databases (kinds/multiscan.py) go to a folder of the test run's,
    not the user's cache."""
    os.environ["LGCONTENT_CACHE_DIR"] = str(tmp_path_factory.mktemp("lgcontent-cache"))
    yield
    os.environ.pop("LGCONTENT_CACHE_DIR", None)

