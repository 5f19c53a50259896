#!/usr/bin/env python3
"""Explorer benchmark: how long each page of the Streamlit app takes to render on a store.

    python bench/app_bench.py --store store [--repeat 5] [--timeout 120] [--json out.json]

Each page is timed in a fresh child process running app.py with Streamlit's AppTest: the
script runs as it does on the server, with no browser, so the figures are the server-side
script run (queries and layout), not the browser's drawing. "cold" is the page's first run
in that process: a new server's first visitor, so it includes opening the store and filling
the caches the page needs (the label search index for a search); "warm" is the median of
--repeat further runs of the same page (a rerun, or a second visit to a running server).
A page whose runs together pass --timeout seconds is stopped and shown as "> N".

Pages: the search page (empty, then with the query 教育局), entity pages of an agency, a
service, a population, a region and a plan, who owns what, compare, indicators and the
SPARQL console. The agency is 白银市教育局 when it leads something in the store, else the
agency that leads the most; the plan is the first of the plan list. A page that raises or
shows an error is marked "(error)" and the exit status is 1.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/pskg/id/"
QUERY = "教育局"
AGENCY_LABEL = "白银市教育局"
SERVICE = ID + "service/compulsory-education"
POPULATION = ID + "population/migrant-workers"
REGION = ID + "region/620400"


def pick_entities(store_dir: Path) -> dict[str, str]:
    """The agency and the plan to time."""
    sys.path.insert(0, str(ROOT))
    from explorer.data import ExplorerData
    from graph.store import GraphStore

    d = ExplorerData(GraphStore(store_dir, read_only=True))
    rows = d.select(f"""SELECT ?a WHERE {{ ?a a pskg:Agency ; rdfs:label "{AGENCY_LABEL}"@zh-Hans .
                        FILTER EXISTS {{ ?c pskg:leadAgency ?a }} }} LIMIT 1""")
    if not rows:
        rows = d.select("""SELECT ?a (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c pskg:leadAgency ?a }
                           GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 1""")
    plans = d.plans()
    agency = rows[0]["a"] if rows else ""
    plan = plans[0]["plan"] if plans else ""
    return {"agency": agency, "agency_label": d.label(agency) if agency else "",
            "plan": plan, "plan_label": d.label(plan) if plan else ""}


def pages(picked: dict[str, str]) -> list[tuple[str, dict]]:
    """(row name, child spec): the page script, its query parameters, session state set before the first run."""
    entity = lambda iri: {"page": "entity", "params": {"iri": iri}}  # noqa: E731
    return [
        ("search (empty)", {"page": "search"}),
        (f"search {QUERY}", {"page": "search", "state": {"q": QUERY}}),
        (f"entity: agency ({picked['agency_label'] or '–'})", entity(picked["agency"])),
        ("entity: service (compulsory-education)", entity(SERVICE)),
        ("entity: population (migrant-workers)", entity(POPULATION)),
        ("entity: region (620400 白银市)", entity(REGION)),
        ("entity: plan (first plan)", entity(picked["plan"])),
        ("owners", {"page": "owners"}),
        ("compare", {"page": "compare"}),
        ("indicators", {"page": "indicators"}),
        ("sparql", {"page": "sparql"}),
    ]


def child(spec: dict, repeat: int) -> None:
    """Time one page (in this process) and print one JSON line: cold, warm runs, errors."""
    os.chdir(ROOT)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=24 * 3600)
    for k, v in spec.get("params", {}).items():
        at.query_params[k] = v
    for k, v in spec.get("state", {}).items():
        at.session_state[k] = v
    if spec["page"] != "search":
        at.switch_page(f"explorer/pages/{spec['page']}.py")
    times, errors = [], []
    for _ in range(1 + repeat):
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        errors += [str(e.value)[:300] for e in at.exception] + [str(e.value)[:300] for e in at.error]
        print(json.dumps({"times": times, "errors": sorted(set(errors))}, ensure_ascii=False), flush=True)


def run_page(store_dir: Path, spec: dict, repeat: int, timeout: float) -> dict:
    """Run child() in a new process; its last report, or what it reported before the timeout."""
    proc = subprocess.Popen([sys.executable, __file__, "--store", str(store_dir), "--repeat", str(repeat),
                             "--child", json.dumps(spec, ensure_ascii=False)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
                            env={**os.environ, "PSKG_STORE": str(store_dir)})
    try:
        out, _ = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        timed_out = True
    lines = [ln for ln in out.splitlines() if ln.startswith("{")]
    last = json.loads(lines[-1]) if lines else {"times": [], "errors": []}
    times = last["times"]
    if not timed_out and proc.returncode != 0 and not last["errors"]:
        last["errors"] = [f"child exited with status {proc.returncode}"]
    return {"cold_s": round(times[0], 3) if times else None,
            "warm_s": [round(x, 3) for x in times[1:]],
            "warm_median_s": round(statistics.median(times[1:]), 3) if len(times) > 1 else None,
            "timed_out": timed_out, "errors": last["errors"]}


def cell(value: float | None, timed_out: bool, timeout: float) -> str:
    if value is not None:
        return f"{value:.2f}"
    return f"> {timeout:.0f}" if timed_out else "–"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, default=Path(os.environ.get("PSKG_STORE") or ROOT / "store"))
    ap.add_argument("--repeat", type=int, default=5, help="warm runs per page (the median is shown)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds for all the runs of one page")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    store_dir = args.store.resolve()
    if not store_dir.is_dir():
        ap.error(f"no store at {store_dir}")
    if args.child:
        child(json.loads(args.child), args.repeat)
        return 0

    sys.path.insert(0, str(ROOT))
    from explorer.precomputed import ensure

    written, seconds = ensure(store_dir)  # as `pskg app` does before it starts the explorer
    print(f"explorer figures: {'written in %.1f s' % seconds if written else 'kept from an earlier run'}",
          file=sys.stderr, flush=True)
    picked = pick_entities(store_dir)
    print(f"store {store_dir}\nagency {picked['agency_label']} <{picked['agency']}>\n"
          f"plan {picked['plan_label']} <{picked['plan']}>", file=sys.stderr, flush=True)
    results = []
    for name, spec in pages(picked):
        r = {"page": name, "spec": spec, **run_page(store_dir, spec, args.repeat, args.timeout)}
        results.append(r)
        note = " (timed out)" if r["timed_out"] else ""
        note += f"  ERROR: {' | '.join(r['errors'])}" if r["errors"] else ""
        print(f"  {name}: cold {r['cold_s']} s, warm {r['warm_s']} s{note}", file=sys.stderr, flush=True)

    print(f"\n{store_dir}: server-side render time, s (cold: first run in a new process; "
          f"warm: median of {args.repeat} reruns)\n")
    print("| page | cold s | warm median s |")
    print("|---|---:|---:|")
    for r in results:
        flag = " (error)" if r["errors"] else ""
        if r["timed_out"] and r["cold_s"] is not None:
            flag += f" (stopped after {len(r['warm_s'])} warm runs)"
        print(f"| {r['page']}{flag} | {cell(r['cold_s'], r['timed_out'], args.timeout)} "
              f"| {cell(r['warm_median_s'], r['timed_out'], args.timeout)} |")
    if args.json:
        args.json.write_text(json.dumps({"store": str(store_dir), "repeat": args.repeat, "timeout": args.timeout,
                                         **picked, "pages": results}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
