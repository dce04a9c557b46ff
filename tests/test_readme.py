"""The README's example commands work as written (a test keeps the README true).

Every `lgcontent ...` line in a ```sh block is run in a folder holding the files
the examples name. Commands that need the network or an installed example pack
are left out, and say so below.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES, FIXTURES, ROOT

NEEDS_MORE = ("http://", "https://", "barset-style")  # network, or the example pack installed


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if "lgcontent " in line and not line.startswith(("python3", "pip", "eval", "_LGCONTENT")):
                commands.append(line)
    return commands


def sandbox(root: Path) -> Path:
    shutil.copytree(EXAMPLES, root / "examples")
    for folder in ("docs", "export", "content", "pages"):
        shutil.copytree(EXAMPLES, root / folder, ignore=shutil.ignore_patterns("barset-style-pack"))
    shutil.copy(FIXTURES / "council-bad.html", root / "page.html")
    shutil.copy(EXAMPLES / "parking-bad.md", root / "page.md")
    shutil.copy(EXAMPLES / "parking-good.md", root / "guide.md")
    # an earlier run's JSON report, for the --compare example
    subprocess.run([sys.executable, "-m", "lgcontent", "check", "examples", "--format", "json", "--output",
                    "last-month.json"], cwd=root, capture_output=True, timeout=300)
    assert (root / "last-month.json").is_file()
    return root


def test_readme_has_commands() -> None:
    assert len(readme_commands()) >= 15


def test_readme_commands_run(tmp_path: Path) -> None:
    root = sandbox(tmp_path)
    lgcontent = [sys.executable, "-m", "lgcontent"]
    ran = 0
    for line in readme_commands():
        if any(marker in line for marker in NEEDS_MORE):
            continue
        stdin = None
        if "|" in line:
            source, line = (part.strip() for part in line.split("|", 1))
            stdin = (root / shlex.split(source)[1]).read_bytes()
        if ">" in line:
            line, target = (part.strip() for part in line.split(">", 1))
        args = shlex.split(line)
        assert args[0] == "lgcontent", line
        result = subprocess.run([*lgcontent, *args[1:]], cwd=root, input=stdin, capture_output=True,
                                timeout=300, env={**os.environ, "NO_COLOR": "1"})
        assert result.returncode in (0, 1), (line, result.stderr.decode())
        assert b"Traceback" not in result.stderr, line
        ran += 1
    assert ran >= 15
