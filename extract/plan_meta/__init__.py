"""Plan metadata: title, document number, issuer, issue date, jurisdiction, parent plans.

All functions work on the clean text and return clean offsets (the caller maps them to the
original file for evidence). The header of a crawled plan is whatever precedes the first
rank-1 heading; a forwarding notice ("X关于印发《Y》的通知") names the issuer X and the
plan title Y; the signature block (issuer line, then a date line) dates it.

One module per job: ``header`` (header end, notice line, signature block), ``titles``,
``numbers`` (文号), ``dates``, ``issuers``, ``parents`` (the plans it implements),
``jurisdiction``; ``model`` holds the result types.
"""
from __future__ import annotations

from .dates import DATE, cn_number, find_issued
from .header import NOTICE, PLAN_WORDS, TITLE_END, header_end, line_end, signature_line
from .issuers import find_issuer
from .jurisdiction import find_jurisdiction, self_level_hint
from .model import CitedPlan, Found, PlanMeta
from .numbers import find_document_number
from .parents import find_implements
from .titles import find_title

__all__ = ["DATE", "NOTICE", "PLAN_WORDS", "TITLE_END", "CitedPlan", "Found", "PlanMeta", "cn_number",
           "find_document_number", "find_implements", "find_issued", "find_issuer", "find_jurisdiction",
           "find_title", "header_end", "line_end", "self_level_hint", "signature_line"]
