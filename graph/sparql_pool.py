"""The query worker pool of `pskg serve`: worker processes, two lanes, store generations.

Each query runs in a worker process (graph/sparql_worker.py) with its own read-only handle,
so a query past the time limit is stopped by killing its process, and a query past the
memory limit kills itself (an address-space cap); either way the worker is replaced while
the others keep serving, and the client gets a 503 saying which limit it passed.

Lanes. ``workers`` main workers run any query up to the time limit. ``fast`` fast-lane
workers run a query for at most ``fast_limit`` seconds: one still running then is stopped
and queued again for the main lane, where it starts over, and its text is remembered as
slow (a remembered query, and every update, waits for the main lane). So a burst of slow
queries fills the main lane but not the fast lane, and a short query still finds a
worker. A spare worker, started and idle, takes a killed worker's place at once (its
successor becomes the next spare). Waiting queries are served known-fast first, then those
of clients with fewer queries running, then in order of arrival; at most ``queue_max``
wait (503 beyond), and time spent waiting counts against the time limit.

Quick queries. The hop to a worker and back (two process wake-ups on each side) costs more
than a small query itself. So the pool remembers the shapes (the text without comments,
and the dataset) of read queries a worker answered within ``QUICK_SECONDS`` with a small
result and no SERVICE or LOAD, and runs the next query of such a shape in the server process,
on a read-only handle of the generation of its own: the same text on the same store version
does the same work, so such a run stays about as short. A shape whose run there took longer
than ``INLINE_LIMIT`` (or failed) goes back to the workers. Writable pools never do this.

Generations. Read-only workers never open the live store directory: each generation is a
snapshot of one finished store version (graph/store_version.py), opened by all its
workers. The pool polls the store's version marker; when a build has finished it opens a
new generation beside the old one, sends new requests to it and closes the old one once
the requests pinned to it are done. A server started while a build is writing the store
waits for it to finish (503 meanwhile). A writable pool (``--allow-update``) has one worker
that opens the store itself for writing (RocksDB admits one writer) and runs queries and
updates one at a time; each update starts a new version.
"""
from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import os
import pickle
import shutil
import signal
import socket
import sys
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import store_version as sv
from .sparql_text import mentions_remote
from .sparql_worker import HEADER, Job, Reply, Settings, error, execute
from .sparql_worker import main as worker_main

__all__ = ["Job", "Reply", "error", "WorkerPool", "PoolError"]

PRELOAD = ["pyoxigraph", "graph.sparql_worker", "graph.conneg", "graph.jsonld", "graph.sparql_text", "graph.sandbox"]
START_TIMEOUT = 120.0
POLL_SECONDS = 1.0
QUICK_SECONDS = 0.002  # a query shape a worker answered within this runs in the server process next time
QUICK_BYTES = 256 * 1024  # ... if its result was no larger
INLINE_LIMIT = 0.01  # a shape whose run in the server process took longer goes back to the workers


class PoolError(RuntimeError):
    pass


def _context():
    """Workers fork from a forkserver that has imported pyoxigraph and the worker code, so
    replacing a killed worker costs a fork and a store open (never fork the threaded server)."""
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")  # fewer malloc arenas: the address-space cap is for queries
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


class Worker:
    def __init__(self, lane: str):
        self.lane = lane
        self.proc = None
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.busy = False
        self.info: dict = {}

    async def start(self, ctx, settings: Settings) -> None:
        parent, child = socket.socketpair()
        self.proc = ctx.Process(target=worker_main, args=(child, settings), daemon=True)
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, self.proc.start)
        finally:
            child.close()
        parent.setblocking(False)
        self.reader, self.writer = await asyncio.open_unix_connection(sock=parent)
        try:
            state, info = await asyncio.wait_for(self._recv(), START_TIMEOUT)
        except (asyncio.TimeoutError, asyncio.IncompleteReadError, ConnectionError) as e:
            self.kill()
            raise PoolError(f"a query worker did not start: {type(e).__name__}") from None
        if state != "ready":
            self.kill()
            raise PoolError(f"cannot open the store {settings.store_path}: {info}")
        self.info = info

    async def _recv(self):
        head = await self.reader.readexactly(HEADER.size)
        return pickle.loads(await self.reader.readexactly(HEADER.unpack(head)[0]))

    async def call(self, job: Job, limit: float) -> Reply:
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        self.writer.write(HEADER.pack(len(data)) + data)
        return await asyncio.wait_for(self._recv(), limit)

    def kill(self) -> None:
        if self.proc is not None and self.proc.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.proc.pid, signal.SIGKILL)
        if self.writer is not None:
            self.writer.close()

    async def exitcode(self) -> int | None:
        if self.proc is None or self.proc.pid is None:
            return None
        await asyncio.get_running_loop().run_in_executor(None, self.proc.join, 10)
        return self.proc.exitcode


@dataclass
class Pending:
    job: Job
    client: str
    deadline: float
    future: asyncio.Future
    seq: int
    fp: int  # the job's fingerprint
    known_slow: bool  # an update, or cut from the fast lane
    timer: asyncio.TimerHandle | None = None


class RecentKeys:
    """Keys marked lately (least recently marked dropped past ``size``): the fingerprints of
    queries that ran past the fast-lane limit, the shapes of quick queries."""

    def __init__(self, size: int = 4096):
        self.size, self.seen = size, OrderedDict()

    def mark(self, key) -> None:
        self.seen[key] = True
        self.seen.move_to_end(key)
        while len(self.seen) > self.size:
            self.seen.popitem(last=False)

    def forget(self, key) -> None:
        self.seen.pop(key, None)

    def __contains__(self, key) -> bool:
        return key in self.seen

    def __len__(self) -> int:
        return len(self.seen)


@dataclass
class Generation:
    version: sv.Version
    path: str
    snapshot: bool
    workers: list[Worker] = field(default_factory=list)
    spares: list[Worker] = field(default_factory=list)  # started, idle, taking a killed worker's place
    queue: list[Pending] = field(default_factory=list)
    refs: int = 0
    retired: bool = False
    quick: RecentKeys = field(default_factory=RecentKeys)  # shapes of queries its workers answered quickly
    inline_store: object = None  # the server process's own read-only handle, opened for quick queries
    opening: bool = False


class WorkerPool:
    def __init__(self, store_path, workers: int = 4, fast: int = 2, timeout: float = 30.0,
                 fast_limit: float = 0.25, max_bytes: int = 100_000_000, memory_mb: int = 1024,
                 writable: bool = False, network: bool = False, queue_max: int = 64,
                 log=None):
        self.store_path, self.writable = str(store_path), writable
        self.workers = 1 if writable else max(1, workers)
        self.fast = 0 if writable else max(0, fast)
        self.spares = 0 if writable else 1
        self.timeout, self.fast_limit, self.queue_max = timeout, fast_limit, queue_max
        self.max_bytes, self.memory_mb, self.network = max_bytes, memory_mb, network
        self.log = log or (lambda msg: print(f"pskg serve: {msg}", file=sys.stderr, flush=True))
        self.current: Generation | None = None
        self._ctx = None
        self._seq = itertools.count()
        self._generation_no = itertools.count(1)
        self._slow = RecentKeys()
        self._running: dict[str, int] = {}  # client -> its queries running now
        self._updates = 0
        self._tasks: set[asyncio.Task] = set()
        self._watch: asyncio.Task | None = None
        self._switching = False
        self._generations: list[Generation] = []
        self.closed = False

    def settings(self, path: str) -> Settings:
        return Settings(path, writable=self.writable, max_bytes=self.max_bytes,
                        memory_bytes=self.memory_mb * 2**20, network=self.network)

    # ------------------------------------------------------------ generations
    async def start(self) -> None:
        self._ctx = _context()
        if not Path(self.store_path).is_dir():
            raise PoolError(f"no store at {self.store_path}")
        if self.writable:
            version = sv.read_version(self.store_path) or sv.Version("new", time.time())
            self.current = await self._open(Generation(version, self.store_path, snapshot=False))
            self._generations.append(self.current)
            return
        await asyncio.get_running_loop().run_in_executor(None, sv.remove_stale_snapshots, self.store_path)
        if not sv.ready(self.store_path):
            self.log(f"the store {self.store_path} is being written (a build is running): "
                     "serving it once the build has finished")
        else:
            await self._switch()
        self._watch = asyncio.create_task(self._watch_store())

    async def _open(self, gen: Generation) -> Generation:
        lanes = ["main"] * self.workers + ["fast"] * self.fast + ["spare"] * self.spares
        workers = [Worker(lane) for lane in lanes]
        results = await asyncio.gather(*(w.start(self._ctx, self.settings(gen.path)) for w in workers),
                                       return_exceptions=True)
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:
            for w in workers:
                w.kill()
            raise failed[0] if isinstance(failed[0], PoolError) else PoolError(str(failed[0]))
        gen.workers = [w for w in workers if w.lane != "spare"]
        gen.spares = [w for w in workers if w.lane == "spare"]
        return gen

    async def _switch(self) -> None:
        """Open a generation on a snapshot of the store's current version and move to it."""
        if self._switching:
            return
        self._switching = True
        try:
            version = sv.read_version(self.store_path) or sv.Version("unversioned", time.time())
            name = f"{os.getpid()}-{next(self._generation_no)}"
            loop = asyncio.get_running_loop()
            try:
                path, snap = str(await loop.run_in_executor(None, sv.snapshot, self.store_path, name)), True
            except OSError as e:  # e.g. a read-only file system: no writer can change it either
                self.log(f"serving the store directory itself (no snapshot: {e})")
                path, snap = self.store_path, False
            after = sv.read_version(self.store_path)
            if snap and (after is None or after.id != version.id or not sv.ready(self.store_path)):
                shutil.rmtree(path, ignore_errors=True)  # a build started meanwhile: wait for it
                return
            try:
                gen = await self._open(Generation(version, path, snap))
            except PoolError:
                if snap:
                    shutil.rmtree(path, ignore_errors=True)
                raise
            old, self.current = self.current, gen
            self._generations.append(gen)
            if old is not None:
                old.retired = True
                self.log(f"now serving store version {version.id} (was {old.version.id})")
                self._close_if_done(old)
        finally:
            self._switching = False

    async def _watch_store(self) -> None:
        while not self.closed:
            await asyncio.sleep(POLL_SECONDS)
            try:
                version = sv.read_version(self.store_path)
                stale = self.current is None or (version is not None and version.id != self.current.version.id)
                if stale and sv.ready(self.store_path):
                    await self._switch()
            except (PoolError, OSError) as e:
                self.log(f"could not open the new store version: {e}")

    def _close_if_done(self, gen: Generation) -> None:
        if gen.retired and gen.refs == 0 and not gen.queue and not any(w.busy for w in gen.workers):
            for w in gen.workers + gen.spares:
                w.kill()
            gen.workers, gen.spares = [], []
            gen.inline_store = None
            if gen.snapshot:
                shutil.rmtree(gen.path, ignore_errors=True)
            if gen in self._generations:
                self._generations.remove(gen)

    @contextlib.contextmanager
    def pinned(self):
        """The current generation, kept open until the block ends (one request's queries all
        read one version). None while no version can be served."""
        gen = self.current
        if gen is not None:
            gen.refs += 1
        try:
            yield gen
        finally:
            if gen is not None:
                gen.refs -= 1
                self._close_if_done(gen)

    @property
    def version(self) -> sv.Version | None:
        return self.current.version if self.current else None

    # ------------------------------------------------------------ running jobs
    async def run(self, job: Job, client: str = "", gen: Generation | None = None,
                  timeout: float | None = None) -> Reply:
        gen = gen or self.current
        if gen is None:
            return error(503, "the store is being built; this server serves it as soon as the build has finished",
                         **{"Retry-After": "10"})
        reply = self.inline(gen, job)
        if reply is not None:
            return reply
        if len(gen.queue) >= self.queue_max:
            return error(503, f"{len(gen.queue)} queries are waiting already; try again in a moment",
                         **{"Retry-After": "1"})
        loop = asyncio.get_running_loop()
        limit = self.timeout if timeout is None else timeout
        fp = job.fingerprint()
        p = Pending(job, client, loop.time() + limit, loop.create_future(), next(self._seq), fp,
                    known_slow=job.update)
        p.timer = loop.call_at(p.deadline, self._expire, gen, p)
        gen.queue.append(p)
        self._dispatch(gen)
        try:
            return await p.future
        finally:
            p.timer.cancel()
            if p in gen.queue:  # the client went away while it waited
                gen.queue.remove(p)

    def inline(self, gen: Generation, job: Job) -> Reply | None:
        """The reply of a quick query, run here in the server process on the generation's own
        handle (no hop to a worker and back), or None: not known quick, or the handle not open."""
        if gen.inline_store is None or job.update:
            return None
        shape = job.shape()
        if shape not in gen.quick:
            return None
        started = time.perf_counter()
        try:
            reply = execute(gen.inline_store, job, self.max_bytes)
        except Exception:  # whatever it is, a worker answers (and reports) it
            gen.quick.forget(shape)
            return None
        reply.seconds = time.perf_counter() - started
        if reply.seconds > INLINE_LIMIT or reply.status != 200:
            gen.quick.forget(shape)
        return reply

    def _learn(self, gen: Generation, job: Job, reply: Reply) -> None:
        """Remember the shape of a query a worker answered quickly (and open the generation's
        handle in this process the first time)."""
        if (self.writable or job.update or reply.status != 200 or reply.seconds > QUICK_SECONDS
                or len(reply.body) > QUICK_BYTES or mentions_remote(job.text)):
            return
        gen.quick.mark(job.shape())
        if gen.inline_store is None and not gen.opening:
            gen.opening = True
            self._spawn_task(self._open_inline(gen))

    async def _open_inline(self, gen: Generation) -> None:
        try:
            handle = await asyncio.get_running_loop().run_in_executor(None, ox.Store.read_only, gen.path)
        except OSError as e:  # quick queries keep going to the workers
            self.log(f"could not open {gen.path} for quick queries: {e}")
            return
        if not gen.retired:
            gen.inline_store = handle

    def _expire(self, gen: Generation, p: Pending) -> None:
        if p in gen.queue:
            gen.queue.remove(p)
            self._finish(p, error(503, f"query not started: all workers stayed busy for the time limit "
                                       f"of {self.timeout:g} s; try again later", **{"Retry-After": "5"}))

    @staticmethod
    def _finish(p: Pending, reply: Reply) -> None:
        if not p.future.done():
            p.future.set_result(reply)

    def _dispatch(self, gen: Generation) -> None:
        for w in sorted(gen.workers, key=lambda w: w.lane != "main"):
            if not gen.queue:
                return
            if w.busy:
                continue
            slow = {id(p): p.known_slow or p.fp in self._slow for p in gen.queue}  # known now, not at arrival
            allowed = [p for p in gen.queue if w.lane == "main" or not slow[id(p)]]
            if not allowed:
                continue
            p = min(allowed, key=lambda p: (slow[id(p)], self._running.get(p.client, 0), p.seq))
            gen.queue.remove(p)
            w.busy = True
            self._running[p.client] = self._running.get(p.client, 0) + 1
            self._spawn_task(self._execute(gen, w, p))

    def _spawn_task(self, coro) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _execute(self, gen: Generation, w: Worker, p: Pending) -> None:
        started = asyncio.get_running_loop().time()
        remaining = p.deadline - started
        limit = min(remaining, self.fast_limit) if w.lane == "fast" else remaining
        try:
            return await self._run_on(gen, w, p, started, remaining, limit, p.fp)
        finally:
            self._running[p.client] -= 1
            if self._running[p.client] <= 0:
                del self._running[p.client]
            if gen.retired:
                self._close_if_done(gen)
            else:
                self._dispatch(gen)

    async def _run_on(self, gen: Generation, w: Worker, p: Pending, started: float, remaining: float,
                      limit: float, fp: int) -> None:
        if limit <= 0:
            w.busy = False
            return self._finish(p, error(503, f"query cancelled: it exceeded the time limit of {self.timeout:g} s"))
        try:
            reply = await w.call(p.job, limit)
        except asyncio.TimeoutError:
            self._replace(gen, w)
            self._slow.mark(fp)
            if w.lane == "fast" and limit < remaining and not p.future.done():
                p.known_slow = True  # cut from the fast lane: start over in the main lane
                gen.queue.append(p)
                return None
            return self._finish(p, error(503, f"query cancelled: it exceeded the time limit of "
                                              f"{self.timeout:g} s", **{"Retry-After": "5"}))
        except (asyncio.IncompleteReadError, ConnectionError, EOFError, pickle.UnpicklingError):
            code = await w.exitcode()
            self._replace(gen, w)
            self._slow.mark(fp)
            if code == -signal.SIGABRT:
                return self._finish(p, error(503, f"query stopped: it needed more memory than a query worker "
                                                  f"may use ({self.memory_mb:,} MB); narrow the query",
                                             **{"Retry-After": "5"}))
            return self._finish(p, error(500, f"the query worker failed (exit status {code})"))
        w.busy = False
        if asyncio.get_running_loop().time() - started > self.fast_limit:
            self._slow.mark(fp)
        self._learn(gen, p.job, reply)
        if p.job.update and reply.status == 204:
            self._updates += 1
            gen.version = sv.Version(f"{gen.version.id}.u{self._updates}", time.time())
        return self._finish(p, reply)

    def _replace(self, gen: Generation, w: Worker) -> None:
        """Kill ``w`` now; the spare takes its place at once, and a new spare (or, with none,
        the successor) starts in the background."""
        w.kill()
        if w in gen.workers:
            gen.workers.remove(w)
        if gen.retired or self.closed:
            return
        lane = w.lane
        if gen.spares:
            spare = gen.spares.pop()
            spare.lane = lane
            gen.workers.append(spare)
            lane = "spare"
        self._spawn_task(self._respawn(gen, w, lane))

    async def _respawn(self, gen: Generation, old: Worker, lane: str) -> None:
        await old.exitcode()  # a writer's store lock is released with its process
        for attempt in range(5):
            if gen.retired or self.closed:
                return
            new = Worker(lane)
            try:
                await new.start(self._ctx, self.settings(gen.path))
            except PoolError as e:
                self.log(f"could not replace a query worker: {e}")
                await asyncio.sleep(1 + attempt)
                continue
            if gen.retired or self.closed:
                new.kill()
                return
            (gen.spares if lane == "spare" else gen.workers).append(new)
            self._dispatch(gen)
            return

    # ------------------------------------------------------------ teardown
    async def close(self) -> None:
        self.closed = True
        if self._watch:
            self._watch.cancel()
        for gen in list(self._generations):
            gen.retired = True
            for p in gen.queue:
                self._finish(p, error(503, "the server is stopping"))
            gen.queue.clear()
            for w in gen.workers + gen.spares:
                w.kill()
            for w in gen.workers + gen.spares:
                await w.exitcode()
            gen.inline_store = None
            if gen.snapshot:
                shutil.rmtree(gen.path, ignore_errors=True)
