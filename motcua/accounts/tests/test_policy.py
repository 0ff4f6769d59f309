"""The access policy (motcua/policy.py) and the one place it is applied (accounts.access.PolicyMiddleware)."""

import pytest
from django.http import HttpResponse
from django.urls import include, path

from motcua import policy
from motcua.accounts.access import subject_of

pytestmark = pytest.mark.django_db

VINH_LINH, CUA_TUNG = 1, 2


def officer(*roles: str, agency_id: int = VINH_LINH) -> policy.Subject:
    return policy.Subject(signed_in=True, roles=frozenset(roles), agency_id=agency_id)


CITIZEN = policy.Subject(signed_in=True)


# --- the answers ------------------------------------------------------------------------------------------


def test_nobody_signed_in_holds_anything_but_public():
    assert policy.allows(policy.ANONYMOUS, policy.PUBLIC)
    assert not policy.allows(policy.ANONYMOUS, policy.SIGNED_IN)
    assert not any(policy.allows(policy.ANONYMOUS, permission) for permission in policy.GRANTS)


def test_a_citizen_holds_no_office_permission():
    assert policy.allows(CITIZEN, policy.SIGNED_IN)
    assert not any(policy.allows(CITIZEN, permission) for permission in policy.GRANTS)


def test_the_community_team_files_for_people_and_sees_no_money_messages_or_register():
    helper = officer(policy.COMMUNITY)

    held = {permission for permission in policy.GRANTS if policy.allows(helper, permission)}

    assert held == {policy.DOSSIERS, policy.INTAKE, policy.POSTERS, policy.BULLETINS}  # and outreach


def test_each_office_permission_names_who_holds_it():
    # The written table, in plain words: change it here and in motcua/policy.py together.
    assert {permission: set(roles) for permission, roles in policy.GRANTS.items()} == {
        "office.dossiers": {"onestop", "specialist", "leader", "admin", "community", "province"},
        "office.act": {"onestop", "specialist", "leader"},
        "office.intake": {"onestop", "community"},
        "office.accounts": {"onestop"},
        "office.exempt": {"onestop"},
        "office.payments": {"onestop", "leader"},
        "office.refund": {"onestop"},
        "office.outbox": {"onestop", "admin"},
        "office.register": {"onestop", "specialist", "leader", "province"},
        "office.scan": {"onestop"},
        "office.sync": {"leader", "admin"},
        "office.posters": {"onestop", "specialist", "leader", "admin", "community"},
        "office.bulletins": {"onestop", "leader", "admin", "community"},
        "office.campaigns": {"onestop", "leader", "admin"},
    }


def test_an_officer_reaches_only_their_own_agency():
    desk = officer(policy.ONESTOP)

    assert policy.allows(desk, policy.DOSSIERS, agency_id=VINH_LINH)
    assert not policy.allows(desk, policy.DOSSIERS, agency_id=CUA_TUNG)


def test_a_province_role_spans_agencies_explicitly():
    province = officer(policy.PROVINCE)

    assert policy.PROVINCE in policy.ACROSS_AGENCIES
    assert policy.allows(province, policy.DOSSIERS, agency_id=CUA_TUNG)
    assert not policy.allows(province, policy.ACT, agency_id=CUA_TUNG)  # it reads; it acts on nothing


def test_an_unknown_permission_is_refused():
    assert not policy.allows(officer(*policy.DOSSIER_HANDLERS, policy.ADMIN), "office.everything")


def test_the_admin_site_is_for_staff_accounts():
    assert policy.allows(policy.Subject(signed_in=True, staff=True), policy.ADMIN_SITE)
    assert not policy.allows(officer(policy.ONESTOP), policy.ADMIN_SITE)


def test_a_user_is_seen_with_their_roles_and_agency(desk, citizen, administrator, agency):
    assert subject_of(desk) == policy.Subject(True, frozenset({"onestop"}), agency.pk, staff=False)
    assert subject_of(administrator) == policy.Subject(True, frozenset({"admin"}), agency.pk, staff=True)
    assert subject_of(citizen) == policy.Subject(signed_in=True)


# --- the table covers the site ----------------------------------------------------------------------------


def test_every_route_of_the_site_has_a_rule():
    assert policy.check_routes() == []


def secret(request):
    return HttpResponse("bí mật")


urlpatterns = [path("chua-khai-bao/", secret), path("", include("motcua.urls"))]


@pytest.mark.urls("motcua.accounts.tests.test_policy")
def test_a_route_without_a_rule_fails_the_check_and_is_closed_to_everyone(client, administrator):
    problems = policy.check_routes()
    client.force_login(administrator)

    response = client.get("/chua-khai-bao/")

    assert [(p.id, p.msg) for p in problems] == [
        ("policy.E001", "The route 'chua-khai-bao/' has no access rule.")
    ]
    assert response.status_code == 404
    assert "bí mật" not in response.content.decode()


def test_a_route_declared_from_outside_cannot_change_an_existing_rule():
    with pytest.raises(ValueError, match="already has another rule"):
        policy.declare("can-bo/thanh-toan/", policy.public("open the payments page"))
