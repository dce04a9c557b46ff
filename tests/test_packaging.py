"""The wheel carries the rule packs, and the installed command finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling", reason="building the wheel offline needs hatchling (in the test extras)")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True, timeout=300)
    return next(out.glob("lgcontent-*.whl"))


def test_wheel_contains_every_rule_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    rule_files = {f"lgcontent/rules/{p.relative_to(ROOT / 'rules').as_posix()}"
                  for p in (ROOT / "rules").rglob("*.yml")}
    assert rule_files and rule_files <= names
    assert "lgcontent/cli.py" in names and "lgcontent/docs/rules.md" in names


def test_installed_wheel_lists_its_rules_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = ("import lgcontent, sys; print(lgcontent.__file__);"
            " from lgcontent.cli import main; sys.argv=['lgcontent','rules']; main()")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, cwd=tmp_path,
                            timeout=120)
    out = result.stdout.decode()
    assert out.splitlines()[0].startswith(str(target)), out
    assert "links.vague-text" in out and " rules in " in out
