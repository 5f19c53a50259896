"""The map of a build: shards of corpus files, each within a time budget.

``map_shards(items, jobs, dask, budget)`` yields one Shard per (path, key) item, as they are
done:

* ``jobs > 1``: worker processes (forkserver: each starts from a clean process that has the
  pipeline imported, then builds it once). A worker gets one document at a time; its clock
  starts when the document is sent. A document still running after ``budget.seconds`` has
  its worker killed (SIGKILL: no extractor can ignore it) and replaced, and is reported
  failed ("stopped after N s"). A worker that dies (the kernel's OOM killer, a crash) is
  replaced the same way and its document reported. With ``budget.memory_mb``, each worker
  may add that much address space after building the pipeline; past it the document fails
  with a MemoryError, reported as over the memory budget.
* ``jobs == 1``: in this process; the budget is a SIGALRM timer that interrupts the
  extraction between Python steps (a single long regular-expression match runs to its end).
  Use ``jobs >= 2`` for a hard limit.
* ``dask``: on a Dask cluster; a task not done ``budget.seconds`` after the build starts
  waiting for it is reported failed and released (the cluster cannot stop a running task;
  it finishes there and is dropped).
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .shard import Shard, make_shard

TASKS_PER_WORKER = 200  # a worker is replaced after this many documents (memory fragmentation)


@dataclass(frozen=True)
class Budget:
    seconds: float | None = 120.0   # per document; None or 0: no limit
    memory_mb: int | None = None    # address space a worker may add; None or 0: no limit


class _Overrun(BaseException):
    """Raised by the in-process timer (a BaseException: make_shard must not catch it)."""


def shard_of_path(item: tuple[str, str]) -> Shard:
    path, key = item
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        s = Shard(key, "")
        s.error = f"cannot read: {e.strerror or e}"
        return s
    return make_shard(data, key)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _failed(key: str, error: str, seconds: float = 0.0) -> Shard:
    s = Shard(key, "")
    s.error, s.seconds = error, seconds
    return s


def _over_time(seconds: float) -> str:
    return f"stopped after {seconds:g} s: over the time budget per document (--doc-timeout)"


def map_shards(items: list[tuple[str, str]], jobs: int | None = None, dask: str | None = None,
               budget: Budget = Budget()) -> Iterator[Shard]:
    if not items:
        return
    if dask:
        yield from _dask_map(items, dask, budget)
        return
    jobs = min(jobs or default_jobs(), len(items))
    if jobs <= 1:
        for item in items:
            yield _in_process(item, budget)
        return
    yield from _pool_map(items, jobs, budget)


# ---------------------------------------------------------------------- in this process
def _in_process(item: tuple[str, str], budget: Budget) -> Shard:
    limit = budget.seconds
    if not limit or threading.current_thread() is not threading.main_thread():
        return shard_of_path(item)

    def alarm(_sig, _frame):
        raise _Overrun()

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return shard_of_path(item)
    except _Overrun:
        return _failed(item[1], _over_time(limit), limit)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# ---------------------------------------------------------------------- worker processes
def _limit_memory(extra_mb: int | None) -> None:
    if not extra_mb:
        return
    import resource

    with open("/proc/self/statm") as fh:
        size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = size + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _worker_main(conn, memory_mb: int | None) -> None:
    from extract.nlp import build_nlp

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the build process decides
    build_nlp()
    _limit_memory(memory_mb)
    conn.send("ready")
    while True:
        try:
            item = conn.recv()
        except EOFError:
            return
        if item is None:
            return
        try:
            shard = shard_of_path(item)
        except MemoryError:
            shard = _failed(item[1], f"over the memory budget per document ({memory_mb} MB)")
        if shard.error.startswith("internal error while processing: MemoryError"):
            shard.error = f"over the memory budget per document ({memory_mb} MB)"
        try:
            conn.send(shard)
        except MemoryError:
            conn.send(_failed(item[1], f"over the memory budget per document ({memory_mb} MB)"))


class _Worker:
    def __init__(self, ctx, memory_mb: int | None):
        parent, child = ctx.Pipe()
        self.conn = parent
        self.proc = ctx.Process(target=_worker_main, args=(child, memory_mb), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False
        self.item: tuple[str, str] | None = None
        self.started = 0.0
        self.done = 0

    def send(self, item: tuple[str, str]) -> None:
        self.item, self.started = item, time.monotonic()
        self.conn.send(item)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                self.proc.kill()
        self.proc.join(timeout=None if kill else 10)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def _death(proc) -> str:
    code = proc.exitcode
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        hint = " (killed: out of memory?)" if -code == signal.SIGKILL else ""
        return f"the extraction worker died on this document: {name}{hint}"
    return f"the extraction worker died on this document (exit status {code})"


def _pool_map(items: list[tuple[str, str]], jobs: int, budget: Budget) -> Iterator[Shard]:
    import multiprocessing
    from multiprocessing.connection import wait

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["graph.shard", "extract.nlp"])  # workers start with these imported
    todo = deque(items)
    workers = [_Worker(ctx, budget.memory_mb) for _ in range(jobs)]
    limit = budget.seconds or None
    try:
        while todo or any(w.item for w in workers):
            for w in workers:
                if w.ready and w.item is None and todo:
                    w.send(todo.popleft())
            now = time.monotonic()
            timeout = None
            if limit:
                left = [w.started + limit - now for w in workers if w.item]
                timeout = max(0.0, min(left)) if left else None
            ready = wait([w.conn for w in workers] + [w.proc.sentinel for w in workers], timeout)
            now = time.monotonic()
            for i, w in enumerate(workers):
                replace = False
                if w.conn in ready:
                    try:
                        msg = w.conn.recv()
                    except (EOFError, OSError):
                        msg = None
                    if msg == "ready":
                        w.ready = True
                        continue
                    if isinstance(msg, Shard):
                        # the worker's next document (or its successor) first: it works while
                        # the caller stores this shard
                        w.item, w.done = None, w.done + 1
                        if w.done >= TASKS_PER_WORKER and todo:
                            w.stop()
                            workers[i] = _Worker(ctx, budget.memory_mb)
                        elif todo:
                            w.send(todo.popleft())
                        yield msg
                        continue
                    replace = True  # the pipe closed: the worker is gone
                elif w.proc.sentinel in ready:
                    replace = True
                if replace:
                    w.proc.join()
                    if w.item:
                        yield _failed(w.item[1], _death(w.proc), now - w.started)
                    elif not w.ready:
                        raise RuntimeError(f"an extraction worker did not start ({_death(w.proc)})")
                    w.stop(kill=True)
                    workers[i] = _Worker(ctx, budget.memory_mb)
                elif limit and w.item and now - w.started >= limit:
                    key = w.item[1]
                    w.stop(kill=True)
                    workers[i] = _Worker(ctx, budget.memory_mb)
                    yield _failed(key, _over_time(limit), now - w.started)
    finally:  # a worker still busy, or still starting (a replacement), is killed
        for w in workers:
            w.stop(kill=bool(w.item) or not w.ready)


# ---------------------------------------------------------------------- a Dask cluster
def _dask_map(items: list[tuple[str, str]], scheduler: str, budget: Budget) -> Iterator[Shard]:
    """The same map on a Dask cluster: the files' bytes go to the workers, shards come back."""
    from dask.distributed import Client
    from dask.distributed import TimeoutError as DaskTimeout

    with Client(scheduler) as client:
        window = 4 * max(1, sum(client.nthreads().values()))
        pending: deque = deque()
        it = iter(items)

        def submit_one() -> bool:
            item = next(it, None)
            if item is None:
                return False
            path, key = item
            try:
                data = Path(path).read_bytes()
            except OSError as e:
                pending.append((key, None, f"cannot read: {e.strerror or e}"))
                return True
            pending.append((key, client.submit(make_shard, data, key, pure=False), ""))
            return True

        while len(pending) < window and submit_one():
            pass
        while pending:
            key, fut, error = pending.popleft()
            if fut is None:
                yield _failed(key, error)
            else:
                limit = budget.seconds or None
                try:  # the budget counts from when the build starts waiting for the task
                    yield fut.result(timeout=limit)
                except (DaskTimeout, TimeoutError):
                    fut.cancel()
                    yield _failed(key, _over_time(limit), limit)
                fut.release()
            submit_one()
