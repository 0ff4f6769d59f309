"""The transition table, checked against DESIGN.md for every action × status × role."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from motcua.dossiers import services
from motcua.dossiers.lifecycle import ACTIONS, OWN_PATHS, Forbidden, Invalid, NotAllowed, available
from motcua.dossiers.models import Event, Status, Substate

from .factories import DATA, dossier_in

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"

# DESIGN.md's lifecycle, written out independently of the code: (action, status, awaiting approval?) -> roles.
ALL = set(Status) - {Status.DRAFT}
EXPECTED: dict[str, dict[int, set[str]]] = {
    "receive": {1: {"onestop"}},
    "refuse": {1: {"onestop"}},
    "request_supplement": {
        1: {"onestop", "specialist"},
        2: {"onestop", "specialist"},
        4: {"onestop", "specialist"},
    },
    "supplement": {5: {"citizen"}},
    "forward": {2: {"onestop"}},
    "request_payment": {
        1: {"onestop", "specialist"},
        2: {"onestop", "specialist"},
        4: {"onestop", "specialist"},
    },
    "confirm_payment": {6: {"onestop"}},
    "submit_for_approval": {4: {"specialist"}},
    "approve": {},
    "return_for_rework": {},
    "stop": {s: {"specialist", "leader"} for s in (2, 4, 5, 6, 7)},
    "withdraw": {s: {"citizen"} for s in (1, 2, 4, 5, 6)},
    "extend": {s: {"onestop", "specialist", "leader"} for s in (2, 4, 5, 6)},
    "deliver_result": {9: {"onestop"}},
    "correct_declaration": {1: {"onestop"}, 2: {"onestop"}},  # at reception only
    # A result file, for an online procedure's dossier once done (the birth registration is one).
    "attach_result": {9: {"onestop", "specialist", "leader"}},
    # Downloading the result file (its own route): these dossiers have none.
    "collect_online": {},
    # Filing has its own pages, paying by a gateway is the system's, claiming is for a dossier with no
    # account yet: none of them is open to these people on a filed dossier of the citizen's own.
    "submit": {},
    "payment_received": {},
    # A part of a joined-up filing stops by itself when the part it waits for ends (dossiers/bundles.py).
    "stop_part": {},
    "claim": {},
    # A claim code stands in for a phone: these dossiers have one (test_paper.py has those without).
    "reissue_claim_code": {},
    # Money: the system records it and announces a refund; the desk gives money back from the payments
    # page (an action of its own, not one of the dossier's buttons).
    "money_received": {},
    "refund_due": {},
    "refund": {s: {"onestop"} for s in (3, 7, 8)},
    # Satisfaction, once the result is delivered: the citizen, or the desk for them at the counter tablet.
    "rate": {10: {"citizen", "onestop"}},
}
# Waiting for the leader's signature (status 4, sub-state awaiting_approval) changes two rows.
AWAITING = {**{a: dict(EXPECTED[a]) for a in EXPECTED}}
AWAITING["submit_for_approval"] = {}
AWAITING["approve"] = {4: {"leader"}}
AWAITING["return_for_rework"] = {4: {"leader"}}
ROLES = ["citizen", "onestop", "specialist", "leader"]


@pytest.fixture
def people(citizen, desk, specialist, leader):
    return {"citizen": citizen, "desk": desk, "specialist": specialist, "leader": leader, "onestop": desk}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _data(action, dossier):
    data = dict(DATA.get(action, {}))
    if action == "attach_result":
        data["result_file"] = SimpleUploadedFile("trich-luc.pdf", PDF, content_type="application/pdf")
    if action == "extend":
        base = timezone.localtime(dossier.due_at).date() if dossier.due_at else timezone.localdate()
        data["new_due_date"] = (base + dt.timedelta(days=10)).isoformat()
    return data


class Rollback(Exception):
    pass


def _try(dossier, action, person):
    """Perform `action` and roll it back; True when it succeeded."""
    try:
        with transaction.atomic():
            services.perform(dossier, action, by=person, note="Lý do thử", data=_data(action, dossier))
            raise Rollback
    except Rollback:
        return True
    except (NotAllowed, Forbidden):
        return False


STATES = [(s, False) for s in sorted(ALL)] + [(Status.PROCESSING, True)]


@pytest.mark.parametrize(
    ("status", "awaiting"), STATES, ids=[f"{s}{'-awaiting' if a else ''}" for s, a in STATES]
)
def test_every_action_is_allowed_exactly_for_its_roles_in_each_status(
    catalogue, agency, people, status, awaiting
):
    table = AWAITING if awaiting else EXPECTED
    dossier = dossier_in(status, people=people, agency=agency, awaiting_approval=awaiting)
    events_before = Event.objects.filter(dossier=dossier).count()
    for action in ACTIONS:
        for role in ROLES:
            allowed = role in table[action].get(status, set())
            assert _try(dossier, action, people[role]) is allowed, (action, Status(status).name, role)
            offered = allowed and action not in OWN_PATHS  # money and filing have pages of their own
            assert (action in {a.name for a in available(dossier, people[role])}) is offered, (action, role)
    dossier.refresh_from_db()
    assert dossier.status == status
    assert Event.objects.filter(dossier=dossier).count() == events_before


def test_a_refused_action_says_why_in_vietnamese(catalogue, agency, people):
    dossier = dossier_in(Status.RECEIVED, people=people, agency=agency)
    with pytest.raises(
        NotAllowed, match="Không thể “Tiếp nhận” khi hồ sơ đang ở trạng thái “Được tiếp nhận”"
    ):
        services.perform(dossier, "receive", by=people["desk"])


@pytest.mark.parametrize("action", ["refuse", "stop", "return_for_rework", "extend"])
def test_reasons_are_required(catalogue, agency, people, action):
    status = {"refuse": 1, "stop": 4, "return_for_rework": 4, "extend": 4}[action]
    who = {"refuse": "desk", "stop": "specialist", "return_for_rework": "leader", "extend": "desk"}[action]
    dossier = dossier_in(
        status, people=people, agency=agency, awaiting_approval=action == "return_for_rework"
    )
    with pytest.raises(Invalid) as error:
        services.perform(dossier, action, by=people[who], note="  ", data=_data(action, dossier))
    assert "note" in error.value.errors


def test_a_supplement_request_needs_items_and_records_them(catalogue, agency, people):
    dossier = dossier_in(Status.RECEIVED, people=people, agency=agency)
    with pytest.raises(Invalid) as error:
        services.perform(
            dossier, "request_supplement", by=people["desk"], note="Thiếu", data={"items": [" ", ""]}
        )
    assert list(error.value.errors) == ["items"]
    dossier = services.perform(
        dossier,
        "request_supplement",
        by=people["desk"],
        note="Thiếu giấy",
        data={"items": ["Giấy chứng sinh", "Căn cước của mẹ"]},
    )
    request = dossier.supplement_requests.get()
    assert request.items == ["Giấy chứng sinh", "Căn cước của mẹ"]
    assert request.reason == "Thiếu giấy" and request.resolved_at is None
    assert dossier.status == Status.SUPPLEMENT and dossier.supplement_count == 1


def test_answering_a_supplement_returns_the_dossier_where_it_was(catalogue, agency, people):
    dossier = dossier_in(Status.SUPPLEMENT, people=people, agency=agency)
    dossier = services.perform(dossier, "supplement", by=people["citizen"], note="Đã gửi")
    assert dossier.status == Status.PROCESSING
    assert dossier.substate == Substate.SUPPLEMENT_SENT
    assert dossier.supplement_requests.get().resolved_at is not None


def test_a_second_supplement_request_makes_the_dossier_late(catalogue, agency, people):
    dossier = dossier_in(Status.SUPPLEMENT, people=people, agency=agency)
    dossier = services.perform(dossier, "supplement", by=people["citizen"], note="Đã gửi")
    dossier = services.perform(
        dossier,
        "request_supplement",
        by=people["specialist"],
        note="Lại thiếu",
        data={"items": ["Bản sao sổ hộ khẩu"]},
    )
    dossier = services.perform(dossier, "supplement", by=people["citizen"], note="Đã gửi")
    for action, who in [("submit_for_approval", "specialist"), ("approve", "leader")]:
        dossier = services.perform(dossier, action, by=people[who])
    assert dossier.completed_at <= dossier.due_at
    assert dossier.supplement_count == 2
    assert dossier.on_time is False


def test_an_approved_dossier_within_its_due_date_is_on_time(catalogue, agency, people):
    dossier = dossier_in(Status.DONE, people=people, agency=agency)
    assert dossier.on_time is True
    assert dossier_in(Status.PROCESSING, people=people, agency=agency).on_time is None


def test_every_event_records_actor_role_time_and_visibility(catalogue, agency, people):
    dossier = dossier_in(Status.DONE, people=people, agency=agency)
    events = list(
        dossier.events.order_by("pk").values_list("action", "role", "actor__username", "citizen_visible")
    )
    assert events == [
        ("submit", "citizen", "+84912345678", True),
        ("receive", "onestop", "motcua", True),
        ("forward", "onestop", "motcua", True),
        ("submit_for_approval", "specialist", "chuyenvien", False),
        ("approve", "leader", "lanhdao", True),
    ]
    assert all(e.at for e in dossier.events.all())


def test_extend_sets_the_new_due_date_keeping_the_time(catalogue, agency, people):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency)
    new_day = timezone.localtime(dossier.due_at).date() + dt.timedelta(days=7)
    dossier = services.perform(
        dossier, "extend", by=people["desk"], note="Cần xác minh", data={"new_due_date": new_day.isoformat()}
    )
    assert timezone.localtime(dossier.due_at).date() == new_day
    assert timezone.localtime(dossier.due_at).time() == dt.time(17, 0)


def test_withdrawn_dossier_is_closed_by_an_officer(catalogue, agency, people):
    dossier = dossier_in(Status.WITHDRAWN, people=people, agency=agency)
    dossier = services.perform(dossier, "stop", by=people["specialist"], note="Công dân rút hồ sơ")
    assert dossier.status == Status.STOPPED and dossier.closed_at is not None


def test_an_officer_of_another_agency_cannot_act(catalogue, agency, people, other_desk):
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    with pytest.raises(Forbidden):
        services.perform(dossier, "receive", by=other_desk)
    assert services.dossier_for(other_desk, dossier.code) is None


def test_status_counters_agree_with_a_recount(catalogue, agency, people):
    from motcua.dossiers.models import Dossier

    for status in sorted(ALL):
        dossier_in(status, people=people, agency=agency)
    kept = services.agency_counts(agency.pk)
    actual = services.counts_by_status(Dossier.objects.filter(agency=agency).exclude(status=Status.DRAFT))
    assert {s: n for s, n in kept.items() if n} == actual
    services.recount(agency.pk)
    assert services.agency_counts(agency.pk) == actual


def test_an_empty_answer_to_a_supplement_request_is_refused(catalogue, agency, people):
    dossier = dossier_in(Status.SUPPLEMENT, people=people, agency=agency)
    with pytest.raises(Invalid) as error:
        services.perform(dossier, "supplement", by=people["citizen"], note="   ")
    assert list(error.value.errors) == ["note"]
