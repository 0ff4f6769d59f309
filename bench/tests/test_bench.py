"""The benchmarks stay runnable: their URLs, their data generator's guards, their wiring."""

from importlib import import_module

import pytest
from django.test import override_settings

from bench import dossiers
from bench.generate_dossiers import Refused, generate, main
from motcua.dossiers.tests.factories import file_birth


def test_the_benchmark_server_urlconf_exists():
    assert import_module(dossiers.env()["ROOT_URLCONF"]).urlpatterns


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_the_raw_sql_lookup_answers_for_the_code_and_the_phone_ending(client, catalogue, agency, citizen):
    dossier = file_birth(citizen, agency)

    found = client.get("/bench/raw-lookup", {"code": dossier.code, "phone_last4": "5678"})
    wrong_phone = client.get("/bench/raw-lookup", {"code": dossier.code, "phone_last4": "0000"})

    assert found.json() == {"code": dossier.code, "status": dossier.status, "due_at": None}
    assert wrong_phone.status_code == 404


def test_motcua_pages_stay_reachable_under_the_benchmark_urlconf(client, db):
    with override_settings(ROOT_URLCONF="bench.urls"):
        assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_the_generator_refuses_a_database_that_is_not_a_benchmarks(settings):
    settings.DEMO = False

    with pytest.raises(Refused):
        generate(10)


def test_the_generator_rejects_a_count_that_is_not_a_number(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--count", "many"])

    assert exit_.value.code == 2
    assert "--count" in capsys.readouterr().err
