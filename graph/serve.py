"""`pskg serve` as a process: options, the open-file limit, the front and the pool
started together, and a clean stop on SIGINT/SIGTERM.

With ``fronts`` > 1 (read-only servers), the process binds the listening socket and forks
that many front processes, each with its own pool (the main-lane and fast-lane workers
split among them, a spare each) and its own response cache; they accept from the one socket,
so the kernel hands a new connection to whichever front is waiting for one, and a busy front
takes fewer. Quick queries (graph/sparql_pool.py) run in the fronts, so more fronts use more
cores for them. The first process prints the banner once every front listens, restarts a
front that dies, and stops them all on SIGINT/SIGTERM; a front ends with it (PR_SET_PDEATHSIG)."""
from __future__ import annotations

import asyncio
import os
import resource
import signal
import socket
import sys
import time
import traceback
from dataclasses import dataclass, field, replace
from email.utils import formatdate

from .http_front import HttpServer, Limits, Request, Response
from .server import App, Config
from .sparql_pool import PoolError, WorkerPool


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 7878
    base_url: str | None = None
    workers: int = 4
    fast: int = 2
    fast_limit: float = 0.25
    timeout: float = 30.0
    max_bytes: int = 100_000_000
    memory_mb: int = 1024
    queue_max: int = 64
    allow_update: bool = False
    allow_service: list[str] = field(default_factory=list)
    max_connections: int = 1024
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    cache_mb: int = 64
    max_age: int = 60
    quiet: bool = False
    fronts: int = 1


def open_files_limit() -> int:
    """Raise this process's open-file limit to its hard limit; the limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        return want
    except (ValueError, OSError):
        return soft


async def run_server(store, opts: ServeOptions, stop: asyncio.Event, sock: socket.socket | None = None,
                     on_ready=None) -> None:
    """One front and its pool until ``stop`` is set; ``on_ready(address, endpoint, waiting)``
    once it listens (on ``sock`` when given, else on opts.host:opts.port); by default the
    banner is printed."""
    # every connection is a file; keep some for the workers' channels and the store
    connections = min(opts.max_connections, max(16, open_files_limit() - 64 - 4 * (opts.workers + opts.fast)))
    limits = Limits(max_connections=connections, header_timeout=opts.header_timeout,
                    body_timeout=opts.body_timeout)
    pool = WorkerPool(store, workers=opts.workers, fast=opts.fast, timeout=opts.timeout, fast_limit=opts.fast_limit,
                      max_bytes=opts.max_bytes, memory_mb=opts.memory_mb, writable=opts.allow_update,
                      network=bool(opts.allow_service), queue_max=opts.queue_max)
    await pool.start()
    config = Config(base_url="", allow_update=opts.allow_update, allow_service=list(opts.allow_service),
                    max_age=opts.max_age, cache_bytes=opts.cache_mb * 2**20)
    app = App(pool, config, limits)
    def access_log(req: Request, resp: Response) -> None:
        print(f'{req.client} - - [{formatdate(time.time(), localtime=True)}] "{req.method} {req.target[:300]} '
              f'{req.version}" {resp.status} {len(resp.body)}', file=sys.stderr, flush=True)

    front = HttpServer(app, limits, fast=app.fast, access_log=None if opts.quiet else access_log,
                       log=lambda msg: print(f"pskg serve: {msg}", file=sys.stderr, flush=True))
    host, port = (await front.listen(opts.host, opts.port, sock))[:2]
    base_url = opts.base_url or f"http://{host}:{port}/"
    config.base_url = base_url if base_url.endswith("/") else base_url + "/"
    app.root = config.root
    waiting = "; waiting for the running build to finish" if pool.version is None else ""
    if on_ready is None:
        print(banner(f"{host}:{port}", app.endpoint, store, opts, pool.workers, pool.fast, 1, waiting), flush=True)
    else:
        on_ready(f"{host}:{port}", app.endpoint, waiting)
    try:
        await stop.wait()
    finally:
        await front.close()
        await pool.close()


def banner(address: str, endpoint: str, store, opts: ServeOptions, workers: int, fast: int, fronts: int,
           waiting: str) -> str:
    """The line a server prints once it listens (the first line of its output)."""
    mode = "read-write (single writer)" if opts.allow_update else "read-only"
    where = f"{fronts} fronts, " if fronts > 1 else ""
    return (f"pskg serve: {address}  endpoint {endpoint}  store {store} ({mode}), {where}{workers} main + "
            f"{fast} fast-lane workers, time limit {opts.timeout:g} s, {opts.memory_mb:,} MB per worker, "
            f"result cap {opts.max_bytes:,} bytes{waiting}")


def end_with_parent() -> None:
    """In a child process: be sent SIGTERM when the parent dies (Linux), so a killed parent
    leaves no server behind."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run_front(store, opts: ServeOptions, sock: socket.socket | None = None, on_ready=None) -> None:
    """One front process's event loop until SIGINT/SIGTERM."""
    async def main():
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_server(store, opts, stop, sock, on_ready)

    try:
        import uvloop  # optional: a faster event loop
        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    runner(main())


def serve(store, opts: ServeOptions) -> int:
    if opts.fronts > 1:
        return Fronts(store, opts).run()
    run_front(store, opts)
    print("pskg serve: stopped", file=sys.stderr)
    return 0


def share(total: int, parts: int, i: int) -> int:
    """Part ``i`` of ``total`` split as evenly as possible into ``parts``."""
    return total // parts + (1 if i < total % parts else 0)


class Fronts:
    """The first process of a server with several fronts: binds, forks, restarts, stops."""

    def __init__(self, store, opts: ServeOptions):
        if opts.allow_update:
            raise ValueError("--fronts above 1 needs a read-only server (a store has one writer): "
                             "drop --allow-update or --fronts")
        self.store, self.opts = store, opts
        self.sock = socket.create_server((opts.host, opts.port), backlog=1024)
        self.sock.setblocking(False)
        self.children: dict[int, int] = {}  # pid -> front number
        self.stopping = False

    def options(self, i: int) -> ServeOptions:
        n, o = self.opts.fronts, self.opts
        return replace(o, fronts=1, workers=max(1, share(o.workers, n, i)), fast=share(o.fast, n, i))

    def fork(self, i: int) -> int:
        """Start front ``i``; the read end of the pipe its banner comes through."""
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the front (no thread has started in this process before the fork)
            os.close(r)
            code = 0
            try:
                end_with_parent()
                for sig in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(sig, signal.SIG_DFL)

                def ready(address: str, endpoint: str, waiting: str) -> None:
                    try:
                        os.write(w, "\t".join((address, endpoint, waiting)).encode("utf-8") + b"\n")
                        os.close(w)
                    except OSError:  # a restarted front: nobody reads its banner
                        pass

                run_front(self.store, self.options(i), self.sock, ready)
            except Exception as e:  # e.g. the store cannot be opened: the first process reports it
                print(f"pskg serve: front {i}: {type(e).__name__}: {e}", file=sys.stderr)
                if not isinstance(e, (OSError, PoolError)):
                    traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(w)
        self.children[pid] = i
        return r

    def _stop(self, *_) -> None:
        self.stopping = True
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        pipes = [self.fork(i) for i in range(self.opts.fronts)]
        banners = []
        for r in pipes:
            with os.fdopen(r, "rb") as f:
                banners.append(f.readline().decode("utf-8").rstrip("\n"))
        if not all(banners):  # a front could not start
            self._stop()
            self._reap(deadline=time.monotonic() + 30)
            return 1
        address, endpoint, waiting = banners[0].split("\t")
        parts = [self.options(i) for i in range(self.opts.fronts)]
        print(banner(address, endpoint, self.store, self.opts, sum(o.workers for o in parts),
                     sum(o.fast for o in parts), self.opts.fronts, waiting), flush=True)
        while self.children:
            pid, status = os.wait()
            i = self.children.pop(pid, None)
            if i is None or self.stopping:
                continue
            print(f"pskg serve: front {i} ended (status {status}); starting it again", file=sys.stderr, flush=True)
            time.sleep(1.0)
            if not self.stopping:
                os.close(self.fork(i))
        print("pskg serve: stopped", file=sys.stderr)
        return 0

    def _reap(self, deadline: float) -> None:
        while self.children and time.monotonic() < deadline:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid:
                self.children.pop(pid, None)
            else:
                time.sleep(0.1)
        for pid in self.children:
            os.kill(pid, signal.SIGKILL)
