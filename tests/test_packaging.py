"""The wheel carries the rule packs and the compiled speed-ups, and the installed command finds them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT


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


def _installed_run(wheel: Path, tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with the wheel unpacked into ``tmp_path / "site"``, first on the path."""
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    env = {**os.environ, "PYTHONPATH": str(target), "LGCONTENT_PURE_PYTHON": ""}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)


def test_installed_wheel_lists_its_rules_from_any_folder(wheel: Path, tmp_path: Path) -> None:
    code = ("import lgcontent, sys; print(lgcontent.__file__);"
            " from lgcontent.cli import main; sys.argv=['lgcontent','rules']; main()")
    out = _installed_run(wheel, tmp_path, code).stdout
    assert out.splitlines()[0].startswith(str(tmp_path / "site")), out
    assert "links.vague-text" in out and " rules in " in out


# -- the compiled speed-ups ----------------------------------------------------------------

needs_compiler = pytest.mark.skipif(
    not shutil.which("cc") and not shutil.which("gcc") and not shutil.which("clang"),
    reason="no C compiler here, so wheels are plain Python (tested below)",
)




@needs_compiler
def test_the_wheel_carries_the_compiled_speed_ups_and_uses_them(wheel: Path, tmp_path: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    assert f"lgcontent/_speedups{suffix}" in names
    assert not wheel.name.endswith("-py3-none-any.whl")  # tagged for this Python and platform
    done = _installed_run(wheel, tmp_path, "import lgcontent.text as t, lgcontent._speedups as s;"
                          " print(t.COMPILED, s.__file__)")
    assert done.returncode == 0, done.stderr
    compiled, where = done.stdout.split()
    assert compiled == "True" and where.startswith(str(tmp_path / "site"))


def test_a_plain_python_wheel_is_built_on_request_and_finds_the_same(wheel: Path, tmp_path: Path) -> None:
    out = tmp_path / "plain"
    env = {**os.environ, "LGCONTENT_PURE_PYTHON_BUILD": "1"}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True, timeout=300, env=env)
    plain = next(out.glob("lgcontent-*.whl"))
    assert plain.name.endswith("-py3-none-any.whl")
    assert not [n for n in zipfile.ZipFile(plain).namelist() if n.startswith("lgcontent/_speedups.") and
                not n.endswith(".c")]
    report = ("import sys; from lgcontent.cli import main;"
              f" sys.argv=['lgcontent','check',{str(EXAMPLES)!r},'--format','json','--jobs','1']; main()")
    plain_run = _installed_run(plain, tmp_path / "a", "import lgcontent.text as t; print(t.COMPILED)")
    assert plain_run.stdout.strip() == "False", plain_run.stderr
    assert (_installed_run(plain, tmp_path / "b", report).stdout
            == _installed_run(wheel, tmp_path / "c", report).stdout != "")


@needs_compiler
def test_a_module_that_does_not_compile_leaves_a_plain_build(tmp_path: Path) -> None:
    """The build hook's compile step: a reason when compiling fails, none when it works."""
    sys.path.insert(0, str(ROOT))
    try:
        import hatch_build
    finally:
        sys.path.remove(str(ROOT))
    broken = tmp_path / "broken.c"
    broken.write_text("this is not C\n")
    reason = hatch_build.compile_extension(broken, tmp_path / "broken.so")
    assert reason is not None and reason.startswith("compiling failed")
    assert hatch_build.compile_extension(ROOT / hatch_build.SOURCE, tmp_path / "_speedups.so") is None
    assert (tmp_path / "_speedups.so").stat().st_size > 0
