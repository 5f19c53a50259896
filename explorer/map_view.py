"""Draw the coverage map (explorer/coverage_map.py) on a page, with Altair's geoshape."""
from __future__ import annotations

import streamlit as st

from explorer import coverage_map
from explorer.ui import data, entity_link, lang, t


UNPLACED_LINKS = 20  # plans with no region linked under the map, at most


def coverage_map_chart() -> None:
    d = data()
    regions = [p.get("region") for p in d.plans()]
    known = [r for r in regions if coverage_map.adcode(r)]
    if known:
        _draw(d, known)
    unplaced(d.plans())


def unplaced(plans: list[dict]) -> None:
    """Under the map: the plans it cannot show, those with no region in the store, each a link."""
    missing = [p["plan"] for p in plans if not p.get("region")]
    if missing:
        st.caption(t("map.no_region_one") if len(missing) == 1 else t("map.no_region", n=len(missing)))
        shown = missing[:UNPLACED_LINKS]
        labels = data().labels(shown, lang())
        for p in shown:
            entity_link(p, labels[p], kind="Plan")
        if len(missing) > len(shown):
            st.caption(t("more", n=len(missing) - len(shown)))


def _draw(d, known: list[str]) -> None:
    folder = coverage_map.boundaries_dir()
    coverage_map.KEPT.update(d.precomputed.get("geometry", {}))  # read once per store version
    st.subheader(t("map.title"))
    if folder is None:
        st.caption(t("map.missing"))
        return
    # the spec is built once per language and store version: Altair's first validation of the
    # inline boundaries takes seconds, and a rerun would pay it again for the same figure
    kept = d.precomputed.get("map", {}).get(lang())  # built when the store's figures were kept
    spec = kept or d.memo(("coverage-map", lang()), lambda: spec_for(d, known, folder, lang()))
    st.vega_lite_chart(spec=spec, key="coverage-map")
    st.caption(t("map.caption"))


def spec_for(d, known: list[str], folder, lang: str) -> dict:
    """The map as a Vega-Lite spec in one interface language: provinces coloured by plans,
    plan regions outlined."""
    import altair as alt

    from explorer.i18n import text

    stem = known[0][:-6]  # region IRIs end with their code: …/region/620400
    codes = coverage_map.provinces(folder) + coverage_map.coverage(known)[1]
    labels = d.labels([stem + c for c in codes], lang)
    fc = coverage_map.features(known, {c: labels.get(stem + c, c) for c in codes})
    source = alt.InlineData(values=fc, format=alt.DataFormat(property="features", type="json"))
    tip = [alt.Tooltip("properties.name:N", title=text("map.region", lang)),
           alt.Tooltip("properties.plans:Q", title=text("map.plans", lang))]
    provinces = alt.Chart().mark_geoshape(stroke="white", strokeWidth=0.6).encode(
        color=alt.condition("datum.properties.plans > 0",
                            alt.Color("properties.plans:Q", title=text("map.plans", lang),
                                      scale=alt.Scale(scheme="blues", domainMin=0),
                                      legend=alt.Legend(format="d", tickMinStep=1)),
                            alt.value("#e8e8e8")),
        tooltip=tip).transform_filter("datum.properties.layer == 'province'")
    local = alt.Chart().mark_geoshape(fillOpacity=0, stroke="#d62728", strokeWidth=1.5).encode(
        tooltip=tip).transform_filter("datum.properties.layer == 'plan'")
    chart = alt.layer(provinces, local, data=source).project(type="mercator").properties(height=440)
    return chart.to_dict()
