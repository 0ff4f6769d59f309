"""A dossier in the JSON API carries its payment, which the payments app adds to the dossiers app's answer."""

import pytest

from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import dossier_in

pytestmark = pytest.mark.django_db


def test_a_dossier_awaiting_its_fee_shows_the_payment(
    client, catalogue, agency, citizen, desk, specialist, leader
):
    people = {"citizen": citizen, "desk": desk, "specialist": specialist, "leader": leader}
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    dossiers.perform(
        dossier,
        "request_payment",
        by=specialist,
        note="Lệ phí",
        data={"amount_vnd": 15000, "reason": "Lệ phí"},
    )
    token = client.post(
        "/api/v1/auth/token",
        {"username": "0912345678", "password": "demo-2026"},
        content_type="application/json",
    ).json()["token"]

    body = client.get(f"/api/v1/dossiers/{dossier.code}", HTTP_AUTHORIZATION=f"Bearer {token}").json()

    payment = body["payment"]
    assert (payment["amount_vnd"], payment["status"], payment["paid_at"]) == (15000, "pending", None)
    assert payment["reference"]


def test_a_dossier_with_no_fee_shows_no_payment(client, catalogue, agency, citizen, desk, specialist, leader):
    people = {"citizen": citizen, "desk": desk, "specialist": specialist, "leader": leader}
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    token = client.post(
        "/api/v1/auth/token",
        {"username": "0912345678", "password": "demo-2026"},
        content_type="application/json",
    ).json()["token"]

    body = client.get(f"/api/v1/dossiers/{dossier.code}", HTTP_AUTHORIZATION=f"Bearer {token}").json()

    assert body["payment"] is None
