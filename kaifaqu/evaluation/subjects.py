"""Who a scheme scores: a city's or the province's zones, or the staff of a zone."""

from __future__ import annotations

from kaifaqu.core.people import person_label

from .metrics import Subject
from .models import Scheme


def scheme_subjects(scheme: Scheme) -> list[Subject]:
    from kaifaqu.zones.models import Membership, Zone

    if scheme.subject_kind == Scheme.SubjectKind.STAFF:
        members = (
            Membership.objects.filter(unit__zone=scheme.zone, user__is_active=True)
            .select_related("user", "unit")
            .order_by("user__last_name", "user__first_name", "user__username")
        )
        return [
            Subject(f"person:{member.user_id}", person_label(member.user, unit=""), member.unit.zone_id, member.user_id)
            for member in members
        ]
    zones = Zone.objects.filter(region__code__startswith=scheme.region.scope_prefix).order_by("region__code", "name")
    if scheme.zone_id is not None:
        zones = zones.filter(pk=scheme.zone_id)
    return [Subject(f"zone:{zone.pk}", zone.short_name or zone.name, zone.pk) for zone in zones]


def subject_of(scheme: Scheme, key: str) -> Subject | None:
    return next((subject for subject in scheme_subjects(scheme) if subject.key == key), None)


def subject_fields(subject: Subject) -> dict:
    """The foreign keys a score, a manual value or a 红黑榜 entry stores for ``subject``."""
    if subject.is_person:
        return {"zone_id": None, "person_id": subject.person_id}
    return {"zone_id": subject.zone_id, "person_id": None}


def key_of(record) -> str:
    """The subject key of a stored score, manual value or entry."""
    return f"person:{record.person_id}" if record.person_id else f"zone:{record.zone_id}"
