"""/can-bo/chien-dich/: the agency's campaigns, their kit, their message and what they brought;
/tu-choi-tin/<token>/: stop the commune's news, without signing in."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motcua.accounts.access import officer_required
from motcua.catalog.services import get_procedure, list_life_events
from motcua.notifications import services as notifications

from .. import campaigns
from ..campaigns_forms import CampaignForm, SendForm
from ..links import Channel, tagged
from ..models import Step
from .common import site_url


def _mine(request, pk: int):
    campaign = campaigns.campaign_of(request.user.officer.agency, pk)
    if campaign is None:
        raise Http404
    return campaign


@officer_required
@require_safe
def campaign_list(request):
    agency = request.user.officer.agency
    rows = list(campaigns.campaigns_of(agency))
    for c in rows:
        c.period = campaigns.period_of(c)
    return render(request, "outreach/campaigns/list.html", {"agency": agency, "rows": rows})


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_edit(request, pk: int | None = None):
    agency = request.user.officer.agency
    campaign = _mine(request, pk) if pk is not None else None
    form = CampaignForm(request.POST or None, instance=campaign, agency=agency)
    if request.method == "POST" and form.is_valid():
        campaign = form.save()
        messages.success(request, _("Đã lưu chiến dịch."))
        return redirect(reverse("outreach:campaign", args=[campaign.pk]))
    return render(request, "outreach/campaigns/edit.html", {"form": form, "campaign": campaign})


def _kit(request, campaign) -> dict:
    """The campaign's posters, leaflets and bulletins, each link carrying its slug; the links to post on
    the commune's Zalo page or show at a village meeting, each with its channel."""
    procedures = [p for p in (get_procedure(code) for code in campaign.procedures) if p is not None]
    events = {e.slug: e for e in list_life_events()}
    query = urlencode([("ma", p.code) for p in procedures] + [("cd", campaign.slug)])
    return {
        "procedures": procedures,
        "events": [events[s] for s in campaign.life_events if s in events],
        "cd": urlencode({"cd": campaign.slug}),
        "poster_set": f"{reverse('outreach:poster_set_pdf')}?{query}&kho=a4",
        "leaflet_set": f"{reverse('outreach:poster_set_pdf')}?{query}&kho=a5",
        "shared_links": [
            (Channel(channel).label, tagged(landing, channel=channel, campaign=campaign.slug))
            for landing in [site_url(request) + campaigns.landing_path(campaign)]
            for channel in (Channel.ZALO, Channel.MEETING)
        ],
    }


def _sending(request, campaign) -> dict:
    if campaign.has_started_sending:
        return {"progress": campaigns.progress(campaign)}
    if not campaign.message:
        return {}
    planned = campaigns.plan(campaign, site_url=site_url(request))
    budget = notifications.budget_of(campaign.agency)
    remaining = max(budget.limit - budget.used, 0)
    return {
        "planned": planned,
        "remaining": remaining,
        "short": max(planned.parts - remaining, 0),
        "sample": campaigns.message_for(campaign, site_url=site_url(request), user_pk=0),
        "too_long": planned.worst > campaigns.MAX_PARTS,
        "max_parts": campaigns.MAX_PARTS,
    }


@officer_required
@require_safe
def campaign_page(request, pk: int):
    campaign = _mine(request, pk)
    context = {
        "campaign": campaign,
        "report": campaigns.report(campaign),
        "steps": Step.choices,
        "period": campaigns.period_of(campaign),
        "send_form": SendForm(),
        "channels": Channel,
        **_kit(request, campaign),
        **_sending(request, campaign),
    }
    return render(request, "outreach/campaigns/page.html", context)


@officer_required
@require_POST
def campaign_send(request, pk: int):
    campaign = _mine(request, pk)
    form = SendForm(request.POST)
    back = reverse("outreach:campaign", args=[campaign.pk]) + "#h-send"
    if not form.is_valid():
        messages.error(request, _("Bạn đánh dấu ô xác nhận trước khi gửi."))
        return redirect(back)
    if campaign.has_started_sending:
        messages.info(request, _("Tin nhắn của chiến dịch này đã được gửi; mỗi người chỉ nhận một lần."))
        return redirect(back)
    try:
        campaign = campaigns.start_sending(campaign, by=request.user, site_url=site_url(request))
    except notifications.BudgetShort as short:
        messages.error(request, str(short))
    except campaigns.NothingToSend as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(
            request,
            _(
                "Đã bắt đầu gửi %(n)d tin nhắn (%(parts)d phần tin SMS). Máy gửi dần; trang này cho biết "
                "tiến độ."
            )
            % {"n": campaign.recipients, "parts": campaign.segments},
        )
    return redirect(back)


@require_http_methods(["GET", "HEAD", "POST"])
def opt_out(request, token: str):
    """The link at the end of every campaign message: a button, so that a link preview stops nothing."""
    user = campaigns.check_token(token)
    if user is None:
        raise Http404
    done = False
    if request.method == "POST":
        campaigns.opt_out(user)
        done = True
    return render(request, "outreach/campaigns/opt_out.html", {"done": done})
