"""The checks `make loadtest` and `make faults` end with (tools/loadcheck.py), on a small set."""

import json

import pytest

from tools import loadcheck


def row(code, marker):
    return {"code": code, "procedure": "1.001266", "status": 1, "marker": marker, "key": ""}


def test_every_acknowledged_filing_found_once_is_no_problem():
    acked = {"LT-a-1": "C1", "LT-a-2": "C2"}

    assert loadcheck.check_filings(acked, [row("C1", "LT-a-1"), row("C2", "LT-a-2"), row("X", "")]) == []


def test_lost_doubled_mismatched_and_unacknowledged_filings_are_each_named():
    acked = {"LT-a-1": "C1", "LT-a-2": "C2", "LT-a-3": "C3"}
    dossiers = [row("C2", "LT-a-2"), row("C9", "LT-a-2"), row("C4", "LT-a-3"), row("C5", "LT-a-5")]

    assert loadcheck.check_filings(acked, dossiers) == [
        "lost: filing LT-a-1 was acknowledged as C1 but is not in the database",
        "doubled: filing LT-a-2 exists 2 times: C2, C9",
        "mismatch: filing LT-a-3 was acknowledged as C3, the database has C4",
        "unacknowledged: C5 (LT-a-5) exists, the workload was never told",
    ]


def test_a_filing_whose_answer_never_came_may_exist_once_but_not_twice():
    dossiers = [row("C1", "LT-a-1"), row("C2", "LT-a-2"), row("C3", "LT-a-2")]

    assert loadcheck.check_filings({}, dossiers, unsure={"LT-a-1", "LT-a-2", "LT-a-3"}) == [
        "doubled: unanswered filing LT-a-2 exists 2 times"
    ]


def message(pk, key, *, status="sent", provider_id="S1", event=1, kind="dossier.received"):
    return {
        "pk": pk,
        "channel": "sms",
        "kind": kind,
        "event_id": event,
        "address": "+84910000001",
        "status": status,
        "provider": "esms",
        "provider_message_id": provider_id,
        "idempotency_key": key,
        "attempts": 1,
        "last_error": "boom" if status == "failed" else "",
    }


def test_messages_accepted_once_with_their_ids_are_no_problem():
    messages = [
        message(1, "k1", provider_id="S1"),
        message(2, "k2", provider_id="S2", event=2),
        {**message(3, "k3", provider_id=""), "channel": "email"},
    ]

    assert loadcheck.check_messages(messages, {"k1": "S1", "k2": "S2"}) == []


def test_undelivered_failed_unknown_doubled_and_phantom_messages_are_each_named():
    messages = [
        message(1, "k1", status="queued", provider_id=""),
        message(2, "k2", status="failed", provider_id="", event=2),
        message(3, "k3", event=3),
        message(4, "k4", provider_id="S4", event=4),
        message(5, "k5", provider_id="S5", event=4),
    ]

    assert loadcheck.check_messages(messages, {"k4": "S4", "k5": "S5", "k9": "S9"}) == [
        "undelivered: message 1 (dossier.received) still queued",
        "lost: message 2 (dossier.received) failed: boom",
        "lost: message 3 is sent but the SMS provider never accepted it",
        "doubled: event 4 made 2 dossier.received messages to one number",
        "phantom: the provider accepted k9, which the database does not hold",
    ]


def test_the_filing_mark_is_read_from_the_fields_the_workload_writes_it_in():
    assert loadcheck.marker_of({"business_name": "Tạp hóa LT-ab12-0f0f"}) == "LT-ab12-0f0f"
    assert loadcheck.marker_of({"previous_registration": "UBND xã LT-ab12-1 x"}) == "LT-ab12-1"
    assert loadcheck.marker_of({"business_name": "Tạp hóa"}) == ""


@pytest.mark.django_db
def test_prepare_makes_the_people_and_dump_lists_the_filings_since_a_time(agency, citizen, filed, capsys):
    loadcheck.prepare(3, 2)
    people = json.loads(capsys.readouterr().out)
    filed = filed(citizen, agency)
    filed.form_data = {**filed.form_data, "business_name": "Tạp hóa LT-t-1"}
    filed.save(update_fields=["form_data"])

    loadcheck.dump(filed.submitted_at.timestamp() - 1)
    listed = json.loads(capsys.readouterr().out)["dossiers"]
    loadcheck.dump(filed.submitted_at.timestamp() + 1)
    later = json.loads(capsys.readouterr().out)["dossiers"]

    assert people["citizens"] == ["0910000000", "0910000001", "0910000002"]
    assert people["officers"] == ["taithu.motcua0", "taithu.motcua1"]
    assert [(d["code"], d["marker"]) for d in listed] == [(filed.code, "LT-t-1")]
    assert later == []
