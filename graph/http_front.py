"""A small, strict HTTP/1.1 server on asyncio: the front of `pskg serve`.

One event loop holds every connection, so idle or slow clients cost a socket each, not a
thread. It reads requests (keep-alive, pipelined requests one after another), hands each
to an async application and writes its response with a Content-Length. Limits:

* request line (the URL) at most ``max_line`` bytes (414), header section ``max_head``
  bytes and ``max_headers`` fields (431), body ``max_body`` bytes (413);
* the header section must arrive within ``header_timeout`` seconds of the connection
  opening or of the previous response (an idle keep-alive connection is then closed, one
  with a partial request gets 408), the body within ``body_timeout``;
* at most ``max_connections`` open connections: a new one past the cap closes the longest
  idle connection that has no request in progress, or gets 503 when every connection is busy.

Parsing is strict where requests could be smuggled: CRLF line ends only, no folded header
lines, no space before a field's colon, exactly one Host (HTTP/1.1), at most one
Content-Length (digits only), Transfer-Encoding only as ``chunked`` and never together
with Content-Length; a chunked body is decoded (chunk sizes in hex, extensions and
trailers skipped) and only then does the next request start. After a framing error the
connection is closed.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from typing import Awaitable, Callable

TOKEN = frozenset(b"!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
HEX = frozenset(b"0123456789abcdefABCDEF")
REASONS = {s.value: s.phrase for s in HTTPStatus}


@dataclass
class Limits:
    max_line: int = 65_536  # request line, i.e. the URL
    max_head: int = 98_304  # the whole header section
    max_headers: int = 100
    max_body: int = 1_000_000
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_connections: int = 1024


@dataclass
class Request:
    method: str
    target: str  # the request-target as sent (path and query, percent-encoded)
    version: str
    headers: dict[str, str]  # lower-case names; repeated fields joined with ", "
    body: bytes
    client: str

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    close: bool = False


App = Callable[[Request], Awaitable[Response]]


class HttpError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


_date_cache = [0, ""]


def http_date() -> str:
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[:] = [now, formatdate(now, usegmt=True)]
    return _date_cache[1]


def render(resp: Response, head_only: bool, keep_alive: bool) -> bytes:
    lines = [f"HTTP/1.1 {resp.status} {REASONS.get(resp.status, 'Unknown')}", f"Date: {http_date()}"]
    lines += [f"{k}: {v}" for k, v in resp.headers]
    no_body = resp.status in (204, 304) or 100 <= resp.status < 200
    if not no_body:
        lines.append(f"Content-Length: {len(resp.body)}")
    if not keep_alive:
        lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head if head_only or no_body else head + resp.body


class ChunkedDecoder:
    """Incremental decoder of a chunked body (RFC 9112 section 7.1)."""

    def __init__(self, max_body: int):
        self.max_body, self.parts, self.size = max_body, [], 0
        self.state, self.need = "size", 0  # size | data | data-crlf | trailer

    def feed(self, buf: bytearray) -> bytes | None:
        """Consume what it can from ``buf``; the body once complete, else None."""
        while True:
            if self.state == "size":
                eol = buf.find(b"\r\n")
                if eol < 0:
                    if len(buf) > 1024:
                        raise HttpError(400, "chunk size line too long")
                    return None
                line = bytes(buf[:eol]).split(b";", 1)[0].strip(b" \t")
                del buf[: eol + 2]
                if not line or len(line) > 16 or not HEX.issuperset(line):
                    raise HttpError(400, "bad chunk size")
                self.need = int(line, 16)
                if self.size + self.need > self.max_body:
                    raise HttpError(413, f"request body over {self.max_body:,} bytes")
                self.state = "data" if self.need else "trailer"
            elif self.state == "data":
                if not buf:
                    return None
                take = bytes(buf[: self.need])
                del buf[: len(take)]
                self.parts.append(take)
                self.size += len(take)
                self.need -= len(take)
                if self.need == 0:
                    self.state = "data-crlf"
            elif self.state == "data-crlf":
                if len(buf) < 2:
                    return None
                if buf[:2] != b"\r\n":
                    raise HttpError(400, "chunk data not followed by CRLF")
                del buf[:2]
                self.state = "size"
            else:  # trailer fields, skipped, up to the empty line
                eol = buf.find(b"\r\n")
                if eol < 0:
                    if len(buf) > 8192:
                        raise HttpError(431, "trailer section too large")
                    return None
                line = bytes(buf[:eol])
                del buf[: eol + 2]
                if not line:
                    return b"".join(self.parts)


def parse_head(head: bytes, limits: Limits) -> tuple[str, str, str, dict[str, str], set[str]]:
    """(method, target, version, headers, names given more than once) of a header section."""
    crlf = head.count(b"\r\n")
    if head.count(b"\n") != crlf or head.count(b"\r") != crlf or b"\x00" in head:
        raise HttpError(400, "bare CR, LF or NUL in the header section")
    lines = head.split(b"\r\n")
    request_line = lines[0]
    if len(request_line) > limits.max_line:
        raise HttpError(414, f"request line over {limits.max_line:,} bytes")
    parts = request_line.split(b" ")
    if len(parts) != 3 or not parts[0] or not TOKEN.issuperset(parts[0]):
        raise HttpError(400, "malformed request line")
    method, target, version = (p.decode("latin-1") for p in parts)
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        if version.startswith("HTTP/"):
            raise HttpError(505, "HTTP/1.1 and HTTP/1.0 only")
        raise HttpError(400, "malformed request line")
    if len(lines) - 1 > limits.max_headers:
        raise HttpError(431, f"more than {limits.max_headers} header fields")
    headers: dict[str, str] = {}
    repeated: set[str] = set()
    for ln in lines[1:]:
        if ln[:1] in (b" ", b"\t"):
            raise HttpError(400, "folded header lines are not accepted")
        name, sep, value = ln.partition(b":")
        if not sep or not name or not TOKEN.issuperset(name):
            raise HttpError(400, "malformed header field")
        key = name.decode("latin-1").lower()
        val = value.strip(b" \t").decode("latin-1")
        if key in headers:
            repeated.add(key)
            headers[key] = headers[key] + ", " + val
        else:
            headers[key] = val
    return method, target, version, headers, repeated


def body_framing(version: str, headers: dict[str, str], repeated: set[str], limits: Limits) -> tuple[str, int]:
    """("none" | "length" | "chunked", length) of a request, refusing ambiguous framing."""
    te, cl = headers.get("transfer-encoding"), headers.get("content-length")
    if version == "HTTP/1.1" and ("host" not in headers or "host" in repeated):
        raise HttpError(400, "an HTTP/1.1 request needs exactly one Host header")
    if te is not None:
        if cl is not None:
            raise HttpError(400, "Transfer-Encoding and Content-Length together")
        if "transfer-encoding" in repeated or version != "HTTP/1.1":
            raise HttpError(400, "bad Transfer-Encoding")
        if te.strip().lower() != "chunked":
            raise HttpError(501, f"Transfer-Encoding {te!r} is not supported (only chunked)")
        return "chunked", 0
    if cl is not None:
        if "content-length" in repeated:
            raise HttpError(400, "more than one Content-Length")
        if not cl.isdigit() or not cl.isascii() or len(cl) > 15:
            raise HttpError(400, "bad Content-Length")
        n = int(cl)
        if n > limits.max_body:
            raise HttpError(413, f"request body over {limits.max_body:,} bytes")
        return ("length", n) if n else ("none", 0)
    return "none", 0


class Connection(asyncio.Protocol):
    def __init__(self, server: "HttpServer"):
        self.server, self.limits = server, server.limits
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.scanned = 0  # bytes of buf already searched for the end of the header section
        self.state = "head"  # head | body | busy | draining | closed
        self.drained = 0
        self.request: tuple | None = None
        self.framing: tuple[str, int] = ("none", 0)
        self.chunked: ChunkedDecoder | None = None
        self.deadline = float("inf")  # when the head or body being waited for is overdue (the server's sweep)
        self.idle_since = time.monotonic()
        self.client = ""

    # ------------------------------------------------------------ lifecycle
    def connection_made(self, transport):
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.client = peer[0] if isinstance(peer, tuple) else ""
        if not self.server.admit(self):
            self.transport.write(render(Response(503, [("Content-Type", "text/plain; charset=utf-8"),
                                                       ("X-Content-Type-Options", "nosniff"), ("Retry-After", "1")],
                                                 b"too many open connections; try again later\n"), False, False))
            if self.transport.can_write_eof():  # let the client read it before the close
                self.transport.write_eof()
                self.state, self.drained = "draining", 0
                asyncio.get_running_loop().call_later(1.0, self.close)
            else:
                self.close()
            return
        self._arm(self.limits.header_timeout)

    def connection_lost(self, exc):
        self.state = "closed"
        self.server.forget(self)

    def close(self) -> None:
        self.state = "closed"
        if self.transport is not None:
            self.transport.close()

    @property
    def idle(self) -> bool:
        """Open without a request in progress (waiting for one, or for its head or body)."""
        return self.state in ("head", "body")

    def _arm(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def timed_out(self) -> None:
        if self.state == "draining":
            self.close()
        elif self.state == "head" and not self.buf:
            self.close()  # an idle keep-alive connection
        elif self.state in ("head", "body"):
            self._fail(HttpError(408, "request not received in time"))

    # ------------------------------------------------------------ reading
    def data_received(self, data: bytes) -> None:
        if self.state == "closed":
            return
        if self.state == "draining":  # after an error: read and drop what the client still sends
            self.drained += len(data)
            if self.drained > 4 * self.limits.max_body:
                self.close()
            return
        self.buf += data
        if self.state == "busy":
            if len(self.buf) > self.limits.max_head + self.limits.max_body:
                self.transport.pause_reading()  # a client pipelining faster than we answer
            return
        try:
            self._advance()
        except HttpError as e:
            self._fail(e)

    def _advance(self) -> None:
        while self.state in ("head", "body"):
            if self.state == "head":
                while self.buf[:2] == b"\r\n":  # empty lines before a request are ignored
                    del self.buf[:2]
                end = self.buf.find(b"\r\n\r\n", max(0, self.scanned - 3))
                if end < 0:
                    self.scanned = len(self.buf)
                    first = self.buf.find(b"\r\n")
                    if (first < 0 and len(self.buf) > self.limits.max_line) or first > self.limits.max_line:
                        raise HttpError(414, f"request line over {self.limits.max_line:,} bytes")
                    if len(self.buf) > self.limits.max_head:
                        raise HttpError(431, f"header section over {self.limits.max_head:,} bytes")
                    return
                if end > self.limits.max_head:
                    raise HttpError(431, f"header section over {self.limits.max_head:,} bytes")
                head = bytes(self.buf[:end])
                del self.buf[: end + 4]
                self.scanned = 0
                method, target, version, headers, repeated = parse_head(head, self.limits)
                self.request = (method, target, version, headers)
                self.framing = body_framing(version, headers, repeated, self.limits)
                if self.framing[0] == "none":
                    self._dispatch(b"")
                    continue
                if headers.get("expect", "").lower() == "100-continue":
                    self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                self.chunked = ChunkedDecoder(self.limits.max_body) if self.framing[0] == "chunked" else None
                self.state = "body"
                self._arm(self.limits.body_timeout)
            if self.state == "body":
                if self.chunked is not None:
                    body = self.chunked.feed(self.buf)
                    if body is None:
                        return
                else:
                    n = self.framing[1]
                    if len(self.buf) < n:
                        return
                    body = bytes(self.buf[:n])
                    del self.buf[:n]
                self.chunked = None
                self._dispatch(body)

    def _dispatch(self, body: bytes) -> None:
        method, target, version, headers = self.request
        req = Request(method, target, version, headers, body, self.client)
        self.state = "busy"
        self.deadline = float("inf")
        resp = self.server.fast(req) if self.server.fast else None
        if resp is not None:  # answered without waiting for anything (e.g. from a cache)
            self._send(req, resp)
        else:
            self.server.spawn(self._handle(req))

    async def _handle(self, req: Request) -> None:
        try:
            resp = await self.server.app(req)
        except Exception as e:  # an application bug must not take the connection down silently
            self.server.log(f"internal error on {req.method} {req.target[:200]}: {type(e).__name__}: {e}")
            resp = Response(500, [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")],
                            b"internal server error\n")
        if self.state == "closed":
            return
        self._send(req, resp)
        if self.state == "head":
            try:
                self._advance()
            except HttpError as e:
                self._fail(e)

    def _send(self, req: Request, resp: Response) -> None:
        """Write the response; then wait for the next request (or close)."""
        if self.server.access_log:
            self.server.access_log(req, resp)
        conn = req.headers.get("connection", "").lower()
        keep = not resp.close and ("close" not in conn) and (req.version == "HTTP/1.1" or "keep-alive" in conn)
        out = render(resp, req.method == "HEAD", keep)
        if keep and req.version == "HTTP/1.0":
            out = out.replace(b"\r\n\r\n", b"\r\nConnection: keep-alive\r\n\r\n", 1)
        self.transport.write(out)
        if not keep:
            self.close()
            return
        self.state = "head"
        self.idle_since = time.monotonic()
        self._arm(self.limits.header_timeout)
        self.transport.resume_reading()

    def _fail(self, e: HttpError) -> None:
        """Answer a request that cannot be read and close the connection; what the client is
        still sending is read and dropped for a moment (a lingering close), so that a client
        busy sending a body gets to read the answer."""
        resp = Response(e.status, [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff"),
                                   ("Access-Control-Allow-Origin", "*")], (e.message + "\n").encode("utf-8"))
        if self.transport is None or self.transport.is_closing():
            return self.close()
        self.transport.write(render(resp, False, False))
        if e.status == 408 or not self.transport.can_write_eof():
            return self.close()
        self.transport.write_eof()
        self.state, self.drained = "draining", 0
        self.buf.clear()
        self._arm(2.0)


class HttpServer:
    """``app`` answers every request; ``fast``, when given, is tried first and synchronously
    (a response or None), for answers that need no waiting."""

    def __init__(self, app: App, limits: Limits | None = None, log=None,
                 fast: Callable[[Request], Response | None] | None = None,
                 access_log: Callable[[Request, Response], None] | None = None):
        self.app, self.limits, self.fast, self.access_log = app, limits or Limits(), fast, access_log
        self.log = log or (lambda msg: None)
        self.connections: set[Connection] = set()
        self.tasks: set[asyncio.Task] = set()
        self.server: asyncio.base_events.Server | None = None
        self.sweeper: asyncio.Task | None = None

    def admit(self, conn: Connection) -> bool:
        if len(self.connections) >= self.limits.max_connections:
            idle = [c for c in self.connections if c.idle]
            if not idle:
                return False
            victim = min(idle, key=lambda c: c.idle_since)
            victim.close()
            self.connections.discard(victim)
        self.connections.add(conn)
        return True

    def forget(self, conn: Connection) -> None:
        self.connections.discard(conn)

    def spawn(self, coro) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def listen(self, host: str, port: int, sock=None):
        """Listen on ``host``:``port``, or on ``sock``, a listening socket shared with other
        processes (each accepts what it can: a busy process wakes later and takes fewer)."""
        loop = asyncio.get_running_loop()
        if sock is not None:
            self.server = await loop.create_server(lambda: Connection(self), sock=sock, backlog=1024)
        else:
            self.server = await loop.create_server(lambda: Connection(self), host, port, backlog=1024,
                                                   reuse_address=True)
        self.sweeper = asyncio.get_running_loop().create_task(self._sweep())
        return self.server.sockets[0].getsockname()

    async def _sweep(self) -> None:
        """Every quarter second: time out connections whose head or body is overdue."""
        while True:
            await asyncio.sleep(0.25)
            now = time.monotonic()
            for c in [c for c in self.connections if c.deadline < now]:
                c.timed_out()

    async def close(self) -> None:
        if self.sweeper is not None:
            self.sweeper.cancel()
        if self.server is not None:
            self.server.close()
        for c in list(self.connections):
            c.close()
