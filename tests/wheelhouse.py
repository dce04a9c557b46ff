"""Build a folder of wheels from the packages installed here, with no network.

The pre-commit test lets pre-commit install lgcontent into a fresh environment, as
it does for users, but tests may only talk to 127.0.0.1. So pip is pointed at
this folder instead of a package index: each installed distribution that
lgcontent (or its build backend) needs is packed back into a wheel from its
installed files, with a fresh RECORD.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement

_SKIP = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}


def _closure(names: list[str]) -> list[metadata.Distribution]:
    env = default_environment()
    found: dict[str, metadata.Distribution] = {}
    todo = list(names)
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        found[name] = dist
        for text in dist.requires or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({**env, "extra": ""}):
                todo.append(req.name)
    return list(found.values())


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def repack(dist: metadata.Distribution, out: Path) -> Path | None:
    wheel_info = dist.read_text("WHEEL")
    if not wheel_info or not dist.files:
        return None
    tag = next(line.split(":", 1)[1].strip() for line in wheel_info.splitlines() if line.startswith("Tag:"))
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    target = out / f"{name}-{dist.version}-{tag}.whl"
    records = []
    dist_info = None
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in dist.files:
            relative = file.as_posix()
            if relative.startswith("..") or "__pycache__" in relative or file.name in _SKIP:
                if file.name == "RECORD":
                    dist_info = str(file.parent.as_posix())
                continue
            path = Path(dist.locate_file(file))
            if not path.is_file():
                continue
            data = path.read_bytes()
            archive.writestr(relative, data)
            records.append(f"{relative},{_digest(data)},{len(data)}")
        if dist_info is None:
            return None
        records.append(f"{dist_info}/RECORD,,")
        archive.writestr(f"{dist_info}/RECORD", "\n".join(records) + "\n")
    return target


def build(out: Path, requirements: list[str], leave_out: tuple[str, ...] = ()) -> list[Path]:
    """Wheels for ``requirements`` and everything they need, except ``leave_out``."""
    out.mkdir(parents=True, exist_ok=True)
    dists = [d for d in _closure(requirements) if d.metadata["Name"].lower() not in leave_out]
    return [w for d in dists if (w := repack(d, out)) is not None]
