"""Every 招商 write with a rule. Pages, the importer and commands call these.

A lead is a project: creating one goes through ``projects.services.project_create`` and
moving it through ``project_move_stage`` (the one stage service, its rules and its audit);
this module only keeps what 招商 adds — the target, the activity, the 招商方式 and source.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kaifaqu.audit import trail
from kaifaqu.core.rights import ensure
from kaifaqu.core.uploads import validate_upload
from kaifaqu.core.validation import ErrorBag, full_clean_into
from kaifaqu.projects import services as project_services
from kaifaqu.projects.models import Project, Stage, local_today
from kaifaqu.zones.models import Membership, Zone

from .models import Activity, ActivityFile, InvestmentMode, Lead, PlatformCompany, Target, TargetIndustry

ATTACHMENT_KINDS = ("pdf", "docx", "xlsx", "xls", "jpg", "jpeg", "png")
# Recording an activity moves an untouched target on: met → 已接触; a lead made of it → 洽谈中.
STATUS_ORDER = (Target.Status.UNTOUCHED, Target.Status.CONTACTED, Target.Status.NEGOTIATING, Target.Status.LANDED)


def _save(*, user, instance, fields: dict[str, Any], right: str, exclude: list[str] | None = None):
    """Create or change one zone record: the right on its zone (before and after), its checks, its audit."""
    creating = instance.pk is None
    if not creating:
        ensure(user, right, instance)
    for name, value in fields.items():
        setattr(instance, name, value)
    if instance.zone_id is not None:
        ensure(user, right, instance)
    bag = ErrorBag()
    full_clean_into(instance, bag, exclude=exclude)
    bag.raise_if_any()
    trail.save_recorded(user=user, instance=instance)  # with its one entry: created, or what changed
    return instance


def _delete(*, user, instance, right: str) -> None:
    ensure(user, right, instance)
    trail.record_delete(user=user, instance=instance)
    instance.delete()


# ---------------------------------------------------------------- the target catalogue


@transaction.atomic
def target_industry_save(*, user, industry: TargetIndustry, fields: dict[str, Any]) -> TargetIndustry:
    return _save(user=user, instance=industry, fields=fields, right="investment.change")


@transaction.atomic
def target_industry_delete(*, user, industry: TargetIndustry) -> None:
    _delete(user=user, instance=industry, right="investment.change")


@transaction.atomic
def target_save(*, user, target: Target, fields: dict[str, Any]) -> Target:
    """Register or change a 目标企业; its 招商产业 must be one of the same zone's."""
    if target.pk is None and target.created_by_id is None and user is not None:
        target.created_by = user
    fields = {**fields}
    if "credit_code" in fields:
        fields["credit_code"] = (fields["credit_code"] or "").strip().upper()
    industry = fields.get("industry", target.industry if target.industry_id else None)
    zone = fields.get("zone", target.zone if target.zone_id else None)
    if industry is not None and zone is not None and industry.zone_id != zone.pk:
        raise ValidationError({"industry": f"招商产业“{industry}”不属于{zone.name}的招商产业目录。"})
    return _save(user=user, instance=target, fields=fields, right="investment.change")


@transaction.atomic
def target_delete(*, user, target: Target) -> None:
    if target.leads.exists():
        raise ValidationError(f"目标企业“{target.name}”已形成招商项目，不能删除；可将对接状态改为“放弃”。")
    _delete(user=user, instance=target, right="investment.change")


def _advance(target: Target, status: str, *, user) -> None:
    """Move a target's status forward to ``status`` (never back: 已落地 and 放弃 stay)."""
    if target.status == Target.Status.DROPPED or target.status not in STATUS_ORDER:
        return
    if STATUS_ORDER.index(status) <= STATUS_ORDER.index(target.status):
        return
    before = trail.snapshot(target)
    target.status = status
    target.save(update_fields=["status", "updated_at"])
    trail.record_update(user=user, instance=target, before=before, note="随招商活动更新")


# ---------------------------------------------------------------- activities


def _check_activity(activity: Activity, bag: ErrorBag, today: datetime.date) -> None:
    """The rules a form cannot say alone: what each kind carries, and dates that happened."""
    kind = activity.kind
    if activity.start_on and activity.start_on > today:
        bag.add("start_on", "招商活动记录已经发生的活动，日期不能晚于今天。")
    if activity.end_on and activity.start_on and activity.end_on < activity.start_on:
        bag.add("end_on", "结束日期不能早于开始日期。")
    if kind == Activity.Kind.TALK and not activity.depth:
        bag.add("depth", "请选择洽谈深度（初次洽谈或深度洽谈）。")
    if kind != Activity.Kind.TALK and activity.depth:
        bag.add("depth", "只有洽谈需要填写洽谈深度。")
    if kind == Activity.Kind.AGREEMENT and not activity.agreement_kind:
        bag.add("agreement_kind", "请选择协议类型（战略合作协议或项目合作协议）。")
    if kind != Activity.Kind.AGREEMENT and (activity.agreement_kind or activity.signed_amount is not None):
        field = "agreement_kind" if activity.agreement_kind else "signed_amount"
        bag.add(field, "只有签约活动填写协议类型和签约投资额。")
    members = Membership.objects.filter(user_id=activity.leader_id, unit__zone_id=activity.zone_id)
    if activity.leader_id is not None and activity.zone_id is not None and not members.exists():
        bag.add("leader", "带队领导应为本开发区管委会的成员。")


@transaction.atomic
def activity_save(
    *,
    user,
    activity: Activity,
    fields: dict[str, Any],
    targets: Iterable[Target] | None = None,
    new_target_names: Iterable[str] = (),
    leads: Iterable[Project] | None = None,
) -> Activity:
    """Record or change a 招商活动 with the companies met (existing targets, and new names
    that become targets of the zone, 已接触) and the leads it concerns."""
    creating = activity.pk is None
    if not creating:
        ensure(user, "investment.change", activity)
    before = {} if creating else trail.snapshot(activity)
    for name, value in fields.items():
        setattr(activity, name, value)
    if creating and user is not None and getattr(user, "is_authenticated", False):
        activity.created_by = user
    if activity.zone_id is not None:
        ensure(user, "investment.change", activity)
    bag = ErrorBag()
    full_clean_into(activity, bag)
    _check_activity(activity, bag, local_today())
    met = list(targets or [])
    foreign = [target.name for target in met if target.zone_id != activity.zone_id]
    if foreign:
        bag.add("targets", f"对接企业须为本开发区目标企业库中的企业：{'、'.join(foreign)}。")
    concerned = list(leads or [])
    if any(project.zone_id != activity.zone_id for project in concerned):
        bag.add("leads", "相关项目须为本开发区的项目。")
    bag.raise_if_any()
    activity.save()
    met += _targets_named(user, activity.zone, new_target_names)
    if targets is not None or new_target_names:
        activity.targets.set(met)
    if leads is not None:
        activity.leads.set(concerned)
    for target in met:
        _advance(target, Target.Status.CONTACTED, user=user)
    if creating:
        trail.record_create(user=user, instance=activity)
    else:
        trail.record_update(user=user, instance=activity, before=before)
    return activity


def _targets_named(user, zone: Zone, names: Iterable[str]) -> list[Target]:
    """The zone's targets of these names, registering the ones the catalogue lacks (已接触)."""
    found = []
    for name in dict.fromkeys(" ".join(str(name).split()) for name in names):
        if not name:
            continue
        target = Target.objects.filter(zone=zone, name=name).first()
        if target is None:
            target = target_save(
                user=user,
                target=Target(zone=zone),
                fields={"name": name, "status": Target.Status.CONTACTED, "note": "登记招商活动时新增"},
            )
        found.append(target)
    return found


@transaction.atomic
def activity_delete(*, user, activity: Activity) -> None:
    _delete(user=user, instance=activity, right="investment.change")


@transaction.atomic
def activity_file_add(*, user, activity: Activity, upload) -> ActivityFile:
    """Attach a photo or the minutes (checked as every upload is)."""
    ensure(user, "investment.change", activity)
    try:
        validate_upload(upload, allowed=ATTACHMENT_KINDS)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    attached = ActivityFile.objects.create(
        activity=activity, file=upload, name=upload.name[:200], uploaded_by=user if user else None
    )
    trail.record_create(user=user, instance=attached)
    return attached


@transaction.atomic
def activity_file_delete(*, user, attached: ActivityFile) -> None:
    ensure(user, "investment.change", attached.activity)
    trail.record_delete(user=user, instance=attached)
    attached.file.delete(save=False)
    attached.delete()


# ---------------------------------------------------------------- leads


@transaction.atomic
def lead_create(
    *,
    user,
    zone: Zone,
    name: str,
    total_investment: Decimal,
    contact_on: datetime.date | None = None,
    industry: str = "",
    content: str = "",
    target: Target | None = None,
    activity: Activity | None = None,
    lead_fields: dict[str, Any] | None = None,
) -> Project:
    """A new lead: a project at 初步对接 (through the one project service), with its 招商 facts.

    Made from a target it keeps the link (and the target is 洽谈中); made at an activity it is
    listed there and the activity is its source unless another is given.
    """
    day = contact_on or (activity.start_on if activity is not None else None) or local_today()
    project = project_services.project_create(
        user=user,
        fields={
            "zone": zone,
            "name": name,
            "total_investment": total_investment,
            "plan_year": day.year,
            "industry": industry or (str(target.industry) if target and target.industry_id else ""),
            "content": content,
        },
        stage=Stage.CONTACT,
        stage_dates={"contact_on": day},
    )
    facts = {"target": target, **(lead_fields or {})}
    if activity is not None and not facts.get("source"):
        facts |= {"source": Lead.Source.EVENT, "source_activity": activity}
    lead_save(user=user, project=project, fields=facts)
    if activity is not None:
        activity.leads.add(project)
    if target is not None:
        _advance(target, Target.Status.NEGOTIATING, user=user)
    return project


@transaction.atomic
def lead_save(*, user, project: Project, fields: dict[str, Any]) -> Lead:
    """Set a project's 招商方式, source and target (its ``Lead`` row, made on first use)."""
    ensure(user, "investment.change", project)
    lead = Lead.objects.filter(project=project).first() or Lead(project=project)
    for name, value in fields.items():
        setattr(lead, name, value)
    bag = ErrorBag()
    full_clean_into(lead, bag, exclude=["project"])
    _check_source(lead, project, bag)
    bag.raise_if_any()
    trail.save_recorded(user=user, instance=lead)  # with its one entry: created, or what changed
    return lead


def _check_source(lead: Lead, project: Project, bag: ErrorBag) -> None:
    """The source's detail must match its kind and belong to the project's zone."""
    needs = {
        Lead.Source.PLATFORM: ("source_platform", "请选择带来该项目的平台公司。"),
        Lead.Source.ENTERPRISE: ("source_enterprise", "请选择引荐该项目的在区企业（以商招商）。"),
        Lead.Source.EVENT: ("source_activity", "请选择该项目来自的招商活动。"),
        Lead.Source.PERSON: ("source_person", "请填写引荐人。"),
    }
    if lead.source in needs:
        field, message = needs[lead.source]
        if not getattr(lead, field if field == "source_person" else f"{field}_id"):
            bag.add(field, message)
    for field in ("source_platform", "source_activity", "target", "source_enterprise"):
        related = getattr(lead, field)
        if related is not None and related.zone_id != project.zone_id:
            bag.add(field, f"{Lead._meta.get_field(field).verbose_name}须为本开发区的。")
    # A lead may keep a mode retired since; choosing a retired one anew is refused.
    newly_chosen = lead.pk is None or Lead.objects.filter(pk=lead.pk).exclude(mode=lead.mode).exists()
    if lead.mode is not None and not lead.mode.active and newly_chosen:
        bag.add("mode", f"招商方式“{lead.mode}”已停用。")


# ---------------------------------------------------------------- 平台公司, 班子成员, 招商方式


@transaction.atomic
def platform_save(
    *, user, platform: PlatformCompany, fields: dict[str, Any], commissioned: Iterable[Project] | None = None
) -> PlatformCompany:
    """Register or change a 平台公司 and the projects it builds on commission (委托代建)."""
    saved = _save(user=user, instance=platform, fields=fields, right="platform.change")
    if commissioned is not None:
        projects = list(commissioned)
        foreign = [project.name for project in projects if project.zone_id != saved.zone_id]
        if foreign:
            raise ValidationError({"commissioned_projects": f"委托代建项目须为本开发区的项目：{'、'.join(foreign)}。"})
        saved.commissioned_projects.set(projects)
    if saved.enterprise_id is not None and saved.enterprise.zone_id != saved.zone_id:
        raise ValidationError({"enterprise": "企业库中的记录须为本开发区的企业。"})
    return saved


@transaction.atomic
def platform_delete(*, user, platform: PlatformCompany) -> None:
    _delete(user=user, instance=platform, right="platform.change")


@transaction.atomic
def leadership_set(*, user, zone: Zone, user_ids: Iterable[int]) -> list[Membership]:
    """Mark which of the zone committee's members are its 班子成员 (the others are not)."""
    ensure(user, "platform.change", zone)
    chosen = set(user_ids)
    members = list(Membership.objects.filter(unit__zone=zone, unit__kind="zone").select_related("user"))
    unknown = chosen - {member.user_id for member in members}
    if unknown:
        raise ValidationError({"leaders": "所选人员不是本开发区管委会的成员。"})
    for member in members:
        wanted = member.user_id in chosen
        if member.is_leadership != wanted:
            before = trail.snapshot(member)
            member.is_leadership = wanted
            # Counted from the day they join: the months before are not theirs to answer for.
            member.leadership_since = local_today() if wanted else None
            member.save(update_fields=["is_leadership", "leadership_since"])
            trail.record_update(user=user, instance=member, before=before, note=f"{zone.name}班子成员")
    return [member for member in members if member.is_leadership]


@transaction.atomic
def mode_save(*, user, mode: InvestmentMode, fields: dict[str, Any]) -> InvestmentMode:
    ensure(user, "investment_mode.change")
    for name, value in fields.items():
        setattr(mode, name, value)
    bag = ErrorBag()
    full_clean_into(mode, bag)
    bag.raise_if_any()
    trail.save_recorded(user=user, instance=mode)  # with its one entry: created, or what changed
    return mode
