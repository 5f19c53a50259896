"""Compare plans side by side: services, populations, standards, indicator targets, and what one
has that the others lack."""
import altair as alt
import pandas as pd
import streamlit as st

from explorer.search import fold
from explorer.data import local
from explorer.ui import PAGES, data, entity_link, lang, md, plan_names, show_evidence, t, with_lang

d = data()
st.header(t("compare.title"))
plans = d.plans()
lab = d.labels([p["plan"] for p in plans] + [p.get("region") for p in plans if p.get("region")], lang())


def plan_name(p: dict) -> str:
    return f"{lab.get(p.get('region'), '') or '–'} · {lab[p['plan']]}"


by_iri = {p["plan"]: p for p in plans}
by_local = {local(p): p for p in by_iri}
if "cmp-plans" not in st.session_state:  # the selection in the URL (?plans=local,local), else the first two
    asked = [by_local[x] for x in st.query_params.get("plans", "").split(",") if x in by_local]
    st.session_state["cmp-plans"] = asked or list(by_iri)[:2]
chosen = st.multiselect(t("compare.plans"), list(by_iri), key="cmp-plans", format_func=lambda x: plan_name(by_iri[x]))
st.query_params["plans"] = ",".join(local(p) for p in chosen)
if len(chosen) < 2:
    st.info(t("compare.pick"))
    st.stop()
short = plan_names(chosen)
rows = d.plan_services(chosen)
lab.update(d.labels([r["service"] for r in rows] + [r.get("population") for r in rows]
                    + [r.get("standard") for r in rows], lang()))
services: dict[str, dict[str, set]] = {}
pops: dict[str, set] = {p: set() for p in chosen}
for r in rows:
    cell = services.setdefault(lab[r["service"]], {}).setdefault(r["plan"], set())
    if r.get("standard"):
        cell.add(lab[r["standard"]])
    if r.get("population"):
        pops[r["plan"]].add(lab[r["population"]])

st.subheader(t("compare.services", n=len(services)))
table = pd.DataFrame([[("✓ " + "、".join(sorted(services[s][p]))).strip() if p in services[s] else ""
                       for p in chosen] for s in sorted(services)],
                     index=pd.Index(sorted(services), name=t("col.service")), columns=[short[p] for p in chosen])
st.dataframe(table, key="cmp-services")
st.download_button(t("download.csv"), table.to_csv().encode("utf-8-sig"), file_name="compare-services.csv",
                   mime="text/csv", key="cmp-csv")

st.subheader(t("compare.only"))
st.info(t("compare.absence"))
service_iri = {lab[r["service"]]: r["service"] for r in rows}
guarantees: dict[tuple[str, str], list[str]] = {}
for r in d.plan_guarantees(chosen):
    guarantees.setdefault((r["plan"], r["service"]), []).append(r["g"])
cols = st.columns(len(chosen))
for col, p in zip(cols, chosen):
    mine = {s for s in services if p in services[s]}
    others = {s for s in services for q in chosen if q != p and q in services[s]}
    only = sorted(mine - others)
    with col:
        st.markdown(f"**{md(short[p])}**")
        st.caption(t("compare.only_services", n=len(only)))
        if not only:
            st.write(t("none"))
        forms = d.forms([service_iri[s] for s in only])
        evidence = d.evidence([g for s in only for g in guarantees.get((p, service_iri[s]), [])])
        for s in only:
            iri = service_iri[s]
            with st.container(border=True):
                entity_link(iri, s)
                show_evidence(list(dict.fromkeys(e for g in guarantees.get((p, iri), []) for e in evidence.get(g, []))),
                              limit=1)
                for q in chosen:
                    if q == p:
                        continue
                    hit = d.mention(by_iri[q]["file"], forms.get(iri, []))
                    if hit:
                        st.page_link(f"{PAGES}/source.py", label=t("compare.mentioned", plan=md(short[q]), form=md(hit[2])),
                                     query_params=with_lang({"file": by_iri[q]["file"], "start": str(hit[0]),
                                                              "end": str(hit[1])}))
                    else:
                        st.caption(t("compare.not_found", plan=short[q]))
        other_pops = set().union(*(pops[q] for q in chosen if q != p))
        st.caption(t("compare.only_populations", n=len(pops[p] - other_pops)))
        st.write("、".join(sorted(pops[p] - other_pops)) or t("none"))

st.subheader(t("compare.populations"))
allpops = sorted(set().union(*pops.values()))
st.dataframe(pd.DataFrame([["✓" if x in pops[p] else "" for p in chosen] for x in allpops],
                          index=pd.Index(allpops, name=t("col.population")), columns=[short[p] for p in chosen]),
             key="cmp-pops")

st.subheader(t("compare.indicators"))
inds = d.all_indicators(plans=chosen)
lab.update(d.labels([r.get("domain") for r in inds], lang()))
counts = pd.DataFrame([{"plan": short.get(r.get("plan"), ""), "domain": lab.get(r.get("domain"), "–")}
                       for r in inds if r.get("plan") in short])
if not counts.empty:
    st.altair_chart(alt.Chart(counts).mark_bar().encode(
        x=alt.X("count():Q", title=t("compare.indicator_count")), y=alt.Y("domain:N", title=None),
        yOffset="plan:N", color=alt.Color("plan:N", title=None)), key="cmp-ind-count")
named: dict[str, dict[str, dict]] = {}
for r in inds:
    if r.get("target") and r.get("plan") in short:
        named.setdefault(fold(r["name"]), {})[r["plan"]] = r
shared = {k: v for k, v in named.items() if len(v) >= 2}
if shared:
    st.caption(t("compare.shared_indicators", n=len(shared)))
    long = pd.DataFrame([{"indicator": r["name"] + (f" ({r.get('unit')})" if r.get("unit") else ""),
                          "plan": short[p], "target": float(r["target"])}
                         for v in shared.values() for p, r in v.items()])
    st.altair_chart(alt.Chart(long).mark_bar().encode(
        y=alt.Y("indicator:N", title=None), x=alt.X("target:Q", title=t("col.target"), stack=None),
        yOffset="plan:N", color=alt.Color("plan:N", title=None), tooltip=["indicator", "plan", "target"]),
        key="cmp-ind-shared")
else:
    st.caption(t("compare.no_shared"))
