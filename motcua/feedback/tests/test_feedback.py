"""Feedback (phản ánh, kiến nghị): the public form, routing, the 15-working-day deadline, the queue, the
answer, what is published, the sender's texts and the limits against floods."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.feedback import services
from motcua.feedback.models import Feedback
from motcua.notifications.models import Message
from motcua.notifications.texts import sms_parts
from motcua.workdays.services import OFFICE_TZ

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
FORM = {
    "kind": "phan_anh",
    "dossier_code": "",
    "text": "Đường vào bộ phận một cửa bị ngập nước khi trời mưa, người già đi lại rất khó.",
    "name": "Phạm Văn Tâm",
    "phone": "0935 111 222",
    "consent": "on",
}


def _send(**changes):
    fields = {**FORM, **changes}
    return services.send_feedback(
        kind=fields["kind"],
        text=fields["text"],
        name=fields["name"],
        phone=fields["phone"],
        dossier_code=fields["dossier_code"],
        consent=bool(fields["consent"]),
        upload=fields.get("upload"),
    )


def test_feedback_sent_from_the_public_page_is_recorded_routed_and_acknowledged_by_text(client, agency):
    page = client.post("/phan-anh/", FORM)

    assert page.status_code == 302 and page["Location"] == "/phan-anh/da-gui/"
    item = Feedback.objects.get()
    assert (item.agency, item.name, item.phone, item.consent_publish) == (
        agency,
        "Phạm Văn Tâm",
        "+84935111222",
        True,
    )
    thanks = client.get("/phan-anh/da-gui/").content.decode()
    assert item.number in thanks and timezone.localtime(item.due_at).strftime("%d/%m/%Y") in thanks
    sms = Message.objects.get(channel="sms", kind="feedback")
    assert sms.address == "+84935111222" and item.number in sms.text


def test_feedback_about_a_dossier_goes_to_the_dossiers_agency_without_saying_whether_the_code_exists(
    catalogue, people, agency, other_agency
):
    from motcua.dossiers.tests.factories import file_birth

    dossier = file_birth(people["citizen"], agency)
    theirs, _ = _send(dossier_code=dossier.code.lower())
    by_prefix, _ = _send(dossier_code=f"{other_agency.agency_id}-261130-0001", phone="0935111223")
    unknown, _ = _send(dossier_code="999.99.99.H99-261130-0001", phone="0935111224")

    assert (theirs.dossier, theirs.agency) == (dossier, agency)
    assert (by_prefix.dossier, by_prefix.agency) == (None, other_agency)
    assert (unknown.dossier, unknown.agency) == (None, agency)  # the site's agency


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"text": "ngắn"}, "text", "ít nhất 10 ký tự"),
        ({"name": "  "}, "name", "Cần ghi họ tên"),
        ({"phone": "12345"}, "phone", "Số điện thoại không đúng"),
        ({"dossier_code": "hồ sơ của tôi"}, "dossier_code", "Mã hồ sơ không đúng dạng"),
        ({"kind": "khac"}, "kind", "Chọn"),
    ],
)
def test_bad_input_gets_a_clear_vietnamese_error_and_nothing_is_stored(
    client, agency, changes, field, message
):
    page = client.post("/phan-anh/", {**FORM, **changes})

    assert page.status_code == 422
    assert message in page.content.decode()
    assert not Feedback.objects.exists() and not Message.objects.exists()


def test_a_file_is_checked_by_its_content_and_served_only_to_the_agencys_officers(
    client, agency, desk, other_desk, citizen, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("anh.jpg", b"not really a picture", content_type="image/jpeg")
    refused = client.post("/phan-anh/", {**FORM, "file": fake})
    pdf = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    client.post("/phan-anh/", {**FORM, "file": pdf})

    item = Feedback.objects.get()
    assert refused.status_code == 422 and "không phải ảnh" in refused.content.decode()
    assert (item.file_name, item.file_type, item.file_size) == ("bien-ban.pdf", "application/pdf", len(PDF))
    assert item.file.name.startswith(f"phan-anh/{agency.pk}/") and "bien-ban" not in item.file.name
    url = f"/can-bo/phan-anh/{item.pk}/tep/"
    client.logout()
    assert client.get(url).status_code == 302  # to sign in
    answers = {}
    for who in (citizen, other_desk, desk):
        client.force_login(who)
        answers[who.username] = client.get(url)
    assert answers[citizen.username].status_code == answers[other_desk.username].status_code == 404
    assert b"".join(answers[desk.username].streaming_content) == PDF


def test_scripted_floods_get_429_per_phone_and_per_network(client, agency):
    by_phone = [client.post("/phan-anh/", FORM).status_code for _ in range(services.PER_PHONE_PER_DAY + 1)]
    others = [
        client.post(
            "/phan-anh/", {**FORM, "phone": f"09351112{n:02d}"}, REMOTE_ADDR="203.0.113.7"
        ).status_code
        for n in range(services.PER_NETWORK_PER_HOUR + 1)
    ]

    assert by_phone == [302] * services.PER_PHONE_PER_DAY + [429]
    assert others[-1] == 429 and others[:-1] == [302] * services.PER_NETWORK_PER_HOUR
    assert "quá nhiều phản ánh" in client.post("/phan-anh/", FORM).content.decode()


def test_the_deadline_is_15_working_days_and_an_unanswered_item_shows_late_after_it(client, agency, desk):
    # Received Thursday 27/8/2026. The weekend, then Monday 31/8, Tuesday 1/9 and Wednesday 2/9 are days off
    # (National Day, as announced for 2026): day 1 is Friday 28/8, day 2 Thursday 3/9 ... day 15 Tuesday 22/9.
    with time_machine.travel(dt.datetime(2026, 8, 27, 10, 0, tzinfo=OFFICE_TZ), tick=False):
        item, _ = _send()
    assert timezone.localtime(item.due_at) == dt.datetime(2026, 9, 22, 17, 0, tzinfo=OFFICE_TZ)
    client.force_login(desk)

    with time_machine.travel(dt.datetime(2026, 9, 22, 16, 0, tzinfo=OFFICE_TZ), tick=False):
        on_the_day = client.get("/can-bo/phan-anh/").content.decode()
        assert not Feedback.objects.late().exists()
    with time_machine.travel(dt.datetime(2026, 9, 23, 8, 0, tzinfo=OFFICE_TZ), tick=False):
        the_day_after = client.get("/can-bo/phan-anh/").content.decode()
        assert list(Feedback.objects.late()) == [item]

    assert 'class="overdue"' not in on_the_day and "Quá hạn" not in on_the_day.split("<tbody>")[1]
    assert (
        'class="overdue"' in the_day_after
        and '22/09/2026 <strong class="tag-late">Quá hạn</strong>' in the_day_after
    )
    assert "Chưa trả lời: 1, trong đó quá hạn: 1." in the_day_after


def test_the_queue_lists_only_the_agencys_own_items_unanswered_first(client, agency, other_agency, desk):
    first, _ = _send()
    second, _ = _send(phone="0935111229")
    services.answer(
        first, by=desk, text="Xã đã cho đổ đá lối vào.", public_question="", publish=False, site=""
    )
    elsewhere, _ = _send(dossier_code=f"{other_agency.agency_id}-261130-0001", phone="0935111230")
    client.force_login(desk)

    queue = client.get("/can-bo/phan-anh/").content.decode()

    assert queue.index(second.number) < queue.index(first.number)
    assert elsewhere.number not in queue
    assert client.get(f"/can-bo/phan-anh/{elsewhere.pk}/").status_code == 404


def test_an_answer_is_texted_and_published_only_with_consent_and_without_personal_data(client, agency, desk):
    agreed, _ = _send()
    refused, _ = _send(phone="0935111231", consent="")
    client.force_login(desk)
    page = client.post(
        f"/can-bo/phan-anh/{agreed.pk}/",
        {
            "do": "answer",
            "answer": "Xã đã đổ đá, làm rãnh thoát nước ở lối vào; từ tuần sau đi lại được khi mưa.",
            "public_question": "Lối vào bộ phận một cửa bị ngập khi trời mưa.",
            "publish": "on",
        },
    )
    client.post(
        f"/can-bo/phan-anh/{refused.pk}/",
        {"do": "answer", "answer": "Cảm ơn ông, xã sẽ xem xét.", "public_question": "x", "publish": "on"},
    )
    client.logout()

    public = client.get("/phan-anh/").content.decode()

    assert page.status_code == 302
    agreed.refresh_from_db()
    refused.refresh_from_db()
    assert (agreed.published, refused.published, agreed.answered_by) == (True, False, desk)
    assert "Lối vào bộ phận một cửa bị ngập khi trời mưa." in public and "rãnh thoát nước" in public
    assert "Phạm Văn Tâm" not in public and "0935" not in public and "935111" not in public
    assert "Cảm ơn ông, xã sẽ xem xét." not in public
    texts = list(
        Message.objects.filter(kind="feedback", address="+84935111222")
        .order_by("pk")
        .values_list("text", flat=True)
    )
    assert len(texts) == 2 and f"/phan-anh/xem/{agreed.key}/" in texts[1]
    own = client.get(f"/phan-anh/xem/{agreed.key}/").content.decode()
    assert "rãnh thoát nước" in own


def test_an_item_is_answered_once(agency, desk, leader):
    item, _ = _send()
    services.answer(item, by=desk, text="Câu trả lời thứ nhất.", public_question="", publish=False, site="")

    with pytest.raises(services.BadFeedback, match="đã được trả lời"):
        services.answer(
            item, by=leader, text="Câu trả lời thứ hai.", public_question="", publish=False, site=""
        )


def test_an_item_is_assigned_to_an_officer_of_the_agency_only(client, agency, desk, specialist, other_desk):
    item, _ = _send()
    client.force_login(desk)

    wrong = client.post(f"/can-bo/phan-anh/{item.pk}/", {"do": "assign", "assignee": other_desk.pk})
    right = client.post(f"/can-bo/phan-anh/{item.pk}/", {"do": "assign", "assignee": specialist.pk})

    assert wrong.status_code == 422 and "Chọn một cán bộ của cơ quan." in wrong.content.decode()
    assert right.status_code == 302
    item.refresh_from_db()
    assert item.assigned_to == specialist


def test_the_senders_texts_fit_two_sms_parts_at_their_worst(agency):
    item = Feedback(
        pk=9_999_999, agency=agency, received_at=timezone.now(), due_at=timezone.now(), key="A" * 10
    )
    site = "https://dichvucong.phuongdongha.quangtri.gov.vn"  # 48 characters

    received, answered = services.received_text(item), services.answered_text(item, site=site)
    too_long = services.answered_text(item, site="https://" + "x" * 120)

    assert [sms_parts(t) for t in (received, answered, too_long)] == [2, 2, 2]
    assert f"{site}/phan-anh/xem/AAAAAAAAAA/" in answered
    assert "phan-anh/xem" not in too_long and "bộ phận một cửa" in too_long
