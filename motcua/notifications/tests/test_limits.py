"""A script cannot drain the SMS budget: a per-phone hourly throttle and a monthly budget per agency; codes
have their own throttle and budget, and codes to numbers with no account their own slice of it.

`send_sms` raises `SmsRefused` (HTTP 429 for the caller, with Retry-After).
"""

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from motcua.dossiers.models import Status
from motcua.dossiers.services import perform
from motcua.notifications import services
from motcua.notifications.models import Message, SmsBudget

from .conftest import dossier_in

pytestmark = pytest.mark.django_db
CODE_TEXT = "Mã xác thực Dịch vụ công của ông/bà là 482913. Mã dùng được trong 5 phút. Không đưa mã cho ai."


@pytest.fixture
def limits(settings):
    def set_limits(*, per_phone: int = 100, monthly: int = 1000, codes_per_phone: int = 100):
        settings.NOTIFICATIONS = {
            "SMS_PER_PHONE_PER_HOUR": per_phone,
            "SMS_MONTHLY_LIMIT": monthly,
            "SMS_CODES_PER_PHONE_PER_HOUR": codes_per_phone,
        }

    return set_limits


def test_a_sign_in_code_is_queued_first_in_line(db, limits, monday, django_capture_on_commit_callbacks):
    limits()

    with django_capture_on_commit_callbacks(execute=True):
        message = services.send_sms("0912 345 678", CODE_TEXT)

    task = DBTaskResult.objects.get()
    assert (message.address, message.kind, message.status, message.segments) == (
        "+84912345678",
        "otp",
        "queued",
        2,
    )
    assert (task.priority, task.args_kwargs["args"]) == (10, [message.pk])


def test_the_per_phone_throttle_stops_a_flood_to_one_number(db, limits, monday):
    limits(codes_per_phone=3)
    for _ in range(3):
        services.send_sms("0912345678", CODE_TEXT)

    with pytest.raises(services.PhoneThrottled) as refused:
        services.send_sms("+84 912 345 678", CODE_TEXT)

    assert str(refused.value) == (
        "Số điện thoại này đã nhận quá nhiều tin nhắn trong một giờ. Vui lòng thử lại sau một giờ, "
        "hoặc đến bộ phận một cửa để được hỗ trợ."
    )
    assert refused.value.retry_after == 3600
    assert Message.objects.count() == 3
    assert services.send_sms("0987654321", CODE_TEXT).address == "+84987654321"  # another number is not held


def test_the_throttle_lets_the_number_through_an_hour_later(db, limits, monday):
    limits(codes_per_phone=1)
    services.send_sms("0912345678", CODE_TEXT)
    with pytest.raises(services.PhoneThrottled):
        services.send_sms("0912345678", CODE_TEXT)

    monday.shift(dt.timedelta(hours=1, seconds=1))

    assert services.send_sms("0912345678", CODE_TEXT).status == "queued"


def test_the_agency_budget_stops_a_flood_across_many_numbers(agency, limits, monday):
    limits(monthly=4)  # parts: each code is 2 parts
    services.send_sms("0912345678", CODE_TEXT, agency=agency)
    services.send_sms("0912345679", CODE_TEXT, agency=agency)

    with pytest.raises(services.BudgetExhausted) as refused:
        services.send_sms("0912345670", CODE_TEXT, agency=agency)

    assert str(refused.value) == (
        "Đã hết hạn mức tin nhắn SMS của tháng này. Vui lòng liên hệ bộ phận một cửa để được hỗ trợ."
    )
    assert refused.value.retry_after == 8 * 86400 - 9 * 3600  # until 1 December, 00:00 in Vietnam
    assert SmsBudget.objects.values_list("used", "limit").get(agency=agency) == (4, 4)
    assert Message.objects.count() == 2


def test_sign_in_codes_without_an_agency_have_their_own_budget(agency, limits, monday):
    limits(monthly=2)
    services.send_sms("0912345678", CODE_TEXT, agency=agency)

    services.send_sms("0912345679", CODE_TEXT)

    assert dict(SmsBudget.objects.values_list("agency", "used")) == {agency.pk: 2, None: 2}


def test_the_budget_starts_again_next_month(agency, limits, monday):
    limits(monthly=2)
    services.send_sms("0912345678", CODE_TEXT, agency=agency)

    monday.move_to(dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))))

    assert services.send_sms("0912345678", CODE_TEXT, agency=agency).status == "queued"


def test_a_number_that_is_not_vietnamese_is_refused(db, limits):
    limits()

    with pytest.raises(ValueError, match="Số điện thoại không hợp lệ."):
        services.send_sms("12345", CODE_TEXT)


def test_a_dossier_sms_over_budget_is_kept_as_failed_for_the_officer_to_see(
    catalogue, agency, people, monday, limits, django_capture_on_commit_callbacks
):
    limits(monthly=0)
    dossier = dossier_in(Status.NEW, people=people, agency=agency)

    with django_capture_on_commit_callbacks(execute=True):
        perform(dossier, "receive", by=people["desk"])

    rows = Message.objects.filter(dossier=dossier).order_by("channel")
    assert list(rows.values_list("channel", "status", "last_error")) == [
        ("inapp", "delivered", ""),
        (
            "sms",
            "failed",
            "Đã hết hạn mức tin nhắn SMS của tháng này. Vui lòng liên hệ bộ phận một cửa để được hỗ trợ.",
        ),
    ]
    assert DBTaskResult.objects.count() == 0


# --- issue 10, findings 1 and 8: codes never drain what dossier notices need ----------------------------


def test_codes_to_numbers_with_no_account_draw_on_their_own_slice(
    catalogue, agency, people, monday, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS = {"SMS_NEW_NUMBER_MONTHLY_LIMIT": 4, "SMS_MONTHLY_LIMIT": 1000}
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    services.send_sms("0905000001", CODE_TEXT)
    services.send_sms("0905000002", CODE_TEXT)

    with pytest.raises(services.BudgetExhausted):
        services.send_sms("0905000003", CODE_TEXT)

    # A citizen who has an account still receives her code, and the commune's notices still go out.
    assert services.send_sms("0912345678", CODE_TEXT).status == "queued"
    with django_capture_on_commit_callbacks(execute=True):
        perform(dossier, "receive", by=people["desk"])
    assert Message.objects.get(dossier=dossier, channel="sms").status == "queued"
    assert set(SmsBudget.objects.values_list("agency", "slice", "used", "limit")) == {
        (None, "", 6, 1000),
        (None, "new_numbers", 4, 4),
        (agency.pk, "", 2, 1000),
    }


def test_code_requests_never_silence_a_persons_dossier_notices(
    catalogue, agency, people, monday, limits, django_capture_on_commit_callbacks
):
    """Nine code requests over 46 minutes (three every quarter of an hour, all the sign-in page allows)
    used the per-phone hourly limit that the victim's own dossier notices share."""
    from motcua.accounts.services import send_code

    limits(per_phone=10)
    dossier = dossier_in(Status.NEW, people=people, agency=agency)  # its filing was texted too
    for _ in range(9):
        send_code("0912345678", purpose="signin")
        monday.shift(dt.timedelta(minutes=5, seconds=45))

    with django_capture_on_commit_callbacks(execute=True):
        perform(dossier, "receive", by=people["desk"])

    assert Message.objects.get(dossier=dossier, channel="sms").status == "queued"


def test_codes_have_their_own_per_phone_limit(db, monday, settings):
    settings.NOTIFICATIONS = {"SMS_CODES_PER_PHONE_PER_HOUR": 2}
    services.send_sms("0912345678", CODE_TEXT)
    services.send_sms("0912345678", CODE_TEXT)

    with pytest.raises(services.PhoneThrottled):
        services.send_sms("0912345678", CODE_TEXT)
