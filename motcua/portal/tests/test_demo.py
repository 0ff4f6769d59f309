"""The demo data `make run` loads: every login README and DESIGN.md promise."""

import pytest
from django.contrib.auth import get_user_model

from motcua.portal.services import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_community_team_member_at_vinh_linh(settings):
    settings.DEMO = True

    logins = load_demo()

    member = get_user_model().objects.get(username="congdong")
    assert member.check_password(DEMO_PASSWORD)
    assert member.officer.roles == {"community"}
    assert member.officer.agency.name == "Ủy ban nhân dân xã Vĩnh Linh"
    assert not member.is_staff
    assert any(line.startswith("congdong ") for line in logins)


def test_the_demo_has_the_commune_police_approving_residence_at_vinh_linh(settings):
    from motcua.agencies.models import Body, BodyKind
    from motcua.catalog.services import get_procedure

    settings.DEMO = True

    logins = load_demo()
    load_demo()  # safe to run again

    congan = get_user_model().objects.get(username="congan")
    assert congan.check_password(DEMO_PASSWORD)
    assert congan.full_name == "Trần Văn Công" and not congan.is_staff
    officer = congan.officer
    assert officer.roles == {"specialist", "leader"}
    assert officer.agency.name == "Ủy ban nhân dân xã Vĩnh Linh"
    body = officer.body
    assert (body.kind, body.name, body.parent_name, body.signer) == (
        BodyKind.POLICE,
        "Công an xã Vĩnh Linh",
        "Công an tỉnh Quảng Trị",
        "Trưởng Công an xã",
    )
    assert Body.objects.count() == 2
    assert get_procedure("1.004222").executing_body == BodyKind.POLICE
    assert "congan           Chuyên viên, Lãnh đạo — Công an xã Vĩnh Linh" in logins
    # the health insurance card of the joined-up birth filing is decided by the social insurance office
    baohiem = get_user_model().objects.get(username="baohiem")
    assert baohiem.officer.body.kind == BodyKind.SOCIAL_INSURANCE
    assert baohiem.officer.body.name == "Bảo hiểm xã hội tỉnh Quảng Trị"
    assert get_procedure("2.000986-3").executing_body == BodyKind.SOCIAL_INSURANCE
    assert "baohiem          Chuyên viên, Lãnh đạo — Bảo hiểm xã hội tỉnh Quảng Trị" in logins


def test_the_demo_keeps_every_other_officer_as_design_lists_them(settings):
    settings.DEMO = True

    load_demo()

    officers = {
        user.username: (user.officer.roles, user.officer.agency.name, user.officer.body)
        for user in get_user_model()
        .objects.filter(officer__isnull=False)
        .exclude(username__in=["congan", "baohiem"])
    }
    vinh_linh, cua_tung = "Ủy ban nhân dân xã Vĩnh Linh", "Ủy ban nhân dân xã Cửa Tùng"
    assert officers == {
        "motcua": ({"onestop"}, vinh_linh, None),
        "chuyenvien": ({"specialist"}, vinh_linh, None),
        "lanhdao": ({"leader"}, vinh_linh, None),
        "quantri": ({"admin"}, vinh_linh, None),
        "congdong": ({"community"}, vinh_linh, None),
        "motcua.cuatung": ({"onestop"}, cua_tung, None),
    }


def test_the_demo_has_villages_the_community_member_covers(settings):
    from motcua.outreach.models import Cover, Village

    settings.DEMO = True

    load_demo()
    load_demo()  # safe to run again

    assert sorted(Village.objects.values_list("name", flat=True)) == [
        "Thôn Hòa Bình",
        "Thôn Tân Trại",
        "Xóm Bến Hải",
    ]
    assert sorted(Cover.objects.values_list("village__name", "member__username")) == [
        ("Thôn Hòa Bình", "congdong"),
        ("Thôn Tân Trại", "congdong"),
    ]
