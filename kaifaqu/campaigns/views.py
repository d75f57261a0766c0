"""三个一批 pages: the list with each campaign's follow-up, a campaign's batches, entering projects."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kaifaqu.audit import trail
from kaifaqu.audit.models import AuditEntry
from kaifaqu.core.rights import can, ensure
from kaifaqu.core.scoping import get_visible_or_404
from kaifaqu.core.views import add_service_errors
from kaifaqu.projects.models import Project

from . import services
from .export import campaign_xlsx
from .forms import CampaignForm, EntryForm
from .models import Batch, Campaign, CampaignEntry
from .selectors import campaign_figures, campaign_follow_up, follow_up_table


@login_required
def campaign_list(request):
    campaigns = list(Campaign.objects.visible_to(request.user).select_related("region", "zone"))
    rows = follow_up_table(campaigns, CampaignEntry.objects.visible_to(request.user))
    can_create = can(request.user, "campaign.run")
    return render(request, "campaigns/campaign_list.html", {"rows": rows, "can_create": can_create})


@login_required
def campaign_create(request):
    ensure(request.user, "campaign.run")
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        region, zone = form.cleaned_data["scope"]
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                user=request.user,
                name=data["name"],
                held_on=data["held_on"],
                level=data["level"],
                region=region,
                zone=zone,
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("scope", str(exc))
        else:
            messages.success(request, f"已新建活动“{campaign.name}”，请列入各批次的项目。")
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, pk: int):
    campaign = get_visible_or_404(Campaign.objects.select_related("region", "zone"), request.user, pk=pk)
    entries = CampaignEntry.objects.visible_to(request.user).filter(campaign=campaign)
    can_run = can(request.user, "campaign.run", campaign)
    form = None
    if can_run:
        form = EntryForm(request.POST or None, projects=_candidates(request, campaign))
        if request.method == "POST" and form.is_valid():
            try:
                entry = services.campaign_entry_add(
                    user=request.user,
                    campaign=campaign,
                    project=form.cleaned_data["project"],
                    batch=form.cleaned_data["batch"],
                    investment=form.cleaned_data["investment"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已将“{entry.project.name}”列入{entry.get_batch_display()}一批。")
                return redirect("campaigns:detail", pk=campaign.pk)
    listed = entries.select_related("project__zone", "project__enterprise").order_by("id")
    batches = [(batch, label, [entry for entry in listed if entry.batch == batch]) for batch, label in Batch.choices]
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            "figures": campaign_figures(entries),
            "follow_up": campaign_follow_up(entries),
            "batches": batches,
            "form": form,
            "can_run": can_run,
        },
    )


def _candidates(request, campaign: Campaign):
    zones = services.campaign_zones(campaign)
    return Project.objects.visible_to(request.user).filter(zone__in=zones)


@login_required
def campaign_export(request, pk: int):
    campaign = get_visible_or_404(Campaign.objects.select_related("region", "zone"), request.user, pk=pk)
    entries = CampaignEntry.objects.visible_to(request.user).filter(campaign=campaign)
    data = campaign_xlsx(campaign, entries, sentence=campaign_figures(entries).sentence)
    filename = f"{campaign.name}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    trail.record_event(
        action=AuditEntry.Action.EXPORT, user=request.user, note=f"导出三个一批项目清单：{campaign.name}"
    )
    return response


@login_required
@require_POST
def entry_remove(request, pk: int):
    entry = get_visible_or_404(CampaignEntry.objects.select_related("campaign", "project"), request.user, pk=pk)
    services.campaign_entry_remove(user=request.user, entry=entry)
    messages.success(request, f"已将“{entry.project.name}”移出{entry.get_batch_display()}一批。")
    return redirect("campaigns:detail", pk=entry.campaign_id)
