"""Every write on a 揭榜挂帅 board: drafting and publishing it, claiming a bounty (揭榜), reporting
progress, verifying a claim (验收) and closing the board. Each step checks its rule
(``bounty_rights``) and writes its audit entry."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kaifaqu.audit import trail
from kaifaqu.core.rights import ensure
from kaifaqu.core.uploads import validate_upload
from kaifaqu.core.validation import ErrorBag, full_clean_into
from kaifaqu.projects.models import local_today

from .models import Bounty, BountyBoard, BountyClaim, BountyProgress

EVIDENCE_KINDS = ("pdf", "docx", "xlsx", "xls", "jpg", "jpeg", "png")
Status = BountyBoard.Status


# ---------------------------------------------------------------- the board


@transaction.atomic
def board_save(*, user, board: BountyBoard, fields: dict[str, Any], today: datetime.date | None = None) -> BountyBoard:
    """Draft a board or change it (until it is closed). A zone's board lies in its zone's region."""
    if board.pk is not None:
        ensure(user, "bounty.change", board)
        _refuse_closed(board)
    fields = dict(fields)
    if fields.get("zone") is not None:
        fields["region"] = fields["zone"].region
    deadline_before = board.deadline if board.pk is not None else None
    for name, value in fields.items():
        setattr(board, name, value)
    if board.zone_id is not None or board.region_id is not None:
        ensure(user, "bounty.change", board)  # before saying what is wrong with a form the user may not send
    if board.pk is None and user is not None:
        board.created_by = user
    bag = ErrorBag()
    full_clean_into(board, bag, exclude=["created_by"])
    _check_future(board.deadline, deadline_before, "deadline", "揭榜截止日期", bag, today=today)
    bag.raise_if_any()
    ensure(user, "bounty.change", board)
    return trail.save_recorded(user=user, instance=board)


@transaction.atomic
def board_publish(*, user, board: BountyBoard, today: datetime.date | None = None) -> BountyBoard:
    """Publish a draft: it needs at least one bounty and a deadline not yet passed."""
    ensure(user, "bounty.change", board)
    today = today or local_today()
    if board.status != Status.DRAFT:
        raise ValidationError(f"榜单“{board.title}”{board.get_status_display()}，不能再次发布。")
    if not board.bounties.exists():
        raise ValidationError("榜单还没有榜：请先添加至少一个重点招引目标再发布。")
    if board.deadline < today:
        raise ValidationError({"deadline": f"揭榜截止日期（{board.deadline}）已过，请先修改截止日期再发布。"})
    board.status, board.published_on = Status.PUBLISHED, today
    return trail.save_recorded(user=user, instance=board)


@transaction.atomic
def board_close(*, user, board: BountyBoard, today: datetime.date | None = None) -> BountyBoard:
    """End a published board: no more claims or progress; claims may still be verified."""
    ensure(user, "bounty.change", board)
    if board.status != Status.PUBLISHED:
        raise ValidationError(f"只有已发布的榜单可以结束（“{board.title}”{board.get_status_display()}）。")
    board.status, board.closed_on = Status.CLOSED, today or local_today()
    return trail.save_recorded(user=user, instance=board)


def _check_future(day, before, field: str, label: str, bag: ErrorBag, *, today=None) -> None:
    """A deadline set or moved now lies ahead (one already past and left as it was stands)."""
    if day is not None and day != before and day < (today or local_today()):
        bag.add(field, f"{label}（{day:%Y-%m-%d}）已过，请填写今天或以后的日期。")


def _refuse_closed(board: BountyBoard) -> None:
    if board.status == Status.CLOSED:
        raise ValidationError(f"榜单“{board.title}”已结束，不能再修改。")


# ---------------------------------------------------------------- its bounties


@transaction.atomic
def bounty_save(*, user, bounty: Bounty, fields: dict[str, Any], today: datetime.date | None = None) -> Bounty:
    """Add a bounty to a board or change it. A project or target company must be of the board's
    zones; an amount needs its period; the goal defaults to the project's total investment."""
    board = bounty.board
    ensure(user, "bounty.change", board)
    _refuse_closed(board)
    if bounty.pk is not None and bounty.claims.exists() and "goal" in fields and fields["goal"] != bounty.goal:
        raise ValidationError({"goal": "已有人揭榜，目标值不能再修改。"})
    deadline_before = bounty.deadline if bounty.pk is not None else None
    for name, value in fields.items():
        setattr(bounty, name, value)
    if bounty.goal is None and bounty.project is not None and bounty.project.total_investment:
        bounty.goal = bounty.project.total_investment
    bag = ErrorBag()
    full_clean_into(bounty, bag)
    _check_bounty(bounty, bag)
    _check_future(bounty.deadline, deadline_before, "deadline", "完成时限", bag, today=today)
    bag.raise_if_any()
    return trail.save_recorded(user=user, instance=bounty)


def _check_bounty(bounty: Bounty, bag: ErrorBag) -> None:
    board, kind = bounty.board, bounty.kind
    if bounty.goal is not None and bounty.goal <= 0:
        bag.add("goal", "目标值（万元）须大于 0。")
    if kind == Bounty.Kind.TARGET and bounty.target is None:
        bag.add("target", "“目标企业签约”的榜须选择目标企业。")
    for name, record in (("project", bounty.project), ("target", bounty.target)):
        if record is not None and not board.covers(record.zone):
            bag.add(name, f"“{record}”不在榜单的范围（{board.scope_name}）内。")
    if kind == Bounty.Kind.AMOUNT and (bounty.period_start is None or bounty.period_end is None):
        bag.add("period_start", "“招引投资额”的榜须填写考核期的起止日期。")
    if bounty.period_start and bounty.period_end and bounty.period_start > bounty.period_end:
        bag.add("period_end", "考核期止不能早于考核期起。")
    if bounty.link is not None and not board.overlaps(bounty.link.chain):
        bag.add("link", f"环节“{bounty.link}”所在的产业链不在榜单的范围（{board.scope_name}）内。")


@transaction.atomic
def bounty_delete(*, user, bounty: Bounty) -> None:
    ensure(user, "bounty.change", bounty.board)
    if bounty.claims.exists():
        raise ValidationError(f"“{bounty.title}”已有人揭榜，不能删除。")
    trail.record_delete(user=user, instance=bounty)
    bounty.delete()


# ---------------------------------------------------------------- 揭榜


@transaction.atomic
def claim_create(
    *, user, bounty: Bounty, unit=None, team: str = "", pledge: str = "", today: datetime.date | None = None
) -> BountyClaim:
    """揭榜: ``user`` claims ``bounty`` for ``unit`` (default: their own zone committee). Rivals may
    claim the same bounty; one person claims it once."""
    board, today = bounty.board, today or local_today()
    if board.status == Status.DRAFT:
        raise ValidationError(f"榜单“{board.title}”尚未发布，不能揭榜。")
    if board.status == Status.CLOSED:
        raise ValidationError(f"榜单“{board.title}”已结束，不能揭榜。")
    if today > board.deadline:
        raise ValidationError(f"已过揭榜截止日期（{board.deadline:%Y-%m-%d}），不能揭榜。")
    if bounty.deadline is not None and today > bounty.deadline:
        raise ValidationError(f"“{bounty.title}”的完成时限（{bounty.deadline:%Y-%m-%d}）已过，不能揭榜。")
    unit = unit or _own_unit(user)
    ensure(user, "bounty.claim", board, unit=unit)
    if user is None:
        raise ValidationError("揭榜须有揭榜人。")
    if bounty.claims.filter(claimant=user).exists():
        raise ValidationError(f"您已揭榜“{bounty.title}”，不能重复揭榜。")
    claim = BountyClaim(
        bounty=bounty, claimant=user, unit=unit, team=team.strip(), pledge=pledge.strip(), claimed_on=today
    )
    bag = ErrorBag()
    full_clean_into(claim, bag)
    bag.raise_if_any()
    return trail.save_recorded(user=user, instance=claim)


def _own_unit(user):
    from kaifaqu.core.scoping import scope_for
    from kaifaqu.zones.models import Unit

    unit_id = scope_for(user).unit_id
    return Unit.objects.select_related("zone").filter(pk=unit_id).first() if unit_id else None


# ---------------------------------------------------------------- progress


@transaction.atomic
def progress_report(
    *,
    user,
    claim: BountyClaim,
    reported_on: datetime.date,
    value: Decimal,
    note: str = "",
    upload=None,
) -> BountyProgress:
    """Report the value reached so far (cumulative, 万元). The claim keeps the latest value and the
    first day it reached the goal (its completion, which breaks ties on the 擂台)."""
    ensure(user, "bounty.report", claim)
    board = claim.bounty.board
    if claim.verified:
        raise ValidationError(f"该揭榜已于{claim.verified_on:%Y-%m-%d}验收，不能再报告进展。")
    if board.status != Status.PUBLISHED:
        raise ValidationError(f"榜单“{board.title}”{board.get_status_display()}，不能再报告进展。")
    bag = ErrorBag()
    _check_report(claim, reported_on, value, bag)
    _check_not_lower(claim, reported_on, value, note, bag)
    progress = BountyProgress(
        claim=claim, reported_on=reported_on, value=value, note=note.strip(), reported_by=user if user else None
    )
    _attach(progress, upload, bag)
    full_clean_into(progress, bag, exclude=["claim", "evidence"])
    bag.raise_if_any()
    progress.save()
    trail.record_create(user=user, instance=progress)
    _update_claim(user, claim)
    return progress


def _check_report(claim: BountyClaim, reported_on, value, bag: ErrorBag) -> None:
    if reported_on is None:
        bag.add("reported_on", "报告日期：请填写。")
    elif reported_on > local_today():
        bag.add("reported_on", "报告日期不能晚于今天。")
    elif reported_on < claim.claimed_on:
        bag.add("reported_on", f"报告日期不能早于揭榜日期（{claim.claimed_on:%Y-%m-%d}）。")
    if value is None:
        bag.add("value", "累计完成（万元）：请填写。")
    elif value < 0:
        bag.add("value", "累计完成（万元）不能为负数。")


def _check_not_lower(claim: BountyClaim, reported_on, value, note: str, bag: ErrorBag) -> None:
    """Progress is cumulative: a figure below the last one reported is a correction, and says why."""
    if reported_on is None or value is None or note.strip():
        return
    last = claim.progress.filter(reported_on__lte=reported_on).order_by("-reported_on", "-id").first()
    if last is not None and value < last.value:
        bag.add(
            "value",
            f"累计完成少于{last.reported_on:%Y-%m-%d}报告的{last.value:,}万元：进展按累计填报，如为更正请在说明中写明原因。",
        )


def _attach(record, upload, bag: ErrorBag) -> None:
    if upload is None:
        return
    try:
        validate_upload(upload, allowed=EVIDENCE_KINDS)
    except ValidationError as exc:
        for message in exc.messages:
            bag.add("evidence", message)
        return
    record.evidence, record.evidence_name = upload, upload.name[:200]


def _update_claim(user, claim: BountyClaim) -> None:
    reports = list(claim.progress.order_by("reported_on", "id"))
    claim.reached = reports[-1].value if reports else Decimal("0")
    goal = claim.bounty.goal
    # Completed from the first report of the last run at or above the goal: a correction below it undoes it.
    claim.completed_on = None
    for item in reversed(reports):
        if item.value < goal:
            break
        claim.completed_on = item.reported_on
    trail.save_recorded(user=user, instance=claim)


# ---------------------------------------------------------------- 验收


@transaction.atomic
def claim_verify(
    *,
    user,
    claim: BountyClaim,
    result: str,
    achieved: Decimal | None,
    note: str = "",
    upload=None,
    verified_on: datetime.date | None = None,
) -> BountyClaim:
    """验收 a claim once, with the achieved value and evidence; never by the claimant."""
    ensure(user, "bounty.verify", claim)
    if claim.verified:
        done = f"{claim.verified_on:%Y-%m-%d}验收（{claim.get_result_display()}）"
        raise ValidationError(f"该揭榜已于{done}，不能重复验收。")
    if claim.bounty.board.status == Status.DRAFT:
        raise ValidationError("榜单尚未发布，不能验收。")
    verified_on = verified_on or local_today()
    bag = ErrorBag()
    if result not in BountyClaim.Result.values:
        bag.add("result", "验收结果：请选择“通过”或“未通过”。")
    if achieved is None:
        bag.add("achieved", "验收完成值（万元）：请填写。")
    elif achieved < 0:
        bag.add("achieved", "验收完成值（万元）不能为负数。")
    if verified_on > local_today():
        bag.add("verified_on", "验收日期不能晚于今天。")
    elif verified_on < claim.claimed_on:
        bag.add("verified_on", f"验收日期不能早于揭榜日期（{claim.claimed_on:%Y-%m-%d}）。")
    _attach(claim, upload, bag)
    bag.raise_if_any()
    claim.result, claim.achieved, claim.verify_note = result, achieved, note.strip()
    claim.verified_on, claim.verified_by = verified_on, user if user else None
    if result == BountyClaim.Result.PASSED and claim.completed_on is None and achieved >= claim.bounty.goal:
        claim.completed_on = verified_on  # reached without a progress report: completed when verified
    return trail.save_recorded(user=user, instance=claim)
