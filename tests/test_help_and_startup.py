"""Help that teaches, shell completion, a version users can rely on, and a quick start-up."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

import click

from lgcontent import __version__
from lgcontent.cli import cli

from conftest import EXAMPLES, ROOT, run


def test_every_command_and_option_has_help_and_examples() -> None:
    assert cli.epilog and "Common tasks" in cli.epilog
    for name, command in cli.commands.items():
        assert command.help, name
        assert command.epilog and "Examples" in command.epilog, name
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help and len(param.help) > 10, (name, param.name)
        assert run(name, "--help").exit_code == 0


def test_shell_completion() -> None:
    env = {**os.environ, "_LGCONTENT_COMPLETE": "bash_source"}
    result = subprocess.run([sys.executable, "-c", "from lgcontent.cli import main; main()"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "complete" in result.stdout


def test_one_version_everywhere() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in pyproject["project"]["dynamic"]
    assert f"## {__version__} " in (ROOT / "CHANGELOG.md").read_text()


def test_checking_one_page_imports_only_what_it_needs(tmp_path) -> None:
    code = ("import sys; from lgcontent.cli import main; sys.argv = ['lgcontent', 'check', sys.argv[1],"
            " '--format', 'concise']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('MODULES', ' '.join(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code, str(EXAMPLES / "parking-good.md")],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    loaded = set(result.stdout.split("MODULES", 1)[1].split())
    for heavy in ("httpx", "bs4", "lxml", "soupsieve", "rich", "textstat", "nltk"):
        assert heavy not in loaded, heavy
