"""Time lgcontent against the parse-only floor and its peers, on the same pages, in one run.

    python benchmarks/bench.py                 # ../shared/corpus, and a 10,000-page copy
    python benchmarks/bench.py --pages DIR --repeat 3 --big 10000

Every figure is the best of --repeat runs of a whole process (start-up included),
measured on this machine in this run, so the ratios compare like with like. Peers
are timed only when installed: proselint (PyPI, on PATH or --proselint) and
textlint with write-good and sentence-length (npm, --textlint-dir holding
node_modules). Peak memory is the largest resident size of the process.

Each command runs once untimed first, so every tool starts with the same warm file
cache and its Python bytecode written, as it would on a user's machine. The rows whose
ratios are the targets (the floor, lgcontent with one job and with every core, and the
peers) are run in turn rather than one after the other, so a change in the shared
machine's speed meets them alike. The CPU time (user and system) of the floor and one
job is printed too, which leaves out the time a process waited while another tenant of
the machine held the core, and for each target the median of its ratio in each round,
which compares runs made seconds apart. The 10,000-page rows with one job and with
every core (the scaling target) are run in turn in the same way, with a third: as many
one-job processes as cores, started together, each on its share of the copies. That
is the most the machine gives that many processes at that moment, with nothing shared;
two jobs' time against it shows lgcontent's own cost of sharing the work out (on a busy
machine both fall short of twice one job's speed alike). --scaling-only times just
these rows.
PYTHONDONTWRITEBYTECODE is cleared for the runs, since some shells set it. lgcontent
keeps the Hyperscan database it compiles from its patterns in a cache folder (here one
of the benchmark's own); the "empty cache" row times a first run, which compiles it.
The rows without --cache keep no results; the --cache rows time a first run, which
stores every page's result, and a run with no page changed, which reads them.
lgcontent runs with its compiled speed-ups when they were built (the first line says,
from lgcontent --version); the "plain Python" row turns them off. With --instructions,
valgrind's callgrind also counts the instructions of one run of the floor and of one
job: a ratio that a busy shared machine does not blur, as it does wall times.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PAGE_SUFFIXES = (".html", ".htm", ".md", ".markdown")

FLOOR = """
import sys, pathlib
import lxml.html
from markdown_it import MarkdownIt
md = MarkdownIt("commonmark").enable("table")
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*")):
    if path.suffix in (".html", ".htm"):
        lxml.html.document_fromstring(path.read_bytes() or b"<p></p>")
    elif path.suffix in (".md", ".markdown"):
        md.parse(path.read_text(encoding="utf-8", errors="replace"))
"""


RUN_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
# lgcontent keeps its compiled pattern database in a cache folder: the benchmark's own.
CACHE = tempfile.TemporaryDirectory(prefix="lgcontent-bench-cache-")
RUN_ENV["LGCONTENT_CACHE_DIR"] = CACHE.name


def timed(command: list[str], repeat: int, cwd: Path | None = None, warm_up: bool = True,
          empty_cache: bool = False, forget_results: bool = False,
          extra_env: dict[str, str] | None = None) -> tuple[float, int]:
    """Best wall time in seconds, and the largest peak memory in MB, over ``repeat`` runs
    (after one untimed warm-up run, unless told the caches are warm already). With
    ``empty_cache``, each run starts with an empty lgcontent cache folder; with
    ``forget_results``, without the results kept by --cache (the pattern database stays).
    ``extra_env``: variables to set for this command only."""
    base_env = {**RUN_ENV, **(extra_env or {})}
    if warm_up:
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=base_env)
    best, peak = float("inf"), 0
    for _ in range(repeat):
        if forget_results:
            Path(CACHE.name, "results.sqlite").unlink(missing_ok=True)
        env = base_env
        if empty_cache:
            env = {**base_env, "LGCONTENT_CACHE_DIR": tempfile.mkdtemp(dir=CACHE.name)}
        seconds, memory, _ = run_once(command, cwd, env)
        best, peak = min(best, seconds), max(peak, memory)
    return best, peak


def run_once(command: list[str] | AtOnce, cwd: Path | None, env: dict[str, str]) -> tuple[float, int, float]:
    """Wall time in seconds, peak memory in MB and CPU time (user and system) in seconds
    of one run of ``command`` (of AtOnce's commands: until the last ends, the largest
    peak, the CPU time of all)."""
    commands = command.commands if isinstance(command, AtOnce) else [command]
    started = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
             for c in commands]
    usages = [os.wait4(proc.pid, 0)[2] for proc in procs]
    return (time.perf_counter() - started, max(u.ru_maxrss for u in usages) // 1024,
            sum(u.ru_utime + u.ru_stime for u in usages))


class AtOnce(NamedTuple):
    """Commands started together and timed until the last one ends."""

    commands: list[list[str]]


Run = tuple["list[str] | AtOnce", dict[str, str], "Path | None"]  # a command, variables it adds, its folder


def interleaved(runs: list[Run], repeat: int) -> tuple[list[tuple[float, int, float]], list[list[float]]]:
    """Best wall time, largest peak memory and best CPU time of each command, run in turn
    ``repeat`` times (after a warm-up of each): on a shared machine whose speed drifts,
    commands whose times are divided by each other then meet the same conditions. CPU
    time leaves out the time a process waited for a core another tenant held. Also each
    round's wall times, to divide one command's by another's in the same round."""
    envs = [{**RUN_ENV, **extra} for _, extra, _ in runs]
    for (command, _, cwd), env in zip(runs, envs):
        run_once(command, cwd, env)
    results = [(float("inf"), 0, float("inf"))] * len(runs)
    rounds = []
    for _ in range(repeat):
        rounds.append([])
        for n, ((command, _, cwd), env) in enumerate(zip(runs, envs)):
            seconds, memory, cpu = run_once(command, cwd, env)
            best, peak, least = results[n]
            results[n] = (min(best, seconds), max(peak, memory), min(least, cpu))
            rounds[-1].append(seconds)
    return results, rounds


def _median_of(rounds: list[list[float]], top: int, bottom: int) -> str:
    """The median, over the rounds, of one command's time divided by another's in the same
    round (by their places in the round), and each round's ratio."""
    ratios = sorted(times[top] / times[bottom] for times in rounds)
    return f"median {statistics.median(ratios):.2f}x (rounds: {', '.join(f'{r:.2f}x' for r in ratios)})"


def instructions(command: list[str]) -> int | None:
    """Instructions one run of ``command`` executes, counted by valgrind's callgrind: the
    same count whatever else a shared machine is doing (None without valgrind)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run([valgrind, "--tool=callgrind", f"--callgrind-out-file={folder}/callgrind.out",
                               *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env=RUN_ENV)
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found.group(1)) if found else None


def pages_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in PAGE_SUFFIXES and p.is_file())


def replicate(source: Path, target: Path, count: int) -> Path:
    """A folder of ``count`` pages, made by copying the source pages round and round."""
    pages = pages_in(source)
    for n in range(count):
        page = pages[n % len(pages)]
        folder = target / f"copy{n // len(pages):03}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, folder / f"{n:05}-{page.name}")
    return target


def time_the_corpus(args: argparse.Namespace, python: str, lgcontent: list[str], cores: int, pages: list[Path],
                    record: Callable[..., float], add: Callable[..., float]) -> None:
    """The corpus rows: the targets' (timed in turn) and the others, and their ratios."""
    # The rows whose ratios are the targets (the floor, one job, all the cores and the
    # peers) are timed in turn, so that a drift in the machine's speed meets them alike.
    one_job = [*lgcontent, "--jobs", "1", str(args.pages)]
    in_turn: dict[str, Run] = {
        "parse-only floor (lxml + markdown-it)": ([python, "-c", FLOOR, str(args.pages)], {}, None),
        "lgcontent, default packs, 1 job": (one_job, {}, None),
        "lgcontent, 1 job, plain Python": (one_job, {"LGCONTENT_PURE_PYTHON": "1"}, None),
        f"lgcontent, default packs, {cores} jobs (the default)": (
            [*lgcontent, "--jobs", str(cores), str(args.pages)], {}, None),
    }
    peers = []
    if args.proselint:
        peers.append("proselint")
        in_turn["proselint check"] = ([args.proselint, "check", *map(str, pages)], {}, None)
    textlint = args.textlint_dir and args.textlint_dir / "node_modules" / ".bin" / "textlint"
    if textlint and textlint.exists():
        command = [str(textlint), "--rule", "write-good", "--rule", "sentence-length", "--format", "compact"]
        if (args.textlint_dir / "node_modules" / "textlint-plugin-html").exists():
            command += ["--plugin", "html"]
        peers.append("textlint")
        in_turn["textlint (write-good, sentence-length)"] = ([*command, *map(str, pages)], {}, args.textlint_dir)
    timings, rounds = interleaved(list(in_turn.values()), args.repeat)
    best = {name: record(name, *timing[:2]) for name, timing in zip(in_turn, timings)}
    floor, one, plain, default, *peer_times = best.values()
    floor_cpu, one_cpu, plain_cpu = (cpu for _, _, cpu in timings[:3])
    add("lgcontent, 1 job, empty cache (first run)", [*lgcontent, "--jobs", "1", str(args.pages)],
        empty_cache=True)
    # The default report, unstyled as in a CI log (written to /dev/null, like the rows above).
    add("lgcontent, 1 job, the terminal report", [python, "-m", "lgcontent", "check", "--fail-on", "never",
                                                 "--jobs", "1", str(args.pages)])
    # --cache: the first run stores every page's result; the next, with no page changed, reads them.
    add("lgcontent, 1 job, --cache, first run", [*lgcontent, "--jobs", "1", "--cache", str(args.pages)],
        forget_results=True)
    kept = add("lgcontent, 1 job, --cache, no page changed", [*lgcontent, "--jobs", "1", "--cache", str(args.pages)])
    single = pages[0]
    add("lgcontent, one page (the pre-commit path)", [*lgcontent, str(single)])
    print(f"\nlgcontent (1 job) / floor: {one / floor:.1f}x (target: within 4x);"
          f" plain Python (LGCONTENT_PURE_PYTHON=1): {plain / floor:.1f}x")
    print(f"by CPU time (best of {args.repeat}): floor {floor_cpu:.2f} s, lgcontent 1 job {one_cpu:.2f} s:"
          f" {one_cpu / floor_cpu:.2f}x; plain Python {plain_cpu / floor_cpu:.2f}x")
    print(f"lgcontent (1 job) / floor in the same round: {_median_of(rounds, 1, 0)}")
    print(f"lgcontent (1 job) / the same with --cache and no page changed: {one / kept:.1f}x")
    if args.instructions:
        floor_count = instructions([python, "-c", FLOOR, str(args.pages)])
        one_count = instructions(one_job)
        if floor_count and one_count:
            print(f"instructions (callgrind): floor {floor_count / 1e9:.2f} G, lgcontent 1 job"
                  f" {one_count / 1e9:.2f} G: {one_count / floor_count:.2f}x")
        else:
            print("instructions: not counted (valgrind is not installed, or it failed)")
    for n, (name, seconds) in enumerate(zip(peers, peer_times)):
        print(f"{name} / lgcontent: {seconds / one:.1f}x faster with 1 job, {seconds / default:.1f}x with"
              f" {cores} jobs (the default); in the same round, with {cores} jobs: {_median_of(rounds, 4 + n, 3)}")


def time_the_copies(args: argparse.Namespace, lgcontent: list[str], cores: int, pages: list[Path],
                    rows: list[tuple[str, float, int]], record: Callable[..., float],
                    add: Callable[..., float]) -> None:
    """The scaling rows, on the corpus copied round and round to --big pages: one job,
    every core and the machine's ceiling (timed in turn), and their ratios."""
    with tempfile.TemporaryDirectory() as folder:
        big = replicate(args.pages, Path(folder), args.big)
        print(f"\n{args.big} pages (the corpus copied round and round):")
        # One job and all the cores in turn, as the floor and one job above: their ratio
        # is the target, and the shared machine's speed drifts over minutes.
        # And the machine's own ceiling for the same work: as many one-job processes as
        # cores, started together, each on its share of the copies (no coordination, so
        # what the machine gives two processes at that moment).
        copies = sorted(big.iterdir())
        shares = AtOnce([[*lgcontent, "--jobs", "1", *map(str, copies[n::cores])] for n in range(cores)])
        timings, rounds = interleaved([([*lgcontent, "--jobs", "1", str(big)], {}, None),
                                       ([*lgcontent, "--jobs", str(cores), str(big)], {}, None),
                                       (shares, {}, None)], args.repeat)
        big_one = record(f"lgcontent, {args.big} pages, 1 job", *timings[0][:2])
        big_many = record(f"lgcontent, {args.big} pages, {cores} jobs", *timings[1][:2])
        ceiling = record(f"{cores} one-job processes at once, on shares", *timings[2][:2])
        big_kept = add(f"lgcontent, {args.big} pages, {cores} jobs, --cache, no page changed",
                       [*lgcontent, "--jobs", str(cores), "--cache", str(big)])
        print(f"\n{cores} jobs / 1 job on {args.big} pages: {big_one / big_many:.2f}x faster (target: 1.7x)")
        print(f"{cores} jobs / 1 job in the same round: {_median_of(rounds, 0, 1)}")
        print(f"the machine's ceiling: {cores} one-job processes at once on shares / 1 job:"
              f" {big_one / ceiling:.2f}x faster; in the same round: {_median_of(rounds, 0, 2)}")
        print(f"{cores} jobs / that ceiling: {ceiling / big_many:.0%}; in the same round:"
              f" {_median_of(rounds, 2, 1)}")
        print(f"{cores} jobs, --cache and no page changed / without --cache: {big_many / big_kept:.1f}x faster")
        memory = {name: mb for name, _, mb in rows}
        small_mb = memory.get("lgcontent, default packs, 1 job")
        big_mb = memory[f"lgcontent, {args.big} pages, 1 job"]
        if small_mb is not None:
            print(f"peak memory, {len(pages)} pages -> {args.big} pages (1 job): {small_mb} MB -> {big_mb} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--big", type=int, default=10_000, help="pages in the replicated corpus (0: skip it)")
    parser.add_argument("--proselint", default=shutil.which("proselint"))
    parser.add_argument("--textlint-dir", type=Path, help="a folder whose node_modules holds textlint and rules")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions of the floor and of one job with valgrind (a few minutes)")
    parser.add_argument("--scaling-only", action="store_true",
                        help="time only the --big pages' rows (the scaling target), not the corpus's")
    args = parser.parse_args()
    if not args.pages.is_dir():
        sys.exit(f"no pages to time: {args.pages} is not a folder")
    python = sys.executable
    lgcontent = [python, "-m", "lgcontent", "check", "--format", "json", "--fail-on", "never"]
    cores = os.cpu_count() or 1
    rows: list[tuple[str, float, int]] = []

    def record(name: str, seconds: float, memory: int) -> float:
        rows.append((name, seconds, memory))
        print(f"{name:<46} {seconds:8.2f} s  {memory:6d} MB", flush=True)
        return seconds

    def add(name: str, command: list[str], cwd: Path | None = None, warm_up: bool = True,
            empty_cache: bool = False, forget_results: bool = False,
            extra_env: dict[str, str] | None = None) -> float:
        return record(name, *timed(command, args.repeat, cwd, warm_up, empty_cache, forget_results, extra_env))

    pages = pages_in(args.pages)
    version = subprocess.run([python, "-m", "lgcontent", "--version"], capture_output=True, text=True,
                             env=RUN_ENV).stdout.strip()
    print(f"machine: {os.uname().machine}, {cores} cores; pages: {len(pages)} in {args.pages}; {version}\n")
    if not args.scaling_only:
        time_the_corpus(args, python, lgcontent, cores, pages, record, add)
    if args.big:
        time_the_copies(args, lgcontent, cores, pages, rows, record, add)


if __name__ == "__main__":
    main()
