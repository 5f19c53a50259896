"""Command line: pskg build | export | query | validate | app | serve."""
from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from .paths import DEFAULT_CORPUS, QUERIES_DIR, ROOT, default_store
from .portable import portable
from .query_text import QueryTextError, bind_values, paging


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", type=Path, default=None,
                   help="store directory (default: $PSKG_STORE or ./store)")


def cmd_build(a) -> int:
    from graph.build import BuildError, build, entity_counts
    from graph.build_lock import BuildLocked, build_lock
    from graph.corpus import MissingInput, shown
    from graph.store import GraphStore
    from graph.void import total_triples
    from graph.workers import Budget

    inputs = a.corpus or [DEFAULT_CORPUS]
    store_dir = a.store or default_store()
    budget = Budget(seconds=getattr(a, "doc_timeout", Budget.seconds), memory_mb=getattr(a, "doc_memory", None))
    progress = BuildProgress(sys.stdout.isatty() and not getattr(a, "plain", False))
    try:
        with build_lock(store_dir):
            try:
                store = GraphStore(store_dir)
            except OSError as e:
                print(f"error: cannot open the store {shown(str(store_dir))} for writing: "
                      f"{shown(str(e))}", file=sys.stderr)
                return 1
            try:
                report = build(inputs, store, progress, jobs=getattr(a, "jobs", None), dask=getattr(a, "dask", None),
                               budget=budget)
            finally:
                progress.close()
            counts = entity_counts(store)
            total = total_triples(store.select)
    except MissingInput as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except (BuildLocked, BuildError) as e:
        print(f"error: {shown(str(e))}", file=sys.stderr)
        return 1
    except OSError as e:  # the lock file cannot be made (a read-only or full disk)
        print(f"error: cannot lock the store {shown(str(store_dir))}: {shown(str(e))}", file=sys.stderr)
        return 1
    ok = [d for d in report.documents if d.ok and d.status in ("stored", "replaced")]
    print(f"store: {shown(str(store_dir))}")
    print(f"documents: {len(report.documents) - len(report.skipped)} ({len(ok)} stored, "
          f"{report.count('unchanged')} unchanged, {report.count('removed')} removed, {len(report.failures)} failed"
          + (f"; {len(report.skipped)} other entries skipped" if report.skipped else "") + "); "
          f"triples: {total} (documents {sum(d.triples for d in ok)}"
          + (f", reference {report.reference_triples}" if report.full else "")
          + f"); shared descriptions rewritten: {report.shared_updated}; {report.seconds:.1f}s"
          + (" (full rebuild)" if report.full else "") + ("; store compacted" if report.compacted else ""))
    print("time: " + ", ".join(f"{name} {sec:.1f}s" for name, sec in report.phases.items()))
    print("entities: " + ", ".join(f"{c} {n}" for c, n in sorted(counts.items())))
    for d in report.skipped:
        print(f"skipped: {shown(d.source_file)}: {shown(d.error)}", file=sys.stderr)
    for d in report.failures:
        print(f"failed: {shown(d.source_file)}: {shown(d.error)}", file=sys.stderr)
    return 1 if report.failures else 0


class BuildProgress:
    """A progress bar with rate and ETA on a terminal (tqdm), else one line per document."""

    def __init__(self, bar: bool):
        self.bar = None
        self.use_bar = bar

    def __call__(self, res, i, n):
        if self.use_bar and self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=n, unit="doc", dynamic_ncols=True)
        from graph.corpus import shown  # names and titles come from the corpus: one line each

        if res.ok:
            line = (f"[{i}/{n}] {shown(res.source_file)}: {res.triples} triples, {res.seconds:.2f}s  "
                    f"{shown(res.title) or '(no title in the text)'}" + (f"  ({shown(res.notes)})" if res.notes else ""))
        else:
            line = f"[{i}/{n}] ERROR {shown(res.source_file)}: {shown(res.error)}"
        if self.bar is not None:
            if not res.ok:
                self.bar.write(line, file=sys.stderr)
            self.bar.update(1)
            return
        print(line)  # progress on stdout; each failure gets its one error line on stderr at the end
        sys.stdout.flush()

    def close(self):
        if self.bar is not None:
            self.bar.close()


def cmd_export(a) -> int:
    from graph.store import GraphStore, StoreError

    try:
        store = GraphStore(a.store or default_store(), read_only=True)
        graph = a.plan
        if graph and not graph.startswith("http"):
            from graph.terms import plan_iri
            graph = plan_iri(graph).value
        from graph.void import VOID_GRAPH

        exclude = [VOID_GRAPH] if a.no_void else []
        if a.output and str(a.output) != "-":
            with open(a.output, "wb") as fh:
                store.export(a.format, fh, graph=graph, exclude=exclude)
        else:
            store.export(a.format, sys.stdout.buffer, graph=graph, exclude=exclude)
    except StoreError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


def _query_text(a) -> str:
    if a.execute:
        return a.execute
    if a.file:
        return Path(a.file).read_text(encoding="utf-8")
    name = a.name[:-3] if a.name.endswith(".rq") else a.name
    path = QUERIES_DIR / f"{name}.rq"
    if not path.exists():
        names = ", ".join(sorted(p.stem for p in QUERIES_DIR.glob("*.rq")))
        raise SystemExit(f"error: no named query {name!r}; available: {names}")
    return path.read_text(encoding="utf-8")


def _pages_of(store, text: str, a) -> list[str]:
    """The texts ``pskg query`` runs for a paged named query: page 1 by default when the query
    declares pages for the parameters bound (``# Page:`` for none, ``# Page if NAMES:`` for
    those), ``--page K`` for another, ``--all`` every page in turn (each page is evaluated for
    its own values, which at scale is far faster than the whole query at once); which page of
    how many goes to stderr. Other queries, and queries bound where they declare no pages,
    run as they are."""
    pg = paging(text, a.bind or [])
    if pg is None:
        if a.page is not None or a.all:
            print("note: the query declares no pages for these parameters; it runs whole", file=sys.stderr)
        return [text]
    if a.page_size is not None and a.page_size < 1:
        raise QueryTextError(f"--page-size must be at least 1, got {a.page_size}")
    total = pg.total(store)
    size = a.page_size or pg.size
    pages = max(1, -(-total // size))
    if a.all:
        print(f"{pages} pages of {size} of {total} ?{pg.var}, run in turn", file=sys.stderr)
        return [pg.page(text, k, size) for k in range(1, pages + 1)]
    number = a.page or 1
    print(f"page {number} of {pages} ({size} of {total} ?{pg.var} a page; --page K for another, "
          f"--all for every row)", file=sys.stderr)
    return [pg.page(text, number, size)]


def cmd_query(a) -> int:
    import pyoxigraph as ox

    from graph.store import GraphStore, StoreError

    try:
        store = GraphStore(a.store or default_store(), read_only=True)
        texts = [bind_values(t, a.bind or []) for t in _pages_of(store, _query_text(a), a)]
        if a.portable:
            texts = [portable(t) for t in texts]
        if a.print:  # with the prefixes the store adds, so the text runs as printed anywhere
            from graph.terms import SPARQL_PREFIXES
            print("\n# ----- next page\n".join(SPARQL_PREFIXES + t for t in texts))
            return 0
        res = store.query(texts[0])
    except (StoreError, QueryTextError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except SyntaxError as e:
        print(f"error: malformed query: {e}", file=sys.stderr)
        return 1
    if isinstance(res, ox.QueryBoolean):
        print("true" if bool(res) else "false")
        return 0
    if isinstance(res, ox.QueryTriples):
        sys.stdout.buffer.write(res.serialize(format=ox.RdfFormat.TURTLE))
        return 0
    names = [v.value for v in res.variables]

    def rows():
        for k, text in enumerate(texts):
            for sol in (res if k == 0 else store.query(text)):
                yield [(sol[n].value if sol[n] is not None else "") for n in names]

    if a.format == "json":
        print(json.dumps([dict(zip(names, r)) for r in rows()], ensure_ascii=False, indent=1))
    elif a.format == "csv":  # written as the pages come
        w = csv.writer(sys.stdout)
        w.writerow(names)
        for r in rows():
            w.writerow(r)
    else:
        print(format_table(names, list(rows())))
    return 0


def format_table(names: list[str], rows: list[list[str]]) -> str:
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    cols = [max([width(n)] + [width(r[i]) for r in rows]) for i, n in enumerate(names)]
    cols = [min(c, 60) for c in cols]

    def fmt(cells):
        out = []
        for c, w in zip(cells, cols):
            while width(c) > w:
                c = c[:-2] + "…"
            out.append(c + " " * (w - width(c)))
        return " | ".join(out).rstrip()

    lines = [fmt(names), "-+-".join("-" * w for w in cols)] + [fmt(r) for r in rows]
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines)


def cmd_validate(a) -> int:
    from graph.store import GraphStore, StoreError
    from graph.validate import validate

    try:
        store = GraphStore(a.store or default_store(), read_only=True)
    except StoreError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    from graph.workers import default_jobs

    bar = None

    def progress(done: int, total: int) -> None:  # a bar with rate and ETA on a terminal
        nonlocal bar
        if bar is None:
            from tqdm import tqdm

            bar = tqdm(total=total, unit="chunk", dynamic_ncols=True, file=sys.stderr)
        bar.update(1)

    try:
        conforms, text = validate(store, jobs=a.jobs or default_jobs(),
                                  progress=progress if sys.stderr.isatty() else None)
    finally:
        if bar is not None:
            bar.close()
    print(text)
    return 0 if conforms else 1


# Streamlit settings for users: no Deploy button or developer menu, no tracebacks in the page
APP_FLAGS = ("--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--client.toolbarMode", "viewer", "--client.showErrorDetails", "none")


def store_is_stale(store: Path, corpus: Path) -> bool:
    """Whether the store is missing or older than the newest file of the corpus."""
    from graph.store_version import read_version

    version = read_version(store) if store.exists() else None
    if version is None:
        return True
    newest = max((p.stat().st_mtime for p in corpus.rglob("*") if p.is_file()), default=0.0)
    return newest > version.finished


def cmd_app(a) -> int:
    from graph.serve import end_with_parent

    store = Path(a.store or default_store())
    if a.rebuild or store_is_stale(store, DEFAULT_CORPUS):
        rc = cmd_build(argparse.Namespace(corpus=None, store=store, jobs=None, dask=None, plain=False,
                                          doc_timeout=120.0, doc_memory=None))
        if rc != 0 and not store.exists():
            return rc
    from explorer.precomputed import ensure

    written, seconds = ensure(store)  # the explorer's whole-store figures, once per store version
    if written:
        print(f"explorer figures for this store version written in {seconds:.1f} s")
    endpoint = None
    if a.endpoint_port:
        # the SPARQL endpoint and linked-data pages beside the explorer, ended with it
        serve = [sys.executable, "-m", "pskg.cli", "serve", "--store", str(store), "--port", str(a.endpoint_port)]
        print(f"starting the SPARQL endpoint: http://127.0.0.1:{a.endpoint_port}/sparql")
        endpoint = subprocess.Popen(serve, preexec_fn=end_with_parent)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a terminated app ends its endpoint too
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), *APP_FLAGS,
           "--server.port", str(a.port), "--", "--store", str(store)]
    print("starting the explorer: " + " ".join(cmd))
    try:
        return subprocess.call(cmd, env=dict(os.environ, PSKG_STORE=str(store)), preexec_fn=end_with_parent)
    finally:
        if endpoint is not None:
            endpoint.terminate()
            try:
                endpoint.wait(timeout=10)
            except subprocess.TimeoutExpired:
                endpoint.kill()


def cmd_serve(a) -> int:
    from graph.serve import ServeOptions, serve
    from graph.sparql_pool import PoolError

    store = a.store or default_store()
    if not Path(store).exists():
        print(f"error: no store at {store}: run `pskg build` first", file=sys.stderr)
        return 1
    opts = ServeOptions(host=a.host, port=a.port, base_url=a.base_url, workers=a.workers, fast=a.fast_lane,
                        fast_limit=a.fast_lane_limit, timeout=a.timeout, max_bytes=a.max_result_bytes,
                        memory_mb=a.worker_memory, queue_max=a.queue, allow_update=a.allow_update,
                        allow_service=a.allow_service, max_connections=a.max_connections,
                        header_timeout=a.client_timeout, body_timeout=a.client_timeout * 3,
                        cache_mb=a.cache_mb, max_age=a.max_age, quiet=a.quiet, fronts=a.fronts)
    try:
        return serve(store, opts)
    except (PoolError, OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="pskg", description="Knowledge graph of public-service plans")
    sub = ap.add_subparsers(dest="cmd", required=True)

    b = sub.add_parser("build", help="extract the corpus into the store")
    b.add_argument("corpus", nargs="*", type=Path, help="files or folders of .txt plans (default: the bundled corpus)")
    _store_arg(b)
    b.add_argument("--jobs", "-j", type=int, default=None,
                   help="extraction processes (default: all cores; 1 extracts in this process)")
    b.add_argument("--dask", metavar="SCHEDULER",
                   help="run the per-document extraction on a Dask cluster (e.g. tcp://host:8786)")
    b.add_argument("--plain", action="store_true", help="one line per document even on a terminal")
    b.add_argument("--doc-timeout", type=float, default=120.0, metavar="SECONDS",
                   help="time budget per document: past it the document's worker is stopped and the "
                        "document reported failed (default: 120; 0: none)")
    b.add_argument("--doc-memory", type=int, default=None, metavar="MB",
                   help="address space a worker may add per document (default: no limit)")
    b.set_defaults(func=cmd_build)

    e = sub.add_parser("export", help="serialize the store")
    _store_arg(e)
    e.add_argument("--format", default="nquads", choices=["nquads", "trig", "turtle", "ntriples", "jsonld", "rdfxml"])
    e.add_argument("--plan", help="export one plan's graph (plan IRI or source file name)")
    e.add_argument("-o", "--output", type=Path, help="output file (default: stdout)")
    e.add_argument("--no-void", action="store_true",
                   help="leave out the VoID/DCAT description (named graph .../graph/void) of a whole-store export")
    e.set_defaults(func=cmd_export)

    q = sub.add_parser("query", help="run a SPARQL query (named, from a file, or inline)")
    _store_arg(q)
    g = q.add_mutually_exclusive_group(required=True)
    g.add_argument("name", nargs="?", help="a named query in queries/ (without .rq)")
    g.add_argument("-f", "--file", help="a .rq file")
    g.add_argument("-e", "--execute", help="SPARQL text")
    q.add_argument("--bind", action="append", metavar="VAR=VALUE",
                   help="bind a named query's parameter variable (a VALUES clause where the query starts)")
    q.add_argument("--format", default="table", choices=["table", "csv", "json"])
    pages = q.add_mutually_exclusive_group()
    pages.add_argument("--page", type=int, metavar="K",
                       help="a named query that declares pages (# Page:): run page K (default 1 when no parameter is bound)")
    pages.add_argument("--all", action="store_true", help="a paged named query: every page in turn (every row)")
    q.add_argument("--page-size", type=int, metavar="N", help="values of the paging variable a page (default: the query's)")
    q.add_argument("--portable", action="store_true",
                   help="the text for engines other than Oxigraph (Virtuoso): the query's own # Portable: rewrites, LATERAL blocks as plain groups, GROUP_CONCAT separators and the ordering rewritten (pskg/portable.py)")
    q.add_argument("--print", action="store_true", help="print the query text that would run (bound, paged) instead of running it")
    q.set_defaults(func=cmd_query)

    v = sub.add_parser("validate", help="SHACL-validate the store")
    _store_arg(v)
    v.add_argument("--jobs", type=int, metavar="N",
                   help="check chunks of 10 plans in N processes (default: all cores)")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("app", help="build the store if needed and open the explorer")
    _store_arg(s)
    s.add_argument("--port", type=int, default=8501)
    s.add_argument("--endpoint-port", type=int, default=7878,
                   help="also serve the SPARQL endpoint on this port while the explorer runs (0: do not)")
    s.add_argument("--rebuild", action="store_true",
                   help="rebuild the store first (else it is built only when missing or older than the corpus)")
    s.set_defaults(func=cmd_app)

    sv = sub.add_parser("serve", help="serve the store: SPARQL endpoint, linked-data pages, VoID")
    _store_arg(sv)
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=7878, help="0 picks a free port")
    sv.add_argument("--base-url", help="public URL of this server, used in links and redirects "
                                       "(default: http://HOST:PORT/)")
    sv.add_argument("--workers", type=int, default=4, help="main-lane query worker processes (1 with --allow-update)")
    sv.add_argument("--fast-lane", type=int, default=2,
                    help="fast-lane worker processes, kept for short queries while slow ones run (0 with --allow-update)")
    sv.add_argument("--fast-lane-limit", type=float, default=0.25,
                    help="seconds a query may run in the fast lane before it starts over in the main lane")
    sv.add_argument("--timeout", type=float, default=30.0, help="per-query time limit in seconds (waiting included)")
    sv.add_argument("--worker-memory", type=int, default=1024,
                    help="MB of address space a query worker may add after opening the store; past it the query gets 503")
    sv.add_argument("--max-result-bytes", type=int, default=100_000_000,
                    help="largest serialized result served; larger ones are refused")
    sv.add_argument("--queue", type=int, default=64, help="queries that may wait for a worker; more get 503")
    sv.add_argument("--max-connections", type=int, default=1024,
                    help="open client connections; past it the longest idle one is closed")
    sv.add_argument("--client-timeout", type=float, default=10.0,
                    help="seconds a client has to send a request's headers (and 3x that for its body)")
    sv.add_argument("--cache-mb", type=int, default=64, help="MB of recent responses kept per store version (0: none)")
    sv.add_argument("--max-age", type=int, default=60, help="Cache-Control max-age of reads, in seconds")
    sv.add_argument("--allow-update", action="store_true",
                    help="accept SPARQL updates (opens the store for writing: one worker process)")
    sv.add_argument("--allow-service", action="append", default=[], metavar="URL",
                    help="an endpoint SERVICE (and LOAD) may call; repeat for several; default: none")
    sv.add_argument("--quiet", action="store_true", help="no access log")
    sv.add_argument("--fronts", type=int, default=1,
                    help="front processes accepting from one socket, the workers split among them (read-only "
                         "servers); quick queries run in the fronts, so up to one per core serves more of them")
    sv.set_defaults(func=cmd_serve)

    a = ap.parse_args(argv)
    try:
        return a.func(a)
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
