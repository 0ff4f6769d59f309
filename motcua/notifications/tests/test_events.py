"""Every change the citizen may see becomes messages: in the account always, and by SMS (their first channel).

Dossiers are walked through the real transitions; the lifecycle hands each event to `notify_event` after
commit, which the tests let happen with `django_capture_on_commit_callbacks(execute=True)`.
"""

import pytest
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import services as dossiers
from motcua.dossiers.actions import ACTIONS
from motcua.dossiers.lifecycle import SYSTEM_ACTOR, Transition
from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import file_birth
from motcua.notifications import services
from motcua.notifications.models import Message

from .conftest import dossier_in

pytestmark = pytest.mark.django_db

C = "000.20.44.H54-261123-0001"  # the dossier filed for each test is the day's first
DUE = "17 giờ 00, thứ Hai, ngày 23/11/2026"  # a same-day procedure received on Monday at 9:00

# action: (status to start from, who acts, note, data, awaiting approval, the SMS, the in-app text)
CASES = {
    "receive": (
        Status.NEW,
        "desk",
        "",
        {},
        False,
        f"Hồ sơ {C} đã được tiếp nhận. Hẹn trả kết quả: {DUE}.",
        f"Hồ sơ {C} (Đăng ký khai sinh) đã được Ủy ban nhân dân xã Vĩnh Linh tiếp nhận. "
        f"Hẹn trả kết quả: {DUE}.",
    ),
    "refuse": (
        Status.NEW,
        "desk",
        "Tờ khai thiếu chữ ký của người yêu cầu và thiếu giấy chứng sinh bản chính do bệnh viện cấp",
        {},
        False,
        f"Hồ sơ {C} không được tiếp nhận. Lý do: Tờ khai thiếu chữ ký của người yêu cầu và thiếu "
        "giấy chứng sinh bản…",
        f"Hồ sơ {C} (Đăng ký khai sinh) không được tiếp nhận. Lý do: Tờ khai thiếu chữ ký của "
        "người yêu cầu và thiếu giấy chứng sinh bản chính do bệnh viện cấp. Ông/bà có thể hoàn thiện và nộp "
        "lại, hoặc liên hệ bộ phận một cửa Ủy ban nhân dân xã Vĩnh Linh để được hướng dẫn.",
    ),
    "request_supplement": (
        Status.PROCESSING,
        "specialist",
        "Giấy chứng sinh là bản chụp",
        {"items": ["Giấy chứng sinh bản chính", "Giấy tờ chứng minh nơi cư trú của người mẹ"]},
        False,
        f"Hồ sơ {C} cần bổ sung: Giấy chứng sinh bản chính; Giấy tờ… Nộp bổ sung trực tuyến hoặc "
        "tại bộ phận một cửa.",
        f"Hồ sơ {C} cần bổ sung giấy tờ: Giấy chứng sinh bản chính; Giấy tờ chứng minh nơi cư trú "
        "của người mẹ. Lý do: Giấy chứng sinh là bản chụp. Ông/bà nộp bổ sung trực tuyến trên trang hồ sơ "
        "hoặc tại bộ phận một cửa; thời hạn giải quyết tạm dừng trong khi chờ bổ sung.",
    ),
    "request_payment": (
        Status.PROCESSING,
        "specialist",
        "",
        {"amount_vnd": 8000, "reason": "Lệ phí cấp bản sao trích lục"},
        False,
        f"Hồ sơ {C} cần nộp 8.000 đồng. Nộp qua ứng dụng ngân hàng (quét mã VietQR) hoặc tại bộ "
        "phận một cửa.",
        f"Hồ sơ {C} cần nộp phí, lệ phí 8.000 đồng. Cách nộp: quét mã VietQR trên trang hồ sơ "
        "bằng ứng dụng của bất kỳ ngân hàng nào, hoặc nộp tiền mặt tại bộ phận một cửa Ủy ban nhân dân xã "
        "Vĩnh Linh. Hồ sơ được giải quyết tiếp ngay khi nộp xong.",
    ),
    "confirm_payment": (
        Status.PAYMENT,
        "desk",
        "",
        {"receipt_number": "0001234"},
        False,
        f"Đã nhận 8.000 đồng cho hồ sơ {C}. Hẹn trả kết quả: {DUE}.",
        f"Đã nhận 8.000 đồng phí, lệ phí của hồ sơ {C} (tiền mặt). Biên lai có trong mục văn bản của hồ "
        f"sơ. Hồ sơ tiếp tục được giải quyết. Hẹn trả kết quả: {DUE}.",
    ),
    # A bank or a gateway confirmed the money: the citizen is told as when the desk takes cash.
    "payment_received": (
        Status.PAYMENT,
        "system",
        "",
        {"amount_vnd": 8000, "payment_method": "vietqr"},
        False,
        f"Đã nhận 8.000 đồng cho hồ sơ {C}. Hẹn trả kết quả: {DUE}.",
        f"Đã nhận 8.000 đồng phí, lệ phí của hồ sơ {C} (chuyển khoản). Biên lai có trong mục văn bản của "
        f"hồ sơ. Hồ sơ tiếp tục được giải quyết. Hẹn trả kết quả: {DUE}.",
    ),
    "approve": (
        Status.PROCESSING,
        "leader",
        "",
        {},
        True,
        # Where and when (the commune's one-stop desk, office hours), and the due date in the account.
        f"Hồ sơ {C} có kết quả, nhận tại bộ phận một cửa xã Vĩnh Linh, trong giờ hành chính.",
        f"Hồ sơ {C} (Đăng ký khai sinh) đã giải quyết xong; kết quả đã sẵn sàng. Mời ông/bà đến nhận "
        "tại bộ phận một cửa xã Vĩnh Linh (Xã Vĩnh Linh, tỉnh Quảng Trị), trong giờ hành chính; nhớ mang "
        f"theo giấy tờ tùy thân. Hẹn trả kết quả: {DUE}.",
    ),
    "stop": (
        Status.PROCESSING,
        "specialist",
        "Người yêu cầu đã đăng ký khai sinh cho cháu tại xã khác.",
        {},
        False,
        f"Hồ sơ {C} bị dừng xử lý. Lý do: Người yêu cầu đã đăng ký khai sinh cho cháu tại xã khác.",
        f"Hồ sơ {C} (Đăng ký khai sinh) bị dừng xử lý. Lý do: Người yêu cầu đã đăng ký khai sinh "
        "cho cháu tại xã khác. Ông/bà liên hệ bộ phận một cửa Ủy ban nhân dân xã Vĩnh Linh nếu cần được "
        "hướng dẫn.",
    ),
    "withdraw": (
        Status.NEW,
        "citizen",
        "",
        {},
        False,
        f"Hồ sơ {C} đã được rút theo yêu cầu. Nếu ông/bà không yêu cầu, xin báo ngay bộ phận một cửa.",
        f"Hồ sơ {C} đã được rút theo yêu cầu của ông/bà. Nếu ông/bà không yêu cầu rút hồ sơ, xin "
        "báo ngay cho bộ phận một cửa Ủy ban nhân dân xã Vĩnh Linh.",
    ),
    "extend": (
        Status.PROCESSING,
        "specialist",
        "Chờ xác minh nơi sinh với Trung tâm Y tế",
        {"new_due_date": "2026-12-04"},
        False,
        f"Xin lỗi ông/bà, hồ sơ {C} chưa xong đúng hẹn. Hẹn trả mới: 17 giờ 00, thứ Sáu, ngày 04/12/2026.",
        f"Chúng tôi xin lỗi ông/bà: hồ sơ {C} không giải quyết được đúng hẹn. Lý do: Chờ xác minh "
        "nơi sinh với Trung tâm Y tế. Ngày hẹn trả mới: 17 giờ 00, thứ Sáu, ngày 04/12/2026.",
    ),
    "deliver_result": (
        Status.DONE,
        "desk",
        "",
        {"method": "counter"},
        False,
        f"Hồ sơ {C} đã trả kết quả tại bộ phận một cửa. Cảm ơn ông/bà đã sử dụng dịch vụ công.",
        f"Hồ sơ {C} đã trả kết quả tại bộ phận một cửa. Cảm ơn ông/bà đã sử dụng dịch vụ công.",
    ),
}


def _act(dossier, action, *, by, note="", data=None, capture):
    with capture(execute=True):
        dossiers.perform(dossier, action, by=by, note=note, data=data or {})
    event = dossier.events.latest("pk")
    return event, list(Message.objects.filter(event=event).order_by("channel"))


@pytest.mark.parametrize("action", sorted(CASES))
def test_each_change_is_told_in_the_account_and_by_sms_in_vietnamese(
    catalogue, agency, people, monday, django_capture_on_commit_callbacks, action
):
    status, who, note, data, awaiting, sms, long = CASES[action]
    dossier = dossier_in(status, people=people, agency=agency, awaiting_approval=awaiting)
    actor = SYSTEM_ACTOR if who == "system" else people[who]

    event, messages = _act(
        dossier, action, by=actor, note=note, data=data, capture=django_capture_on_commit_callbacks
    )

    citizen = people["citizen"]
    assert [(m.channel, m.status, m.recipient, m.address) for m in messages] == [
        ("inapp", "delivered", citizen, ""),
        ("sms", "queued", citizen, "+84912345678"),
    ]
    assert [m.text for m in messages] == [long, sms]
    assert len(sms) <= 134
    assert {m.idempotency_key for m in messages} == {f"event:{event.pk}:inapp", f"event:{event.pk}:sms"}


def test_the_kinds_name_what_happened(catalogue, agency, people, monday, django_capture_on_commit_callbacks):
    dossier = dossier_in(Status.NEW, people=people, agency=agency)

    event, messages = _act(dossier, "receive", by=people["desk"], capture=django_capture_on_commit_callbacks)

    assert {m.kind for m in messages} == {"dossier.received"}
    assert messages[0].subject == f"Hồ sơ {C}: Tiếp nhận"
    assert messages[1].data == {
        "code": C,
        "name": "Nguyễn Thị Hường",
        "status": "Được tiếp nhận",
        "due": DUE,
    }


def test_filing_online_is_told_with_the_code(
    catalogue, agency, people, monday, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = file_birth(people["citizen"], agency)

    messages = Message.objects.filter(dossier=dossier).order_by("channel")
    assert [(m.channel, m.kind, m.text) for m in messages] == [
        (
            "inapp",
            "dossier.submitted",
            f"Hồ sơ {C} (Đăng ký khai sinh) đã được nộp đến Ủy ban nhân dân xã Vĩnh Linh lúc 09:00 "
            "23/11/2026. Mã hồ sơ dùng để tra cứu. Ông/bà sẽ nhận thông báo khi bộ phận một cửa tiếp nhận "
            "hồ sơ.",
        ),
        (
            "sms",
            "dossier.submitted",
            f"Đã nộp hồ sơ {C}. Ông/bà dùng mã này để tra cứu. Sẽ có tin báo khi hồ sơ được tiếp nhận.",
        ),
    ]


@pytest.mark.parametrize(
    ("action", "who", "note"),
    [("submit_for_approval", "specialist", ""), ("return_for_rework", "leader", "Sai tên cha")],
)
def test_steps_inside_the_office_tell_the_citizen_nothing(
    catalogue, agency, people, monday, django_capture_on_commit_callbacks, action, who, note
):
    awaiting = action == "return_for_rework"
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency, awaiting_approval=awaiting)

    _event, messages = _act(
        dossier, action, by=people[who], note=note, capture=django_capture_on_commit_callbacks
    )

    assert messages == []


@pytest.mark.parametrize(("status", "action", "who", "note"), [
    (Status.SUPPLEMENT, "supplement", "citizen", "Đã gửi bản chính"),
    (Status.RECEIVED, "forward", "desk", ""),
])  # fmt: skip
def test_the_citizens_own_answer_and_the_forwarding_are_told_in_the_account_only(
    catalogue, agency, people, monday, django_capture_on_commit_callbacks, status, action, who, note
):
    dossier = dossier_in(status, people=people, agency=agency)

    _event, messages = _act(
        dossier, action, by=people[who], note=note, capture=django_capture_on_commit_callbacks
    )

    assert [m.channel for m in messages] == ["inapp"]


def test_a_counter_dossier_without_an_account_is_told_by_sms_to_the_phone_given(
    catalogue, agency, desk, monday, django_capture_on_commit_callbacks
):
    from motcua.catalog.services import get_procedure
    from motcua.dossiers.tests.factories import BIRTH, BIRTH_FORM

    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.file_at_counter(
            procedure=get_procedure(BIRTH),
            agency=agency,
            by=desk,
            applicant_name="Hồ Văn Tám",
            applicant_phone="0977 123 456",
            form=BIRTH_FORM,
        )

    # Filing and receiving happen in one visit: one SMS, the receipt's, with the code and the due date.
    assert list(
        Message.objects.filter(dossier=dossier).values_list("channel", "recipient", "address", "kind")
    ) == [("sms", None, "+84977123456", "dossier.received")]


def test_recording_the_same_transitions_messages_twice_sends_nothing_new(
    catalogue, agency, people, monday, django_capture_on_commit_callbacks
):
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    event, first = _act(dossier, "receive", by=people["desk"], capture=django_capture_on_commit_callbacks)
    transition = Transition(dossier=event.dossier, event=event, action=ACTIONS["receive"], by=people["desk"])

    again = services.record_messages(transition)

    assert [m.pk for m in again] == [m.pk for m in first]
    assert Message.objects.filter(event=event).count() == 2


def test_the_messages_are_stored_with_the_transition_and_enqueued_only_after_commit(
    catalogue, agency, people, monday, django_capture_on_commit_callbacks
):
    dossier = dossier_in(Status.NEW, people=people, agency=agency)
    with django_capture_on_commit_callbacks() as after_commit:
        dossiers.perform(dossier, "receive", by=people["desk"])
        event = dossier.events.latest("pk")
        # In the transition's transaction: the outbox rows exist, no task does yet.
        assert (Message.objects.filter(event=event).count(), DBTaskResult.objects.count()) == (2, 0)

    for callback in after_commit:
        callback()
    sms = Message.objects.get(event=event, channel="sms")
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs) == (
        "motcua.notifications.services.deliver",
        {"args": [sms.pk], "kwargs": {}},
    )


def test_a_citizen_who_chose_the_account_only_gets_no_sms(
    catalogue, agency, people, monday, django_capture_on_commit_callbacks
):
    services.set_channels(people["citizen"], channels=["inapp"])
    dossier = dossier_in(Status.NEW, people=people, agency=agency)

    _event, messages = _act(dossier, "receive", by=people["desk"], capture=django_capture_on_commit_callbacks)

    assert [m.channel for m in messages] == ["inapp"]


def test_a_citizen_who_chose_email_gets_the_long_text_with_a_link(
    catalogue, agency, people, monday, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://dichvucong.vinhlinh.example.vn"
    citizen = people["citizen"]
    citizen.email = "huong@example.vn"
    citizen.save()
    services.set_channels(citizen, channels=["email", "sms"])
    dossier = dossier_in(Status.NEW, people=people, agency=agency)

    _event, messages = _act(dossier, "receive", by=people["desk"], capture=django_capture_on_commit_callbacks)

    email = messages[0]
    assert [m.channel for m in messages] == ["email", "inapp"]
    assert (email.address, email.subject) == ("huong@example.vn", f"Hồ sơ {C}: Tiếp nhận")
    assert email.text == (
        "Kính gửi ông/bà Nguyễn Thị Hường,\n\n"
        f"Hồ sơ {C} (Đăng ký khai sinh) đã được Ủy ban nhân dân xã Vĩnh Linh tiếp nhận. "
        f"Hẹn trả kết quả: {DUE}.\n\n"
        f"Xem hồ sơ: https://dichvucong.vinhlinh.example.vn/ho-so/{C}/\n\n"
        "Ủy ban nhân dân xã Vĩnh Linh"
    )
