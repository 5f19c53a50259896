"""The landing page's cards: one per plan read from a text (title, region, level, period,
commitments and indicators), the first CARDS of them, by source file."""
from __future__ import annotations

import streamlit as st

from explorer.ui import PAGES, data, lang, md, t, with_lang

CARDS = 12      # cards on the landing page; the rest are counted (search finds every plan)
PER_ROW = 3


def period(card: dict) -> str:
    """The plan period from its title (2016–2020), else the issue date, else "–"."""
    if card.get("start"):
        return f"{card['start']}–{card['end']}" if card.get("end") else str(card["start"])
    return (card.get("issued") or "–")[:10]


def plan_cards() -> None:
    d = data()
    cards = d.plan_cards()
    if not cards:
        return
    st.subheader(t("landing.plans", n=len(cards)))
    shown = cards[:CARDS]
    labels = d.labels([c["plan"] for c in shown] + [c["region"] for c in shown if c.get("region")], lang())
    rows = [shown[i:i + PER_ROW] for i in range(0, len(shown), PER_ROW)]
    for row in rows:
        cols = st.columns(PER_ROW)
        for col, c in zip(cols, row):
            box = col.container(border=True)
            box.page_link(f"{PAGES}/entity.py", label=md(" ".join(labels[c["plan"]].split())[:60]) or c["file"],
                          query_params=with_lang({"iri": c["plan"]}))
            region = md(labels[c["region"]]) if c.get("region") else t("landing.no_region")
            level = t(f"level.{c['level']}") if c.get("level") else "–"
            box.caption(t("landing.card", region=region, level=level, period=period(c),
                          commitments=c["commitments"], indicators=c["indicators"]))
    if len(cards) > len(shown):
        st.caption(t("landing.more_plans", n=len(cards) - len(shown)))
