"""The body of an entity page, one function per class (agency, service, population, region,
plan, commitment), and a generic description for every other class."""
from __future__ import annotations

from collections import defaultdict

import streamlit as st

from .data import COMMITMENT_KINDS, iri_list, local
from . import linktable
from .ladder import show_ladder
from .ui import class_name, data, entity_link, entity_links, entity_url, lang, md, show_evidence, t


def labels(iris) -> dict[str, str]:
    return data().labels([i for i in iris if i], lang())


def concept_label(iri: str | None) -> str:
    return labels([iri])[iri] if iri else ""


def link_table(rows: list[dict], link_cols: dict[str, str], key: str) -> None:
    """A table whose ``link_cols`` (column -> IRI column) open entity pages in the same tab
    (explorer.linktable); columns starting with "_" are not shown."""
    if not rows:
        st.caption(t("none"))
        return
    cols = [c for c in rows[0] if not c.startswith("_")]
    body = [[(r.get(c, ""), entity_url(r[link_cols[c]]) if isinstance(r.get(link_cols[c]), str) and r[link_cols[c]]
              else None) if c in link_cols else r.get(c, "") for c in cols] for r in rows]
    linktable.show([(c, t(f"col.{c}")) for c in cols], body, key=key)


# ---------------------------------------------------------------------------------- agency
def agency(iri: str) -> None:
    d = data()
    info = d.agency(iri)
    lab = labels([info.get("level"), info.get("function"), info.get("region")])
    c = st.columns(3)
    c[0].metric(t("field.level"), lab.get(info.get("level"), "–"))
    c[1].metric(t("field.function"), lab.get(info.get("function"), "–"))
    with c[2]:
        st.caption(t("field.region"))
        if info.get("region"):
            entity_link(info["region"])
    roles = d.roles(iri)
    lead_ev = d.evidence([r["item"] for r in roles], "leadAgency")
    sup_ev = d.evidence([r["item"] for r in roles], "supportingAgency")
    item_lab = labels([r["item"] for r in roles] + [r["plan"] for r in roles] + [r.get("domain") for r in roles])
    for role, evs in (("lead", lead_ev), ("support", sup_ev)):
        mine = [r for r in roles if r["role"] == role]
        st.subheader(t(f"agency.{role}s", n=len({r['item'] for r in mine})))
        if not mine:
            st.caption(t("none"))
        by_plan = defaultdict(list)
        for r in mine:
            by_plan[r["plan"]].append(r)
        for plan, rs in by_plan.items():
            st.markdown(f"**{md(item_lab[plan])}**")
            by_domain = defaultdict(list)
            for r in rs:
                by_domain[r.get("domain", "")].append(r)
            for dom in sorted(by_domain, key=lambda x: item_lab.get(x, "~")):
                with st.container(border=True):
                    st.caption(md(item_lab.get(dom) or t("domain.none")))
                    for r in by_domain[dom]:
                        entity_link(r["item"], item_lab[r["item"]] if r["item"] != plan else t("agency.whole_plan"),
                                    local(r["kind"]))
                        show_evidence(evs.get(r["item"], []), limit=1)
    st.subheader(t("agency.counterparts"))
    cps = d.counterparts(iri)
    if not cps:
        st.caption(t("agency.no_counterparts"))
        cps = []
    lab = labels([r["other"] for r in cps] + [r["region"] for r in cps])
    if cps:
        link_table([{"agency": lab[r["other"]], "_a": r["other"], "region": lab[r["region"]], "_r": r["region"],
                     "direction": t(f"dir.{r['direction']}"), "basis": t(f"agency.{r['basis']}")} for r in cps],
                   {"agency": "_a", "region": "_r"}, key="counterparts")
    st.subheader(t("evidence.mentions"))
    show_evidence(d.evidence([iri]).get(iri, []), limit=5)
    show_ladder(agency=iri, key="agency-ladder")


# ---------------------------------------------------------------------------------- service
QUOTED_PLANS = 30  # plans whose quotes a service page shows (each plan's page has all of its own)


def service(iri: str) -> None:
    d = data()
    info = d.service(iri)
    st.caption(f"{t('field.domain')}: {concept_label(info.get('domain')) or '–'}")
    gs = d.guarantees_of_service(iri)
    lab = labels([r["plan"] for r in gs] + [r.get("population") for r in gs] + [r.get("standard") for r in gs])
    st.subheader(t("service.guarantees", n=len({r["g"] for r in gs})))
    by_plan = defaultdict(lambda: (set(), set(), []))
    for r in gs:
        pops, stds, items = by_plan[r["plan"]]
        if r.get("population"):
            pops.add(r["population"])
        if r.get("standard"):
            stds.add(r["standard"])
        if r["g"] not in items:
            items.append(r["g"])
    link_table([{"plan": lab[p], "_p": p, "populations": "、".join(sorted(lab[x] for x in pops)),
                 "standards": "、".join(sorted(lab[x] for x in stds)), "guarantees": len(items)}
                for p, (pops, stds, items) in by_plan.items()], {"plan": "_p"}, key="svc-plans")
    quoted = list(by_plan.items())[:QUOTED_PLANS]  # a service of 500 plans: the first plans' quotes
    ev = d.evidence([g for _, (_, _, items) in quoted for g in items[:2]])
    with st.expander(t("evidence.quotes")):
        if len(by_plan) > len(quoted):
            st.caption(t("evidence.first_plans", n=len(quoted), total=len(by_plan)))
        for p, (_, _, items) in quoted:
            st.markdown(f"**{md(lab[p])}**")
            show_evidence([e for g in items[:2] for e in ev.get(g, [])], limit=2)
    st.subheader(t("service.cross_level"))
    leads = d.service_leads(iri)
    lab = labels([r["plan"] for r in leads] + [r["agency"] for r in leads] + [r.get("level") for r in leads]
                 + [r.get("region") for r in leads])
    rows = {}
    for r in leads:
        k = (r.get("region", ""), r["agency"])
        rows.setdefault(k, {"level": lab.get(r.get("level"), ""), "region": lab.get(r.get("region"), ""),
                            "_r": r.get("region"), "agency": lab[r["agency"]], "_a": r["agency"],
                            "plan": lab[r["plan"]], "_p": r["plan"], "_n": 0})["_n"] += 1
    link_table(sorted(rows.values(), key=lambda x: (x["level"], x["region"], x["agency"])),
               {"region": "_r", "agency": "_a", "plan": "_p"}, key="svc-leads")
    st.subheader(t("service.indicators"))
    indicator_table(d.service_indicators(iri), key="svc-ind")
    show_ladder(service=iri, key="service-ladder")


def indicator_table(rows: list[dict], key: str) -> None:
    lab = labels([r.get("plan") for r in rows] + [r.get("domain") for r in rows])
    link_table([{"indicator": r["name"], "_i": r["i"], "baseline": fmt_value(r, "baseline"),
                 "target": fmt_value(r, "target"), "domain": lab.get(r.get("domain"), ""),
                 "plan": lab.get(r.get("plan"), ""), "_p": r.get("plan")} for r in rows],
               {"indicator": "_i", "plan": "_p"}, key=key)


def fmt_value(r: dict, which: str) -> str:
    v = r.get(which)
    if v is None:
        return ""
    year = r.get(which + "Year", "")
    comp = r.get("comparator", "") if which == "target" and r.get("comparator") not in (None, "=") else ""
    return f"{comp}{v}{r.get('unit', '')}" + (f" ({year})" if year else "")


# ---------------------------------------------------------------------------------- population
def population(iri: str) -> None:
    d = data()
    rel = d.population(iri)
    c = st.columns(2)
    with c[0]:
        st.caption(t("population.broader"))
        entity_links(rel["broader"])
    with c[1]:
        st.caption(t("population.narrower"))
        entity_links(rel["narrower"])
    gs = d.guarantees_for_population(iri)
    lab = labels([r["plan"] for r in gs] + [r.get("service") for r in gs] + [r["group"] for r in gs]
                 + [r.get("standard") for r in gs])
    st.subheader(t("population.services", n=len({r.get("service") for r in gs if r.get("service")})))
    rows = {}
    for r in gs:
        k = (r.get("service", ""), r["plan"])
        row = rows.setdefault(k, {"service": lab.get(r.get("service"), ""), "_s": r.get("service"),
                                  "plan": lab[r["plan"]], "_p": r["plan"], "groups": set(), "standards": set()})
        row["groups"].add(lab[r["group"]])
        if r.get("standard"):
            row["standards"].add(lab[r["standard"]])
    link_table([{**r, "groups": "、".join(sorted(r["groups"])), "standards": "、".join(sorted(r["standards"]))}
                for r in rows.values()], {"service": "_s", "plan": "_p"}, key="pop-services")
    st.subheader(t("evidence.quotes"))
    show_evidence(d.evidence([iri]).get(iri, []), limit=5)


# ---------------------------------------------------------------------------------- region
def region(iri: str) -> None:
    d = data()
    info = d.region(iri)
    c = st.columns(3)
    c[0].metric(t("field.level"), concept_label(info.get("level")) or "–")
    c[1].metric(t("field.code"), info.get("code", "–"))
    with c[2]:
        st.caption(t("region.parents"))
        entity_links(info["ancestors"])
    plans = d.region_plans(iri)
    lab = labels([r["plan"] for r in plans] + [r["region"] for r in plans])
    st.subheader(t("region.plans", n=len(plans)))
    link_table([{"plan": lab[r["plan"]], "_p": r["plan"], "region": lab[r["region"]], "_r": r["region"]}
                for r in plans], {"plan": "_p", "region": "_r"}, key="region-plans")
    ags = d.region_agencies(iri)
    lab = labels([r["agency"] for r in ags] + [r.get("function") for r in ags])
    st.subheader(t("region.agencies", n=len(ags)))
    link_table([{"agency": lab[r["agency"]], "_a": r["agency"], "function": lab.get(r.get("function"), "")}
                for r in ags], {"agency": "_a"}, key="region-agencies")
    svcs = d.region_services(iri)
    lab = labels([r["service"] for r in svcs])
    st.subheader(t("region.services", n=len(svcs)))
    link_table([{"service": lab[r["service"]], "_s": r["service"], "guarantees": int(r["n"])} for r in svcs],
               {"service": "_s"}, key="region-services")
    st.subheader(t("region.children", n=len(info["children"])))
    entity_links(info["children"], limit=40)
    show_ladder(region=iri, key="region-ladder")


# ---------------------------------------------------------------------------------- plan
def plan(iri: str) -> None:
    d = data()
    info = d.plan(iri)
    lab = labels([x for k in ("issuedBy", "jurisdiction", "level", "implements", "implementedBy")
                  for x in info.get(k, [])])
    c = st.columns(4)
    c[0].metric(t("field.issued"), (info.get("issued") or ["–"])[0])
    c[1].metric(t("field.number"), (info.get("documentNumber") or ["–"])[0])
    c[2].metric(t("field.level"), lab.get((info.get("level") or [None])[0], "–"))
    c[3].metric(t("field.file"), (info.get("sourceFile") or ["–"])[0])
    for key in ("jurisdiction", "issuedBy", "implements", "implementedBy"):
        if info.get(key):
            st.caption(t(f"plan.{key}"))
            entity_links(info[key])
    commitments = d.plan_commitments(iri)
    by_section = defaultdict(list)
    for r in commitments:
        by_section[r.get("section", "")].append(r)
    outline = d.outline(iri)
    lab = labels([r["item"] for r in commitments] + [a for r in commitments for a in r.get("leads", "").split()])
    st.subheader(t("plan.outline", n=len(outline), m=len(commitments)))
    for sec in outline:
        rank = int(sec.get("rank", 1) or 1)
        items = by_section.get(sec["section"], [])
        head = md(f"{sec.get('marker', '')} {sec['label']}".strip())
        if not items:
            st.markdown(f"{'&nbsp;' * 4 * (rank - 1)}{'**' + head + '**' if rank == 1 else head}")
            continue
        with st.expander(f"{head} · {len(items)}"):
            for r in items:
                leads = [lab[a] for a in r.get("leads", "").split()]
                entity_link(r["item"], lab[r["item"]] + (f"  ← {'、'.join(leads)}" if leads else ""),
                            local(r["kind"]))
    st.subheader(t("plan.indicators"))
    indicator_table(d.plan_indicators(iri), key="plan-ind")


# ---------------------------------------------------------------------------------- commitment
def commitment(iri: str) -> None:
    d = data()
    info = d.commitment(iri)
    if info.get("sectionPath"):
        st.caption(" › ".join(md(x) for x in info["sectionPath"][0].split(" / ")))
    rows = [("inPlan", info.get("inPlan", [])), ("isPartOf", info.get("isPartOf", [])),
            ("leadAgency", info.get("leadAgency", [])), ("supportingAgency", info.get("supportingAgency", [])),
            ("aboutService", info.get("aboutService", [])), ("targetPopulation", info.get("targetPopulation", [])),
            ("hasStandard", info.get("hasStandard", [])), ("domain", info.get("domain", []))]
    c = st.columns(2)
    for n, (prop, iris) in enumerate(r for r in rows if r[1]):
        with c[n % 2]:
            st.caption(t(f"prop.{prop}"))
            entity_links(iris)
    ev = d.evidence([iri])
    for prop in ("leadAgency", "supportingAgency"):
        mine = [e for e in ev.get(iri, []) if e.prop == prop]
        if mine:
            st.markdown(f"**{t('prop.' + prop)}**")
            show_evidence(mine, limit=3)
    st.subheader(t("evidence.quotes"))
    show_evidence([e for e in ev.get(iri, []) if e.prop not in ("leadAgency", "supportingAgency")], limit=4)
    if info.get("parts"):
        st.subheader(t("commitment.parts", n=len(info["parts"])))
        entity_links(info["parts"])
    if info.get("hasIndicator"):
        st.subheader(t("plan.indicators"))
        indicator_table(d.indicator_rows(f"VALUES ?i {{ {iri_list(info['hasIndicator'])} }}"
                                         f" ?x pskg:hasIndicator ?i"), key="c-ind")


# ---------------------------------------------------------------------------------- any other class
def generic(iri: str) -> None:
    d = data()
    out = d.outgoing(iri)
    inc = d.incoming(iri)
    lab = labels([r["o"] for r in out if r.get("ref") == "true"] + [r["s"] for r in inc]
                 + [r["p"] for r in out] + [r["p"] for r in inc])
    st.subheader(t("generic.properties"))
    for r in out:
        cols = st.columns([1, 3])
        cols[0].caption(lab.get(r["p"], local(r["p"])))
        with cols[1]:
            if r.get("ref") == "true":
                entity_link(r["o"], lab.get(r["o"]))
            else:
                st.write(r["o"])
    if inc:
        st.subheader(t("generic.incoming", n=len(inc)))
        by_prop = defaultdict(list)
        for r in inc:
            by_prop[r["p"]].append(r["s"])
        for p, subjects in by_prop.items():
            st.caption(lab.get(p, local(p)))
            entity_links(subjects, limit=20)
    st.subheader(t("evidence.quotes"))
    show_evidence(d.evidence([iri]).get(iri, []), limit=5)


VIEWS = {"Agency": agency, "DerivedBody": agency, "PublicService": service, "TargetPopulation": population, "Region": region,
         "Plan": plan, **{k: commitment for k in COMMITMENT_KINDS}, "Commitment": commitment}


def render(iri: str, kind: str) -> None:
    st.caption(class_name(kind) + f" · `{iri}`")
    VIEWS.get(kind, generic)(iri)
