"""揭榜挂帅 pages: the boards the user sees, a board with its bounties and 擂台 ranking, a claim with
its progress and 验收, evidence downloads, and the 榜单 as .xlsx and .docx. Enterprises have no
business here: 招商 is the offices' work (403 on the list, 404 on any record)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kaifaqu.audit import trail
from kaifaqu.core.export import DOCX_TYPE, XLSX_TYPE
from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import get_visible_or_404, scope_for
from kaifaqu.core.views import add_service_errors
from kaifaqu.investment.models import Target
from kaifaqu.projects.models import Project, Stage
from kaifaqu.reports.docx import write_docx
from kaifaqu.reports.xlsx import write_report_xlsx

from . import bounty_services as services
from .bounty_forms import BoardEditForm, BoardForm, BountyForm, ClaimForm, ProgressForm, VerifyForm
from .bounty_report import board_report
from .bounty_rights import may_see_evidence
from .bounty_selectors import board_view, bounty_standings, with_related
from .forms import owner_choices
from .models import Bounty, BountyBoard, BountyClaim, BountyProgress, ChainLink

STATUS_CSS = {"draft": "text-bg-secondary", "published": "text-bg-success", "closed": "text-bg-dark"}


def _refuse_enterprises(request) -> None:
    if scope_for(request.user).enterprise_id is not None:
        raise PermissionDenied("揭榜挂帅由开发区和主管部门使用，企业账号没有此功能。")


def _nav() -> dict:
    return {"tab": "bounties", "zone_query": ""}


# ---------------------------------------------------------------- boards


def _board_form(request, data=None) -> BoardForm:
    return BoardForm(data, **owner_choices(request.user, "bounty.change", BountyBoard))


@login_required
def board_list(request):
    _refuse_enterprises(request)
    user, form = request.user, None
    if request.method == "POST":
        ensure(user, "bounty.change")
        form = _board_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "title": data["title"].strip(),
                "deadline": data["deadline"],
                "reward_note": data["reward_note"].strip(),
                "description": data["description"].strip(),
                **data["scope"],
            }
            try:
                board = services.board_save(user=user, board=BountyBoard(), fields=fields)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error("scope", str(exc))
            else:
                messages.success(request, f"已新建榜单“{board.title}”（草稿），请添加榜后发布。")
                return redirect("chains:bounty_board", pk=board.pk)
    elif can(user, "bounty.change"):
        form = _board_form(request)
    boards = BountyBoard.objects.visible_to(user).select_related("zone", "region")
    if not can(user, "bounty.change"):
        boards = boards.exclude(status=BountyBoard.Status.DRAFT)  # a draft is its keepers' business
    rows = [_board_row(board) for board in boards]
    return render(
        request,
        "chains/bounty_list.html",
        {"rows": rows, "form": form, **_nav()},
        status=400 if form is not None and form.is_bound else 200,
    )


def _board_row(board: BountyBoard) -> dict:
    view = board_view(board)
    claims = [item.claim for _bounty, standings in view.bounties for item in standings]
    return {
        "board": board,
        "css": STATUS_CSS[board.status],
        "bounties": len(view.bounties),
        "claims": len(claims),
        "verified": sum(1 for claim in claims if claim.result == BountyClaim.Result.PASSED),
        "top": view.claimants[0] if view.claimants else None,
    }


def _get_board(request, pk: int) -> BountyBoard:
    board = get_visible_or_404(BountyBoard.objects.select_related("zone", "region"), request.user, pk=pk)
    if board.status == BountyBoard.Status.DRAFT and not can(request.user, "bounty.change", board):
        raise Http404("未找到该记录，或您无权查看。")
    return board


def _bounty_form(user, board: BountyBoard, data=None) -> BountyForm:
    projects = _in_board(Project.objects.visible_to(user).exclude(stage=Stage.TERMINATED), board).order_by("name")
    targets = _in_board(Target.objects.visible_to(user), board).order_by("name")
    links = ChainLink.objects.visible_to(user).select_related("chain").in_chain_order()
    return BountyForm(data, projects=projects, targets=targets, links=links)


def _in_board(queryset, board: BountyBoard):
    if board.zone_id:
        return queryset.filter(zone_id=board.zone_id)
    return queryset.filter(zone__region__code__startswith=board.region.scope_prefix)


def _detail(request, board: BountyBoard, *, bounty_form=None, status: int = 200):
    user = request.user
    may_change = can(user, "bounty.change", board)
    open_board = board.status != BountyBoard.Status.CLOSED
    if may_change and open_board and bounty_form is None:
        bounty_form = _bounty_form(user, board)
    view = board_view(board)
    claimable = board.status == BountyBoard.Status.PUBLISHED and can(user, "bounty.claim", board)
    mine = set(BountyClaim.objects.filter(bounty__board=board, claimant=user).values_list("bounty_id", flat=True))
    return render(
        request,
        "chains/bounty_board.html",
        {
            "board": board,
            "view": view,
            "may_change": may_change,
            "bounty_form": bounty_form if may_change and open_board else None,
            "claim_form": ClaimForm() if claimable else None,
            "mine": mine,
            "status_css": STATUS_CSS[board.status],
            **_nav(),
        },
        status=status,
    )


@login_required
def board_detail(request, pk: int):
    return _detail(request, _get_board(request, pk))


@login_required
def board_edit(request, pk: int):
    board = _get_board(request, pk)
    ensure(request.user, "bounty.change", board)
    initial = {name: getattr(board, name) for name in ("title", "deadline", "reward_note", "description")}
    form = BoardEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: value.strip() if isinstance(value, str) else value for name, value in data.items()}
        try:
            services.board_save(user=request.user, board=board, fields=fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存榜单“{board.title}”。")
            return redirect("chains:bounty_board", pk=board.pk)
    return render(
        request,
        "chains/bounty_board_form.html",
        {"board": board, "form": form, **_nav()},
        status=400 if form.is_bound and form.errors else 200,
    )


def _act(request, action, done: str, **arguments):
    try:
        action(user=request.user, **arguments)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)


@login_required
@require_POST
def board_publish(request, pk: int):
    board = _get_board(request, pk)
    _act(request, services.board_publish, f"已发布榜单“{board.title}”，辖区招商人员可以揭榜。", board=board)
    return redirect("chains:bounty_board", pk=pk)


@login_required
@require_POST
def board_close(request, pk: int):
    board = _get_board(request, pk)
    _act(request, services.board_close, f"榜单“{board.title}”已结束，不再接受揭榜和进展报告。", board=board)
    return redirect("chains:bounty_board", pk=pk)


# ---------------------------------------------------------------- bounties


def _bounty_fields(form) -> dict:
    data = dict(form.cleaned_data)
    data["title"], data["note"] = data["title"].strip(), data["note"].strip()
    return data


@login_required
@require_POST
def bounty_add(request, pk: int):
    board = _get_board(request, pk)
    ensure(request.user, "bounty.change", board)
    form = _bounty_form(request.user, board, request.POST)
    if form.is_valid():
        try:
            bounty = services.bounty_save(user=request.user, bounty=Bounty(board=board), fields=_bounty_fields(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已添加榜“{bounty.title}”。")
            return redirect("chains:bounty_board", pk=pk)
    return _detail(request, board, bounty_form=form, status=400)


def _get_bounty(request, pk: int) -> Bounty:
    bounty = get_visible_or_404(Bounty.objects.select_related("board__zone", "board__region"), request.user, pk=pk)
    _get_board(request, bounty.board_id)  # a draft's bounties are its keepers' too
    return bounty


@login_required
@require_POST
def bounty_delete(request, pk: int):
    bounty = _get_bounty(request, pk)
    _act(request, services.bounty_delete, f"已删除榜“{bounty.title}”。", bounty=bounty)
    return redirect("chains:bounty_board", pk=bounty.board_id)


@login_required
@require_POST
def bounty_claim(request, pk: int):
    bounty = _get_bounty(request, pk)
    form = ClaimForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():  # one message each: they end in their own 。
            for error in errors:
                messages.error(request, error)
        return redirect("chains:bounty_board", pk=bounty.board_id)
    try:
        claim = services.claim_create(
            user=request.user, bounty=bounty, team=form.cleaned_data["team"], pledge=form.cleaned_data["pledge"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        return redirect("chains:bounty_board", pk=bounty.board_id)
    messages.success(request, f"已揭榜“{bounty.title}”，请按期报告进展。")
    return redirect("chains:bounty_claim", pk=claim.pk)


# ---------------------------------------------------------------- a claim: progress and 验收


def _get_claim(request, pk: int) -> BountyClaim:
    claim = get_visible_or_404(with_related(BountyClaim.objects.all()), request.user, pk=pk)
    _get_board(request, claim.bounty.board_id)
    return claim


def _claim_page(request, claim: BountyClaim, *, progress_form=None, verify_form=None, status: int = 200):
    user, board = request.user, claim.bounty.board
    may_report = (
        not claim.verified and board.status == BountyBoard.Status.PUBLISHED and can(user, "bounty.report", claim)
    )
    may_verify = not claim.verified and board.status != BountyBoard.Status.DRAFT and can(user, "bounty.verify", claim)
    for sent, shown in ((progress_form, may_report), (verify_form, may_verify)):
        if sent is not None and sent.errors and not shown:  # e.g. a tab left open while it was verified
            for errors in sent.errors.values():
                for error in errors:
                    messages.error(request, error)
    rivals = with_related(BountyClaim.objects.filter(bounty=claim.bounty))
    return render(
        request,
        "chains/bounty_claim.html",
        {
            "claim": claim,
            "bounty": claim.bounty,
            "board": board,
            "standings": bounty_standings(rivals),
            "progress": claim.progress.select_related("reported_by"),
            "see_evidence": may_see_evidence(user, claim),
            "progress_form": (progress_form or ProgressForm()) if may_report else None,
            "verify_form": (verify_form or VerifyForm(initial={"achieved": claim.reached})) if may_verify else None,
            "own_claim": claim.claimant_id == user.pk,
            **_nav(),
        },
        status=status,
    )


@login_required
def claim_detail(request, pk: int):
    return _claim_page(request, _get_claim(request, pk))


@login_required
@require_POST
def claim_progress(request, pk: int):
    claim = _get_claim(request, pk)
    ensure(request.user, "bounty.report", claim)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_report(
                user=request.user,
                claim=claim,
                reported_on=data["reported_on"],
                value=data["value"],
                note=data["note"],
                upload=data["evidence"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已报告进展：累计完成 {data['value']} 万元。")
            return redirect("chains:bounty_claim", pk=pk)
    return _claim_page(request, claim, progress_form=form, status=400)


@login_required
@require_POST
def claim_verify(request, pk: int):
    claim = _get_claim(request, pk)
    ensure(request.user, "bounty.verify", claim)
    form = VerifyForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.claim_verify(
                user=request.user,
                claim=claim,
                result=data["result"],
                achieved=data["achieved"],
                note=data["note"],
                upload=data["evidence"],
                verified_on=data["verified_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已验收：{claim.get_result_display()}。")
            return redirect("chains:bounty_claim", pk=pk)
    return _claim_page(request, claim, verify_form=form, status=400)


def _send(record, request) -> FileResponse:
    if not record.evidence:
        raise Http404("没有上传材料。")
    try:
        handle = record.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404("材料文件已不存在，请重新上传。") from exc
    return FileResponse(handle, as_attachment=True, filename=record.evidence_name or "材料")


@login_required
def claim_evidence(request, pk: int):
    """The 验收 evidence: the claimant's unit and the board's keepers only."""
    claim = _get_claim(request, pk)
    if not may_see_evidence(request.user, claim):
        raise Http404("未找到该记录，或您无权查看。")
    return _send(claim, request)


@login_required
def progress_evidence(request, pk: int):
    progress = get_visible_or_404(BountyProgress.objects.select_related("claim"), request.user, pk=pk)
    claim = _get_claim(request, progress.claim_id)
    if not may_see_evidence(request.user, claim):
        raise Http404("未找到该记录，或您无权查看。")
    return _send(progress, request)


# ---------------------------------------------------------------- the 榜单 as a file


def _download(request, board: BountyBoard, content: bytes, extension: str, content_type: str) -> HttpResponse:
    trail.record_event(action="export", user=request.user, note=f"导出榜单“{board.title}”（.{extension}）")
    response = HttpResponse(content, content_type=content_type)
    name = quote(f"{board.title}.{extension}")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@login_required
def board_docx(request, pk: int):
    board = _get_board(request, pk)
    return _download(request, board, write_docx(board_report(board_view(board))), "docx", DOCX_TYPE)


@login_required
def board_xlsx(request, pk: int):
    board = _get_board(request, pk)
    return _download(request, board, write_report_xlsx(board_report(board_view(board))), "xlsx", XLSX_TYPE)
