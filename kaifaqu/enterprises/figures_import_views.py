"""The page importing enterprises' figures from an office's table: upload the file with its zone and
year, read the preview (every row checked, errors as ``第N行 列名: 原因``), then confirm. The same
service as ``kaifaqu enterprise_figures import``: nothing is written while any row has an error."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_POST

from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.core.uploads import validate_upload
from kaifaqu.core.views import add_service_errors
from kaifaqu.imports.engine import ImportRefused
from kaifaqu.sheets.readers import EXTENSIONS
from kaifaqu.sheets.rows import ACTION_LABELS, ImportResult
from kaifaqu.zones.models import Zone

from .figures_import import COLUMNS, figures_import, figures_import_zones, summary_line
from .figures_import_forms import FiguresImportForm

PENDING = "enterprise_figures_import"  # session key: token → the upload waiting for confirmation
SHOWN_ROWS = 300  # rows listed in a preview; the counts cover every row


@login_required
def figures_import_page(request):
    zones = figures_import_zones(request.user)
    if not zones.exists():
        return render(request, "enterprises/figures_import.html", {"form": None}, status=403)
    form = FiguresImportForm(request.POST or None, request.FILES or None, zones=zones)
    if request.method == "POST" and form.is_valid():
        try:
            extension = validate_upload(form.cleaned_data["file"], allowed=EXTENSIONS)
        except ValidationError as exc:
            add_service_errors(form, ValidationError({"file": exc.messages}))
        else:
            token = _keep(request, form.cleaned_data, extension)
            outcome = _run(request, token, commit=False, form=form)
            if outcome is not None:
                return _preview(request, token, outcome)
    return render(request, "enterprises/figures_import.html", {"form": form, "columns": _known_columns()})


@login_required
@require_POST
def figures_import_confirm(request, token: str):
    pending = request.session.get(PENDING, {}).get(token)
    if pending is None:
        messages.error(request, "该上传已导入或已过期，请重新上传文件。")
        return redirect("enterprises:figures_import")
    outcome = _run(request, token, commit=True)
    if outcome is None:
        return redirect("enterprises:figures_import")
    if not outcome[0].committed:
        return _preview(request, token, outcome, status=400)
    _forget(request, token)
    result, zone, year = outcome
    messages.success(request, f"{zone.name}：{summary_line(result, year).replace('将导入', '已导入', 1)}。")
    return redirect(_figures_list_url(zone, year))


def _run(request, token: str, *, commit: bool, form=None) -> tuple[ImportResult, Zone, int] | None:
    """The import of the kept upload (a preview unless ``commit``); None when the file was refused,
    with the reason on the form (or as a message)."""
    pending = request.session[PENDING][token]
    zone = get_visible_or_404(Zone, request.user, pk=pending["zone"])
    try:
        result = figures_import(
            user=request.user,
            zone=zone,
            year=pending["year"],
            path=_path(token, pending["extension"]),
            extension=pending["extension"],
            file_name=pending["file_name"],
            commit=commit,
        )
    except (ImportRefused, ValidationError, PermissionDenied, OSError) as exc:
        reason = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        if isinstance(exc, OSError):
            reason = "上传的文件已不在服务器上，请重新上传。"
        _forget(request, token)
        if form is not None:
            form.add_error("file" if not isinstance(exc, PermissionDenied) else "zone", reason)
        else:
            messages.error(request, reason)
        return None
    return result, zone, pending["year"]


def _preview(request, token: str, outcome: tuple[ImportResult, Zone, int], *, status: int = 200):
    result, zone, year = outcome
    context = {
        "result": result,
        "zone": zone,
        "year": year,
        "token": token,
        "summary": summary_line(result, year),
        "errors": result.errors[:SHOWN_ROWS],
        "outcomes": result.outcomes[:SHOWN_ROWS],
        "shown_rows": SHOWN_ROWS,
        "action_labels": ACTION_LABELS,
    }
    return render(request, "enterprises/figures_import_preview.html", context, status=status)


def _keep(request, cleaned: dict, extension: str) -> str:
    """Keep the upload beside the data until it is confirmed; only this session may confirm it."""
    token = secrets.token_urlsafe(16)
    target = _path(token, extension)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        for chunk in cleaned["file"].chunks():
            handle.write(chunk)
    pending = request.session.get(PENDING, {})
    pending[token] = {
        "zone": cleaned["zone"].pk,
        "year": cleaned["year"],
        "extension": extension,
        "file_name": Path(cleaned["file"].name).name[:200],
    }
    request.session[PENDING] = pending
    return token


def _forget(request, token: str) -> None:
    pending = request.session.get(PENDING, {})
    kept = pending.pop(token, None)
    request.session[PENDING] = pending
    if kept is not None:
        _path(token, kept["extension"]).unlink(missing_ok=True)


def _path(token: str, extension: str) -> Path:
    if not token.replace("-", "").replace("_", "").isalnum():
        raise Http404("未找到该上传。")
    return Path(settings.DATA_DIR) / "figures_imports" / f"{token}.{extension}"


def _figures_list_url(zone: Zone, year: int) -> str:
    """The 经营数据 list of the zone and year when that page exists, else the enterprise list."""
    try:
        return f"{reverse('enterprises:figures')}?zone={zone.pk}&year={year}"
    except NoReverseMatch:
        return f"{reverse('enterprises:list')}?zone={zone.pk}"


def _known_columns() -> list[tuple[str, str]]:
    """The column names the import recognises, for the page's note."""
    return [(column.label, "、".join(column.aliases)) for column in COLUMNS if column.key != "seq"]


urls = [
    path("figures/import/", figures_import_page, name="figures_import"),
    path("figures/import/<str:token>/confirm/", figures_import_confirm, name="figures_import_confirm"),
]
