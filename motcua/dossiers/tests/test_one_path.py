"""One transition path: every change of a dossier is an action of the one table, performed by
`lifecycle.perform`, recorded by one `Event` that says what followed from it."""

import ast
import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core import checks
from django.utils import timezone

from motcua.agencies.services import set_officer
from motcua.dossiers import lifecycle, services
from motcua.dossiers.actions import ACTIONS, Notice
from motcua.dossiers.checks import action_problems
from motcua.dossiers.lifecycle import EFFECTS, SYSTEM_ACTOR, Invalid, NotAllowed
from motcua.dossiers.models import Event, Status, StatusCount

from .factories import BIRTH_FORM, dossier_in, file_birth, filed_at_counter

pytestmark = pytest.mark.django_db
APP = Path(__file__).resolve().parents[2]
MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


WRITES = {"create", "bulk_create", "update", "delete", "get_or_create", "update_or_create", "bulk_update"}


def _writes_outside_the_lifecycle(name: str) -> list[str]:
    """Calls in the product code (not tests, not migrations) that write `name` rows: `name.objects...`
    ending in a create, update or delete."""
    found = []
    for path in APP.rglob("*.py"):
        relative = path.relative_to(APP).as_posix()
        if "/tests/" in relative or "/migrations/" in relative or relative == "dossiers/lifecycle.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in WRITES:
                continue
            inner = node.func.value
            while isinstance(inner, ast.Call | ast.Attribute):
                if isinstance(inner, ast.Attribute) and inner.attr == "objects":
                    if isinstance(inner.value, ast.Name) and inner.value.id == name:
                        found.append(f"{relative}:{node.lineno}")
                    break
                inner = inner.func if isinstance(inner, ast.Call) else inner.value
    return found


def test_only_the_lifecycle_creates_events_or_moves_status_counts():
    assert _writes_outside_the_lifecycle("Event") == []
    assert _writes_outside_the_lifecycle("StatusCount") == []


def test_online_submission_is_a_transition_with_its_event_and_counter(agency, catalogue, citizen):
    dossier = file_birth(citizen, agency)

    event = Event.objects.get(dossier=dossier)
    assert (event.action, event.from_status, event.to_status, event.role) == ("submit", 0, 1, "citizen")
    assert StatusCount.objects.get(agency=agency, status=Status.NEW).count == 1


def test_counter_filing_is_a_submit_then_a_receive_by_the_desk(agency, catalogue, desk):
    dossier = filed_at_counter("1.004873", desk=desk, agency=agency)

    assert list(dossier.events.values_list("action", "role")) == [
        ("submit", "onestop"),
        ("receive", "onestop"),
    ]
    assert StatusCount.objects.get(agency=agency, status=Status.RECEIVED).count == 1


def test_counter_and_community_filing_ask_for_the_fee_up_front(agency, catalogue, desk):
    dossier = filed_at_counter("1.004873", desk=desk, agency=agency)

    submitted = dossier.events.get(action="submit")
    assert submitted.data["amount_vnd"] == 15000
    assert (dossier.fee_vnd, dossier.fee_pending) == (15000, True)


def test_each_event_records_the_due_date_after_it(agency, catalogue, people):
    with time_machine.travel(MONDAY, tick=False) as clock:
        dossier = dossier_in(Status.RECEIVED, people=people, agency=agency)
        received = dossier.events.get(action="receive")
        promised = received.due_at
        clock.shift(dt.timedelta(hours=2))
        dossier = services.perform(dossier, "forward", by=people["desk"])
        dossier = services.perform(
            dossier,
            "extend",
            by=people["specialist"],
            note="Chờ xác minh",
            data={"new_due_date": "2026-12-04"},
        )

    assert promised is not None and promised == dossier.events.get(action="forward").due_at
    extended = dossier.events.get(action="extend")
    assert timezone.localtime(extended.due_at).date() == dt.date(2026, 12, 4)
    assert timezone.localtime(extended.due_at).timetz() == timezone.localtime(promised).timetz()
    assert dossier.events.get(action="submit").due_at is None


def test_request_payment_without_an_amount_asks_the_catalogue_fee(agency, catalogue, people):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    dossier.form_data = {**BIRTH_FORM, "copies_requested": True, "copies_count": 2}
    dossier.save()

    dossier = services.perform(dossier, "request_payment", by=people["specialist"])

    event = dossier.events.latest("pk")
    assert (event.data["amount_vnd"], dossier.fee_vnd, dossier.status) == (16000, 16000, Status.PAYMENT)
    assert "bản sao" in event.data["reason"].lower()


def test_an_officers_other_amount_needs_a_reason(agency, catalogue, people):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)

    with pytest.raises(Invalid) as refused:
        services.perform(dossier, "request_payment", by=people["specialist"], data={"amount_vnd": 50000})

    assert "ghi lý do" in refused.value.errors["amount_vnd"]
    dossier = services.perform(
        dossier,
        "request_payment",
        by=people["specialist"],
        data={"amount_vnd": 50000, "reason": "Phí xác minh theo Nghị quyết của tỉnh"},
    )
    assert dossier.fee_vnd == 50000


def test_a_payment_received_resumes_the_dossier_and_records_amount_and_method(agency, catalogue, people):
    dossier = dossier_in(Status.PAYMENT, people=people, agency=agency)

    dossier = services.perform(
        dossier, "payment_received", by=SYSTEM_ACTOR, data={"amount_vnd": 8000, "payment_method": "vietqr"}
    )

    event = dossier.events.latest("pk")
    assert (dossier.status, dossier.fee_pending) == (Status.PROCESSING, False)
    assert (event.role, event.data) == ("system", {"amount_vnd": 8000, "payment_method": "vietqr"})


def test_a_payment_received_is_only_for_a_fee_still_waiting(agency, catalogue, people):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)

    with pytest.raises(NotAllowed):
        services.perform(dossier, "payment_received", by=SYSTEM_ACTOR, data={"payment_method": "vietqr"})


def test_claiming_a_dossier_is_a_transition_with_its_event(agency, catalogue, desk, citizen):
    dossier = filed_at_counter("1.004873", desk=desk, agency=agency)
    assert dossier.applicant is None or dossier.applicant == citizen
    dossier.applicant = None
    dossier.save()

    services.claim(dossier, user=citizen)

    dossier.refresh_from_db()
    claimed = dossier.events.latest("pk")
    assert (dossier.applicant, claimed.action, claimed.role) == (citizen, "claim", "claimant")


def test_a_dossier_of_another_account_cannot_be_claimed(agency, catalogue, citizen, other_citizen):
    dossier = file_birth(citizen, agency)

    with pytest.raises(NotAllowed, match="đã thuộc một tài khoản khác"):
        services.claim(dossier, user=other_citizen)


def test_a_subscriber_that_fails_undoes_the_whole_transition(agency, catalogue, people):
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    events = dossier.events.count()

    def broken(transition):
        raise RuntimeError("an effect that cannot be done")

    lifecycle.subscribe(broken, actions=["receive"])
    try:
        with pytest.raises(RuntimeError):
            services.perform(dossier, "receive", by=people["desk"])
    finally:
        lifecycle._subscribers[:] = [s for s in lifecycle._subscribers if s[2] is not broken]

    dossier.refresh_from_db()
    assert (dossier.status, dossier.events.count()) == (Status.NEW, events)


def test_subscribing_to_an_unknown_action_fails_at_once():
    with pytest.raises(ValueError, match="unknown actions"):
        lifecycle.subscribe(lambda transition: None, actions=["recieve"])


def test_the_action_catalogue_is_whole():
    assert action_problems() == []
    assert [e for e in checks.run_checks() if e.id and e.id.startswith("dossiers.")] == []


def test_an_action_without_its_notice_text_or_effect_fails_the_system_check():
    receive = ACTIONS["receive"]
    broken = {
        "receive": dataclasses.replace(receive, notice=None),
        "approve": dataclasses.replace(ACTIONS["approve"], notice=Notice("x", "%(nope)s", "long")),
        "invented": dataclasses.replace(receive, name="invented"),
    }

    problems = action_problems(broken, EFFECTS)

    assert "action 'receive' is shown to the citizen but has no notice" in problems
    assert any("'approve': notice pattern" in p for p in problems)
    assert "action 'invented' has no effect in lifecycle.EFFECTS" in problems


def test_the_desk_confirms_an_up_front_fee_in_cash_while_the_dossier_goes_on(agency, catalogue, desk):
    set_officer(desk, agency=agency, roles=["onestop"])
    dossier = filed_at_counter("1.004873", desk=desk, agency=agency)
    assert "confirm_payment" in {a.name for a in services.available(dossier, desk)}

    dossier = services.perform(dossier, "confirm_payment", by=desk, data={"receipt_number": "0000123"})

    assert (dossier.status, dossier.fee_pending) == (Status.RECEIVED, False)
    assert "confirm_payment" not in {a.name for a in services.available(dossier, desk)}


def test_the_office_timeline_shows_what_an_event_recorded_in_words_not_codes(
    client, agency, catalogue, people
):
    dossier = dossier_in(Status.PAYMENT, people=people, agency=agency)
    services.perform(
        dossier, "payment_received", by=SYSTEM_ACTOR, data={"amount_vnd": 8000, "payment_method": "vietqr"}
    )
    client.force_login(people["desk"])

    html = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    assert "8.000 đồng · chuyển khoản" in html
    assert "vietqr" not in html and ">8000<" not in html


def test_an_assignee_that_is_not_a_plain_number_is_refused_not_a_crash(agency, catalogue, people):
    dossier = dossier_in(Status.RECEIVED, people=people, agency=agency)

    with pytest.raises(Invalid) as refused:
        services.perform(dossier, "forward", by=people["desk"], data={"assignee": "²"})

    assert "assignee" in refused.value.errors
