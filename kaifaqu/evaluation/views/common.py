"""What the 考核 pages share: fetching a scheme, a run, a 红黑榜 within the user's scope (404 outside),
acting through a service with its refusal as a message, and sending a file."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse

from kaifaqu.audit import trail
from kaifaqu.core.scoping import get_visible_or_404, scope_for

from .. import selectors
from ..models import HonorList, Run, Scheme

NOT_FOUND = "未找到该记录，或您无权查看。"
RUN_CSS = {
    "draft": "text-bg-secondary",
    "reviewed": "text-bg-info",
    "published": "text-bg-success",
    "superseded": "text-bg-light border",
}
HONOR_CSS = {"draft": "text-bg-secondary", "published": "text-bg-success"}


def refuse_enterprises(request) -> None:
    if scope_for(request.user).enterprise_id is not None:
        raise PermissionDenied("考核由开发区和主管部门使用，企业账号没有此功能。")


def nav() -> dict:
    return {"tab": "evaluation"}


def get_scheme(request, pk: int) -> Scheme:
    """The one way a page reaches a scheme: among those the user sees, else 404."""
    return get_visible_or_404(Scheme.objects.select_related("zone", "region"), request.user, pk=pk)


def parent_of(model, pk, field: str) -> int:
    """The id of the record a run, a score, a list or an entry belongs to, else 404: each is reached
    through its scheme's scope, never by its own id alone."""
    try:
        return model.objects.values_list(field, flat=True).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc


def found_or_404(record):
    if record is None:
        raise Http404(NOT_FOUND)
    return record


def get_run(request, pk: int) -> Run:
    """A run, through its scheme: a draft is its keepers' business."""
    scheme = get_scheme(request, parent_of(Run, pk, "scheme_id"))
    run = found_or_404(selectors.visible_runs(request.user, scheme).filter(pk=pk).first())
    run.scheme = scheme
    return run


def get_honor_list(request, pk: int) -> HonorList:
    """A 红黑榜, through its scheme: a list not yet published is its keepers' business."""
    scheme = get_scheme(request, parent_of(HonorList, pk, "scheme_id"))
    honor_list = found_or_404(selectors.visible_honor_lists(request.user, scheme).filter(pk=pk).first())
    honor_list.scheme = scheme
    return honor_list


def act(request, action, done: str, **arguments) -> bool:
    try:
        action(user=request.user, **arguments)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, done)
    return True


def download(request, content: bytes, filename: str, content_type: str) -> HttpResponse:
    trail.record_event(action="export", user=request.user, note=f"导出{filename}")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
