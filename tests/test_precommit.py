"""The pre-commit hook, run by the real pre-commit, in a new git repository.

pre-commit installs lgcontent from this checkout into its own environment, as it
would for a user. pip is pointed at wheels packed from this machine's installed
packages (tests/wheelhouse.py), so no traffic leaves the machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytest.importorskip("pre_commit", reason="the pre-commit test needs pre-commit (in the test extras)")

GOOD = "---\ntitle: Bin collections\ndescription: Find your bin day\n---\n# Bin collections\n\nPut your bin out by 7am.\n"
BAD = "---\ntitle: Bins\ndescription: Bins\n---\n# Bins\n\nTo order a bin, [click here](https://example.gov.uk/x).\n"


def _git(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory) -> dict[str, str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    head = _git("rev-parse", "HEAD", cwd=ROOT)
    if head.returncode != 0:
        pytest.skip("this copy of lgcontent is not a git checkout, so pre-commit cannot install it")
    import wheelhouse

    wheels = tmp_path_factory.mktemp("wheels")
    wheelhouse.build(wheels, ["lgcontent", "hatchling"], leave_out=("lgcontent",))
    return {
        **os.environ,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(wheels),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.gov.uk",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.gov.uk",
        "REV": head.stdout.strip(),
    }


def test_hook_blocks_a_bad_page_and_passes_a_good_one(tmp_path: Path, hook_env: dict[str, str]) -> None:
    repo = tmp_path / "council-site"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {hook_env['REV']}\n    hooks:\n      - id: lgcontent\n")
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=hook_env,
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    _git("add", ".pre-commit-config.yaml", cwd=repo)
    (repo / "bins.md").write_text(BAD)
    _git("add", "bins.md", cwd=repo)
    blocked = _git("commit", "-m", "Add bins page", cwd=repo, env=hook_env)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "bins.md:7:18: error links.vague-text" in output, output
    (repo / "bins.md").write_text(GOOD)
    _git("add", "bins.md", cwd=repo)
    passed = _git("commit", "-m", "Add bins page", cwd=repo, env=hook_env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "lgcontent" in passed.stdout + passed.stderr
