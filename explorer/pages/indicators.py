"""Indicators: numeric targets against baselines, per domain."""
import altair as alt
import pandas as pd
import streamlit as st

from explorer.ui import data, from_url, lang, t, to_url
from explorer.views import fmt_value

d = data()
st.header(t("indicators.title"))
domains = d.concept_scheme("ServiceDomainScheme")
plans = d.plans()
lab = d.labels([r["c"] for r in domains] + [p["plan"] for p in plans], lang())
c = st.columns(2)
from_url("ind-domain", "domain", [r["c"] for r in domains])
from_url("ind-plans", "plans", [p["plan"] for p in plans], multi=True)
domain = c[0].selectbox(t("filter.domain"), [None] + [r["c"] for r in domains], key="ind-domain",
                        format_func=lambda x: lab[x] if x else t("filter.all"))
chosen = c[1].multiselect(t("filter.plans"), [p["plan"] for p in plans], key="ind-plans",
                          format_func=lambda x: lab[x], placeholder=t("filter.all"))
to_url("domain", domain)
to_url("plans", chosen)
rows = d.all_indicators(domain, chosen or None)
lab.update(d.labels([r.get("domain") for r in rows] + [r.get("plan") for r in rows], lang()))
st.caption(t("indicators.count", n=len(rows)))
if rows:
    df = pd.DataFrame([{"indicator": r["name"], "plan": lab.get(r.get("plan"), ""),
                        "domain": lab.get(r.get("domain"), ""), "unit": r.get("unit", ""),
                        "baseline": float(r["baseline"]) if r.get("baseline") else None,
                        "target": float(r["target"]) if r.get("target") else None,
                        "baseline_text": fmt_value(r, "baseline"), "target_text": fmt_value(r, "target")}
                       for r in rows])
    units = df["unit"].value_counts()
    unit = st.selectbox(t("indicators.unit"), list(units.index), key="ind-unit",
                        format_func=lambda u: f"{u or '–'} ({units[u]})")
    part = df[(df["unit"] == unit) & df["target"].notna()].head(60)
    if not part.empty:
        # one bar per plan and indicator, side by side (never stacked: two plans' shares do not add up)
        chart = (alt.Chart(part).mark_bar().encode(
            y=alt.Y("indicator:N", sort=None, title=None), yOffset=alt.YOffset("plan:N"),
            x=alt.X("target:Q", title=f"{t('col.target')} ({unit})" if unit else t("col.target"), stack=None),
            color=alt.Color("plan:N", title=t("col.plan")),
            tooltip=["indicator", "plan", "domain", "baseline_text", "target_text"])
            .properties(height=max(200, 22 * part.shape[0])))
        st.altair_chart(chart, key="ind-chart")
    st.dataframe(df[["indicator", "baseline_text", "target_text", "domain", "plan"]].rename(columns={
        "indicator": t("col.indicator"), "baseline_text": t("col.baseline"), "target_text": t("col.target"),
        "domain": t("col.domain"), "plan": t("col.plan")}), hide_index=True, key="ind-table")
