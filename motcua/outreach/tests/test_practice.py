"""Practice filing: the real steps with sample answers, the officer's view, the receipt, and nothing left
behind — no dossier, no file, no event, no message."""

import re

import pytest
from django.conf import settings

from bench.weight import page_weight
from motcua.catalog.models import Procedure
from motcua.catalog.services import get_procedure
from motcua.dossiers.declaration import DeclarationForm, as_form_data
from motcua.dossiers.models import Attachment, Dossier, Event
from motcua.dossiers.steps import plan
from motcua.notifications.models import Message
from motcua.outreach import practice
from motcua.outreach.links import Channel
from motcua.outreach.models import Step, Uptake, Village

pytestmark = pytest.mark.django_db
BIRTH = "1.001193"
DEATH = "1.000656"
MARRIAGE = "1.000894"  # partly online: filed online, papers shown at the counter
MARK = "Đây là bản thử."
BUDGET = 14 * 1024


def counts() -> tuple[int, int, int, int]:
    return Dossier.objects.count(), Attachment.objects.count(), Event.objects.count(), Message.objects.count()


def csrf_client(client):
    client.handler.enforce_csrf_checks = True
    return client


def token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)


def walk(client, code: str) -> list[str]:
    """Every page of a practice run, pressing Tiếp tục on each step with the sample answers as they are
    shown (the form posted back the way a browser would); the pages' text."""
    pages = []
    procedure = get_procedure(code)
    first = client.get(f"/thu-nop/{code}/")
    assert first.status_code == 200
    pages.append(first.content.decode())
    steps = plan(procedure)
    response = first
    for step in steps:
        if step.number > 1:
            response = client.get(f"/thu-nop/{code}/buoc/{step.number}/")
            assert response.status_code == 200
            pages.append(response.content.decode())
        form = response.context["form"]
        data = {"csrfmiddlewaretoken": token(response), "di": "tiep"}
        for name in step.names:
            value = form[name].value()
            if value in (None, False, ""):
                continue
            data[name] = "on" if value is True else str(value)
        posted = client.post(f"/thu-nop/{code}/buoc/{step.number}/", data)
        assert posted.status_code == 302, posted.context and posted.context["form"].errors
        following = f"/thu-nop/{code}/buoc/{step.number + 1}/" if step.number < len(steps) else "giay-to/"
        assert posted["Location"].endswith(following)
    papers = client.get(f"/thu-nop/{code}/giay-to/")
    review = client.get(f"/thu-nop/{code}/xem-lai/")
    assert papers.status_code == review.status_code == 200
    submitted = client.post(f"/thu-nop/{code}/xem-lai/", {"csrfmiddlewaretoken": token(review)})
    assert submitted.status_code == 302 and submitted["Location"] == f"/thu-nop/{code}/can-bo-xem/"
    officer = client.get(submitted["Location"])
    receipt = client.get(f"/thu-nop/{code}/giay-hen/")
    assert officer.status_code == receipt.status_code == 200
    return pages + [r.content.decode() for r in (papers, review, officer, receipt)]


@pytest.mark.parametrize("code", [BIRTH, DEATH, MARRIAGE])
def test_a_practice_run_through_every_step_leaves_nothing_behind(client, catalogue, agency, code):
    before = counts()

    pages = walk(csrf_client(client), code)

    assert counts() == before
    assert all(MARK in page for page in pages)
    assert f'href="/thu-tuc/{code}/nop/"' in pages[-1] and "Bây giờ nộp thật" in pages[-1]


def test_the_count_fails_when_a_step_makes_a_draft(client, catalogue, agency, citizen):
    # The guard above is real: the same counts see the draft a real step makes.
    client.force_login(citizen)
    before = counts()
    client.post(f"/thu-tuc/{BIRTH}/nop/buoc/1/", {"requester_name": "Nguyễn Văn An", "di": "tiep"})
    assert counts() != before


def test_the_steps_are_the_real_steps_with_sample_answers(client, catalogue, agency):
    Village.objects.create(agency=agency, name="Thôn Tân Trại")
    page = client.get(f"/thu-nop/{BIRTH}/")
    steps = plan(get_procedure(BIRTH))
    assert page.context["step"] == steps[0]
    assert f"Bước 1/{len(steps) + 2}" in page.content.decode()
    form = page.context["form"]
    assert form["requester_name"].value() == "Nguyễn Văn An"
    assert form["requester_residence"].value() == "Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị"
    assert 'name="owner-token"' not in page.content.decode()


def test_sample_answers_pass_the_real_checks_for_every_online_procedure(catalogue, agency):
    for procedure in Procedure.objects.current().prefetch_related("form_fields"):
        if not procedure.is_online:
            continue
        answers = practice.sample_answers(procedure, agency=agency)
        form = DeclarationForm(procedure, data=as_form_data(answers))
        assert form.is_valid(), (procedure.code, form.errors)


def test_a_changed_answer_is_what_the_officer_and_the_receipt_show(client, catalogue, agency):
    page = client.get(f"/thu-nop/{BIRTH}/")
    data = {n: page.context["form"][n].value() for n in plan(get_procedure(BIRTH))[0].names}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False, "")}
    client.post(f"/thu-nop/{BIRTH}/buoc/1/", {**data, "requester_name": "Hồ Thị Lan", "di": "tiep"})

    officer = client.get(f"/thu-nop/{BIRTH}/can-bo-xem/").content.decode()
    receipt = client.get(f"/thu-nop/{BIRTH}/giay-hen/").content.decode()
    assert "Hồ Thị Lan" in officer and "Hồ Thị Lan" in receipt
    assert "BẢN THỬ – KHÔNG CÓ GIÁ TRỊ" in receipt
    # the declaration as the document engine prints it, signed by the name just typed
    printed = receipt.split("Tờ khai của bạn khi in ra")[1]
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in printed and "Hồ Thị Lan" in printed


def test_a_wrong_answer_is_refused_as_the_real_step_refuses_it(client, catalogue, agency):
    client.get(f"/thu-nop/{BIRTH}/")
    response = client.post(f"/thu-nop/{BIRTH}/buoc/1/", {"requester_name": "nguyen van an", "di": "tiep"})
    assert response.status_code == 200
    assert "Tên này chưa có dấu" in response.content.decode()
    review = client.get(f"/thu-nop/{BIRTH}/xem-lai/")
    assert review.context["valid"] is False
    assert client.post(f"/thu-nop/{BIRTH}/xem-lai/").status_code == 200  # no officer's view yet


def test_a_run_is_counted_once_for_its_campaign(client, catalogue, agency):
    client.get(f"/thu-nop/{BIRTH}/?cd=thang-khai-sinh&kenh={Channel.values[0]}")
    client.get(f"/thu-nop/{BIRTH}/buoc/2/")
    client.get(f"/thu-nop/{BIRTH}/xem-lai/")
    assert list(Uptake.objects.filter(step=Step.PRACTICE).values_list("count", flat=True)) == [1]


def test_answers_past_the_limit_are_not_kept(client, catalogue, agency):
    client.get(f"/thu-nop/{BIRTH}/")
    long = "Nguyễn " * 700
    fields = plan(get_procedure(BIRTH))[0].names
    response = client.post(f"/thu-nop/{BIRTH}/buoc/1/", dict.fromkeys(fields, long) | {"di": "tiep"})
    assert response.status_code == 413
    assert client.session[practice.SESSION]["answers"]["requester_name"] == "Nguyễn Văn An"


def test_an_unknown_procedure_is_404_and_a_counter_only_one_says_so(client, catalogue, agency):
    assert client.get("/thu-nop/9.999999/").status_code == 404
    assert client.get(f"/thu-nop/{BIRTH}/buoc/99/").status_code == 404
    page = client.get("/thu-nop/2.001019/").content.decode()
    assert MARK in page and "chỉ nộp trực tiếp" in page


def test_every_practice_page_is_within_the_budget(client, catalogue, agency):
    walk(client, BIRTH)
    for path in ("", "buoc/2/", "buoc/3/", "giay-to/", "xem-lai/", "can-bo-xem/", "giay-hen/"):
        assert page_weight(client, f"/thu-nop/{BIRTH}/{path}")["total"] <= BUDGET, path
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert page_weight(client, f"/thu-nop/{BIRTH}/giay-hen/")["total"] <= BUDGET


def test_the_guide_and_the_life_event_lead_to_the_practice(client, catalogue, agency):
    guide = client.get(f"/thu-tuc/{BIRTH}/").content.decode()
    assert f'href="/thu-nop/{BIRTH}/" rel="nofollow">Nộp thử để làm quen</a>' in guide
    event = client.get("/su-kien/gia-dinh-co-em-be/").content.decode()
    assert f'href="/thu-nop/{BIRTH}/"' in event
    assert "/thu-nop/2.001019/" not in client.get("/thu-tuc/2.001019/").content.decode()  # counter only
