"""The eSMS stand-in of `make loadtest` and `make faults` (tools/esms_standin.py) against the production
adapter: what it accepts, refuses and records is what the load checks count, so it must speak eSMS as the
adapter does.
"""

import pytest

from motcua.dossiers.models import Status
from motcua.dossiers.services import perform
from motcua.notifications.models import Message
from motcua.notifications.providers import EsmsProvider, PermanentFailure, TemporaryFailure
from tools import loadcheck
from tools.esms_standin import Standin

from .conftest import dossier_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def standin():
    service = Standin().up()
    yield service
    service.down()


def adapter(standin, **options) -> EsmsProvider:
    return EsmsProvider(
        "esms", url=standin.url, api_key=standin.api_key, secret=standin.secret, brandname="MOTCUA", **options
    )


def test_the_adapter_s_message_is_accepted_once_with_the_id_it_records(standin, settings):
    settings.NOTIFICATIONS = {"HTTP_TIMEOUT": 2}
    message = Message(
        address="+84912345678",
        channel="sms",
        kind="dossier.received",
        text="Hồ sơ đã nhận",
        idempotency_key="dossier.received:1:sms",
    )

    first = adapter(standin).send(message)
    message.provider_message_id = first.provider_id
    again = adapter(standin).send(message)  # a worker died after handing it over: the resend is refused

    assert first.provider_id and standin.accepted == {"dossier.received:1:sms": first.provider_id}
    assert again.provider_id == first.provider_id
    assert [(r.code, r.phone) for r in standin.log] == [("100", "0912345678"), ("124", "0912345678")]
    assert standin.duplicates_refused() == 1


def test_wrong_keys_are_refused_for_good_and_a_provider_that_is_down_is_a_temporary_failure(
    standin, settings
):
    settings.NOTIFICATIONS = {"HTTP_TIMEOUT": 2}
    message = Message(
        address="+84912345678", channel="sms", kind="otp", text="Ma 123456", idempotency_key="k"
    )

    with pytest.raises(PermanentFailure, match="101"):
        EsmsProvider("esms", url=standin.url, api_key="wrong", secret="wrong").send(message)
    standin.down()
    with pytest.raises(TemporaryFailure):
        adapter(standin).send(message)
    standin.up()  # back on the same port

    assert adapter(standin).send(message).provider_id == standin.accepted["k"]


def test_a_dossier_notice_through_the_outbox_passes_the_load_checks(
    settings, catalogue, agency, people, standin, run_tasks, django_capture_on_commit_callbacks, capsys
):
    settings.NOTIFICATIONS = {
        "CHANNELS": {"sms": ["esms"], "zalo": [], "email": ["email"]},
        "PROVIDERS": {
            "esms": {
                "BACKEND": "motcua.notifications.providers.EsmsProvider",
                "OPTIONS": {"url": standin.url, "api_key": standin.api_key, "secret": standin.secret},
            }
        },
        "HTTP_TIMEOUT": 2,
    }
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    with django_capture_on_commit_callbacks(execute=True):
        perform(dossier, "receive", by=people["desk"])
    queued = Message.objects.get(dossier=dossier, channel="sms")
    loadcheck.dump(0)
    before = loadcheck.json.loads(capsys.readouterr().out)["messages"]

    run_tasks()
    loadcheck.dump(0)
    after = loadcheck.json.loads(capsys.readouterr().out)["messages"]

    assert loadcheck.check_messages(before, dict(standin.accepted)) == [
        f"undelivered: message {queued.pk} (dossier.received) still queued"
    ]
    assert loadcheck.check_messages(after, dict(standin.accepted)) == []
    assert Message.objects.get(pk=queued.pk).provider_message_id == standin.accepted[queued.idempotency_key]
