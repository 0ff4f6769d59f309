"""The campaign and channel tag every outreach link and QR code carries: `?cd=<campaign>&kenh=<channel>`.

A poster's QR code, a leaflet's, an SMS's link: each says which campaign it belongs to (a slug, optional)
and through which channel it came. Counting the visits that follow is a later step; the tag is written now,
the same way everywhere, so that what is printed today is counted tomorrow. Counts only: the tag names a
campaign and a channel, never a person.
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["CAMPAIGN", "CHANNEL", "Channel", "Tag", "clean_campaign", "tag_of", "tagged"]

CAMPAIGN = "cd"  # chiến dịch
CHANNEL = "kenh"  # kênh
CAMPAIGN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CAMPAIGN_MAX = 50


class Channel(models.TextChoices):
    """How a person came to a page. Short slugs: they are printed inside QR codes."""

    POSTER = "ap-phich", _("Áp phích")
    LEAFLET = "to-roi", _("Tờ rơi")
    LOUDSPEAKER = "loa", _("Loa truyền thanh")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")
    MEETING = "hop-thon", _("Họp thôn")


class Tag(tuple):
    """(campaign, channel): campaign is "" when the link belongs to none."""

    __slots__ = ()

    def __new__(cls, campaign: str = "", channel: str = ""):
        return super().__new__(cls, (campaign, channel))

    @property
    def campaign(self) -> str:
        return self[0]

    @property
    def channel(self) -> str:
        return self[1]


def clean_campaign(value: str | None) -> str:
    """A campaign slug as written in a link ("thang-khai-sinh-2026"), or "" for anything else."""
    value = (value or "").strip().lower()
    return value if len(value) <= CAMPAIGN_MAX and CAMPAIGN_SLUG.fullmatch(value) else ""


def tagged(url: str, *, channel: str, campaign: str = "") -> str:
    """`url` with the tag added (a tag already there is replaced): the link a QR code or a message carries.

    `tagged("https://x.vn/thu-tuc/1.001193/", channel="ap-phich", campaign="thang-khai-sinh")` ->
    "https://x.vn/thu-tuc/1.001193/?cd=thang-khai-sinh&kenh=ap-phich"
    """
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    parts = urlsplit(url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in (CAMPAIGN, CHANNEL)
    ]
    campaign = clean_campaign(campaign)
    if campaign:
        query.append((CAMPAIGN, campaign))
    query.append((CHANNEL, channel))
    return urlunsplit(parts._replace(query=urlencode(query)))


def tag_of(params) -> Tag | None:
    """The tag of a request's query (`request.GET`), or None when it carries none or a forged one."""
    channel = params.get(CHANNEL, "")
    if channel not in Channel.values:
        return None
    return Tag(clean_campaign(params.get(CAMPAIGN)), channel)
