"""The benchmark script runs from a fresh clone, and its ratios are the times it printed
divided (quick runs on the bundled examples)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT


def _bench(*args: str) -> tuple[str, dict[str, float]]:
    """The script's output, and each row's time by its name."""
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--pages", str(EXAMPLES),
                           "--repeat", "1", "--big", "40", "--proselint", "", *args],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    times = {name.strip(): float(seconds) for name, seconds in
             re.findall(r"^(.+?)\s+(\d+\.\d\d) s\s+\d+ MB$", done.stdout, re.MULTILINE)}
    return done.stdout, times


def _ratio(pattern: str, output: str) -> float:
    return float(re.search(pattern, output, re.MULTILINE)[1])


def _close(printed: float, worked_out: float) -> bool:
    """(the printed times are rounded to hundredths, the ratios made from the exact ones)"""
    return abs(printed - worked_out) < 0.05 * worked_out + 0.051


@pytest.mark.parametrize("scaling_only", [True, False])
def test_the_rows_print_their_times_and_ratios(scaling_only: bool) -> None:
    output, times = _bench(*(["--scaling-only"] if scaling_only else []))
    one, two, shares = (times["lgcontent, 40 pages, 1 job"], times["lgcontent, 40 pages, 2 jobs"],
                        times["2 one-job processes at once, on shares"])
    assert _close(_ratio(r"^2 jobs / 1 job on 40 pages: (\d+\.\d\d)x faster", output), one / two)
    assert _close(_ratio(r"^the machine's ceiling: .* / 1 job: (\d+\.\d\d)x faster", output), one / shares)
    assert re.search(r"^2 jobs / that ceiling: \d+%; in the same round: median \d+\.\d\dx", output, re.MULTILINE)
    floor = times.get("parse-only floor (lxml + markdown-it)")
    assert (floor is None) == scaling_only and ("peak memory" in output) != scaling_only
    if not scaling_only:
        assert _close(_ratio(r"^lgcontent \(1 job\) / floor: (\d+\.\d)x", output),
                      times["lgcontent, default packs, 1 job"] / floor)
        assert "lgcontent, one page (the pre-commit path)" in times and "proselint" not in output
