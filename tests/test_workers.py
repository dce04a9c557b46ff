"""Worker processes for --jobs: results in order, and a worker that dies costs one item."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lgcontent.workers import run_in_workers


def _square(n: int) -> int:
    return n * n


def _lost(n: int, reason: str) -> str:
    return f"lost {n}: {reason}"


def _dies_on(*victims: int):
    def work(n: int) -> int:
        if n in victims:
            os.kill(os.getpid(), signal.SIGKILL)  # as the system's out-of-memory killer would
        return n * n
    return work


@pytest.mark.parametrize(("jobs", "chunk_size"), [(1, 1), (2, 1), (2, 3), (3, 8)])
def test_results_come_back_in_input_order(jobs: int, chunk_size: int) -> None:
    items = list(range(50))
    assert list(run_in_workers(_square, items, jobs, chunk_size, _lost)) == [n * n for n in items]


@pytest.mark.parametrize(("jobs", "chunk_size"), [(1, 1), (2, 1), (2, 4), (3, 8)])
def test_a_worker_that_dies_costs_only_the_item_it_was_on(jobs: int, chunk_size: int) -> None:
    results = list(run_in_workers(_dies_on(7, 8, 30), list(range(40)), jobs, chunk_size, _lost))
    for n in (7, 8, 30):
        assert results[n] == f"lost {n}: the process checking it was stopped by SIGKILL"
    assert [r for n, r in enumerate(results) if n not in (7, 8, 30)] == [
        n * n for n in range(40) if n not in (7, 8, 30)]
    assert multiprocessing.active_children() == []


def test_every_worker_dying_still_ends() -> None:
    results = list(run_in_workers(_dies_on(*range(6)), list(range(6)), 2, 2, _lost))
    assert results == [f"lost {n}: the process checking it was stopped by SIGKILL" for n in range(6)]


def test_work_that_raises_is_reported_for_its_item_only() -> None:
    def work(n: int) -> int:
        if n == 3:
            raise ValueError("bad item")
        return n

    assert list(run_in_workers(work, list(range(6)), 2, 2, _lost)) == [0, 1, 2, "lost 3: ValueError: bad item", 4, 5]


def test_stopping_early_stops_the_workers() -> None:
    results = run_in_workers(_square, list(range(1000)), 2, 1, _lost)
    assert next(results) == 0
    results.close()
    assert multiprocessing.active_children() == []


def _children(pid: int) -> list[int]:
    """Process ids of the children of ``pid`` (Linux)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(n) for n in (task / "children").read_text().split()]
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc to find the workers")
def test_a_killed_worker_does_not_hang_the_check(tmp_path: Path) -> None:
    # multiprocessing.Pool waited for ever for a killed worker's page: the run must end,
    # report that page as not checked (exit status 2), and check every other page.
    site = tmp_path / "export"
    site.mkdir()
    pages = 3000  # some seconds of checking: the kill comes mid-run
    for n in range(pages):
        (site / f"p{n}.md").write_text(f"# Page {n}\n\nWe will utilise the tip {n} times.\n" * 40)
    report = tmp_path / "report.json"
    proc = subprocess.Popen([sys.executable, "-m", "lgcontent", "check", str(site), "--jobs", "2",
                             "--format", "json", "--output", str(report)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: list[int] = []
    deadline = time.monotonic() + 20
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        workers = _children(proc.pid)
    assert len(workers) == 2, "the check did not start two workers"
    time.sleep(0.3)  # let it get going
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 2, stderr.decode()
    data = json.loads(report.read_text())
    assert len(data["unchecked"]) == 1
    assert "stopped by SIGKILL" in data["unchecked"][0]["message"]
    assert data["summary"]["pages"] + 1 == pages
    assert b"Traceback" not in stderr


@pytest.mark.parametrize("consume", ["all", "one at a time, as the runner does"])
def test_each_worker_finishes_when_the_work_is_done(tmp_path: Path, consume: str) -> None:
    """finish() runs in every worker once all results have come, even when the caller
    takes exactly as many results as items and never asks for more."""
    def finish() -> None:
        (tmp_path / f"finished-{os.getpid()}").write_text("done")

    items = list(range(40))
    results = run_in_workers(_square, items, 2, 1, _lost, finish=finish)
    if consume == "all":
        assert list(results) == [n * n for n in items]
    else:
        assert [next(results) for _ in items] == [n * n for n in items]
        results.close()
    finished = list(tmp_path.glob("finished-*"))
    assert len(finished) == 2 and os.getpid() not in {int(p.name.split("-")[1]) for p in finished}


def _unpicklable_for(*victims: int):
    def work(n: int) -> object:
        return (lambda: n) if n in victims else n  # a function made here cannot be pickled
    return work


def test_a_result_that_cannot_be_sent_costs_only_its_item() -> None:
    # Results go back a chunk at a time: one that cannot be pickled must not take its
    # chunk's other results with it.
    results = list(run_in_workers(_unpicklable_for(5), list(range(12)), 2, 4, _lost))
    assert results[5].startswith("lost 5: its result could not be sent back")
    assert [r for n, r in enumerate(results) if n != 5] == [n for n in range(12) if n != 5]


@pytest.mark.parametrize("victim", [0, 1, 6, 7, 8])
def test_the_done_items_of_a_dead_workers_chunk_are_not_lost(victim: int) -> None:
    # Chunks of 8: a death at the start, inside or at the end of one. The items of the
    # chunk done before it were not sent back yet; they are checked again, and only the
    # item the worker was on is lost.
    results = list(run_in_workers(_dies_on(victim), list(range(24)), 2, 8, _lost))
    assert results[victim] == f"lost {victim}: the process checking it was stopped by SIGKILL"
    assert [r for n, r in enumerate(results) if n != victim] == [n * n for n in range(24) if n != victim]
