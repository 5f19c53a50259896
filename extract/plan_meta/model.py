"""What plan metadata is made of: found values with their clean spans, cited parent plans."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Found:
    value: str
    span: tuple[int, int]  # clean offsets


@dataclass
class CitedPlan:
    title: str  # as in the clean text
    span: tuple[int, int]
    national: bool = False  # preceded by 国家


@dataclass
class PlanMeta:
    title: Found | None = None
    document_number: Found | None = None
    issued: Found | None = None  # value: YYYY-MM-DD
    issuer_span: tuple[int, int] | None = None  # clean span of the issuer's name
    issuer_members: list[int] = field(default_factory=list)  # a co-issuer group's named members
    # (agency-mention indices); empty when the issuer is one agency
    implements: list[CitedPlan] = field(default_factory=list)
