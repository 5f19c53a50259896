"""Who owns what: services x plans, the lead agency of each service in each plan."""
import pandas as pd
import streamlit as st

from explorer.ladder import expected_cells
from explorer.ui import data, from_url, lang, plan_names, t, to_url

d = data()
st.header(t("owners.title"))
st.caption(t("owners.help"))
domains = d.concept_scheme("ServiceDomainScheme")
levels = d.concept_scheme("GovernmentLevelScheme")
regions = d.plan_regions()
lab = d.labels([r["c"] for r in domains + levels] + regions, lang())
c = st.columns(3)
from_url("own-domain", "domain", [r["c"] for r in domains])
from_url("own-level", "level", [r["c"] for r in levels])
from_url("own-region", "region", regions)
domain = c[0].selectbox(t("filter.domain"), [None] + [r["c"] for r in domains], key="own-domain",
                        format_func=lambda x: lab[x] if x else t("filter.all"))
level = c[1].selectbox(t("filter.level"), [None] + [r["c"] for r in levels], key="own-level",
                       format_func=lambda x: lab[x] if x else t("filter.all"))
region = c[2].selectbox(t("filter.region"), [None] + regions, key="own-region",
                        format_func=lambda x: lab[x] if x else t("filter.all"))
to_url("domain", domain)
to_url("level", level)
to_url("region", region)
rows = d.ownership(domain, level)
if region:  # the plans of the region and of the regions under it
    keep = {r["plan"] for r in d.region_plans(region)}
    rows = [r for r in rows if r["plan"] in keep]
if not rows:
    st.info(t("none"))
else:
    lab = d.labels([r["service"] for r in rows] + [r["plan"] for r in rows] + [r["agency"] for r in rows], lang())
    names = plan_names(sorted({r["plan"] for r in rows}))
    plans = sorted(names, key=lambda p: names[p])
    cells: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        cells.setdefault((lab[r["service"]], r["plan"]), []).append(lab[r["agency"]])
    expected = expected_cells(d, [r["service"] for r in rows], plans)  # marked: no plan states them
    elab = d.labels([a for ags in expected.values() for a in ags] + [s for s, _ in expected], lang())
    for (s, p), ags in expected.items():
        cells.setdefault((elab[s], p), [elab[a] + t("owners.expected_mark") for a in ags])
    services = sorted({s for s, _ in cells})
    matrix = pd.DataFrame([[ "、".join(sorted(set(cells.get((s, p), [])))) for p in plans] for s in services],
                          index=pd.Index(services, name=t("col.service")), columns=[names[p] for p in plans])
    st.caption(t("owners.count", s=len(services), p=len(plans)) + " · " + t("owners.legend"))
    st.dataframe(matrix, key="own-matrix")
    st.download_button(t("download.csv"), matrix.to_csv().encode("utf-8-sig"), file_name="who-owns-what.csv",
                       mime="text/csv", key="own-csv")
