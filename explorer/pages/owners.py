"""Who owns what: services x plans, the lead agency of each service in each plan."""
import pandas as pd
import streamlit as st

from explorer.ladder import expected_cells
from explorer.params import integer
from explorer.ui import data, from_url, lang, plan_names, t, to_url

PLANS_PER_PAGE = 40  # matrix columns per page (?per= from 1 to 200)


def turn(page: int) -> None:
    st.session_state["own-page"] = page


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
    names = plan_names(sorted({r["plan"] for r in rows}))
    plans = sorted(names, key=lambda p: names[p])
    per = integer(st.query_params.get("per"), PLANS_PER_PAGE, 1, 200)
    pages = max(1, -(-len(plans) // per))  # the matrix in pages of plans (its columns)
    if "own-page" not in st.session_state:
        st.session_state["own-page"] = integer(st.query_params.get("page"), 1, 1, 10**6)
    if st.session_state.get("own-filters") != (domain, level, region):
        st.session_state["own-filters"] = (domain, level, region)
        if "own-filters-seen" in st.session_state:
            st.session_state["own-page"] = 1  # a new filter starts on its first page
        st.session_state["own-filters-seen"] = True
    page = min(max(1, st.session_state["own-page"]), pages)
    total = len(plans)
    plans = plans[(page - 1) * per: page * per]
    keep = set(plans)
    rows = [r for r in rows if r["plan"] in keep]
    lab = d.labels([r["service"] for r in rows] + plans + [r["agency"] for r in rows], lang())
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
    st.caption(t("owners.count", s=len(services), p=total) + " · " + t("owners.legend")
               + (" · " + t("owners.page", a=(page - 1) * per + 1, b=(page - 1) * per + len(plans),
                            n=total) if pages > 1 else ""))
    st.dataframe(matrix, key="own-matrix")
    if pages > 1:
        nav = st.columns(6)
        nav[0].button(t("search.prev"), key="own-prev", disabled=page <= 1, on_click=turn, args=(page - 1,))
        nav[1].button(t("search.next"), key="own-next", disabled=page >= pages, on_click=turn, args=(page + 1,))
        st.query_params["page"] = str(page)
    elif "page" in st.query_params:
        del st.query_params["page"]
    st.download_button(t("download.csv"), matrix.to_csv().encode("utf-8-sig"), file_name="who-owns-what.csv",
                       mime="text/csv", key="own-csv")
