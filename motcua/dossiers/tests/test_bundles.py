"""Joined-up procedures: one filing of 2.000986 fans out into one dossier per body (dossiers/bundles.py)."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.agencies.models import Body, BodyKind
from motcua.catalog.models import declaration_fields
from motcua.catalog.services import get_procedure
from motcua.dossiers import services
from motcua.dossiers.bundles import bundle_for, parts_of, sibling_codes
from motcua.dossiers.lifecycle import NotAllowed, acting_roles, perform
from motcua.dossiers.models import Bundle, Dossier, Event, Status, StatusCount

from .factories import BIRTH_FORM

pytestmark = pytest.mark.django_db
JOINED = "2.000986"
CARD = "2.000986-3"
JOINED_FORM = {
    **BIRTH_FORM,
    "full_name": "Nguyễn Thị Hường",
    "birth_date": "1990-05-01",
    "sex": "nu",
    "personal_id": "045190012345",
    "phone": "0912345678",
    "head_name": "Lê Văn Tâm",
    "head_relationship": "Cháu",
    "head_personal_id": "045160000123",
    "request_content": "Đăng ký thường trú cho con mới sinh tại nhà của ông nội",
    "health_facility": "Trạm Y tế xã Vĩnh Linh",
}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def verified(citizen):
    citizen.identity_level = 3  # 2.000986 is filed with a level-2 electronic identity (VNeID)
    citizen.save(update_fields=["identity_level"])
    return citizen


@pytest.fixture
def insurance(agency):
    """An officer of the social insurance office who handles and approves the health insurance cards."""
    from conftest import _person

    body = Body.objects.create(
        agency=agency, kind=BodyKind.SOCIAL_INSURANCE, name="Bảo hiểm xã hội tỉnh Quảng Trị"
    )
    return _person("baohiem", "Phan Thị Thu", agency=agency, roles=["specialist", "leader"], body=body)


def file_joined(citizen, agency, form=None):
    return services.file_online(
        procedure=get_procedure(JOINED), applicant=citizen, agency=agency, form=form or JOINED_FORM
    )


def take_to_done(dossier, desk, specialist, leader):
    for action, who, data in (
        ("receive", desk, {}),
        ("forward", desk, {}),
        ("submit_for_approval", specialist, {}),
        ("approve", leader, {}),
    ):
        dossier = perform(dossier, action, by=who, data=data)
    return dossier


def test_the_joined_declaration_is_its_parts_fields_read_from_them(catalogue):
    joined = get_procedure(JOINED)
    names = [f.name for f in declaration_fields(joined)]
    assert not joined.form_fields.exists()  # no copies
    birth = [f.name for f in get_procedure("1.001193").form_fields.all()]
    assert names[: len(birth)] == birth
    assert {"head_name", "request_content", "health_facility"} <= set(names)
    assert len(names) == len(set(names))
    # A field added to a part appears in the joined-up form, as it is read at filing time.
    get_procedure("1.001193").form_fields.create(name="marriage_number", label="Số giấy chứng nhận kết hôn")
    assert "marriage_number" in [f.name for f in declaration_fields(get_procedure(JOINED))]


def test_filing_once_makes_one_bundle_and_one_dossier_per_body(agency, catalogue, verified):
    first = file_joined(verified, agency)

    bundle = Bundle.objects.get()
    parts = list(bundle.dossiers.order_by("part"))
    assert bundle.code == first.code == parts[0].code
    assert [d.procedure.code for d in parts] == ["1.001193", "1.004222", CARD]
    assert [d.procedure.executing_body for d in parts] == [BodyKind.COMMITTEE, BodyKind.POLICE, "bhxh"]
    assert [d.status for d in parts] == [Status.NEW] * 3
    assert len({d.code for d in parts}) == 3 and all(d.code.startswith(agency.agency_id) for d in parts)
    assert [d.waits_for for d in parts] == [None, parts[0], parts[0]]
    # Each part holds the answers of its own declaration, checked as when it is filed alone.
    assert parts[0].form_data["child_name"] == "Lê Nguyễn Bảo Ngọc" and "head_name" not in parts[0].form_data
    assert parts[1].form_data["head_name"] == "Lê Văn Tâm" and "child_name" not in parts[1].form_data
    assert parts[2].form_data == {"health_facility": "Trạm Y tế xã Vĩnh Linh"}
    # Through the one transition path: a submit event each, counted once each, no draft left over.
    assert list(Event.objects.filter(dossier__in=parts).values_list("action", flat=True)) == ["submit"] * 3
    assert StatusCount.objects.get(agency=agency, status=Status.NEW).count == 3
    assert not Dossier.objects.filter(status=Status.DRAFT).exists()
    # A child pays no residence fee (Thông tư 75/2022/TT-BTC, Điều 4), a birth in time none either.
    assert [d.fee_pending for d in parts] == [False, False, False]
    assert sibling_codes(parts[1]) == [parts[0].code, parts[2].code]


def test_papers_go_to_the_part_that_asks_for_them(agency, catalogue, verified):
    joined = get_procedure(JOINED)
    draft = services.start_draft(procedure=joined, applicant=verified, agency=agency)
    services.save_draft(draft, data=JOINED_FORM)
    for slot in ("2", "3", "khac"):
        upload = SimpleUploadedFile(f"giay-{slot}.png", PNG, content_type="image/png")
        services.add_attachment(draft, upload=upload, slot=slot, by=verified)

    first = services.submit(draft, by=verified)

    birth, residence, card = first.bundle.dossiers.order_by("part")
    assert birth.pk == draft.pk
    assert sorted(birth.attachments.values_list("name", "slot")) == [
        ("giay-2.png", "2"),
        ("giay-khac.png", "khac"),
    ]
    assert list(residence.attachments.values_list("name", "slot")) == [("giay-3.png", "2")]
    assert not card.attachments.exists()
    assert services.submit(draft, by=verified) == first  # a double tap files nothing more


def test_a_later_part_is_received_only_once_the_birth_is_done(
    client, agency, catalogue, verified, desk, specialist, leader, police, insurance
):
    birth = file_joined(verified, agency)
    residence, card = birth.bundle.dossiers.exclude(pk=birth.pk).order_by("part")

    with pytest.raises(NotAllowed, match="chờ kết quả"):
        perform(residence, "receive", by=desk)
    assert "receive" not in [a.name for a in services.available(residence, desk)]
    client.force_login(desk)
    office_page = client.get(f"/can-bo/ho-so/{residence.code}/").content.decode()
    assert birth.code in office_page and card.code in office_page and "Chờ kết quả phần trước" in office_page

    take_to_done(birth, desk, specialist, leader)
    residence = perform(residence, "receive", by=desk)
    card = perform(card, "receive", by=desk)
    assert residence.due_at and card.due_at  # each part's own clock, from its own reception

    # Each body decides its own part: the police the residence, the insurance office the card.
    assert acting_roles(police, residence) == {"specialist", "leader"}
    assert acting_roles(leader, residence) == set()
    assert acting_roles(insurance, card) == {"specialist", "leader"}
    assert acting_roles(specialist, card) == set()
    assert set(services.queue_dossiers(insurance)) == {card}


def test_a_refused_birth_stops_the_parts_that_wait_for_it_and_says_why(agency, catalogue, verified, desk):
    birth = file_joined(verified, agency)

    perform(birth, "refuse", by=desk, note="Giấy chứng sinh không rõ")

    bundle = Bundle.objects.get()
    birth, residence, card = bundle.dossiers.order_by("part")
    assert [d.status for d in (birth, residence, card)] == [Status.REFUSED, Status.STOPPED, Status.STOPPED]
    stop = residence.events.get(action="stop_part")
    assert stop.citizen_visible and birth.code in stop.note and stop.role == "system"
    assert StatusCount.objects.get(agency=agency, status=Status.STOPPED).count == 2
    # The citizen is told of each stopped part by the usual notice, with the reason.
    for part in (residence, card):
        texts = list(part.messages.filter(event__action="stop_part").values_list("text", flat=True))
        assert texts and all("dừng xử lý" in t and birth.code in t for t in texts)
    shown = parts_of(bundle)
    assert all(p.ended for p in shown) and "Giấy chứng sinh không rõ" in shown[0].next_step
    assert birth.code in shown[1].next_step


def test_a_stopped_residence_leaves_the_card_going(
    agency, catalogue, verified, desk, specialist, leader, police, insurance
):
    birth = file_joined(verified, agency)
    take_to_done(birth, desk, specialist, leader)
    residence, card = birth.bundle.dossiers.exclude(pk=birth.pk).order_by("part")
    residence = perform(perform(residence, "receive", by=desk), "forward", by=desk)

    perform(residence, "stop", by=police, note="Chủ hộ không đồng ý cho đăng ký thường trú")

    card.refresh_from_db()
    assert card.status == Status.NEW
    assert perform(card, "receive", by=desk).status == Status.RECEIVED
    shown = parts_of(birth.bundle)
    assert [p.dossier.status for p in shown] == [Status.DONE, Status.STOPPED, Status.RECEIVED]
    assert "Chủ hộ không đồng ý" in shown[1].next_step


def test_a_bundle_is_seen_by_its_citizen_only(agency, other_agency, catalogue, verified, other_citizen, desk):
    from conftest import _person

    birth = file_joined(verified, agency)
    outsider = _person("motcua.khac", "Cán bộ khác", agency=other_agency, roles=["onestop"])

    assert bundle_for(verified, birth.code) == birth.bundle
    assert bundle_for(desk, birth.code) is None  # officers work on each part from their queue
    assert bundle_for(other_citizen, birth.code) is None
    assert bundle_for(outsider, birth.code) is None
    assert bundle_for(verified, "000.20.44.H54-260101-9999") is None


def test_the_bundle_page_fits_the_budget_and_is_everyone_else_s_404(
    client, agency, catalogue, content, verified, other_citizen
):
    from bench.weight import page_weight

    birth = file_joined(verified, agency)
    url = birth.bundle.get_absolute_url()
    client.force_login(verified)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="card"') == 3 and "Công an xã" in html and "Bảo hiểm xã hội" in html
    weight = page_weight(client, url)
    assert weight["total"] <= 14 * 1024, weight

    client.force_login(other_citizen)
    theirs = client.get(url)
    nothing = client.get("/ho-so/lien-thong/000.20.44.H54-260101-9999/")
    assert theirs.status_code == nothing.status_code == 404
    assert _plain(theirs, url) == _plain(nothing, "/ho-so/lien-thong/000.20.44.H54-260101-9999/")


def _plain(answer, path: str) -> str:
    """A page without what differs from one answer to the next: the path asked, the CSRF token."""
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", answer.content.decode().replace(path, ""))


DEATH_FORM = {
    **{k: v for k, v in BIRTH_FORM.items() if k.startswith("requester_") and k != "requester_relationship"},
    "requester_relationship": "con",
    "deceased_name": "Lê Văn Tâm",
    "deceased_birth_date": "1940-03-12",
    "deceased_sex": "nam",
    "deceased_ethnicity": "Kinh",
    "deceased_nationality": "Việt Nam",
    "deceased_residence": "Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị",
    "death_date": (dt.date.today() - dt.timedelta(days=2)).isoformat(),  # within the 15 free days
    "death_place": "Tại nhà, thôn Tân Trại, xã Vĩnh Linh",
    "death_cause": "Già yếu",
    "death_notice": "Giấy báo tử số 12/GBT của Trạm Y tế xã Vĩnh Linh",
    "commitment": True,
    **{k: JOINED_FORM[k] for k in ("full_name", "birth_date", "sex", "personal_id", "phone", "head_name")},
    "head_relationship": "Con",
    "head_personal_id": "045190012345",
    "request_content": "Xóa đăng ký thường trú của ông Lê Văn Tâm, đã mất",
}


def test_the_joined_up_death_files_the_death_then_the_residence_deletion(
    agency, catalogue, verified, desk, specialist, leader
):
    first = services.file_online(
        procedure=get_procedure("1.011537"), applicant=verified, agency=agency, form=DEATH_FORM
    )

    death, deletion = first.bundle.dossiers.order_by("part")
    assert [d.procedure.code for d in (death, deletion)] == ["1.000656", "1.003197"]
    assert [d.procedure.executing_body for d in (death, deletion)] == [BodyKind.COMMITTEE, BodyKind.POLICE]
    assert deletion.waits_for == death and deletion.status == Status.NEW
    assert [d.fee_pending for d in (death, deletion)] == [False, False]  # registered within 15 days
    with pytest.raises(NotAllowed):
        perform(deletion, "receive", by=desk)
    take_to_done(death, desk, specialist, leader)
    assert perform(deletion, "receive", by=desk).status == Status.RECEIVED


def test_the_life_events_offer_the_joined_up_filings(client, catalogue):
    for slug, code in (("gia-dinh-co-em-be", JOINED), ("nguoi-than-qua-doi", "1.011537")):
        page = client.get(f"/su-kien/{slug}/").content.decode()
        assert f'href="/thu-tuc/{code}/"' in page, slug


def test_the_desk_files_a_joined_up_birth_at_the_counter(agency, catalogue, desk):
    first = services.file_at_counter(
        procedure=get_procedure(JOINED),
        agency=agency,
        by=desk,
        applicant_name="Nguyễn Thị Hường",
        applicant_phone="0912345678",
        form=JOINED_FORM,
    )

    birth, residence, card = first.bundle.dossiers.order_by("part")
    assert first == birth and birth.status == Status.RECEIVED  # received at once, as any counter filing
    assert [residence.status, card.status] == [Status.NEW, Status.NEW]  # they wait for the birth
    assert all(d.filed_by == desk and d.channel == 1 for d in (birth, residence, card))


def test_the_guide_of_a_joined_up_procedure_names_each_part_and_its_body(client, agency, catalogue, content):
    from bench.weight import page_weight

    page = client.get(f"/thu-tuc/{JOINED}/").content.decode()
    assert page_weight(client, f"/thu-tuc/{JOINED}/")["total"] <= 14 * 1024
    for code, body in (("1.001193", "Ủy ban nhân dân xã Vĩnh Linh"), ("1.004222", "Công an xã Vĩnh Linh")):
        assert f'href="/thu-tuc/{code}/"' in page and body in page
    assert "Bảo hiểm xã hội tỉnh Quảng Trị" in page and "sau khi phần 1 có kết quả" in page
