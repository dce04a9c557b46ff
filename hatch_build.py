"""Build lgcontent's optional compiled speed-ups (src/lgcontent/_speedups.c) into the wheel.

lgcontent gives the same results without them, only more slowly, so a build never fails
for their sake: where no C compiler is found, or compiling fails, the wheel is plain
Python and the build says why (``pip install -v`` shows it). The compiler is the one
Python itself was built with, as sysconfig reports it (as setuptools would use on Linux
and macOS); on Windows the wheel is plain Python. Set LGCONTENT_PURE_PYTHON_BUILD=1 to
build a plain Python wheel on purpose.

An editable install (``pip install -e .``) compiles the module next to its source, in
src/lgcontent, where the running code finds it (git ignores it).
"""

from __future__ import annotations

import os
import shutil
import shlex
import subprocess
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("src", "lgcontent", "_speedups.c")
MODULE = "_speedups"
COMPILE_SECONDS = 300


def compile_command(source: Path, target: Path) -> list[str] | None:
    """The command that compiles and links ``source`` into the extension ``target``, or
    None where sysconfig does not say how (Windows)."""
    link = sysconfig.get_config_var("LDSHARED")
    if os.name == "nt" or not link:
        return None
    flags = [*shlex.split(sysconfig.get_config_var("CFLAGS") or ""),
             *shlex.split(sysconfig.get_config_var("CCSHARED") or "")]
    include = sysconfig.get_paths()["include"]
    return [*shlex.split(link), *flags, "-I", include, str(source), "-o", str(target)]


def compile_extension(source: Path, target: Path) -> str | None:
    """Compile ``source`` into ``target``: None if it worked, else why it did not."""
    command = compile_command(source, target)
    if command is None:
        return "this platform's compiler is not known to sysconfig"
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=COMPILE_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"the compiler could not be run ({exc})"
    if done.returncode != 0 or not target.is_file():
        last_lines = " ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        return f"compiling failed ({last_lines or f'exit status {done.returncode}'})"
    return None


class SpeedupsBuildHook(BuildHookInterface):
    """Adds the compiled module to the wheel when it can be built."""

    _scratch: Path | None = None  # where a wheel's module is built, removed after the build

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        if os.environ.get("LGCONTENT_PURE_PYTHON_BUILD"):
            self.app.display_info("lgcontent: building plain Python, as LGCONTENT_PURE_PYTHON_BUILD asks")
            return
        root = Path(self.root)
        name = MODULE + (sysconfig.get_config_var("EXT_SUFFIX") or ".so")
        if version == "editable":
            target = root / SOURCE.parent / name
            target.unlink(missing_ok=True)  # never leave a module built from older source
        else:
            self._scratch = Path(tempfile.mkdtemp(prefix="lgcontent-build-"))
            target = self._scratch / name
        problem = compile_extension(root / SOURCE, target)
        if problem is not None:
            self.app.display_warning(f"lgcontent: the compiled speed-ups were not built: {problem};"
                                     " lgcontent will run as plain Python, with the same results, more slowly")
            return
        self.app.display_info(f"lgcontent: built the compiled speed-ups ({name})")
        if version != "editable":
            build_data["force_include"][str(target)] = f"lgcontent/{name}"
            build_data["pure_python"] = False
            build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
