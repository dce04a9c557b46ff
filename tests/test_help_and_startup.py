"""Help that teaches, shell completion, a version users can rely on, and a quick start-up."""

from __future__ import annotations

import os
import re
import shutil
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


def _modules_loaded_checking(page, cwd, env: dict[str, str] | None = None) -> set[str]:
    code = ("import sys; from lgcontent.cli import main; sys.argv = ['lgcontent', 'check', sys.argv[1],"
            " '--format', 'concise']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('MODULES', ' '.join(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code, str(page)], capture_output=True, text=True,
                            timeout=60, cwd=cwd, env={**os.environ, **(env or {})})
    return set(result.stdout.split("MODULES", 1)[1].split())


def test_checking_one_page_imports_only_what_it_needs(tmp_path) -> None:
    loaded = _modules_loaded_checking(EXAMPLES / "parking-good.md", tmp_path)
    for heavy in ("httpx", "bs4", "lxml", "soupsieve", "rich", "textstat", "nltk"):
        assert heavy not in loaded, heavy


def test_pyyaml_is_imported_only_when_yaml_is_parsed(tmp_path) -> None:
    # Importing PyYAML takes a tenth of start-up: once the rule files are in the cache of
    # parsed files, an HTML page with no configuration file needs no YAML parsed.
    env = {"LGCONTENT_CACHE_DIR": str(tmp_path / "cache")}
    assert "yaml" in _modules_loaded_checking(EXAMPLES / "bins-good.html", tmp_path, env)  # (rules parsed)
    assert "yaml" not in _modules_loaded_checking(EXAMPLES / "bins-good.html", tmp_path, env)
    assert "yaml" in _modules_loaded_checking(EXAMPLES / "parking-good.md", tmp_path, env)  # front matter
    # A configuration file is kept as parsed too, and read again once it changes.
    site = tmp_path / "site"
    site.mkdir()
    shutil.copyfile(EXAMPLES / "bins-good.html", site / "bins.html")
    (site / "lgcontent.yml").write_text("disable: [links]\n")
    assert "yaml" in _modules_loaded_checking(site / "bins.html", tmp_path, env)
    assert "yaml" not in _modules_loaded_checking(site / "bins.html", tmp_path, env)
    (site / "lgcontent.yml").write_text("disable: [links, readability]\n")
    assert "yaml" in _modules_loaded_checking(site / "bins.html", tmp_path, env)
