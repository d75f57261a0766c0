"""政策库: the policies the user sees (a zone's, its city's, its province's), each with the chain links
it serves; registering and changing one with its file; the list as Excel."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from kaifaqu.core.export import export_response
from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.core.tables import Column
from kaifaqu.core.views import FilteredListView, add_service_errors

from . import services
from .export import UNDATED
from .forms import PolicyForm, owner_choices
from .models import ChainLink, ChainPolicy, IndustryChain, Policy
from .views import investment_nav


def _chains(request):
    return IndustryChain.objects.visible_to(request.user) if request else IndustryChain.objects.none()


class PolicyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label="搜索", help_text="政策名称、文号或发文单位")
    chain = django_filters.ModelChoiceFilter(
        queryset=_chains, label="产业链", empty_label="全部产业链", method="filter_chain"
    )
    missing = django_filters.ChoiceFilter(
        choices=(("date", "缺发布日期"), ("file", "缺政策文件")),
        label="待补录",
        empty_label="全部",
        method="filter_missing",
    )

    class Meta:
        model = Policy
        fields = ["q", "chain", "missing"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(number__icontains=value) | Q(issuer__icontains=value))

    def filter_chain(self, queryset, name, value):
        return queryset.filter(links__chain=value).distinct() if value else queryset

    def filter_missing(self, queryset, name, value):
        if value == "date":
            return queryset.filter(issued_on__isnull=True)
        if value == "file":
            return queryset.filter(file="")
        return queryset


def _title(policy: Policy):
    return format_html('<a href="{}">{}</a>', reverse("chains:policy_edit", args=[policy.pk]), policy.title)


def _file(policy: Policy):
    if not policy.file:
        return format_html('<span class="text-warning-emphasis">{}</span>', UNDATED)
    return format_html('<a href="{}">{}</a>', reverse("chains:policy_file", args=[policy.pk]), "下载")


COLUMNS = [
    Column("title", "政策名称", _title, "title", "col-name"),
    Column("number", "文号", lambda policy: policy.number or "—", "number"),
    Column("issuer", "发文单位", lambda policy: policy.issuer, "issuer"),
    Column("issued_on", "发布日期", lambda policy: policy.issued_on or UNDATED, "issued_on"),
    Column("scope", "发布范围", lambda policy: policy.scope_name, None, "col-optional"),
    Column("links", "服务环节", lambda policy: "、".join(policy.link_names) or "—", None),
    Column("file", "政策文件", _file, None),
]


class PolicyListView(FilteredListView):
    model = Policy
    filterset_class = PolicyFilter
    columns = COLUMNS
    default_ordering = ["-issued_on", "-id"]
    template_name = "chains/policy_list.html"
    partial_template_name = "chains/_policy_results.html"
    select_related = ("zone", "region")

    def decorate(self, rows: list) -> list:
        names: dict[int, list[str]] = {}
        shown = ChainPolicy.objects.filter(policy__in=rows, link__in=ChainLink.objects.visible_to(self.request.user))
        ordered = shown.order_by("link__chain_id", "link_id")
        for policy_id, chain, link in ordered.values_list("policy_id", "link__chain__name", "link__name"):
            names.setdefault(policy_id, []).append(f"{chain}›{link}")
        for policy in rows:
            policy.link_names = names.get(policy.pk, [])
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            can_create=can(self.request.user, "policy.change"),
            export_query=self.request.GET.urlencode(),
            investment_nav=investment_nav(self.request.user),
        )
        return context


policy_list = PolicyListView.as_view()


@login_required
def policy_export(request):
    """The 政策清单 as the list's filters leave it."""
    filterset = PolicyFilter(request.GET or None, queryset=Policy.objects.visible_to(request.user), request=request)
    policies = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    policies = PolicyListView(request=request).decorate(list(policies.select_related("zone", "region")))
    rows = (
        [
            policy.title,
            policy.number,
            policy.issuer,
            policy.issued_on or UNDATED,
            policy.scope_name,
            "、".join(policy.link_names),
            policy.file_name or UNDATED,
        ]
        for policy in policies
    )
    headers = ["政策名称", "文号", "发文单位", "发布日期", "发布范围", "服务环节", "政策文件"]
    return export_response(title="政策清单", headers=headers, rows=rows)


def _links(user):
    return ChainLink.objects.visible_to(user).select_related("chain").in_chain_order()


def _form(request, *, policy: Policy | None = None, data=None, files=None, initial=None) -> PolicyForm:
    return PolicyForm(
        data,
        files,
        initial=initial,
        **owner_choices(request.user, "policy.change", Policy),
        links=_links(request.user),
        scope_required=policy is None,
    )


def _fields(form) -> dict:
    data = form.cleaned_data
    fields = {name: data[name].strip() for name in ("title", "issuer", "number", "summary")}
    fields["issued_on"] = data["issued_on"]
    if "scope" in data:
        fields.update(data["scope"])
    return fields


def _back(request, policy: Policy) -> str:
    """Back to the chain link the form was opened from, else to the 政策库."""
    wanted = request.POST.get("link") or request.GET.get("link") or ""
    link = ChainLink.objects.visible_to(request.user).filter(pk=int(wanted)).first() if wanted.isdigit() else None
    if link is not None and policy.links.filter(pk=link.pk).exists():
        return f"{reverse('chains:detail', args=[link.chain_id])}?link={link.pk}#five-lists"
    return reverse("chains:policies")


def _initial_for_link(request) -> dict:
    """Opened from a link's 政策清单: that link chosen, the scope its chain's."""
    wanted = request.GET.get("link", "")
    link = (
        ChainLink.objects.visible_to(request.user).select_related("chain").filter(pk=int(wanted)).first()
        if wanted.isdigit()
        else None
    )
    if link is None:
        return {}
    chain = link.chain
    scope = f"zone-{chain.zone_id}" if chain.zone_id else f"region-{chain.region_id}"
    return {"links": [link.pk], "scope": scope}


@login_required
def policy_create(request):
    ensure(request.user, "policy.change")
    initial = _initial_for_link(request)
    form = _form(request, data=request.POST or None, files=request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.policy_save(
                user=request.user,
                policy=Policy(),
                fields=_fields(form),
                links=form.cleaned_data["links"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记政策“{policy.title}”。")
            return redirect(_back(request, policy))
    return _page(request, form, policy=None)


def _page(request, form, *, policy):
    context = {"form": form, "policy": policy, "link": request.GET.get("link") or request.POST.get("link", "")}
    return render(request, "chains/policy_form.html", context, status=400 if form.errors else 200)


@login_required
def policy_edit(request, pk: int):
    policy = get_visible_or_404(Policy.objects.select_related("zone", "region"), request.user, pk=pk)
    if request.method == "GET" and not can(request.user, "policy.change", policy):
        return render(request, "chains/policy_form.html", {"policy": policy, "form": None, "read_only": True})
    ensure(request.user, "policy.change", policy)
    initial = {name: getattr(policy, name) for name in ("title", "issuer", "number", "issued_on", "summary")}
    initial["links"] = list(policy.links.values_list("pk", flat=True))
    form = _form(request, policy=policy, data=request.POST or None, files=request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Links the user cannot see stay as they are: they are not on the form.
        hidden = list(policy.links.exclude(pk__in=_links(request.user).values("pk")))
        try:
            services.policy_save(
                user=request.user,
                policy=policy,
                fields=_fields(form),
                links=[*form.cleaned_data["links"], *hidden],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存政策“{policy.title}”。")
            return redirect(_back(request, policy))
    return _page(request, form, policy=policy)


@login_required
@require_POST
def policy_delete(request, pk: int):
    policy = get_visible_or_404(Policy, request.user, pk=pk)
    services.policy_delete(user=request.user, policy=policy)
    messages.success(request, f"已删除政策“{policy.title}”。")
    return redirect("chains:policies")


@login_required
def policy_file(request, pk: int):
    """A policy's file, for whoever sees the policy."""
    policy = get_visible_or_404(Policy, request.user, pk=pk)
    if not policy.file:
        raise Http404("该政策还没有上传文件。")
    try:
        handle = policy.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("政策文件已不在服务器上，请重新上传。") from missing
    return FileResponse(handle, as_attachment=True, filename=policy.file_name or policy.file.name)
