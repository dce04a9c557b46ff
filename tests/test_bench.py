"""The benchmark script runs from a fresh clone, and its ratios are the times it printed
divided (a quick run of its scaling rows on the bundled examples)."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import EXAMPLES, ROOT


def test_the_scaling_rows_print_their_times_and_ratios() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--pages", str(EXAMPLES),
                           "--repeat", "1", "--big", "40", "--scaling-only"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    times = {name.strip(): float(seconds) for name, seconds in
             re.findall(r"^(.+?)\s+(\d+\.\d\d) s\s+\d+ MB$", done.stdout, re.MULTILINE)}
    one, two, shares = (times["lgcontent, 40 pages, 1 job"], times["lgcontent, 40 pages, 2 jobs"],
                        times["2 one-job processes at once, on shares"])
    assert "parse-only floor (lxml + markdown-it)" not in times  # --scaling-only
    faster = float(re.search(r"^2 jobs / 1 job on 40 pages: (\d+\.\d\d)x faster", done.stdout, re.MULTILINE)[1])
    ceiling = float(re.search(r"^the machine's ceiling: .* / 1 job: (\d+\.\d\d)x faster", done.stdout,
                              re.MULTILINE)[1])
    # (the printed times are rounded to hundredths, the ratios made from the exact ones)
    assert abs(faster - one / two) < 0.05 * faster and abs(ceiling - one / shares) < 0.05 * ceiling
    assert re.search(r"^2 jobs / that ceiling: \d+%; in the same round: median \d+\.\d\dx", done.stdout, re.MULTILINE)
