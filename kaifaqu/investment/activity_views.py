"""Activities and 平台公司 pages: the activity list (figures, sentence, export), its form, its page
(companies met, leads, files, → 招商线索), and the zone's 平台公司 with their figures."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.views.decorators.http import require_POST

from kaifaqu.core.money import format_yi
from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.core.tables import Column, choice_rank, name_link
from kaifaqu.core.views import FilteredListView, add_service_errors
from kaifaqu.imports.views import ledger_export
from kaifaqu.projects.models import Project

from . import selectors, services
from .activity_forms import ActivityFileForm, ActivityForm, ActivityLeadForm, PlatformForm
from .filters import ActivityFilter
from .ledgers import ACTIVITY_LEDGER
from .models import Activity, ActivityFile, Lead, PlatformCompany, Target
from .pages import page_context, zone_choice

# ---------------------------------------------------------------- the list and its export


def _kind_text(activity: Activity) -> str:
    text = activity.get_kind_display()
    if activity.kind == Activity.Kind.TALK and activity.depth:
        text += f"（{activity.get_depth_display()}）"
    if activity.kind == Activity.Kind.AGREEMENT and activity.agreement_kind:
        text += f"（{activity.get_agreement_kind_display()}）"
    return text


def _days(activity: Activity) -> str:
    text = activity.start_on.strftime("%Y-%m-%d")
    if activity.end_on and activity.end_on != activity.start_on:
        text += f" 至 {activity.end_on.strftime('%m-%d')}"
    return text


def _leader_name(activity: Activity) -> str:
    leader = activity.leader
    return (leader.get_full_name() or leader.username) if leader is not None else ""


def _target_names(activity: Activity) -> list[str]:
    return [target.name for target in activity.targets.all()]


def _targets_cell(activity: Activity):
    names = _target_names(activity)
    if not names:
        return "—"
    return format_html_join("、", "{}", ((name,) for name in names))


def _amount_yi(activity: Activity) -> str:
    return format_yi(activity.signed_amount, grouped=True) if activity.signed_amount is not None else "—"


ACTIVITY_COLUMNS = [
    Column("date", "日期", _days, "start_on"),
    Column("kind", "类型", _kind_text, choice_rank("kind", Activity.Kind.values)),
    Column(
        "title",
        "活动名称",
        lambda a: name_link(reverse("investment:activity", args=[a.pk]), a.title),
        "title",
        "col-name",
    ),
    Column("zone", "开发区", lambda a: a.zone.display_name, "zone__name", "col-optional"),
    Column("region", "地区", lambda a: a.region or "—", "region", "col-optional"),
    Column("leader", "带队领导", lambda a: _leader_name(a) or "—", "leader__first_name", "col-optional text-nowrap"),
    Column("targets", "对接企业", _targets_cell, None, "col-optional"),
    Column("signed", "签约投资额（亿元）", _amount_yi, "signed_amount", "text-end text-nowrap col-optional"),
]


def _activities(request):
    """The activities the page lists: scoped and limited to the chosen zone."""
    return zone_choice(request).limit(Activity.objects.visible_to(request.user))


def _filtered(request):
    """(the filtered activities, the filter's dates) — an invalid filter shows nothing."""
    filterset = ActivityFilter(request.GET or None, queryset=_activities(request), request=request)
    if not filterset.is_bound:
        return filterset.qs, None, None
    if not filterset.is_valid():
        return _activities(request).none(), None, None
    data = filterset.form.cleaned_data
    return filterset.qs, data.get("date_from"), data.get("date_to")


class ActivityListView(FilteredListView):
    model = Activity
    filterset_class = ActivityFilter
    columns = ACTIVITY_COLUMNS
    default_ordering = ["-start_on", "-id"]
    template_name = "investment/activity_list.html"
    partial_template_name = "investment/_activity_results.html"

    def get(self, request, *args, **kwargs):
        self.page = page_context(request, "activities")
        return super().get(request, *args, **kwargs)

    def base_queryset(self):
        return _activities(self.request).select_related("zone", "leader").prefetch_related("targets")

    def summarise(self, queryset) -> dict:
        _, date_from, date_to = _filtered(self.request)
        choice = self.page["choice"]
        figures = selectors.investment_figures(
            _activities(self.request),
            choice.limit(Project.objects.visible_to(self.request.user)),
            zone_ids=choice.zone_ids,
            date_from=date_from,
            date_to=date_to,
        )
        return {
            "count": queryset.order_by().values("pk").distinct().count(),
            "figures": figures,
            "date_from": date_from,
            "date_to": date_to,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            self.page,
            can_create=can(self.request.user, "investment.change"),
            export_query=self.request.GET.urlencode(),
        )
        if self.page["zones"].count() == 1:  # a zone's own staff: no zone to choose
            context["filterset"].form.fields.pop("zone", None)
        if self.page["zone"] is not None:  # one zone: its name is in the heading, not in every row
            context["table_rows"] = [row[:3] + row[4:] for row in context["table_rows"]]
            context["headers"] = context["headers"][:3] + context["headers"][4:]
        return context


activity_list = ActivityListView.as_view()


@login_required
def activity_export(request):
    """What the list shows, as the 招商台账 (the registered ledger's file when there is one)."""
    page_context(request, "activities")
    return ledger_export(request, kind=ACTIVITY_LEDGER)


# ---------------------------------------------------------------- the form


def _save_activity(request, form: ActivityForm, activity: Activity):
    data = form.cleaned_data
    return services.activity_save(
        user=request.user,
        activity=activity,
        fields=form.changed_fields(),
        targets=list(data.get("targets") or []),
        new_target_names=form.new_target_names(),
        leads=list(data.get("leads") or []),
    )


def _form_page(request, form, context: dict, *, activity: Activity | None):
    context.update(form=form, activity=activity, title="编辑招商活动" if activity else "登记招商活动")
    return render(request, "investment/activity_form.html", context, status=400 if form.errors else 200)


@login_required
def activity_create(request):
    ensure(request.user, "investment.change")
    context = page_context(request, "activities")
    form = ActivityForm(request.POST or None, user=request.user, zone=context["zone"])
    if request.method == "POST" and form.is_valid():
        try:
            activity = _save_activity(request, form, Activity())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记招商活动“{activity.title}”。")
            return redirect("investment:activity", pk=activity.pk)
    return _form_page(request, form, context, activity=None)


@login_required
def activity_edit(request, pk: int):
    activity = get_visible_or_404(Activity.objects.select_related("zone"), request.user, pk=pk)
    ensure(request.user, "investment.change", activity)
    context = page_context(request, "activities")
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: the form has already written the posted values onto ``activity``.
            _save_activity(request, form, Activity.objects.get(pk=pk))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "招商活动已保存。")
            return redirect("investment:activity", pk=pk)
    return _form_page(request, form, context, activity=Activity.objects.get(pk=pk))


@require_POST
@login_required
def activity_delete(request, pk: int):
    activity = get_visible_or_404(Activity, request.user, pk=pk)
    services.activity_delete(user=request.user, activity=activity)
    messages.success(request, f"已删除招商活动“{activity.title}”。")
    return redirect(reverse("investment:activities") + zone_choice(request).query)


# ---------------------------------------------------------------- the page, its files, → 招商线索


def _visible_activity(request, pk: int) -> Activity:
    return get_visible_or_404(Activity.objects.select_related("zone", "leader", "created_by"), request.user, pk=pk)


def _met(request, activity: Activity) -> list[dict]:
    """The companies met, each with its leads (as the user sees them)."""
    targets = list(activity.targets.order_by("name"))
    leads: dict[int, list[Lead]] = {}
    for lead in Lead.objects.visible_to(request.user).filter(target__in=targets).select_related("project"):
        leads.setdefault(lead.target_id, []).append(lead)
    return [{"target": target, "leads": leads.get(target.pk, [])} for target in targets]


def _detail(request, activity: Activity, *, file_form=None, status: int = 200):
    context = page_context(request, "activities")
    may_change = can(request.user, "investment.change", activity)
    context.update(
        activity=activity,
        kind_text=_kind_text(activity),
        met=_met(request, activity),
        leads=Project.objects.visible_to(request.user).filter(investment_activities=activity).order_by("-id"),
        files=[_with_kind(attached) for attached in activity.files.select_related("uploaded_by")],
        file_form=file_form or (ActivityFileForm() if may_change else None),
        may_change=may_change,
        region_label=_region_label(activity),
    )
    return render(request, "investment/activity_detail.html", context, status=status)


def _with_kind(attached: ActivityFile) -> ActivityFile:
    attached.is_image = _extension(attached.name) in IMAGE_TYPES
    return attached


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _region_label(activity: Activity) -> str:
    from .activity_forms import REGION_LABELS

    return REGION_LABELS.get(activity.kind, "地区")


@login_required
def activity_detail(request, pk: int):
    return _detail(request, _visible_activity(request, pk))


@require_POST
@login_required
def file_add(request, pk: int):
    activity = _visible_activity(request, pk)
    ensure(request.user, "investment.change", activity)
    form = ActivityFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attached = services.activity_file_add(
                user=request.user, activity=activity, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已上传“{attached.name}”。")
            return redirect("investment:activity", pk=pk)
    return _detail(request, activity, file_form=form, status=400)


def _visible_file(request, pk: int) -> ActivityFile:
    attached = ActivityFile.objects.filter(pk=pk).first()
    if attached is None:
        raise Http404("未找到该附件。")
    get_visible_or_404(Activity, request.user, pk=attached.activity_id)  # the activity's scope is the file's
    return attached


IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


@login_required
def file_download(request, pk: int):
    """A file of an activity the user sees; photos may be shown in the page (``?inline=1``)."""
    attached = _visible_file(request, pk)
    try:
        handle = attached.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("附件文件已不存在，请重新上传。") from exc
    extension = _extension(attached.name)
    if request.GET.get("inline") and extension in IMAGE_TYPES:
        return FileResponse(handle, content_type=IMAGE_TYPES[extension])
    return FileResponse(handle, as_attachment=True, filename=attached.name)


@require_POST
@login_required
def file_delete(request, pk: int):
    attached = _visible_file(request, pk)
    activity_id = attached.activity_id
    services.activity_file_delete(user=request.user, attached=attached)
    messages.success(request, f"已删除附件“{attached.name}”。")
    return redirect("investment:activity", pk=activity_id)


@login_required
def activity_lead(request, pk: int):
    """转为招商线索: a company met becomes a project at 初步对接, linked to the activity and the target."""
    activity = _visible_activity(request, pk)
    ensure(request.user, "investment.change", activity)
    context = page_context(request, "activities")
    targets = activity.targets.filter(zone=activity.zone).order_by("name")
    wanted = request.GET.get("target", "")
    chosen = targets.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    form = ActivityLeadForm(request.POST or None, targets=targets, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target: Target = data["target"]
        try:
            project = services.lead_create(
                user=request.user,
                zone=activity.zone,
                name=data["name"],
                total_investment=data["total_investment"],
                target=target,
                activity=activity,
                lead_fields={"mode": data["mode"]} if data["mode"] else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已由“{target.name}”生成招商线索“{project.name}”（初步对接）。")
            return redirect("investment:lead", pk=project.pk)
    names = json.dumps({str(target.pk): f"{target.name}项目" for target in targets}, ensure_ascii=False)
    context.update(form=form, activity=activity, names_json=names)
    return render(request, "investment/activity_lead.html", context, status=400 if form.errors else 200)


# ---------------------------------------------------------------- 平台公司


@login_required
def platform_list(request):
    context = page_context(request, "platforms")
    choice = context["choice"]
    platforms = choice.limit(PlatformCompany.objects.visible_to(request.user)).select_related("zone")
    projects = choice.limit(Project.objects.visible_to(request.user))
    rows = selectors.platform_rows(platforms.order_by("zone_id", "name"), projects)
    for row in rows:
        row["editable"] = can(request.user, "platform.change", row["platform"])
    context.update(rows=rows, can_create=can(request.user, "platform.change"))
    return render(request, "investment/platform_list.html", context)


def _save_platform(request, form: PlatformForm, platform: PlatformCompany) -> PlatformCompany:
    return services.platform_save(
        user=request.user,
        platform=platform,
        fields=form.changed_fields(),
        commissioned=list(form.cleaned_data.get("commissioned_projects") or []),
    )


def _platform_page(request, form, context: dict, *, platform: PlatformCompany | None):
    context.update(form=form, platform=platform, title="编辑平台公司" if platform else "登记平台公司")
    return render(request, "investment/platform_form.html", context, status=400 if form.errors else 200)


@login_required
def platform_create(request):
    ensure(request.user, "platform.change")
    context = page_context(request, "platforms")
    form = PlatformForm(request.POST or None, user=request.user, zone=context["zone"])
    if request.method == "POST" and form.is_valid():
        try:
            platform = _save_platform(request, form, PlatformCompany())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记平台公司“{platform.name}”。")
            return redirect(reverse("investment:platforms") + context["zone_query"])
    return _platform_page(request, form, context, platform=None)


@login_required
def platform_edit(request, pk: int):
    platform = get_visible_or_404(PlatformCompany.objects.select_related("zone"), request.user, pk=pk)
    ensure(request.user, "platform.change", platform)
    context = page_context(request, "platforms")
    form = PlatformForm(request.POST or None, instance=platform, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            _save_platform(request, form, PlatformCompany.objects.get(pk=pk))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "平台公司已保存。")
            return redirect(reverse("investment:platforms") + context["zone_query"])
    return _platform_page(request, form, context, platform=PlatformCompany.objects.get(pk=pk))


@require_POST
@login_required
def platform_delete(request, pk: int):
    platform = get_visible_or_404(PlatformCompany, request.user, pk=pk)
    services.platform_delete(user=request.user, platform=platform)
    messages.success(request, f"已删除平台公司“{platform.name}”。")
    return redirect(reverse("investment:platforms") + zone_choice(request).query)
