"""Barset Borough Council's house style for lgcontent."""

from pathlib import Path


def pack_folder() -> Path:
    """The folder that holds the pack (lgcontent calls this through its entry point)."""
    return Path(__file__).parent / "pack"
