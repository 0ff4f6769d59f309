"""Every outreach link carries its campaign and channel, the same way, so that it can be counted."""

import pytest
from django.http import QueryDict

from motcua.outreach.links import Channel, Tag, clean_campaign, tag_of, tagged

GUIDE = "https://dichvucong.vinhlinh.example.vn/thu-tuc/1.001193/"


def test_a_link_gets_its_campaign_and_channel():
    assert tagged(GUIDE, channel=Channel.POSTER, campaign="thang-khai-sinh") == (
        GUIDE + "?cd=thang-khai-sinh&kenh=ap-phich"
    )


def test_a_link_without_campaign_still_says_its_channel():
    assert tagged(GUIDE, channel=Channel.LOUDSPEAKER) == GUIDE + "?kenh=loa"


def test_a_tag_already_there_is_replaced_and_other_parameters_kept():
    link = tagged(GUIDE + "?q=khai+sinh&kenh=sms&cd=cu", channel=Channel.LEAFLET, campaign="moi")
    assert link == GUIDE + "?q=khai+sinh&cd=moi&kenh=to-roi"


def test_an_unknown_channel_is_a_programming_error():
    with pytest.raises(ValueError):
        tagged(GUIDE, channel="bao-giay")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("thang-khai-sinh-2026", "thang-khai-sinh-2026"),
        (" Thang-Khai-Sinh ", "thang-khai-sinh"),
        ("tháng khai sinh", ""),
        ("a--b", ""),
        ("-a", ""),
        ("<script>", ""),
        ("x" * 51, ""),
        (None, ""),
    ],
)
def test_a_campaign_is_a_plain_slug_or_nothing(typed, kept):
    assert clean_campaign(typed) == kept


def test_the_tag_is_read_back_from_a_request():
    assert tag_of(QueryDict("cd=thang-khai-sinh&kenh=ap-phich")) == Tag("thang-khai-sinh", "ap-phich")
    assert tag_of(QueryDict("kenh=loa")) == Tag("", "loa")
    assert tag_of(QueryDict("cd=<b>&kenh=loa")).campaign == ""
    assert tag_of(QueryDict("kenh=khong-co")) is None
    assert tag_of(QueryDict("")) is None
