"""考核方案: the list (with 我的考核 and a new scheme from a template or another scheme), a scheme's
page (settings, items, 计算, runs, 红黑榜) and its items, and the hand-entered values of a period."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from kaifaqu.chains.forms import owner_choices
from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import scope_for
from kaifaqu.core.views import add_service_errors
from kaifaqu.indicators.models import Indicator
from kaifaqu.projects.models import local_today
from kaifaqu.zones.selectors import office_region

from .. import periods, selectors, services
from ..compute import rule_text
from ..forms import ITEM_FIELDS, HonorGenerateForm, ItemForm, ManualValueForm, NewSchemeForm, RunForm, SchemeForm
from ..metrics import METRICS, plain
from ..models import Item, ManualValue, Run, Scheme
from ..subjects import key_of, scheme_subjects
from ..templates import scheme_fields, shipped_templates
from .common import HONOR_CSS, NOT_FOUND, RUN_CSS, get_scheme, nav, parent_of, refuse_enterprises

SCHEME_FIELDS = ("name", "period", "subject_kind", "honor_rules", "results_public", "description")
PAGE_SIZE = 50


# ---------------------------------------------------------------- the list


def _new_form(request, schemes, data=None) -> NewSchemeForm:
    return NewSchemeForm(
        data, templates=shipped_templates(), schemes=schemes, **owner_choices(request.user, "evaluation.change", Scheme)
    )


@login_required
def scheme_list(request):
    refuse_enterprises(request)
    user, form = request.user, None
    schemes = Scheme.objects.visible_to(user).select_related("zone", "region")
    if request.method == "POST":
        ensure(user, "evaluation.change")
        form = _new_form(request, schemes, request.POST)
        if form.is_valid():
            scheme = _create(request, form)
            if scheme is not None:
                messages.success(request, f"已新建考核方案“{scheme.name}”，请核对考核项目和分值。")
                return redirect("evaluation:scheme", pk=scheme.pk)
    elif can(user, "evaluation.change"):
        form = _new_form(request, schemes)
    page = Paginator(schemes, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_scheme_row(scheme) for scheme in page]
    return render(
        request,
        "evaluation/scheme_list.html",
        {"page": page, "rows": rows, "form": form, "mine": _my_places(user, schemes), **nav()},
        status=400 if form is not None and form.is_bound else 200,
    )


def _create(request, form) -> Scheme | None:
    data = form.cleaned_data
    source = data["source"]
    if isinstance(source, dict):
        fields = scheme_fields(source)
    else:
        fields = {name: getattr(source, name) for name in SCHEME_FIELDS[1:]} | {"template": source.template}
    fields |= {"name": data["name"].strip(), **data["scope"]}
    try:
        return services.scheme_copy(user=request.user, source=source, fields=fields)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):  # the owner does not fit what the source scores
            exc = ValidationError(
                {
                    ("scope" if key in ("subject_kind", "honor_rules", "zone", "region") else key): value
                    for key, value in exc.error_dict.items()
                }
            )
        add_service_errors(form, exc)
    except PermissionDenied as exc:
        form.add_error("scope", str(exc))
    return None


def _scheme_row(scheme: Scheme) -> dict:
    latest = scheme.runs.filter(status=Run.Status.PUBLISHED).order_by("-period").first()
    return {
        "scheme": scheme,
        "items": scheme.items.count(),
        "latest": latest,
        "latest_label": periods.parse(latest.period, scheme.period).label if latest else "",
    }


def _my_places(user, schemes) -> list[dict]:
    """我的考核: for a zone's people, their zone's (or their own) latest published place in each scheme."""
    scope = scope_for(user)
    if scope.everything or office_region(user) is not None:
        return []
    found = []
    for scheme in schemes[:PAGE_SIZE]:
        run = scheme.runs.filter(status=Run.Status.PUBLISHED).order_by("-period").first()
        if run is None:
            continue
        for standing in selectors.standings(user, run):
            score = standing.score
            own = score.person_id == user.pk if score.person_id else score.zone_id in scope.zone_ids
            if own:
                label = periods.parse(run.period, scheme.period).label
                found.append({"scheme": scheme, "run": run, "label": label, "standing": standing})
    return found


# ---------------------------------------------------------------- a scheme


def _indicators():
    return Indicator.objects.filter(active=True).order_by("name")


def _item_form(scheme: Scheme, data=None, **kwargs) -> ItemForm:
    return ItemForm(data, scheme=scheme, indicators=_indicators(), **kwargs)


def _last_complete(scheme: Scheme) -> str:
    return periods.last_complete(scheme.period, local_today()).key


def _last_month() -> str:
    return periods.last_complete("month", local_today()).key


def _scheme_page(request, scheme: Scheme, *, status: int = 200, **forms):
    user = request.user
    may_change = can(user, "evaluation.change", scheme)
    items = list(scheme.items.select_related("indicator"))
    groups: dict[str, list[dict]] = {}
    for item in items:
        metric = METRICS.get(item.metric)
        groups.setdefault(item.group, []).append(
            {"item": item, "metric": metric.label if metric else item.metric, "rule": rule_text(item)}
        )
    full = sum((item.weight for item in items if item.kind == Item.Kind.NORMAL), Decimal(0))
    bonus = sum((item.weight for item in items if item.kind == Item.Kind.BONUS), Decimal(0))
    runs = [
        {"run": run, "label": periods.parse(run.period, scheme.period).label, "css": RUN_CSS[run.status]}
        for run in selectors.visible_runs(user, scheme).select_related("computed_by")
    ]
    honor_lists = [
        {"list": found, "label": periods.parse(found.period, "month").label, "css": HONOR_CSS[found.status]}
        for found in selectors.visible_honor_lists(user, scheme)
    ]
    context = {
        "scheme": scheme,
        "may_change": may_change,
        "groups": list(groups.items()),
        "full": full,
        "bonus": bonus,
        "runs": runs,
        "honor_lists": honor_lists,
        "has_manual": any(item.metric == "manual" for item in items),
        "manual_period": _last_complete(scheme),
        **nav(),
    }
    if may_change:
        initial = {name: getattr(scheme, name) for name in SCHEME_FIELDS}
        context |= {
            "settings_form": forms.get("settings_form") or SchemeForm(initial=initial),
            "item_form": forms.get("item_form") or _item_form(scheme, initial={"order": (len(items) + 1) * 10}),
            "run_form": forms.get("run_form") or RunForm(initial={"period": _last_complete(scheme)}),
            "honor_form": (forms.get("honor_form") or HonorGenerateForm(initial={"period": _last_month()}))
            if scheme.honor_rules
            else None,
        }
    if "run_form" in context:
        context["run_form"].fields[
            "period"
        ].help_text = f"{scheme.get_period_display()}考核，写作 {periods.hint(scheme.period)}"
    return render(request, "evaluation/scheme_detail.html", context, status=status)


@login_required
@require_GET
def scheme_detail(request, pk: int):
    return _scheme_page(request, get_scheme(request, pk))


@login_required
@require_POST
def scheme_edit(request, pk: int):
    scheme = get_scheme(request, pk)
    ensure(request.user, "evaluation.change", scheme)
    form = SchemeForm(request.POST)
    if form.is_valid():
        fields = {name: value.strip() if isinstance(value, str) else value for name, value in form.cleaned_data.items()}
        try:
            services.scheme_save(user=request.user, scheme=scheme, fields=fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存考核方案“{scheme.name}”的设置。")
            return redirect("evaluation:scheme", pk=pk)
    scheme.refresh_from_db()
    return _scheme_page(request, scheme, settings_form=form, status=400)


def _item_fields(form) -> dict:
    data = dict(form.cleaned_data)
    for name in ("group", "name", "bands"):
        data[name] = data[name].strip()
    return data


@login_required
@require_POST
def item_add(request, pk: int):
    scheme = get_scheme(request, pk)
    ensure(request.user, "evaluation.change", scheme)
    form = _item_form(scheme, request.POST)
    if form.is_valid():
        try:
            item = services.item_save(user=request.user, item=Item(scheme=scheme), fields=_item_fields(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已添加考核项目“{item.name}”（{item.weight} 分）。")
            return redirect("evaluation:scheme", pk=pk)
    return _scheme_page(request, scheme, item_form=form, status=400)


def _get_item(request, pk: int) -> Item:
    try:
        scheme_id = Item.objects.values_list("scheme_id", flat=True).get(pk=pk)
    except (Item.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc
    scheme = get_scheme(request, scheme_id)
    item = Item.objects.select_related("indicator").get(pk=pk)
    item.scheme = scheme
    return item


@login_required
def item_edit(request, pk: int):
    item = _get_item(request, pk)
    scheme = item.scheme
    ensure(request.user, "evaluation.change", scheme)
    initial = {name: getattr(item, name) for name in ITEM_FIELDS}
    form = _item_form(scheme, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_save(user=request.user, item=item, fields=_item_fields(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存考核项目“{item.name}”。")
            return redirect("evaluation:scheme", pk=scheme.pk)
    return render(
        request,
        "evaluation/item_form.html",
        {"scheme": scheme, "item": item, "form": form, **nav()},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def item_delete(request, pk: int):
    item = _get_item(request, pk)
    name, scheme_id = item.name, item.scheme_id
    services.item_delete(user=request.user, item=item)
    messages.success(request, f"已删除考核项目“{name}”。")
    return redirect("evaluation:scheme", pk=scheme_id)


# ---------------------------------------------------------------- 计算 and 生成红黑榜


@login_required
@require_POST
def run_create(request, pk: int):
    scheme = get_scheme(request, pk)
    ensure(request.user, "evaluation.change", scheme)
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            run = services.run_scheme(user=request.user, scheme=scheme, period=form.cleaned_data["period"])
        except periods.PeriodError as exc:
            form.add_error("period", str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            label = periods.parse(run.period, scheme.period).label
            messages.success(request, f"已计算{label}考核结果第{run.version}版（草稿），请核对后审核、发布。")
            return redirect("evaluation:run", pk=run.pk)
    return _scheme_page(request, scheme, run_form=form, status=400)


@login_required
@require_POST
def honor_generate(request, pk: int):
    scheme = get_scheme(request, pk)
    ensure(request.user, "evaluation.change", scheme)
    form = HonorGenerateForm(request.POST)
    if form.is_valid():
        try:
            honor_list = services.honor_generate(user=request.user, scheme=scheme, period=form.cleaned_data["period"])
        except periods.PeriodError as exc:
            form.add_error("period", str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已生成{honor_list}，请审核后公示。")
            return redirect("evaluation:honor_list", pk=honor_list.pk)
    return _scheme_page(request, scheme, honor_form=form, status=400)


# ---------------------------------------------------------------- hand-entered values


def _manual_page(request, scheme: Scheme, when: periods.Period, *, sent=None, status: int = 200):
    items = list(scheme.items.filter(metric="manual"))
    subjects = scheme_subjects(scheme)
    values = {
        (value.item_id, key_of(value)): value
        for value in ManualValue.objects.filter(item__in=items, period=when.key).select_related("entered_by")
    }
    locked = scheme.runs.filter(period=when.key, status=Run.Status.PUBLISHED).exists()
    rows = []
    for item in items:
        for subject in subjects:
            value = values.get((item.pk, subject.key))
            auto_id = f"id_%s_{item.pk}_{subject.key.replace(':', '_')}"
            if sent is not None and sent.data.get("item") == str(item.pk) and sent.data.get("subject") == subject.key:
                form = sent
            else:
                initial = {"item": item.pk, "subject": subject.key}
                if value is not None:
                    initial |= {"value": plain(value.value), "note": value.note}
                form = ManualValueForm(initial=initial, auto_id=auto_id)
            rows.append({"item": item, "subject": subject, "value": value, "form": form})
    return render(
        request,
        "evaluation/manual_values.html",
        {"scheme": scheme, "when": when, "rows": rows, "items": items, "locked": locked, **nav()},
        status=status,
    )


def _period_of(request, scheme: Scheme) -> periods.Period:
    text = request.POST.get("period") or request.GET.get("period") or _last_complete(scheme)
    try:
        return periods.parse(text, scheme.period)
    except periods.PeriodError as exc:
        messages.error(request, str(exc))
        return periods.parse(_last_complete(scheme), scheme.period)


@login_required
def manual_values(request, pk: int):
    scheme = get_scheme(request, pk)
    ensure(request.user, "evaluation.change", scheme)
    when = _period_of(request, scheme)
    if request.method != "POST":
        return _manual_page(request, scheme, when)
    item = scheme.items.filter(pk=request.POST.get("item") or 0, metric="manual").first()
    subject = request.POST.get("subject", "")
    auto_id = f"id_%s_{item.pk if item else 0}_{subject.replace(':', '_')}"
    form = ManualValueForm(request.POST, request.FILES, auto_id=auto_id)
    if item is None:
        messages.error(request, "请选择本方案手工录入的考核项目。")
        return _manual_page(request, scheme, when, status=400)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.manual_value_save(
                user=request.user,
                item=item,
                period=when.key,
                subject_key=data["subject"],
                value=data["value"],
                note=data["note"].strip(),
                evidence=data["evidence"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存{when.label}“{item.name}”：{record.value.normalize():f}。")
            return redirect(f"{request.path}?period={when.key}")
    return _manual_page(request, scheme, when, sent=form, status=400)


@login_required
def manual_evidence(request, pk: int):
    """A hand-entered value's evidence: for the keepers, and for the subject it scores (its zone, the person)."""
    scheme = get_scheme(request, parent_of(ManualValue, pk, "item__scheme_id"))
    value = ManualValue.objects.get(pk=pk)
    user = request.user
    # Besides the keepers, the subject it scores once published: a public result shows others' points,
    # never their evidence.
    owner = selectors.owns_subject(user, value) and selectors.published_run(scheme, value.period) is not None
    if not can(user, "evaluation.change", scheme) and not owner:
        raise Http404(NOT_FOUND)
    if not value.evidence:
        raise Http404("没有上传佐证材料。")
    try:
        handle = value.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404("佐证材料文件已不存在，请重新上传。") from exc
    return FileResponse(handle, as_attachment=True, filename=value.evidence_name or "佐证材料")
