"""The signed-in person is read in one query per request (accounts/signed_in.py) and never remembered
between requests: a role or an officer row taken away closes the back office on the very next request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.accounts.backends import PhoneOrUsernameBackend
from motcua.accounts.signed_in import signed_in_user
from motcua.agencies.models import Officer

pytestmark = pytest.mark.django_db


def fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_an_officer_with_agency_body_and_roles_in_one_query(police, desk):
    police.groups.add(Group.objects.get_or_create(name="leader")[0])
    police.groups.add(Group.objects.get_or_create(name="not a role")[0])
    with CaptureQueriesContext(connection) as queries:
        user = signed_in_user(police.pk)
        officer = user.officer
        seen = (
            officer.roles,
            officer.agency.name,
            officer.body.name,
            officer.body_kind,
            officer.user is user,
        )
    assert len(queries) == 1
    assert seen == (
        {"specialist", "leader"},
        "Ủy ban nhân dân xã Vĩnh Linh",
        "Công an xã Vĩnh Linh",
        "cong_an",
        True,
    )
    expected = Officer.objects.select_related("agency", "body").get(user=police)
    assert fields(user) == fields(type(police).objects.get(pk=police.pk))
    assert fields(officer) == fields(expected)
    assert fields(officer.agency) == fields(expected.agency)
    assert fields(officer.body) == fields(expected.body)
    assert signed_in_user(desk.pk).officer.body is None


def test_a_citizen_is_no_officer_without_a_second_query(citizen):
    with CaptureQueriesContext(connection) as queries:
        user = signed_in_user(citizen.pk)
        assert getattr(user, "officer", None) is None
    assert len(queries) == 1
    assert fields(user) == fields(citizen)


def test_nobody_for_an_unknown_or_malformed_id(citizen):
    assert signed_in_user(citizen.pk + 1000) is None
    assert signed_in_user("not a number") is None


def test_a_deactivated_account_is_signed_out(client, citizen):
    client.force_login(citizen)
    assert client.get("/ho-so/").status_code == 200
    type(citizen).objects.filter(pk=citizen.pk).update(is_active=False)
    assert PhoneOrUsernameBackend().get_user(citizen.pk) is None
    assert client.get("/ho-so/").status_code == 302


def test_a_role_taken_away_closes_the_queue_on_the_next_request(client, desk):
    client.force_login(desk)
    assert client.get("/can-bo/").status_code == 200
    desk.groups.clear()  # an administrator removes the officer's only role (any worker, any process)
    assert client.get("/can-bo/").status_code == 404


def test_an_officer_row_removed_closes_the_queue_on_the_next_request(client, desk):
    client.force_login(desk)
    assert client.get("/can-bo/").status_code == 200
    Officer.objects.filter(user=desk).delete()
    assert client.get("/can-bo/").status_code == 404


def test_a_role_given_opens_the_leaders_pill_on_the_next_request(client, desk):
    client.force_login(desk)
    assert client.get("/can-bo/").context["awaiting_approval"] is None
    desk.groups.add(Group.objects.get_or_create(name="leader")[0])
    assert client.get("/can-bo/").context["awaiting_approval"] == 0
