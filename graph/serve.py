"""`pskg serve` as a process: options, the open-file limit, the front and the pool
started together, and a clean stop on SIGINT/SIGTERM."""
from __future__ import annotations

import asyncio
import resource
import signal
import sys
import time
from dataclasses import dataclass, field
from email.utils import formatdate

from .http_front import HttpServer, Limits, Request, Response
from .server import App, Config
from .sparql_pool import WorkerPool


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


def open_files_limit() -> int:
    """Raise this process's open-file limit to its hard limit; the limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        return want
    except (ValueError, OSError):
        return soft


async def run_server(store, opts: ServeOptions, stop: asyncio.Event) -> None:
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
    host, port = (await front.listen(opts.host, opts.port))[:2]
    base_url = opts.base_url or f"http://{host}:{port}/"
    config.base_url = base_url if base_url.endswith("/") else base_url + "/"
    app.root = config.root
    mode = "read-write (single writer)" if opts.allow_update else "read-only"
    waiting = "; waiting for the running build to finish" if pool.version is None else ""
    print(f"pskg serve: {host}:{port}  endpoint {app.endpoint}  store {store} ({mode}), "
          f"{pool.workers} main + {pool.fast} fast-lane workers, time limit {opts.timeout:g} s, "
          f"{opts.memory_mb:,} MB per worker, result cap {opts.max_bytes:,} bytes{waiting}", flush=True)
    try:
        await stop.wait()
    finally:
        await front.close()
        await pool.close()


def serve(store, opts: ServeOptions) -> int:
    async def main():
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await run_server(store, opts, stop)

    try:
        import uvloop  # optional: a faster event loop
        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    runner(main())
    print("pskg serve: stopped", file=sys.stderr)
    return 0
