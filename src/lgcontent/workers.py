"""Run a function over many items in forked worker processes, results in input order.

Why not multiprocessing.Pool: when a worker process dies (the system kills it for want
of memory, or a C library crashes on a hostile page), Pool waits for ever for the
result it was working on. Here the parent always knows which item each worker is on:
a worker that dies costs only that item, which gets ``lost(item, reason)`` as its
result, and a new worker takes over the rest of its share.

Workers are forked, so they inherit everything the parent has loaded (rules, patterns,
caches) and nothing is pickled but the items and the results. They ignore Ctrl-C: the
parent stops them when it is interrupted, so the user sees one clean message.

A worker sends the results of a chunk of items together: one message, and one wake-up of
the parent, for several pages (on 10,000 pages this took the parent's CPU time from about
2.5 s to 1.6 s). So that a worker that dies still costs only the item it was on, it
writes the number of each item it starts in memory it shares with the parent; the items
of its chunk that it had done are checked again by another.
"""

from __future__ import annotations

import mmap
import multiprocessing
import selectors
import signal
import struct
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Callable, Iterator, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: How far (in items, for each worker) work may be handed out beyond the oldest unfinished
#: item. Results that arrive early wait in the parent until it is done: this bounds their
#: number, and so memory, however large the run, while leaving room for the others to get
#: on with the pages after one that takes seconds (copies of the same large pages, say).
ITEMS_AHEAD_PER_WORKER = 256
#: Seconds a worker gets to stop on its own before it is killed.
STOP_GRACE = 2.0


@dataclass
class _Failed:
    """Sent instead of a result when ``work`` raised, or its result could not be sent."""

    reason: str


#: The number of the item a worker is on, as it writes it in memory shared with the parent.
_ITEM_NUMBER = struct.Struct("q")


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    on_item: mmap.mmap  # the number of the item it started last (-1: none yet), written by the worker
    pending: deque = field(default_factory=deque)  # (index, item) sent and not yet answered


def _serve(work: Callable, connection: Connection, on_item: mmap.mmap,
           finish: Callable[[], None] | None) -> None:
    """In a worker: answer each chunk of (index, item) with one message of (index, result)
    pairs, until told to stop (None: then ``finish()``) or the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            chunk = connection.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            if finish is not None:
                try:
                    finish()
                except Exception:  # (keeping what it worked out is a nicety: no traceback for it)
                    pass
            return
        answers = []
        for index, item in chunk:
            _ITEM_NUMBER.pack_into(on_item, 0, index)
            try:
                result = work(item)
            except Exception as exc:  # work should catch its own faults; this is a last guard
                result = _Failed(f"{type(exc).__name__}: {exc}")
            answers.append((index, result))
        try:
            _send_answers(connection, answers)
        except OSError:  # (the parent has gone)
            return


def _send_answers(connection: Connection, answers: list[tuple[int, object]]) -> None:
    """Send a chunk's answers in one message; if one result cannot be pickled, each on its
    own, that one as a failure. (Pickling comes before any byte is written.)"""
    try:
        connection.send(answers)
    except OSError:
        raise  # (the parent has gone)
    except Exception:  # a result that cannot be pickled
        for index, result in answers:
            try:
                connection.send([(index, result)])
            except OSError:
                raise
            except Exception as exc:  # this one
                connection.send([(index, _Failed(f"its result could not be sent back ({exc})"))])


def _death(process: multiprocessing.process.BaseProcess) -> str:
    """Why a worker stopped, in words."""
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the process checking it was stopped by {name}"
    return f"the process checking it stopped (exit status {code})"


def run_in_workers(work: Callable[[Item], Result], items: list[Item], jobs: int, chunk_size: int,
                   lost: Callable[[Item, str], Result], finish: Callable[[], None] | None = None) -> Iterator[Result]:
    """``work(item)`` for each item, computed in ``jobs`` forked processes and yielded in
    the order of ``items``. An item whose worker died, or whose work raised, yields
    ``lost(item, reason)`` instead. Each worker calls ``finish()`` (if given) when the
    work is all done, to keep what it worked out (it must not raise)."""
    context = multiprocessing.get_context("fork")
    numbered = list(enumerate(items))
    todo: deque[list[tuple[int, Item]]] = deque(
        numbered[start:start + chunk_size] for start in range(0, len(numbered), chunk_size))
    done: dict[int, Result] = {}
    workers: list[_Worker] = []
    next_index = 0
    ahead = max(1, jobs) * ITEMS_AHEAD_PER_WORKER

    ready_to_read = selectors.DefaultSelector()  # each worker's results, and its end

    def start_worker() -> _Worker:
        parent_end, child_end = context.Pipe()
        on_item = mmap.mmap(-1, _ITEM_NUMBER.size)  # (anonymous and shared: the worker writes, we read)
        _ITEM_NUMBER.pack_into(on_item, 0, -1)
        process = context.Process(target=_serve, args=(work, child_end, on_item, finish), daemon=True)
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end, on_item)
        workers.append(worker)
        ready_to_read.register(parent_end, selectors.EVENT_READ, worker)
        ready_to_read.register(process.sentinel, selectors.EVENT_READ, worker)
        return worker

    def give_work(worker: _Worker, at_once: bool = False) -> None:
        """Another chunk for an idle worker, and while plenty are left one more, so that
        it need not wait for the parent between chunks (near the end, one at a time keeps
        the workers level); unless the chunk is too far ahead of the oldest unfinished
        item (``at_once``: whatever the distance, as nothing else is running)."""
        room = chunk_size if len(todo) > 2 * max(1, jobs) else 0
        while len(worker.pending) <= room and todo and (at_once or todo[0][0][0] < next_index + ahead):
            chunk = todo.popleft()
            try:
                worker.connection.send(chunk)
            except OSError:  # it has died: its sentinel will say so, and the chunk waits
                todo.appendleft(chunk)
                return
            worker.pending.extend(chunk)
            at_once = False

    def take(worker: _Worker, message: list[tuple[int, object]]) -> None:
        for index, result in message:
            expected, item = worker.pending.popleft()
            assert index == expected, "a worker answers its items in order"
            done[index] = lost(item, result.reason) if isinstance(result, _Failed) else result

    def bury(worker: _Worker) -> None:
        """A worker died: keep what it sent, lose the item it was on, requeue the rest
        (those it had done but not sent too)."""
        try:
            while worker.pending and worker.connection.poll():
                take(worker, worker.connection.recv())
        except (EOFError, OSError):
            pass
        workers.remove(worker)
        ready_to_read.unregister(worker.connection)
        ready_to_read.unregister(worker.process.sentinel)
        worker.connection.close()
        if worker.process.is_alive():  # it closed its end but did not exit
            worker.process.kill()
            worker.process.join()
        on = _ITEM_NUMBER.unpack_from(worker.on_item)[0]
        worker.on_item.close()
        if worker.pending:
            # The item it was on; if that is not known (it died between chunks), the next
            # one: each death costs an item, so workers that die at once cannot loop for ever.
            at = next((n for n, (number, _) in enumerate(worker.pending) if number == on), 0)
            index, item = worker.pending[at]
            done[index] = lost(item, _death(worker.process))
            del worker.pending[at]
            if worker.pending:
                todo.appendleft(list(worker.pending))

    stopped = False

    def stop_workers() -> None:
        """Tell the workers there is no more work: each finishes and exits."""
        nonlocal stopped
        if not stopped:
            stopped = True
            for worker in workers:
                try:
                    worker.connection.send(None)
                except OSError:
                    pass

    try:
        while next_index < len(items):
            while next_index in done:
                if not todo and not any(w.pending for w in workers):
                    stop_workers()  # every result has come: the workers finish while these are used
                yield done.pop(next_index)
                next_index += 1
            if next_index >= len(items):
                break
            idle = sum(1 for w in workers if not w.pending)
            while len(workers) < max(1, jobs) and len(todo) > idle:
                start_worker()  # at the start, and in place of one that died
                idle += 1
            for worker in workers:
                give_work(worker)
            if not any(w.pending for w in workers):
                give_work(workers[0], at_once=True)
            for key, _ in ready_to_read.select():
                worker = key.data
                if worker not in workers:
                    continue  # already buried this round
                if key.fileobj is worker.connection:
                    try:
                        take(worker, worker.connection.recv())
                        while worker.pending and worker.connection.poll():  # all that have come
                            take(worker, worker.connection.recv())
                        continue
                    except (EOFError, OSError):
                        pass  # it died while sending: see below
                worker.process.join(STOP_GRACE)
                bury(worker)
        stop_workers()
    finally:
        ready_to_read.close()
        for worker in workers:
            worker.process.join(STOP_GRACE if stopped else 0)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(STOP_GRACE)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()
            worker.on_item.close()
