"""Campaigns: what a commune promotes for a while ("Tháng khai sinh trực tuyến"), with which posters,
leaflets and bulletins, an optional message to the citizens who asked for news, and what it brought.

The message goes once to each citizen who ticked "nhận tin giới thiệu dịch vụ công" in their notification
preferences (`notifications.services.news_readers`), through the notifications outbox and its worker. A
campaign starts only when the agency's SMS budget of the month holds every part of every message: the
parts are reserved at once (`reserve_sms_parts`), or the start is refused saying how many are missing.
Each message ends with an opt-out link carrying a signed token, which works without signing in.

What it brought is read from the counts (`Uptake`): per channel and step, before, during and after its
dates. Counts only: nothing here names a person who followed a link.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.tasks import task
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalog.services import get_procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import Channel as DossierChannel
from motcua.notifications import services as notifications
from motcua.notifications.models import Message, MessageStatus
from motcua.notifications.texts import _GSM, _GSM_EXTENDED, nfc, sms_parts

from .links import Channel, tagged
from .models import Campaign, SendState, Step, Uptake

__all__ = [
    "MAX_PARTS",
    "NothingToSend",
    "Progress",
    "Report",
    "campaign_of",
    "campaigns_of",
    "check_token",
    "message_for",
    "opt_out",
    "opt_out_token",
    "progress",
    "report",
    "reports_of",
    "send_campaign",
    "start_sending",
]

MAX_PARTS = 4  # a campaign message, its links included, is at most four SMS parts
OPT_OUT_SALT = "motcua.outreach.campaigns.opt-out"
TOKEN = re.compile(r"[0-9a-z]{1,12}-[0-9a-f]{12}")
BATCH = 200  # messages put in the outbox per transaction by the worker


class NothingToSend(ValidationError):
    pass


# --- the campaigns of an agency -----------------------------------------------------------------------------


def campaigns_of(agency):
    return Campaign.objects.filter(agency=agency)


def campaign_of(agency, pk: int) -> Campaign | None:
    return campaigns_of(agency).filter(pk=pk).first()


def landing_path(campaign: Campaign) -> str:
    """Where the campaign's message leads: its first procedure's guide, else its first life event."""
    for code in campaign.procedures:
        if get_procedure(code) is not None:
            return f"/thu-tuc/{code}/"
    if campaign.life_events:
        return f"/su-kien/{campaign.life_events[0]}/"
    return "/"


# --- opting out, without signing in -------------------------------------------------------------------------


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def opt_out_token(user_pk: int) -> str:
    """Short enough for an SMS: the account in base 36 and 48 bits of its HMAC (what a forger gains is
    stopping somebody's news: nothing to read, nothing to spend)."""
    ident = _base36(user_pk)
    return f"{ident}-{salted_hmac(OPT_OUT_SALT, ident).hexdigest()[:12]}"


def check_token(token: str) -> User | None:
    ident = (token or "").partition("-")[0]
    if not TOKEN.fullmatch(token or "") or not constant_time_compare(opt_out_token(int(ident, 36)), token):
        return None
    return User.objects.filter(pk=int(ident, 36)).first()


def opt_out(user) -> None:
    notifications.set_news(user, news=False)


# --- the message --------------------------------------------------------------------------------------------


def message_for(campaign: Campaign, *, site_url: str, user_pk: int) -> str:
    """One recipient's text: the officer's words, the tagged link, and how to stop these messages. Words
    written without accents go as GSM-7, half the price of Vietnamese letters (UCS-2): the opt-out word
    then goes without accents too, so that it alone does not double the price."""
    link = tagged(site_url + landing_path(campaign), channel=Channel.SMS, campaign=campaign.slug)
    stop = site_url + "/tu-choi-tin/" + opt_out_token(user_pk) + "/"
    plain = is_gsm(campaign.message)
    word = "Tu choi" if plain else _("Từ chối")
    return nfc(f"{campaign.message} {link} {word}: {stop}")


def is_gsm(text: str) -> bool:
    return all(ch in _GSM or ch in _GSM_EXTENDED for ch in text)


@dataclass
class Plan:
    recipients: int
    parts: int  # SMS parts in all
    worst: int  # the parts of the longest message


def plan(campaign: Campaign, *, site_url: str) -> Plan:
    readers = list(notifications.news_readers())
    parts = [sms_parts(message_for(campaign, site_url=site_url, user_pk=pk)) for pk, _phone in readers]
    return Plan(recipients=len(readers), parts=sum(parts), worst=max(parts, default=0))


def start_sending(campaign: Campaign, *, by, site_url: str) -> Campaign:
    """Reserve the SMS parts of every message and hand the sending to the worker; once per campaign.

    Raises `notifications.BudgetShort` (how many parts are missing) or `NothingToSend`."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.has_started_sending:
            return campaign
        if not campaign.message:
            raise NothingToSend(_("Chiến dịch chưa có nội dung tin nhắn."))
        planned = plan(campaign, site_url=site_url)
        if planned.recipients == 0:
            raise NothingToSend(_("Chưa có người dân nào đăng ký nhận tin."))
        if planned.worst > MAX_PARTS:
            raise NothingToSend(
                _("Tin nhắn dài %(parts)d phần tin; tối đa %(max)d. Hãy viết ngắn lại.")
                % {"parts": planned.worst, "max": MAX_PARTS}
            )
        notifications.reserve_sms_parts(campaign.agency, planned.parts)  # or BudgetShort: nothing kept
        campaign.send_state = SendState.SENDING
        campaign.send_started_at = timezone.now()
        campaign.send_started_by = by
        campaign.recipients, campaign.segments, campaign.queued = planned.recipients, planned.parts, 0
        campaign.save()
        transaction.on_commit(lambda: send_campaign.enqueue(campaign.pk, site_url))
    return campaign


@task()
def send_campaign(campaign_id: int, site_url: str) -> int:
    return queue_messages(campaign_id=campaign_id, site_url=site_url)


def queue_messages(*, campaign_id: int, site_url: str) -> int:
    """The worker's part: put each recipient's message in the outbox, in batches, at most once each (the
    idempotency key names the campaign and the account), within the parts reserved at the start. Safe to run
    again: it goes on where it stopped. Returns how many messages are in the outbox."""
    campaign = Campaign.objects.get(pk=campaign_id)
    if campaign.send_state != SendState.SENDING:
        return campaign.queued
    prefix = f"campaign:{campaign.pk}:"
    while True:
        with transaction.atomic():
            campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
            sent = Message.objects.filter(idempotency_key__startswith=prefix)
            used = sent.aggregate(n=Count("pk"), parts=Sum("segments"))
            count, parts = used["n"], used["parts"] or 0
            done_ids = {int(k.rsplit(":", 1)[1]) for k in sent.values_list("idempotency_key", flat=True)}
            batch = []
            for pk, phone in notifications.news_readers():
                if pk in done_ids:
                    continue
                batch.append((pk, phone))
                if len(batch) == BATCH:
                    break
            stop = not batch
            for pk, phone in batch:
                text = message_for(campaign, site_url=site_url, user_pk=pk)
                need = sms_parts(text)
                if count >= campaign.recipients or parts + need > campaign.segments:
                    stop = True  # opted in after the start: the reservation holds no more
                    break
                try:
                    notifications.send_sms(
                        phone,
                        text,
                        agency=campaign.agency,
                        kind="campaign",
                        key=f"{prefix}{pk}",
                        reserved=True,
                        recipient_id=pk,
                    )
                except ValueError:  # not a Vietnamese number: nobody to text
                    continue
                count, parts = count + 1, parts + need
            campaign.queued = count
            if stop:
                campaign.send_state = SendState.DONE
                # What was reserved for people who are no longer to be told goes back to the budget.
                month = timezone.localdate(campaign.send_started_at)
                notifications.release_sms_parts(campaign.agency, campaign.segments - parts, month=month)
                campaign.segments = parts
            campaign.save(update_fields=["queued", "send_state", "segments", "updated_at"])
        if stop:
            return count


@dataclass
class Progress:
    recipients: int
    queued: int
    sent: int
    failed: int
    waiting: int

    @property
    def percent(self) -> int:
        return round(100 * (self.sent + self.failed) / self.recipients) if self.recipients else 0


def progress(campaign: Campaign) -> Progress:
    rows = Message.objects.filter(idempotency_key__startswith=f"campaign:{campaign.pk}:").aggregate(
        queued=Count("pk"),
        sent=Count("pk", filter=Q(status__in=[MessageStatus.SENT, MessageStatus.DELIVERED])),
        failed=Count("pk", filter=Q(status=MessageStatus.FAILED)),
    )
    waiting = rows["queued"] - rows["sent"] - rows["failed"]
    return Progress(recipients=campaign.recipients, waiting=waiting, **rows)


# --- what it brought ----------------------------------------------------------------------------------------

PERIODS = ("before", "during", "after")


@dataclass
class ReportRow:
    channel: str
    label: str
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # step -> period -> count

    @property
    def cells(self) -> list[int]:
        """The counts in table order: each step, each period."""
        return [self.counts[step][period] for step in Step.values for period in PERIODS]

    @property
    def any(self) -> bool:
        return any(self.cells)


@dataclass
class Filings:
    """Every dossier of the promoted procedures filed at the agency, tagged or not (most people who hear the
    loudspeaker type no link): in the campaign's days, and in as many days before and after it."""

    windows: dict[str, tuple[dt.date, dt.date]]  # period -> (first day, last day)
    online: dict[str, int]
    counter: dict[str, int]

    @property
    def total(self) -> dict[str, int]:
        return {p: self.online[p] + self.counter[p] for p in PERIODS}


@dataclass
class Report:
    """Per channel: each step's count before, during and after the campaign's dates; `total` over channels;
    `filings`: every filing of its procedures in equal windows around it."""

    campaign: Campaign
    rows: list[ReportRow]
    total: ReportRow
    filings: Filings | None = None

    def as_dict(self) -> dict:
        """For the statistics pages and their exports: plain data, counts only."""
        return {
            "campaign": self.campaign.slug,
            "name": self.campaign.name,
            "starts_on": self.campaign.starts_on.isoformat(),
            "ends_on": self.campaign.ends_on.isoformat(),
            "channels": {row.channel: row.counts for row in self.rows},
            "total": self.total.counts,
            "filings": None
            if self.filings is None
            else {
                "windows": {p: [a.isoformat(), b.isoformat()] for p, (a, b) in self.filings.windows.items()},
                "online": self.filings.online,
                "counter": self.filings.counter,
            },
        }


def _empty() -> dict[str, dict[str, int]]:
    return {step: dict.fromkeys(PERIODS, 0) for step in Step.values}


def report(campaign: Campaign) -> Report:
    """One query: the campaign's counts summed per channel and step, split by its dates."""
    start, end = campaign.starts_on, campaign.ends_on
    rows = (
        Uptake.objects.filter(campaign=campaign.slug)
        .values("channel", "step")
        .annotate(
            before=Sum("count", filter=Q(day__lt=start), default=0),
            during=Sum("count", filter=Q(day__gte=start, day__lte=end), default=0),
            after=Sum("count", filter=Q(day__gt=end), default=0),
        )
    )
    by_channel = {c: ReportRow(c, str(label), _empty()) for c, label in Channel.choices}
    total = ReportRow("", _("Tất cả các kênh"), _empty())
    for row in rows:
        for period in PERIODS:
            by_channel[row["channel"]].counts[row["step"]][period] += row[period]
            total.counts[row["step"]][period] += row[period]
    return Report(campaign, list(by_channel.values()), total, filings(campaign))


def filings(campaign: Campaign) -> Filings | None:
    """One query over the agency's dossiers of the promoted procedures filed in the three windows."""
    if not campaign.procedures:
        return None
    length = campaign.ends_on - campaign.starts_on + dt.timedelta(days=1)
    windows = {
        "before": (campaign.starts_on - length, campaign.starts_on - dt.timedelta(days=1)),
        "during": (campaign.starts_on, campaign.ends_on),
        "after": (campaign.ends_on + dt.timedelta(days=1), campaign.ends_on + length),
    }
    zone = timezone.get_current_timezone()

    def moment(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=zone)

    counts = {}
    for period, (first, last) in windows.items():
        within = Q(submitted_at__gte=moment(first), submitted_at__lt=moment(last + dt.timedelta(days=1)))
        counts[f"{period}_online"] = Count("pk", filter=within & Q(channel=DossierChannel.ONLINE))
        counts[f"{period}_counter"] = Count("pk", filter=within & ~Q(channel=DossierChannel.ONLINE))
    earliest, latest = windows["before"][0], windows["after"][1] + dt.timedelta(days=1)
    row = Dossier.objects.filter(
        agency=campaign.agency,
        procedure__code__in=campaign.procedures,
        submitted_at__gte=moment(earliest),
        submitted_at__lt=moment(latest),
    ).aggregate(**counts)
    return Filings(
        windows=windows,
        online={p: row[f"{p}_online"] for p in PERIODS},
        counter={p: row[f"{p}_counter"] for p in PERIODS},
    )


def reports_of(agency) -> list[Report]:
    """Every campaign of the agency with what it brought (for the statistics pages), newest first."""
    return [report(campaign) for campaign in campaigns_of(agency)]


def period_of(campaign: Campaign, day: dt.date | None = None) -> str:
    day = day or timezone.localdate()
    return "before" if day < campaign.starts_on else "after" if day > campaign.ends_on else "during"
