"""Every entity page of the bundled store and every named query in the console, opened in one
Streamlit AppTest session: a page that raises, or shows the app's "page failed" message or
any error, fails the test. (About 90 s on the bundled store: ~1,400 pages.)"""
from __future__ import annotations

import time

import pytest
from apptables import tables
from conftest import ROOT

from explorer import named_queries

# every instance of these classes, and every region a plan or agency is in (with the regions above)
CLASSES = ("Plan", "ServiceGuarantee", "Task", "Project", "PublicService", "TargetPopulation", "Standard",
           "Indicator", "Agency", "Region")


def instances(store, cls: str) -> list[str]:
    if cls == "Region":
        q = """SELECT DISTINCT ?s WHERE { { ?x pskg:jurisdiction ?s } UNION { ?x pskg:jurisdiction/pskg:partOf+ ?s }
               ?s a pskg:Region } ORDER BY ?s"""
    else:
        q = f"SELECT DISTINCT ?s WHERE {{ ?s a pskg:{cls} }} ORDER BY ?s"
    return [r["s"] for r in store.select(q)]


@pytest.fixture(scope="module")
def session(built_store, tmp_path_factory):
    import shutil

    from streamlit.testing.v1 import AppTest

    store, _ = built_store
    store.flush()
    # the app opens a copy read-only: beside this process's writable handle, RocksDB's background
    # compaction may remove table files under a reader of the same directory
    copy = tmp_path_factory.mktemp("every-page") / "store"
    shutil.copytree(store.path, copy, ignore=shutil.ignore_patterns("LOCK"))
    mp = pytest.MonkeyPatch()
    mp.setenv("PSKG_STORE", str(copy))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    yield at
    mp.undo()


def problems(at) -> list[str]:
    out = [e.message for e in at.exception]
    out += [e.value for e in at.error]
    return out


@pytest.mark.parametrize("cls", CLASSES)
def test_every_entity_page_opens(session, built_store, cls):
    store, _ = built_store
    iris = instances(store, cls)
    assert iris, f"the bundled store has no {cls}"
    failures, started = [], time.time()
    for iri in iris:
        session.query_params.clear()
        session.query_params["iri"] = iri
        session.switch_page("explorer/pages/entity.py")
        session.run()
        found = problems(session)
        if found:
            failures.append(f"{iri}: {found[0][:300]}")
        elif not session.header:
            failures.append(f"{iri}: no header")
    print(f"{cls}: {len(iris)} pages in {time.time() - started:.1f} s")
    assert not failures, f"{len(failures)} of {len(iris)} {cls} pages failed:\n" + "\n".join(failures[:10])


def results(at) -> list:
    """The console's result: a link table when it has entity IRIs, else a data frame."""
    return tables(at) or [d.value for d in at.dataframe]


def test_every_named_query_runs_in_the_console(session):
    """Each named query runs unbound, then with its parameters filled from its own first row
    (a combination the store holds, so the bound query must return rows too)."""
    failures, bound = [], []
    queries = named_queries.load()
    assert len(queries) >= 10
    for name, nq in queries.items():
        session.query_params.clear()
        session.switch_page("explorer/pages/sparql.py")
        session.run()
        session.selectbox(key="sparql-named").set_value(name).run()
        first: dict = {}
        for round_ in ("unbound", "bound"):
            filled = {}
            for p in nq.params:
                value = first.get(p.name) if round_ == "bound" else ""
                value = value if isinstance(value, str) and not value.startswith(("http", "entity?")) else ""
                if value:
                    filled[p.name] = value
                session.text_input(key=f"sparql-param-{name}-{p.name}").set_value(value)
            if round_ == "bound" and not filled:
                continue
            if filled:
                bound.append(name)
            session.button(key="sparql-run").click().run()
            found = problems(session)
            if found:
                failures.append(f"{name} {filled}: {found[0][:300]}")
                break
            frames = results(session)
            if not frames:
                failures.append(f"{name} {filled}: no result table")
                break
            rows = frames[0]
            if len(rows) == 0:
                failures.append(f"{name} {filled}: no rows")
                break
            first = rows.iloc[0].to_dict()
    assert not failures, "\n".join(failures)
    with_params = [n for n, q in queries.items() if q.params]
    assert len(bound) >= len(with_params) - 2, (bound, with_params)  # nearly every form was filled and run


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_menu_page_and_source_text_opens_in_both_languages(session, built_store, lang):
    store, _ = built_store
    session.session_state["lang"] = lang
    failures = []
    for page in ("search", "owners", "compare", "indicators", "sparql"):
        session.query_params.clear()
        session.switch_page(f"explorer/pages/{page}.py")
        session.run()
        if problems(session) or not session.header:
            failures.append(f"{page}: {problems(session)[:1]}")
    for r in store.select("SELECT ?f WHERE { ?p pskg:sourceFile ?f } ORDER BY ?f"):
        session.query_params.clear()
        session.query_params.update({"file": r["f"], "start": "0", "end": "20"})
        session.switch_page("explorer/pages/source.py")
        session.run()
        if problems(session) or not session.main.get("html"):
            failures.append(f"source {r['f']}: {problems(session)[:1]}")
    session.session_state["lang"] = "zh"
    assert not failures, failures


def test_every_example_question_on_the_landing_page_opens_its_answer(session):
    from urllib.parse import parse_qsl

    session.query_params.clear()
    session.switch_page("explorer/pages/search.py")
    session.run()
    examples = [p for p in session.main.get("page_link") if p.proto.page.endswith("sparql")]
    assert len(examples) >= 8
    failures = []
    for link in examples:
        params = dict(parse_qsl(link.proto.query_string))
        session.query_params.clear()
        session.query_params.update(params)
        session.switch_page("explorer/pages/sparql.py")
        session.run()
        found = problems(session)
        if found or not results(session) or len(results(session)[0]) == 0:
            failures.append(f"{link.proto.label} {params}: {found[:1] or 'no rows'}")
        elif session.selectbox(key="sparql-named").value != params["query"]:
            failures.append(f"{link.proto.label}: opened {session.selectbox(key='sparql-named').value}")
    assert not failures, "\n".join(failures)
