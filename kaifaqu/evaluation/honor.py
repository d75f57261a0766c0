"""The 红黑榜 rule sets (灵石, seed 003: 包联服务企业红黑榜和信息报送红黑榜制度，每月进行公示并纳入绩效考核).
Each rule names the subject and says why, in words the 公示 prints.

- 信息报送 (``reporting``): a zone whose month's 月报 was submitted by the deadline and never sent back
  goes on the red list; one that reported late, not at all, or was sent back goes on the black list.
  For a staff scheme the same marks fall on the person who submitted the report.
- 包联服务企业 (``liaison``): a 包联干部 whose enterprises' requests of the month were all resolved
  within their deadline and rated satisfied (4 or 5) goes on the red list; one with a request overdue
  at the month's end, resolved late in the month, or rated below 4 goes on the black list. A liaison
  with no request in the month is on neither.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .metrics import Subject, report_marks
from .periods import Period


@dataclass(frozen=True)
class Found:
    side: str  # "red" or "black"
    subject: Subject
    reason: str


def generate(rules: str, period: Period, *, subjects: list[Subject], today: datetime.date) -> list[Found]:
    if rules == "reporting":
        return _reporting(period, subjects, today)
    if rules == "liaison":
        return _liaison(period, subjects)
    return []


def _reporting(period: Period, subjects: list[Subject], today: datetime.date) -> list[Found]:
    marks = report_marks(sorted({subject.zone_id for subject in subjects}), period)
    found = []
    for subject in subjects:
        if subject.is_person:
            mine = [mark for mark in marks if mark.submitted_by == subject.person_id]
        else:
            mine = [mark for mark in marks if mark.zone_id == subject.zone_id]
        if not mine:
            continue
        lapses = [reason for mark in mine if (reason := mark.reason(today))]
        if lapses:
            found.append(Found("black", subject, "；".join(lapses)))
        elif all(mark.on_time(today) for mark in mine):
            found.append(Found("red", subject, "、".join(mark.praise() for mark in mine) + "，未被退回"))
    return found


def _liaison(period: Period, subjects: list[Subject]) -> list[Found]:
    from kaifaqu.services.models import ServiceRequest
    from kaifaqu.services.selectors import SATISFIED

    people = {subject.person_id: subject for subject in subjects if subject.is_person}
    start, end = period.start, period.end
    requests = (
        ServiceRequest.objects.filter(enterprise__liaison_id__in=people)
        .filter(received_on__lte=end)
        .exclude(resolved_on__lt=start)
        .select_related("enterprise")
        .order_by("received_on", "pk")
    )
    by_person: dict[int, list] = {}
    for request in requests:
        by_person.setdefault(request.enterprise.liaison_id, []).append(request)
    found = []
    for person_id, rows in by_person.items():
        bad = [_fault(request, end) for request in rows]
        faults = [text for text in bad if text]
        if faults:
            found.append(
                Found(
                    "black",
                    people[person_id],
                    "；".join(faults[:5]) + (f"等{len(faults)}件" if len(faults) > 5 else ""),
                )
            )
            continue
        resolved = [request for request in rows if request.resolved_on and request.resolved_on <= end]
        if resolved and all((request.satisfaction or 0) >= SATISFIED for request in resolved):
            names = "、".join(sorted({request.enterprise.name for request in resolved}))
            found.append(
                Found("red", people[person_id], f"包联企业（{names}）{len(resolved)}件诉求均按时办结，评价满意")
            )
    return found


def _fault(request, end: datetime.date) -> str:
    from kaifaqu.services.selectors import SATISFIED

    who = f"{request.enterprise.name}“{request.title}”"
    if request.resolved_on is None or request.resolved_on > end:
        return f"{who}至{end.month}月{end.day}日逾期未办结" if request.due_on < end else ""
    if request.resolved_on > request.due_on:
        return f"{who}超时{(request.resolved_on - request.due_on).days}天办结"
    if request.satisfaction is not None and request.satisfaction < SATISFIED:
        return f"{who}评价为{request.satisfaction}分（不满意）"
    return ""
