"""Every indicator moves by exactly what its formula says, when dossiers are filed, processed, paid, rated
and delivered through the one transition path; the rows kept one transition at a time equal the rows
rebuilt from the events."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from motcua.dossiers.lifecycle import Invalid, NotAllowed
from motcua.stats import services
from motcua.stats.models import COUNTERS, Tally

from .helpers import PARTLY, act, at_counter, by_team, finish, online, pay_online, rate, with_file

pytestmark = pytest.mark.django_db
ZONE = dt.timezone(dt.timedelta(hours=7))
TUESDAY = dt.datetime(2026, 3, 10, 9, 0, tzinfo=ZONE)
MARCH = dt.date(2026, 3, 1)


def march(agency) -> dict[str, int]:
    [period] = services.figures(agency_ids=[agency.pk], start=MARCH, end=MARCH)
    return period.values


def moved(before: dict, after: dict) -> dict[str, int]:
    return {c: after[c] - before[c] for c in COUNTERS if after[c] != before[c]}


@pytest.fixture
def team(people, community, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return {**people, "community": community}


@pytest.fixture
def march_world(catalogue, agency, team):
    with time_machine.travel(TUESDAY, tick=False):
        yield team


def step(agency, do) -> dict[str, int]:
    before = march(agency)
    do()
    return moved(before, march(agency))


def test_each_transition_adds_what_its_formula_counts(catalogue, agency, team):
    p = team
    with time_machine.travel(TUESDAY, tick=True) as clock:
        d = {}
        assert (
            step(agency, lambda: d.setdefault("a", with_file(online(p["citizen"], agency), p["citizen"])))
            == {}
        )
        assert step(agency, lambda: d.update(a=act(d["a"], "receive", p["desk"]))) == {
            "received_online_full": 1
        }
        d["b"] = online(p["citizen"], agency, PARTLY)
        assert step(agency, lambda: d.update(b=act(d["b"], "receive", p["desk"]))) == {
            "received_online_partial": 1
        }
        d["c"] = by_team(p["community"], agency)
        assert step(agency, lambda: d.update(c=act(d["c"], "receive", p["desk"]))) == {
            "received_community": 1
        }
        assert step(agency, lambda: d.update(d=at_counter(p["desk"], agency))) == {"received_counter": 1}
        d["e"] = online(p["citizen"], agency)
        assert step(agency, lambda: act(d["e"], "refuse", p["desk"])) == {"refused": 1}

        # Processed by its date, with its papers held as files: finished, on time, digitised.
        assert step(agency, lambda: d.update(a=finish(d["a"], p))) == {
            "finished": 1,
            "finished_on_time": 1,
            "digitised": 1,
        }
        assert (
            step(agency, lambda: d.update(a=act(d["a"], "deliver_result", p["desk"], method="counter"))) == {}
        )
        assert step(agency, lambda: rate(d["a"], p["citizen"], 4)) == {"rating_count": 1, "rating_sum": 4}

        # Asked for papers twice: counted once, at the second request, and late whatever the dates.
        b = act(d["b"], "forward", p["desk"])
        b = act(b, "request_supplement", p["specialist"], items=["Giấy xác nhận tình trạng hôn nhân"])
        b = act(b, "supplement", p["citizen"])
        assert step(
            agency,
            lambda: d.update(
                b=act(b, "request_supplement", p["specialist"], items=["Bản sao giấy khai sinh"])
            ),
        ) == {"supplemented_twice": 1}
        d["b"] = act(d["b"], "supplement", p["citizen"])
        assert step(
            agency, lambda: act(act(d["b"], "submit_for_approval", p["specialist"]), "approve", p["leader"])
        ) == {
            "finished": 1,
            "finished_late": 1,
        }

        # Stopped before its date: an end of processing, on time, no papers as files.
        c = act(d["c"], "forward", p["desk"])
        assert step(agency, lambda: act(c, "stop", p["specialist"])) == {"finished": 1, "finished_on_time": 1}

        # A fee paid online, and one paid in cash at the desk.
        f = act(online(p["citizen"], agency), "receive", p["desk"])
        f = act(f, "forward", p["desk"])
        assert step(agency, lambda: pay_online(f, p)) == {"fee_paid": 1, "fee_paid_online": 1}

        # Finished ten days after its promised date: late.
        g = act(online(p["citizen"], agency), "receive", p["desk"])
        clock.move_to(TUESDAY + dt.timedelta(days=10))
        assert step(agency, lambda: finish(g, p)) == {"finished": 1, "finished_late": 1}

    # What the officers read (exact) is the formulas over these counts.
    cells = services.present(march(agency), suppress=False)
    assert {k: cells[k].value for k in cells} == {
        "received": 6,
        "received_online_full": 3,  # a, f, g
        "received_online_partial": 1,
        "received_community": 1,
        "received_counter": 1,
        "online_share": 83.3,  # (3 + 1 + 1) / 6
        "refused": 1,
        "finished": 4,
        "finished_on_time": 2,
        "finished_late": 2,
        "on_time_share": 50.0,
        "supplemented_twice": 1,
        "fee_paid": 1,
        "online_payment_share": 100.0,
        "digitised_share": 25.0,
        "ratings": 1,
        "satisfaction": 4.0,
    }
    # and the rows rebuilt from the events alone are the rows kept one transition at a time
    assert services.kept() == services.replay()


def test_a_failed_transition_counts_nothing(march_world, agency):
    p = march_world
    dossier = online(p["citizen"], agency)
    before = march(agency)
    with pytest.raises(NotAllowed):
        act(dossier, "approve", p["leader"])
    with pytest.raises(Invalid):
        act(dossier, "refuse", p["desk"]) if False else __import__(
            "motcua.dossiers.services"
        ).dossiers.services.perform(dossier, "refuse", by=p["desk"], note="")
    assert march(agency) == before


def test_the_rebuild_command_writes_the_rows_the_lifecycle_kept(march_world, agency, capsys):
    p = march_world
    a = finish(act(online(p["citizen"], agency), "receive", p["desk"]), p)
    rate(act(a, "deliver_result", p["desk"], method="counter"), p["citizen"], 5)
    act(online(p["citizen"], agency), "refuse", p["desk"])
    kept = services.kept()
    assert kept

    call_command("rebuild_stats", "--check")  # equal: exits quietly
    Tally.objects.all().delete()
    call_command("rebuild_stats")
    assert services.kept() == kept
    Tally.objects.update(refused=7)
    with pytest.raises(SystemExit):
        call_command("rebuild_stats", "--check")
