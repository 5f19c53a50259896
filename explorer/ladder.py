"""The owner ladder of a service in a region: one row per level of government (county →
prefecture → province → nation), the owner a plan states (with its quote) or the body the
national lists make its owner there (expected, from the government body table), and where no
plan of that level is in the corpus. The rows of the named query ``owners-by-level``
(computed here from bound lookups, see :func:`ladder_rows`); the view ``show_ladder`` is
called from the service, agency and region pages.
"""
from __future__ import annotations

from .data import ExplorerData, iri_list, term


def ladder_rows(d: ExplorerData, service: str, region: str) -> list[dict[str, str]]:
    """The rows of owners-by-level for a service IRI and a region IRI, county level first.

    The same rows as the named query, computed from small queries that each start from the
    bound service and regions (the named query's OPTIONAL groups are evaluated over the whole
    store by pyoxigraph: minutes at 100 plans; these stay lookups)."""
    return d.memo(("ladder", service, region), lambda: _ladder(d, service, region))


def _ladder(d: ExplorerData, service: str, region: str) -> list[dict[str, str]]:
    s, r0 = term(service), term(region)
    head = d.select(f"""SELECT ?sl ?r0l WHERE {{ {s} skos:prefLabel ?sl . {r0} rdfs:label ?r0l
        FILTER(langMatches(LANG(?r0l), "zh-Hans")) }} LIMIT 1""")
    if not head or not d.select(f"SELECT ?e WHERE {{ ?e pskg:inRegion {r0} ; pskg:ofService {s} }} LIMIT 1"):
        return []
    up = d.select(f"SELECT DISTINCT ?rx WHERE {{ {r0} pskg:partOf* ?rx }}")
    down = d.select(f"""SELECT DISTINCT ?rx WHERE {{ ?rx pskg:partOf {r0} . ?e pskg:inRegion ?rx ; pskg:ofService {s} }}""")
    regions = sorted({x["rx"] for x in up + down})
    rx_values = iri_list(regions)
    info = {x["rx"]: x for x in d.select(f"""SELECT ?rx ?level ?rank ?rl WHERE {{ VALUES ?rx {{ {rx_values} }}
        ?rx pskg:level ?lv ; rdfs:label ?rl . ?lv skos:notation ?level ; pskg:rank ?rank
        FILTER(langMatches(LANG(?rl), "zh-Hans")) }}""")}
    stated = d.select(f"""SELECT DISTINCT ?rx ?c ?sa ?sal WHERE {{ VALUES ?rx {{ {rx_values} }}
        ?c pskg:planRegion ?rx . ?c pskg:aboutService {s} . ?c pskg:owner ?sa . ?sa rdfs:label ?sal }}""")
    quotes: dict[tuple[str, str], list[str]] = {}
    commitments = sorted({x["c"] for x in stated})
    if commitments:
        cv = iri_list(commitments)
        for x in d.select(f"""SELECT DISTINCT ?c ?q WHERE {{ VALUES ?c {{ {cv} }}
                ?c pskg:evidence ?ev . ?ev pskg:property pskg:leadAgency . ?ev pskg:quote ?q }}"""):
            quotes.setdefault((x["c"], ""), []).append(x["q"])
        for x in d.select(f"""SELECT DISTINCT ?c ?sa ?q WHERE {{ VALUES ?c {{ {cv} }}
                ?c dct:isPartOf ?up . ?up pskg:leadAgency ?sa . ?up pskg:evidence ?ev .
                ?ev pskg:property pskg:leadAgency . ?ev pskg:quote ?q }}"""):
            quotes.setdefault((x["c"], x["sa"]), []).append(x["q"])
    expected = d.select(f"""SELECT DISTINCT ?rx ?eal WHERE {{ VALUES ?rx {{ {rx_values} }}
        ?e pskg:inRegion ?rx . ?e pskg:ofService {s} . ?e pskg:expectedOwner ?ea . ?ea rdfs:label ?eal }}""")
    plans = d.select(f"""SELECT DISTINCT ?rx ?px ?ptl WHERE {{ VALUES ?rx {{ {rx_values} }}
        ?px pskg:jurisdiction ?rx . ?px pskg:sourceFile ?pf . ?px rdfs:label ?ptl }}""")
    cited = d.select(f"""SELECT DISTINCT ?rx ?ctl WHERE {{ VALUES ?rx {{ {rx_values} }}
        ?cx pskg:jurisdiction ?rx . ?cx a pskg:Plan . ?cx rdfs:label ?ctl FILTER NOT EXISTS {{ ?cx pskg:sourceFile ?cf }} }}""")

    levels: dict[tuple[int, str], dict[str, set]] = {}

    def level_of(rx: str) -> dict[str, set] | None:
        i = info.get(rx)
        if i is None:
            return None
        return levels.setdefault((int(i["rank"]), i["level"]), {k: set() for k in
                                 ("regions", "stated", "quotes", "expected", "plans", "cited", "px")})

    for rx in regions:
        lv = level_of(rx)
        if lv is not None:
            lv["regions"].add(info[rx]["rl"])
    for x in stated:
        lv = level_of(x["rx"])
        if lv is not None:
            lv["stated"].add(x["sal"])
            lv["quotes"].update(quotes.get((x["c"], ""), []) + quotes.get((x["c"], x["sa"]), []))
    for key, rows, col in ((("expected",), expected, "eal"), (("plans", "px"), plans, None), (("cited",), cited, "ctl")):
        for x in rows:
            lv = level_of(x["rx"])
            if lv is None:
                continue
            if col:
                lv[key[0]].add(x[col])
            else:
                lv["plans"].add(x["ptl"])
                lv["px"].add(x["px"])
    out = []
    sep = "、"
    for (rank, level), lv in sorted(levels.items(), key=lambda kv: -kv[0][0]):
        st_ = sep.join(sorted(lv["stated"]))
        out.append({"region": head[0]["r0l"], "service": head[0]["sl"], "levelRank": str(rank), "level": level,
                    "kind": "stated" if st_ else "expected", "regions": sep.join(sorted(lv["regions"])),
                    "owner": st_ or sep.join(sorted(lv["expected"])),
                    "quote": min(lv["quotes"]) if lv["quotes"] else "",
                    "plan": sep.join(sorted(lv["plans"])), "citedPlans": sep.join(sorted(lv["cited"])),
                    "note": "" if lv["px"] else "no plan of this level in the corpus"})
    return out


def ladder_choices(d: ExplorerData, service: str | None = None, region: str | None = None,
                   agency: str | None = None) -> list[tuple[str, str]]:
    """(service, region) pairs a ladder can be shown for: those with an expected owner, for a
    given service (in the regions of the corpus' plans), region, or agency (the services it
    owns, stated or expected, in its region)."""
    if agency:  # expected owner of, or stated owner of a commitment in a region that has a ladder
        a = term(agency)
        rows = d.select(f"""SELECT DISTINCT ?s ?r WHERE {{ ?e pskg:expectedOwner {a} ; pskg:ofService ?s ;
            pskg:inRegion ?r }}""")
        stated = d.select(f"""SELECT DISTINCT ?s ?r WHERE {{ ?c pskg:owner {a} ; pskg:aboutService ?s ;
            pskg:planRegion ?r }}""")
        with_ladder = {(x["s"], x["r"]) for x in d.select_in("""SELECT DISTINCT ?s ?r WHERE {
            VALUES ?r { {values} } ?e pskg:inRegion ?r ; pskg:ofService ?s }""", sorted({x["r"] for x in stated}), 200)}
        rows += [x for x in stated if (x["s"], x["r"]) in with_ladder]
    elif service:  # the plans' regions (a whole-store figure, kept), then a bound lookup per chunk
        rows = d.select_in(f"""SELECT DISTINCT ?s ?r WHERE {{ VALUES ?s {{ {iri_list([service])} }}
            VALUES ?r {{ {{values}} }} ?e pskg:inRegion ?r ; pskg:ofService ?s }}""",
            sorted({p["region"] for p in d.plans() if p.get("region")}), 200)
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
    # two bound steps (plans -> regions, regions -> expected owners): with both VALUES blocks in
    # one query pyoxigraph joins them over every expected ownership (30 s at 500 plans)
    region_plans: dict[str, list[str]] = {}
    for r in d.select_in("SELECT DISTINCT ?plan ?r WHERE { VALUES ?plan { {values} } ?plan pskg:jurisdiction ?r }", plans):
        region_plans.setdefault(r["r"], []).append(r["plan"])
    wanted = set(services)
    out: dict[tuple[str, str], list[str]] = {}
    for r in d.select_in("""SELECT DISTINCT ?r ?s ?a WHERE { VALUES ?r { {values} }
            ?e pskg:inRegion ?r ; pskg:ofService ?s ; pskg:expectedOwner ?a }""", sorted(region_plans), 200):
        if r["s"] in wanted:
            for plan in region_plans[r["r"]]:
                out.setdefault((r["s"], plan), []).append(r["a"])
    for v in out.values():
        v.sort()
    return out
