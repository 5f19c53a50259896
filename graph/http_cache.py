"""HTTP caching of the endpoint's reads: strong ETags, Last-Modified, conditional requests,
gzip, and the in-memory response cache.

A read's response depends only on the store version and on the request as sent (path,
query string, body, Content-Type, Accept), so that pair is its cache key and its ETag (the
version id plus a digest of the request; ``-gz`` for the gzipped variant). A store version
changes only when a build finishes (or, with --allow-update, on each update), which is
what makes the validators strong and the cache safe.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
from collections import OrderedDict
from email.utils import formatdate, parsedate_to_datetime

from .http_front import Request
from .sparql_worker import Reply

GZIP_MIN = 1024  # smaller bodies are sent as they are
COMPRESSIBLE = ("text/", "application/sparql-results", "application/ld+json", "application/json",
                "application/rdf+xml", "application/n-triples", "application/n-quads", "application/trig")


class ResponseCache:
    """Recent successful responses by (store version, request), least recently used dropped."""

    def __init__(self, max_bytes: int, item_bytes: int):
        self.max_bytes, self.item_bytes, self.size = max_bytes, item_bytes, 0
        self.items: OrderedDict[tuple, list] = OrderedDict()  # key -> [Reply, gzipped body or None]

    def get(self, key: tuple) -> list | None:
        hit = self.items.get(key)
        if hit is not None:
            self.items.move_to_end(key)
        return hit

    def put(self, key: tuple, reply: Reply) -> list:
        entry = [reply, None]
        if self.max_bytes and len(reply.body) <= self.item_bytes:
            old = self.items.pop(key, None)
            if old is not None:
                self.size -= self._weight(old)
            self.items[key] = entry
            self.size += self._weight(entry)
            while self.size > self.max_bytes and self.items:
                _, dropped = self.items.popitem(last=False)
                self.size -= self._weight(dropped)
        return entry

    def add_gzip(self, entry: list, body: bytes) -> None:
        if entry[1] is None and any(e is entry for e in self.items.values()):
            entry[1] = body
            self.size += len(body)
        else:
            entry[1] = body

    @staticmethod
    def _weight(entry: list) -> int:
        return len(entry[0].body) + (len(entry[1]) if entry[1] else 0) + 256


def accepts_gzip(header: str | None) -> bool:
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip().lower()
            if q.startswith("q="):
                try:
                    return float(q[2:]) > 0
                except ValueError:
                    return False
            return True
    return False


def gzip_body(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=5, mtime=0)  # mtime 0: the same bytes every time


@functools.lru_cache(maxsize=4096)
def etag(key: tuple, gz: bool) -> str:
    """A strong validator: the store version and a digest of the request it answers."""
    h = hashlib.blake2b(digest_size=10)
    for part in key[1:]:
        h.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        h.update(b"\x00")
    return f'"{key[0]}-{h.hexdigest()}{"-gz" if gz else ""}"'


class HttpCaching:
    """Validators, conditional requests and compression over one ResponseCache."""

    def __init__(self, cache_bytes: int, item_bytes: int, max_age: int, no_cache: bool):
        self.cache = ResponseCache(cache_bytes, item_bytes)
        self.control = "no-cache" if no_cache else f"public, max-age={max_age}"
        self._modified: dict[str, str] = {}  # version id -> its Last-Modified

    def knows(self, version) -> bool:
        return version.id in self._modified

    def modified(self, version) -> str:
        """Last-Modified of a store version (remembered by id, for the versions recently served)."""
        text = self._modified.get(version.id)
        if text is None:
            text = self._modified[version.id] = formatdate(version.finished, usegmt=True)
            while len(self._modified) > 64:
                self._modified.pop(next(iter(self._modified)))
        return text

    def not_modified(self, req: Request, key: tuple, version) -> bool:
        inm = req.header("if-none-match")
        if inm is not None:
            tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
            return "*" in tags or bool(tags & {etag(key, False), etag(key, True)})
        ims = req.header("if-modified-since")
        if ims and req.method in ("GET", "HEAD"):
            try:
                return int(version.finished) <= parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError, IndexError):
                return False
        return False

    def headers(self, key: tuple, gz: bool) -> list[tuple[str, str]]:
        out = [("ETag", etag(key, gz)), ("Cache-Control", self.control)]
        if key[0] in self._modified:
            out.append(("Last-Modified", self._modified[key[0]]))
        return out

    @staticmethod
    def wants_gzip(req: Request, reply: Reply) -> bool:
        return (len(reply.body) >= GZIP_MIN and reply.content_type.startswith(COMPRESSIBLE)
                and accepts_gzip(req.header("accept-encoding")))

    def gzipped(self, entry: list) -> bytes:
        if entry[1] is None:
            self.cache.add_gzip(entry, gzip_body(entry[0].body))
        return entry[1]
