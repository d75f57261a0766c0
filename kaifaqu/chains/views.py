"""产业链 pages: the chains the user sees with their figures, a chain's links (上游/中游/下游, nested)
with each link's 五清单, and placing enterprises, projects and 招商 targets on a link."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kaifaqu.core.export import DOCX_TYPE, XLSX_TYPE
from kaifaqu.core.rights import can, ensure, restrict
from kaifaqu.core.scoping import get_visible_or_404, scope_for
from kaifaqu.core.views import add_service_errors
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.investment.models import Target
from kaifaqu.projects.models import Project, Stage
from kaifaqu.regions.models import Region
from kaifaqu.reports.docx import BRIEF, write_docx

from . import services
from .brief import chain_brief
from .export import LISTS, five_lists_xlsx
from .forms import PLACE_FORMS, ChainEditForm, ChainForm, LinkForm, owner_choices
from .models import ChainEnterprise, ChainLink, ChainPolicy, ChainProject, ChainTarget, IndustryChain, Policy
from .rights import RECORD_RIGHTS
from .selectors import chain_figures, chain_map, five_lists, policies_for_chain

SCOPE_GROUPS = (("zone", "开发区产业链"), ("city", "市级产业链"), ("province", "省级产业链"))
STATUS_CSS = {
    ChainLink.Status.EXISTING: "text-bg-success",
    ChainLink.Status.WEAK: "text-bg-warning",
    ChainLink.Status.MISSING: "text-bg-danger",
}
PLACED_MODELS = {"enterprise": ChainEnterprise, "project": ChainProject, "target": ChainTarget, "policy": ChainPolicy}


# ---------------------------------------------------------------- list


def _chain_form(request, data=None) -> ChainForm:
    return ChainForm(data, **owner_choices(request.user, "chain.change", IndustryChain))


@login_required
def chain_list(request):
    user = request.user
    form = None
    if request.method == "POST":
        ensure(user, "chain.change")
        form = _chain_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "name": data["name"].strip(),
                "chief": data["chief"].strip(),
                "building": data["building"],
                "description": data["description"].strip(),
                **data["scope"],
            }
            try:
                chain = services.chain_save(user=user, chain=IndustryChain(), fields=fields)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error("scope", str(exc))
            else:
                messages.success(request, f"已新建“{chain.scope_name}”{chain.name}产业链，请添加它的环节。")
                return redirect("chains:detail", pk=chain.pk)
    elif can(user, "chain.change"):
        form = _chain_form(request)
    chains = IndustryChain.objects.visible_to(user).select_related("zone", "region", "leader_enterprise")
    placed = {
        "enterprises": ChainEnterprise.objects.visible_to(user),
        "projects": ChainProject.objects.visible_to(user),
        "targets": ChainTarget.objects.visible_to(user),
    }
    groups = {key: [] for key, _label in SCOPE_GROUPS}
    for chain in chains:
        key = "zone" if chain.zone_id else ("province" if chain.region.level == Region.Level.PROVINCE else "city")
        groups[key].append(chain_figures(chain, **placed))
    return render(
        request,
        "chains/chain_list.html",
        {
            "groups": [(label, groups[key]) for key, label in SCOPE_GROUPS if groups[key]],
            "count": sum(len(items) for items in groups.values()),
            "investment_nav": investment_nav(user),
            "form": form,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


# ---------------------------------------------------------------- detail


def investment_nav(user) -> bool:
    """The 招商引资 tabs above the chain pages, for all but enterprise users (招商 is the offices' work)."""
    return scope_for(user).enterprise_id is None


def _in_chain_scope(queryset, chain: IndustryChain):
    if chain.zone_id:
        return queryset.filter(zone_id=chain.zone_id)
    return queryset.filter(zone__region__code__startswith=chain.region.scope_prefix)


def _changeable(user, right: str, queryset):
    """The records of ``queryset`` the user may change (all the visible ones when the rule cannot filter)."""
    try:
        return restrict(user, right, queryset)
    except ValueError:
        return queryset.visible_to(user)


def _candidates(user, chain: IndustryChain, kind: str):
    if kind == "policy":
        policies = policies_for_chain(chain).visible_to(user).select_related("zone", "region")
        keepable = [policy.pk for policy in policies if can(user, "policy.change", policy)]
        return Policy.objects.filter(pk__in=keepable).order_by("-issued_on", "title")
    if kind == "enterprise":
        records = _in_chain_scope(Enterprise.objects.all(), chain)
    elif kind == "project":
        records = _in_chain_scope(Project.objects.exclude(stage=Stage.TERMINATED), chain)
    else:
        records = _in_chain_scope(Target.objects.all(), chain)
    return _changeable(user, RECORD_RIGHTS[kind], records).order_by("name")


def _place_form(user, chain, link, kind: str, data=None):
    if not can(user, RECORD_RIGHTS[kind]):
        return None
    on_link = {
        "enterprise": link.enterprises.values("enterprise_id"),
        "project": link.projects.values("project_id"),
        "target": link.targets.values("target_id"),
        "policy": link.policy_places.values("policy_id"),
    }[kind]
    candidates = _candidates(user, chain, kind).exclude(pk__in=on_link)  # not what the link already lists
    arguments = {"enterprise": "enterprises", "project": "projects", "target": "targets", "policy": "policies"}
    initial = {"task": link.task} if kind == "project" else None
    return PLACE_FORMS[kind](data, initial=initial, **{arguments[kind]: candidates})


def _tree(links: list[ChainLink], counts: dict[int, dict[str, int]]):
    """The links as nested nodes under their segments (上游/中游/下游)."""
    children: dict[int | None, list[ChainLink]] = {}
    for link in links:
        children.setdefault(link.parent_id, []).append(link)

    def nodes(parent_id):
        return [
            {
                "link": link,
                "css": STATUS_CSS[link.status],
                "counts": counts.get(link.pk, {}),
                "children": nodes(link.pk),
            }
            for link in children.get(parent_id, [])
        ]

    roots = nodes(None)
    return [
        (value, label, [node for node in roots if node["link"].segment == value])
        for value, label in ChainLink.Segment.choices
    ]


def _counts(user, chain) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for key, model in (("enterprises", ChainEnterprise), ("projects", ChainProject), ("targets", ChainTarget)):
        rows = (
            model.objects.visible_to(user).filter(link__chain=chain).order_by().values("link").annotate(n=Count("id"))
        )
        for row in rows:
            counts.setdefault(row["link"], {})[key] = row["n"]
    return counts


def _selected_link(request, chain, link=None):
    if link is not None:
        return link
    wanted = request.GET.get("link", "")
    if not wanted.isdigit():
        return None
    return ChainLink.objects.filter(chain=chain, pk=int(wanted)).select_related("chain").first()


def _detail(request, chain: IndustryChain, *, link=None, link_form=None, place_forms=None, status=200):
    user = request.user
    links = list(chain.links.select_related("chain").in_chain_order())
    selected = _selected_link(request, chain, link)
    may_draw = can(user, "chain.change", chain)
    if may_draw and link_form is None:
        link_form = LinkForm(chain=chain, initial=_link_initial(selected))
    forms = {}
    if selected is not None:
        given = place_forms or {}
        for kind in PLACE_FORMS:
            forms[kind] = given.get(kind) or _place_form(user, chain, selected, kind)
    counts = _counts(user, chain)
    figures = chain_figures(
        chain,
        enterprises=ChainEnterprise.objects.visible_to(user),
        projects=ChainProject.objects.visible_to(user),
        targets=ChainTarget.objects.visible_to(user),
    )
    return render(
        request,
        "chains/chain_detail.html",
        {
            "chain": chain,
            "figures": figures,
            "segments": _tree(links, counts),
            "map": chain_map(chain, links, counts),
            "selected": selected,
            "selected_css": STATUS_CSS.get(selected.status) if selected else "",
            "lists": five_lists(user, chain, selected),
            # A link's lists hold those of the links under it: then each row says its link.
            "show_link": selected is None or any(link.parent_id == selected.pk for link in links),
            "list_names": LISTS,
            "may_add_policy": can(user, "policy.change"),
            "investment_nav": investment_nav(user),
            "may_draw": may_draw,
            "link_form": link_form if may_draw else None,
            "place_forms": forms,
        },
        status=status,
    )


def _link_initial(selected):
    """A new link defaults to sitting under the selected one."""
    if selected is None:
        return {"order": 100}
    return {"order": 100, "segment": selected.segment, "parent": selected.pk}


def _get_chain(request, pk: int) -> IndustryChain:
    return get_visible_or_404(
        IndustryChain.objects.select_related("zone", "region", "leader_enterprise"), request.user, pk=pk
    )


def _detail_url(chain_id: int, link_id: int | None = None) -> str:
    url = reverse("chains:detail", args=[chain_id])
    return f"{url}?link={link_id}" if link_id else url


@login_required
def chain_detail(request, pk: int):
    return _detail(request, _get_chain(request, pk))


@login_required
def chain_edit(request, pk: int):
    """A chain's own facts: name, 链长, 链主 (an enterprise of its scope), being built."""
    chain = _get_chain(request, pk)
    ensure(request.user, "chain.change", chain)
    initial = {name: getattr(chain, name) for name in ("name", "chief", "building", "description", "order")}
    initial["leader_enterprise"] = chain.leader_enterprise_id
    enterprises = _in_chain_scope(Enterprise.objects.all(), chain).order_by("name")
    form = ChainEditForm(request.POST or None, initial=initial, enterprises=enterprises)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "name": data["name"].strip(),
            "chief": data["chief"].strip(),
            "leader_enterprise": data["leader_enterprise"],
            "building": data["building"],
            "description": data["description"].strip(),
            "order": data["order"] if data["order"] is not None else 100,
        }
        try:
            services.chain_save(user=request.user, chain=chain, fields=fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存“{chain.scope_name}”{chain.name}产业链。")
            return redirect("chains:detail", pk=chain.pk)
    return render(
        request,
        "chains/chain_form.html",
        {"chain": chain, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def chain_brief_docx(request, pk: int):
    """The chain's one-page brief, as the user sees the chain."""
    chain = _get_chain(request, pk)
    user = request.user
    figures = chain_figures(
        chain,
        enterprises=ChainEnterprise.objects.visible_to(user),
        projects=ChainProject.objects.visible_to(user),
        targets=ChainTarget.objects.visible_to(user),
    )
    content = chain_brief(chain, figures, five_lists(user, chain), _counts(user, chain))
    response = HttpResponse(write_docx(content, look=BRIEF), content_type=DOCX_TYPE)
    filename = f"{chain.scope_name}{chain.name}产业链简报-{timezone.localdate():%Y%m%d}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def lists_export(request, pk: int):
    """The 五清单 of the chain, or of ``?link=`` (with the links under it), as one workbook;
    ``?list=`` one list alone."""
    chain = _get_chain(request, pk)
    link = _selected_link(request, chain)
    only = request.GET.get("list") or None
    if only is not None and only not in LISTS:
        raise Http404("未知的清单。")
    whose = f"{chain.name}产业链" + (f"·{link.name}" if link else "")
    content = five_lists_xlsx(five_lists(request.user, chain, link), title=whose, only=only)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    filename = f"{whose}{LISTS[only] if only else '五清单'}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# ---------------------------------------------------------------- links


def _link_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "segment": data["segment"],
        "name": data["name"].strip(),
        "status": data["status"],
        "parent": data["parent"],
        "note": data["note"].strip(),
        "order": data["order"] if data["order"] is not None else 100,
    }


@login_required
@require_POST
def link_add(request, pk: int):
    chain = _get_chain(request, pk)
    ensure(request.user, "chain.change", chain)
    form = LinkForm(request.POST, chain=chain)
    if form.is_valid():
        try:
            link = services.link_save(user=request.user, link=ChainLink(chain=chain), fields=_link_fields(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已添加环节“{link.name}”（{link.get_status_display()}）。")
            return redirect(_detail_url(chain.pk, link.pk))
    return _detail(request, chain, link_form=form, status=400)


def _get_link(request, pk: int) -> ChainLink:
    return get_visible_or_404(
        ChainLink.objects.select_related("chain__zone", "chain__region", "parent"), request.user, pk=pk
    )


@login_required
def link_edit(request, pk: int):
    link = _get_link(request, pk)
    chain = link.chain
    ensure(request.user, "chain.change", chain)
    initial = {name: getattr(link, name) for name in ("segment", "name", "status", "note", "order")}
    initial["parent"] = link.parent_id
    form = LinkForm(request.POST or None, chain=chain, link=link, initial=initial, autofocus=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_save(user=request.user, link=link, fields=_link_fields(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存环节“{link.name}”。")
            return redirect(_detail_url(chain.pk, link.pk))
    return render(
        request,
        "chains/link_form.html",
        {"chain": chain, "link": link, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def link_delete(request, pk: int):
    link = _get_link(request, pk)
    chain = link.chain
    services.link_delete(user=request.user, link=link)
    messages.success(request, f"已删除环节“{link.name}”及其下级环节。")
    return redirect(_detail_url(chain.pk))


# ---------------------------------------------------------------- placing records


@login_required
@require_POST
def place(request, pk: int, kind: str):
    if kind not in PLACE_FORMS:
        raise Http404("未知的清单类型。")
    link = _get_link(request, pk)
    chain = link.chain
    ensure(request.user, RECORD_RIGHTS[kind])
    form = _place_form(request.user, chain, link, kind, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if kind == "enterprise":
                services.enterprise_place(
                    user=request.user, link=link, enterprise=data["enterprise"], product=data["product"]
                )
                done = f"已将企业“{data['enterprise']}”列入“{link.name}”企业清单。"
            elif kind == "project":
                placed = services.project_place(
                    user=request.user, link=link, project=data["project"], task=data["task"]
                )
                done = f"已将项目“{data['project'].name}”列入“{link.name}”项目清单（{placed.get_task_display()}）。"
            elif kind == "target":
                services.target_place(user=request.user, link=link, target=data["target"])
                done = f"已将目标企业“{data['target']}”列入“{link.name}”招商清单。"
            else:
                services.policy_place(user=request.user, link=link, policy=data["policy"])
                done = f"已将政策“{data['policy']}”列入“{link.name}”政策清单。"
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect(_detail_url(chain.pk, link.pk))
    return _detail(request, chain, link=link, place_forms={kind: form}, status=400)


@login_required
@require_POST
def unplace(request):
    kind = request.POST.get("kind", "")
    if kind not in PLACED_MODELS:
        raise Http404("未知的清单类型。")
    ensure(request.user, RECORD_RIGHTS[kind])
    placed = get_visible_or_404(
        PLACED_MODELS[kind].objects.select_related("link__chain", kind), request.user, pk=request.POST.get("id")
    )
    link = placed.link
    try:
        services.unplace(user=request.user, placed=placed)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
    else:
        messages.success(request, f"已将“{getattr(placed, kind)}”移出“{link.name}”。")
    return redirect(_detail_url(link.chain_id, link.pk))
