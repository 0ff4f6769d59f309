"""The statistics' benchmark path on a few dossiers: the rows it seeds from the dossiers' dates are the rows
the lifecycle kept for the same dossiers, and its timing runs."""

import datetime as dt

import pytest
import time_machine

from bench import stats as bench_stats
from motcua.stats import services
from motcua.stats.models import Tally
from motcua.stats.tests.helpers import act, at_counter, by_team, finish, online, with_file

pytestmark = pytest.mark.django_db
SEEDED = ("received_online_full", "received_online_partial", "received_community", "received_counter")
SEEDED += ("finished", "finished_on_time", "finished_late", "digitised")


def test_the_seeded_rows_are_the_rows_the_lifecycle_kept(
    catalogue, agency, people, community, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(
        dt.datetime(2026, 3, 30, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=True
    ) as clock:
        finish(
            act(with_file(online(people["citizen"], agency), people["citizen"]), "receive", people["desk"]),
            people,
        )
        act(by_team(community, agency), "receive", people["desk"])
        late = act(online(people["citizen"], agency), "receive", people["desk"])
        at_counter(people["desk"], agency)
        clock.move_to(dt.datetime(2026, 4, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))))
        finish(late, people)  # finished in April, late

    def only_seeded(rows):
        return {k: {c: n for c, n in v.items() if c in SEEDED} for k, v in rows.items()}

    kept = only_seeded(services.kept())
    assert bench_stats.seed(agency.pk) == 3  # birth in March and April, the counter procedure in March
    assert Tally.objects.count() == 3
    assert only_seeded(services.kept()) == kept
    median, slowest = bench_stats.measure(agency.pk, runs=2)
    assert 0 < median <= slowest
