"""The leads board (kanban) and a lead's page: its 招商 facts and its 招前 / 招中 / 招后 timeline.

A card dropped on another column, or sent there with its "移动到…" menu, opens the project's own
stage dialog (``projects:move``) with that stage chosen: every move goes through the one stage
service, with its rules, its messages and its audit, and the dialog comes back to the board.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.core.views import add_service_errors
from kaifaqu.projects import lifecycle
from kaifaqu.projects.models import Project, local_today
from kaifaqu.projects.selectors import pipeline_sentence

from . import selectors, services
from .board_forms import BoardFilterForm, LeadFactsForm
from .models import Activity, Lead
from .pages import page_context

PHASES = (("before", "招前对接"), ("signing", "招中促成"), ("after", "招后服务"))


def board_sentence(columns: list[dict]) -> str:
    """The standard pipeline sentence of the board's four stages: ``初步对接项目7个，总投资15.5亿元；…``."""
    return pipeline_sentence({column["stage"]: column["bucket"] for column in columns})


def _move_url(project: Project, stage: str, back: str) -> str:
    query = {"next": back, **({"to_stage": stage} if stage else {})}
    return f"{reverse('projects:move', args=[project.pk])}?{urlencode(query)}"


def _dress(card: Project, *, user, back: str, today) -> Project:
    """What a card shows beyond the project: days at its stage, whether it moves, where to."""
    day = getattr(card, lifecycle.DATE_FIELD[card.stage], None)
    card.days_at_stage = (today - day).days if day else None
    card.movable = can(user, "project.change", card)
    if card.movable:
        card.move_options = [
            (label, _move_url(card, stage, back))
            for stage, label in selectors.LEAD_STAGE_LABELS.items()
            if stage != card.stage
        ]
        card.move_other = _move_url(card, "", back)
    return card


@login_required
def board(request):
    context = page_context(request, "board")
    choice = context["choice"]
    form = BoardFilterForm(request.GET or None)
    projects = form.filter(choice.limit(Project.objects.visible_to(request.user)))
    columns = selectors.board_columns(projects)
    back = request.get_full_path()
    today = local_today()
    for column in columns:
        column["cards"] = [_dress(card, user=request.user, back=back, today=today) for card in column["cards"]]
    context.update(
        form=form,
        columns=columns,
        sentence=board_sentence(columns),
        total=sum(column["bucket"].count for column in columns),
        several_zones=choice.zone is None,
        may_move=any(card.movable for column in columns for card in column["cards"]),
    )
    return render(request, "investment/board.html", context)


def _lead_project(request, pk: int) -> Project:
    """The project behind a lead page: any visible project (one past 签约 keeps its page)."""
    queryset = Project.objects.visible_to(request.user).select_related("zone", "enterprise")
    return get_visible_or_404(queryset, request.user, pk=pk)


@login_required
def lead_detail(request, pk: int):
    project = _lead_project(request, pk)
    context = page_context(request, "board")
    lead = Lead.objects.filter(project=project).select_related(*_LEAD_RELATED).first()
    timeline = selectors.lead_timeline(project, Activity.objects.visible_to(request.user))
    context.update(
        project=project,
        lead=lead,
        phases=[(key, label, timeline[key]) for key, label in PHASES],
        may_edit_facts=can(request.user, "investment.change", project),
        may_move=can(request.user, "project.change", project),
        in_pipeline=project.stage in selectors.LEAD_STAGES,
    )
    return render(request, "investment/lead_detail.html", context)


_LEAD_RELATED = ("mode", "source_platform", "source_enterprise", "source_activity", "target")


@login_required
def lead_facts(request, pk: int):
    """GET: the form (``?source=`` redraws it for another source); POST: save through ``lead_save``."""
    project = _lead_project(request, pk)
    context = page_context(request, "board")
    lead = Lead.objects.filter(project=project).first() or Lead(project=project)
    if request.method == "POST":
        form = LeadFactsForm(request.POST, instance=lead, project=project, user=request.user)
    else:
        initial = {name: value for name, value in request.GET.items() if name in LeadFactsForm.Meta.fields}
        form = LeadFactsForm(instance=lead, initial=initial, project=project, user=request.user)
    ensure(request.user, "investment.change", project)
    if request.method == "POST" and form.is_valid():
        try:
            services.lead_save(user=request.user, project=project, fields=form.facts())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "招商信息已保存。")
            return redirect("investment:lead", pk=project.pk)
    context.update(project=project, form=form)
    return render(request, "investment/lead_facts.html", context, status=400 if form.errors else 200)
