"""Writes to the enterprise ledger."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kaifaqu.audit import trail
from kaifaqu.core.rights import ensure
from kaifaqu.core.scoping import scope_for
from kaifaqu.core.validation import ErrorBag, full_clean_into, lock_unless_changed
from kaifaqu.projects.models import local_today

from .credit_code import normalise_credit_code
from .models import Enterprise

SYSTEM_FIELDS = frozenset({"id", "created_by", "created_at", "updated_at", "version"})


@transaction.atomic
def enterprise_create(*, user, fields: dict[str, Any]) -> Enterprise:
    _reject(fields)
    zone = fields.get("zone")
    if zone is not None:  # a missing zone is reported as a field error
        ensure(user, "enterprise.change", zone)
    enterprise = Enterprise(**fields, created_by=user if getattr(user, "is_authenticated", False) else None)
    _validate_and_save(enterprise)
    trail.record_create(user=user, instance=enterprise)
    return enterprise


@transaction.atomic
def enterprise_update(
    *, user, enterprise: Enterprise, fields: dict[str, Any], expected_version: int | None = None
) -> Enterprise:
    """Change the enterprise's fields. ``expected_version`` is the version the user's form or
    request was based on: when someone saved in between, the change is refused with theirs."""
    _reject(fields)
    ensure(user, "enterprise.change", enterprise)
    if "zone" in fields:
        ensure(user, "enterprise.change", fields["zone"])  # a missing zone is a field error below
    stored = lock_unless_changed(enterprise, expected_version, noun="企业")
    before = trail.stored_snapshot(enterprise)
    for name, value in fields.items():
        setattr(enterprise, name, value)
    enterprise.version = stored.version + 1
    _validate_and_save(enterprise)
    trail.record_update(user=user, instance=enterprise, before=before)
    return enterprise


@transaction.atomic
def enterprise_delete(*, user, enterprise: Enterprise) -> None:
    ensure(user, "enterprise.change", enterprise)
    if enterprise.projects.exists():
        raise ValidationError("该企业是项目的建设单位，不能删除。请先修改相关项目的建设单位。")
    if enterprise.service_requests.exists():
        # 件件有记录: the requests on record stay, and so does the enterprise they name.
        raise ValidationError("该企业有诉求记录，不能删除；诉求台账需要保留企业信息。")
    trail.record_delete(user=user, instance=enterprise)
    enterprise.delete()


def _reject(fields: dict[str, Any]) -> None:
    bad = sorted(set(fields) & SYSTEM_FIELDS)
    if bad:
        raise ValidationError({name: "该字段由系统维护，不能修改。" for name in bad})


def _validate_and_save(enterprise: Enterprise) -> None:
    enterprise.name = (enterprise.name or "").strip()
    enterprise.credit_code = normalise_credit_code(enterprise.credit_code) or None
    bag = ErrorBag()
    full_clean_into(enterprise, bag, exclude=["created_by"])
    if enterprise.liaison is not None and enterprise.zone_id not in scope_for(enterprise.liaison).zone_ids:
        bag.add("liaison", "包联干部须是该企业所在开发区的工作人员。")
    # 小升规 and 个转企 are counted per year on the 升规潜力 page: a year that cannot be is refused.
    this_year = local_today().year
    for name in ("above_scale_year", "converted_year"):
        year = getattr(enterprise, name)
        if year is not None and not 1980 <= year <= this_year and not bag.has(name):
            bag.add(
                name,
                f"{Enterprise._meta.get_field(name).verbose_name}“{year}”不对，应在 1980 年到 {this_year} 年之间。",
            )
    if enterprise.above_scale_year is not None and not enterprise.is_above_scale:
        bag.add("above_scale_year", "填写了入规年度的企业应勾选“规上企业”；已退规的请清空入规年度。")
    bag.raise_if_any()
    enterprise.save()
