"""Shortcut triples: what the named queries join, stated directly on each plan's nodes.

Derived from the plan graph's own triples (nothing new is read from the text), stored in the
plan graph next to what they summarize, so a query about one region, level or agency starts
from an index lookup instead of joining through the plan:

    ?x pskg:ofPlan ?p       the plan itself, each commitment and each indicator -> the plan
    ?x pskg:planRegion ?r   ... -> the jurisdiction of the plan
    ?x pskg:planLevel ?l    ... -> the level of the plan
    ?c pskg:owner ?a        a commitment -> its lead agencies and those of the provision it is part of

(pyoxigraph joins two unbound patterns by scanning both; a query that starts from one
bound pattern and follows single lookups stays fast, and these make such starts possible.)
"""
from __future__ import annotations

import pyoxigraph as ox

from .terms import ns, pskg

IN_PLAN, LEAD, HAS_IND = pskg("inPlan"), pskg("leadAgency"), pskg("hasIndicator")
JURIS, LEVEL, PART_OF = pskg("jurisdiction"), pskg("level"), ns("dct", "isPartOf")
PLAN_REGION, PLAN_LEVEL, OF_PLAN, OWNER = pskg("planRegion"), pskg("planLevel"), pskg("ofPlan"), pskg("owner")
SHORTCUTS = (PLAN_REGION, PLAN_LEVEL, OF_PLAN, OWNER)
# for FILTER(?p NOT IN (...)): views of a node's neighbours leave the derived links out
SHORTCUT_LIST = ", ".join(f"<{p.value}>" for p in SHORTCUTS)


def shortcut_triples(plan: ox.NamedNode, triples: list[ox.Triple]) -> list[ox.Triple]:
    region = level = None
    commitments: set = set()
    leads: dict = {}
    parent: dict = {}
    holders: list = []
    for t in triples:
        s, p, o = t.subject, t.predicate, t.object
        if s == plan and p == JURIS:
            region = o
        elif s == plan and p == LEVEL:
            level = o
        elif p == IN_PLAN and o == plan:
            commitments.add(s)
        elif p == LEAD:
            leads.setdefault(s, set()).add(o)
        elif p == PART_OF:
            parent[s] = o
        elif p == HAS_IND:
            holders.append((s, o))
    out: list[ox.Triple] = []

    def where(node):
        out.append(ox.Triple(node, OF_PLAN, plan))
        if region is not None:
            out.append(ox.Triple(node, PLAN_REGION, region))
        if level is not None:
            out.append(ox.Triple(node, PLAN_LEVEL, level))

    where(plan)
    for c in commitments:
        where(c)
        owners = set(leads.get(c, ()))
        up = parent.get(c)
        if up in commitments:
            owners |= leads.get(up, set())
        for a in owners:
            out.append(ox.Triple(c, OWNER, a))
    for holder, ind in holders:
        if holder == plan or holder in commitments:
            where(ind)
    return out
