"""The owner ladder of a service in a region: one row per level of government (county →
prefecture → province → nation), the owner a plan states (with its quote) or the body the
national lists make its owner there (expected, from the government body table), and where no
plan of that level is in the corpus. Data from the named query ``owners-by-level``; the view
``show_ladder`` is called from the service, agency and region pages.
"""
from __future__ import annotations

from pskg.paths import QUERIES_DIR

from .data import ExplorerData, iri_list, term

BIND_MARK = "WHERE { #bind"


def _query(service: str, region: str) -> str:
    text = (QUERIES_DIR / "owners-by-level.rq").read_text(encoding="utf-8")
    return text.replace(BIND_MARK, f"{BIND_MARK}\n  VALUES (?s ?r0) {{ ({term(service)} {term(region)}) }}", 1)


def ladder_rows(d: ExplorerData, service: str, region: str) -> list[dict[str, str]]:
    """The rows of owners-by-level for a service IRI and a region IRI, county level first."""
    return d.memo(("ladder", service, region), lambda: d.select(_query(service, region)))


def ladder_choices(d: ExplorerData, service: str | None = None, region: str | None = None,
                   agency: str | None = None) -> list[tuple[str, str]]:
    """(service, region) pairs a ladder can be shown for: those with an expected owner, for a
    given service (in the regions of the corpus' plans), region, or agency (the services it
    owns, stated or expected, in its region)."""
    if agency:
        rows = d.select(f"""SELECT DISTINCT ?s ?r WHERE {{
            {{ ?e pskg:expectedOwner {term(agency)} ; pskg:ofService ?s ; pskg:inRegion ?r }}
            UNION {{ ?c pskg:owner {term(agency)} ; pskg:aboutService ?s ; pskg:planRegion ?r .
                     ?e pskg:ofService ?s ; pskg:inRegion ?r }} }}""")
    elif service:
        rows = d.select(f"""SELECT DISTINCT ?s ?r WHERE {{ VALUES ?s {{ {iri_list([service])} }}
            ?e pskg:ofService ?s ; pskg:inRegion ?r . ?p pskg:jurisdiction ?r ; pskg:sourceFile ?f }}""")
    elif region:
        rows = d.select(f"""SELECT DISTINCT ?s ?r WHERE {{ VALUES ?r {{ {iri_list([region])} }}
            ?e pskg:inRegion ?r ; pskg:ofService ?s }}""")
    else:
        rows = []
    return sorted({(r["s"], r["r"]) for r in rows})


def show_ladder(service: str | None = None, region: str | None = None, agency: str | None = None,
                key: str = "ladder") -> None:
    """The ladder section of a page: a choice of (service, region) when there are several,
    then one row per level, stated and expected owners marked apart."""
    import pandas as pd
    import streamlit as st

    from .ui import data, lang, t

    d = data()
    st.subheader(t("ladder.title"))
    st.caption(t("ladder.help"))
    pairs = ladder_choices(d, service, region, agency)
    if not pairs:
        st.caption(t("ladder.none"))
        return
    lab = d.labels([s for s, _ in pairs] + [r for _, r in pairs], lang())
    pairs.sort(key=lambda p: (lab[p[0]], lab[p[1]]))
    pick = pairs[0]
    if len(pairs) > 1:
        pick = st.selectbox(t("ladder.choose"), pairs, key=f"{key}-pick",
                            format_func=lambda p: f"{lab[p[0]]} · {lab[p[1]]}")
    rows = ladder_rows(d, *pick)
    table = [{t("col.level"): t(f"level.{r['level']}"),
              t("ladder.kind"): t(f"ladder.{r['kind']}"),
              t("col.region"): r.get("regions", ""),
              t("ladder.owner"): r.get("owner", ""),
              t("ladder.quote"): r.get("quote", ""),
              t("col.plan"): r.get("plan", "") or r.get("citedPlans", ""),
              t("ladder.note"): t("ladder.no_plan") if r.get("note") else ""} for r in rows]
    st.dataframe(pd.DataFrame(table), hide_index=True, key=f"{key}-table")


def expected_cells(d: ExplorerData, services, plans) -> dict[tuple[str, str], list[str]]:
    """{(service, plan): expected owner IRIs} in each plan's region, for the who-owns-what
    matrix's cells that no stated lead fills."""
    services, plans = sorted(set(services)), sorted(set(plans))
    if not services or not plans:
        return {}
    rows = d.select(f"""SELECT DISTINCT ?s ?plan ?a WHERE {{
        VALUES ?plan {{ {iri_list(plans)} }} VALUES ?s {{ {iri_list(services)} }}
        ?plan pskg:jurisdiction ?r . ?e pskg:inRegion ?r ; pskg:ofService ?s ; pskg:expectedOwner ?a }}""")
    out: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        out.setdefault((r["s"], r["plan"]), []).append(r["a"])
    return out
