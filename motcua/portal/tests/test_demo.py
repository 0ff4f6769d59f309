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
