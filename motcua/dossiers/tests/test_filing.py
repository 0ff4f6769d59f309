"""Filing online one step at a time, through the test client (issue 11, walls 6-8).

The browser walks the same roads in test_steps_browser.py; these tests pin each rule down on its own.
"""

import time

import pytest
from django.contrib.sessions.models import Session

from motcua.accounts.services import issue_token
from motcua.catalog.services import get_procedure
from motcua.dossiers import services
from motcua.dossiers.declaration import (
    DeclarationForm,
    as_on_papers,
    clean_form,
    lacks_diacritics,
)
from motcua.dossiers.errors import Invalid
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.steps import plan

from .factories import BIRTH, BIRTH_FORM, file_birth, number_of_step, post_steps

pytestmark = pytest.mark.django_db
ENTRY = f"/thu-tuc/{BIRTH}/nop/"


def step_path(name: str) -> str:
    return f"{ENTRY}buoc/{number_of_step(name)}/"


def fields_of(name: str) -> dict:
    """BIRTH_FORM's answers for the step that asks for `name`, as the page posts them."""
    step = plan(get_procedure(BIRTH))[number_of_step(name) - 1]
    return {k: ("on" if v is True else v) for k, v in BIRTH_FORM.items() if k in step.names}


def drafts() -> list[Dossier]:
    return list(Dossier.objects.filter(status=Status.DRAFT))


# --- the steps ---------------------------------------------------------------------------------------------


def test_the_birth_declaration_opens_with_the_requester_not_with_kinh_gui(catalogue):
    steps = plan(get_procedure(BIRTH))
    assert steps[0].title == "Người yêu cầu" and "kinh_gui" not in steps[0].names
    last = steps[-1]
    assert last.fields == ("commitment",)
    assert [title for title, _names in last.extras] == ["Kính gửi", "Đề nghị cấp bản sao", "Nơi làm tờ khai"]


def test_each_step_has_one_topic_and_required_fields_first(catalogue):
    procedure = get_procedure(BIRTH)
    specs = {f.name: f for f in procedure.form_fields.all()}
    for step in plan(procedure):
        assert len({specs[name].section for name in step.fields}) == 1, step
        required = [specs[name].required for name in step.fields]
        assert required == sorted(required, reverse=True), step


def test_every_field_of_every_procedure_is_on_exactly_one_step(catalogue):
    from motcua.catalog.models import Procedure, declaration_fields

    for procedure in Procedure.objects.prefetch_related("form_fields"):
        names = [name for step in plan(procedure) for name in step.names]
        # A joined-up procedure's declaration is its parts' fields (catalog.models.declaration_fields).
        assert sorted(names) == sorted(f.name for f in declaration_fields(procedure)), procedure.code


def test_a_step_shows_its_number_of_all_and_its_title(client, catalogue, agency, citizen):
    client.force_login(citizen)
    page = client.get(step_path("mother_name"))
    total = len(plan(get_procedure(BIRTH))) + 2  # the papers and the review
    assert f'<p class="step-count">Bước {number_of_step("mother_name")}/{total}</p>' in page.text
    assert "<h1>Mẹ</h1>" in page.text


def test_next_goes_to_the_following_step_and_back_to_the_one_before(client, catalogue, agency, citizen):
    client.force_login(citizen)
    n = number_of_step("mother_name")
    ahead = client.post(step_path("mother_name"), {**fields_of("mother_name"), "di": "tiep"})
    assert ahead["Location"] == f"{ENTRY}buoc/{n + 1}/"
    back = client.post(step_path("mother_name"), {"mother_name": "Nguyễn Thị Hường", "di": "lui"})
    assert back["Location"] == f"{ENTRY}buoc/{n - 1}/"


def test_back_keeps_what_was_typed_even_when_the_step_is_not_finished(client, catalogue, agency, citizen):
    client.force_login(citizen)
    client.post(step_path("mother_name"), {"mother_name": "Nguyễn Thị Hường", "di": "lui"})
    assert drafts()[0].form_data["mother_name"] == "Nguyễn Thị Hường"


def test_a_box_left_unticked_on_one_step_does_not_untick_another_steps_box(
    client, catalogue, agency, citizen
):
    client.force_login(citizen)
    client.post(step_path("commitment"), {"commitment": "on", "di": "tiep"})
    client.post(step_path("mother_name"), {**fields_of("mother_name"), "di": "tiep"})
    assert drafts()[0].form_data["commitment"] == "on"


def test_the_optional_parts_open_when_they_hold_an_answer(client, catalogue, agency, citizen):
    client.force_login(citizen)
    closed = client.get(step_path("commitment"))
    assert '<details class="box">' in closed.text and "Thêm thông tin không bắt buộc" in closed.text
    client.post(step_path("commitment"), {"kinh_gui": "Ủy ban nhân dân xã Vĩnh Linh", "di": "lui"})
    assert '<details class="box" open>' in client.get(step_path("commitment")).text


def test_the_entry_goes_on_where_the_draft_stopped(client, catalogue, agency, citizen):
    client.force_login(citizen)
    for name in ("requester_name", "requester_relationship"):
        client.post(step_path(name), {**fields_of(name), "di": "tiep"})
    assert client.get(ENTRY)["Location"] == step_path("child_name")
    post_steps(client, BIRTH_FORM)
    assert client.get(ENTRY)["Location"] == f"{ENTRY}giay-to/"


# --- answers from the account -----------------------------------------------------------------------------


def test_the_first_step_is_filled_from_the_account_and_the_last_dossier(client, catalogue, agency, citizen):
    citizen.id_number = "045190012345"
    citizen.save(update_fields=["id_number"])
    file_birth(citizen, agency)  # she gave her address there
    client.force_login(citizen)
    form = client.get(ENTRY).context["form"]
    assert form["requester_name"].value() == "Nguyễn Thị Hường"
    assert form["requester_id_number"].value() == "045190012345"
    assert form["requester_residence"].value() == BIRTH_FORM["requester_residence"]


def test_the_account_fills_the_draft_on_its_first_save(client, catalogue, agency, citizen):
    client.force_login(citizen)
    client.post(step_path("child_name"), {**fields_of("child_name"), "di": "tiep"})
    assert drafts()[0].form_data["requester_name"] == "Nguyễn Thị Hường"


# --- errors that name their field -------------------------------------------------------------------------


def test_an_error_names_the_section_when_the_label_repeats(client, catalogue, agency, citizen):
    client.force_login(citizen)
    answers = {**fields_of("mother_name"), "mother_ethnicity": "", "di": "tiep"}
    page = client.post(step_path("mother_name"), answers)
    summary = page.text[page.text.index('class="error-summary"') :]
    assert '<a href="#id_mother_ethnicity">Mẹ — Dân tộc: Trường này là bắt buộc.</a>' in summary
    assert 'id="id_mother_ethnicity"' in page.text


def test_a_label_said_once_is_not_qualified(client, catalogue, agency, citizen):
    client.force_login(citizen)
    page = client.post(step_path("child_home_town"), {"di": "tiep"})
    assert '<a href="#id_child_home_town">Quê quán: Trường này là bắt buộc.</a>' in page.text


def test_the_review_links_each_error_to_its_step_and_field(client, catalogue, agency, citizen):
    client.force_login(citizen)
    post_steps(client, {**BIRTH_FORM, "father_ethnicity": "", "mother_ethnicity": ""})
    page = client.get(f"{ENTRY}xem-lai/")
    target = f"{step_path('mother_ethnicity')}#id_mother_ethnicity"
    assert f'<a href="{target}">Mẹ — Dân tộc: Trường này là bắt buộc.</a>' in page.text
    assert "Nộp hồ sơ</button>" not in page.text


# --- names as on the papers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "nguyen van an",
        "NGUYEN THI HUONG",
        "thon 3, xa vinh linh",
        "Thon Tan Trai, xa Vinh Linh, tinh Quang Tri",
        "viet nam",
        "Mai Thanh Lan",  # legitimately without diacritics: the citizen confirms it
    ],
)
def test_two_words_or_more_without_any_diacritic_lack_them(text):
    assert lacks_diacritics(text)


@pytest.mark.parametrize(
    "text",
    [
        "Nguyễn Văn An",
        "Thôn 3, xã Vĩnh Linh",
        "Nguyen Văn An",  # one mark shows a Vietnamese keyboard: the rest is for the officer to see
        "Đinh Lan",  # đ is a letter of its own, and says as much
        "Kinh",  # one word: many Vietnamese words have no diacritic
        "Lan",
        "Thon 3",  # one word and a number
        "12/4",
        "",
        "Trung tâm Y tế Vĩnh Linh",
    ],
)
def test_a_text_with_a_diacritic_or_of_one_word_is_fine(text):
    assert not lacks_diacritics(text)


def test_names_places_and_wordings_are_told_by_the_fields_name(catalogue):
    kinds = {f.name: as_on_papers(f) for f in get_procedure(BIRTH).form_fields.all()}
    assert {name for name, kind in kinds.items() if kind == "person"} == {
        "requester_name",
        "child_name",
        "mother_name",
        "father_name",
    }
    assert {name for name, kind in kinds.items() if kind == "place"} == {
        "requester_residence",
        "requester_id_issue_place",
        "child_birth_place",
        "child_home_town",
        "mother_residence",
        "father_residence",
        "parents_marriage_place",
        "signed_place",
    }
    assert {name for name, kind in kinds.items() if kind == "wording"} == {
        "child_ethnicity",
        "child_nationality",
        "mother_ethnicity",
        "mother_nationality",
        "father_ethnicity",
        "father_nationality",
    }
    # Not names: "Kính gửi", the relationship written out, ID numbers, dates, choices.
    assert kinds["kinh_gui"] is None and kinds["requester_relationship_other"] is None


def test_every_name_and_place_of_the_catalogue_is_checked(catalogue):
    from motcua.catalog.models import FormField

    names = {f.name for f in FormField.objects.filter(type="text") if as_on_papers(f)}
    left = {f.name for f in FormField.objects.filter(type="text") if not as_on_papers(f)}
    assert {"beneficiary_name", "deceased_residence", "death_place", "stay_address", "destination"} <= names
    assert {"business_name", "document_name", "death_cause", "record_info"} <= left


def test_a_name_without_diacritics_is_stopped_with_a_plain_warning(client, catalogue, agency, citizen):
    client.force_login(citizen)
    answers = {**fields_of("child_name"), "child_name": "le nguyen bao ngoc", "di": "tiep"}
    page = client.post(step_path("child_name"), answers)
    assert page.status_code == 200
    warning = "Tên này chưa có dấu. Hãy ghi đúng như trên căn cước, ví dụ: Nguyễn Văn An."
    assert f'<p class="error" id="id_child_name_error">{warning}</p>' in page.text
    assert '<input type="checkbox" name="as_written" value="child_name" id="id_child_name_as_written">' in (
        page.text
    )
    assert "Tôi xác nhận ghi đúng như trên giấy tờ" in page.text
    assert drafts()[0].form_data["child_name"] == "le nguyen bao ngoc"  # kept, all the same


def test_an_address_without_diacritics_gets_the_address_warning(client, catalogue, agency, citizen):
    client.force_login(citizen)
    answers = {**fields_of("mother_name"), "mother_residence": "thon 3, xa vinh linh", "di": "tiep"}
    page = client.post(step_path("mother_name"), answers)
    assert "Địa chỉ này chưa có dấu. Hãy ghi đúng như trên giấy tờ, ví dụ: Thôn 3, xã Vĩnh Linh." in page.text


def test_a_confirmed_name_passes_and_stays_confirmed(client, catalogue, agency, citizen):
    client.force_login(citizen)
    answers = {**fields_of("child_name"), "child_name": "Mai Thanh Lan", "as_written": "child_name"}
    response = client.post(step_path("child_name"), {**answers, "di": "tiep"})
    assert response.status_code == 302
    assert drafts()[0].form_data["as_written"] == ["child_name"]
    again = client.get(step_path("child_name"))
    assert 'value="child_name" id="id_child_name_as_written" checked>' in again.text


def test_a_confirmation_ends_when_the_step_is_posted_without_it(client, catalogue, agency, citizen):
    client.force_login(citizen)
    answers = {**fields_of("child_name"), "child_name": "Mai Thanh Lan"}
    client.post(step_path("child_name"), {**answers, "as_written": "child_name", "di": "tiep"})
    client.post(step_path("child_name"), {**answers, "di": "lui"})
    assert "as_written" not in drafts()[0].form_data


def test_a_confirmation_on_one_step_is_kept_when_another_step_is_saved(client, catalogue, agency, citizen):
    client.force_login(citizen)
    answers = {**fields_of("child_name"), "child_name": "Mai Thanh Lan", "as_written": "child_name"}
    client.post(step_path("child_name"), {**answers, "di": "tiep"})
    client.post(step_path("mother_name"), {**fields_of("mother_name"), "di": "tiep"})
    assert drafts()[0].form_data["as_written"] == ["child_name"]


def test_a_confirmed_name_is_filed_with_its_confirmation(client, catalogue, agency, citizen):
    client.force_login(citizen)
    post_steps(client, {**BIRTH_FORM, "child_name": "Mai Thanh Lan", "as_written": ["child_name"]})
    client.post(f"{ENTRY}xem-lai/")
    dossier = Dossier.objects.get()
    assert dossier.status == Status.NEW
    assert dossier.form_data["child_name"] == "Mai Thanh Lan" and dossier.form_data["as_written"] == [
        "child_name"
    ]


def test_the_api_answers_422_for_a_name_without_diacritics_unless_confirmed(
    client, catalogue, agency, citizen
):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(citizen)}"}
    form = {**BIRTH_FORM, "child_name": "le nguyen bao ngoc"}
    refused = client.post(
        "/api/v1/dossiers", {"procedure": BIRTH, "form": form}, content_type="application/json", **auth
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == [
        {
            "field": "form.child_name",
            "message": "Tên này chưa có dấu. Hãy ghi đúng như trên căn cước, ví dụ: Nguyễn Văn An. "
            'Nếu đã ghi đúng như trên giấy tờ, gửi kèm "as_written": ["child_name"].',
        }
    ]
    confirmed = {**form, "as_written": ["child_name"]}
    filed = client.post(
        "/api/v1/dossiers", {"procedure": BIRTH, "form": confirmed}, content_type="application/json", **auth
    )
    assert filed.status_code == 201, filed.json()
    assert filed.json()["form"]["as_written"] == ["child_name"]


def test_clean_form_refuses_an_unconfirmed_address_and_passes_a_name_with_diacritics(catalogue):
    procedure = get_procedure(BIRTH)
    with pytest.raises(Invalid) as refused:
        clean_form(procedure, {**BIRTH_FORM, "mother_residence": "thon tan trai, xa vinh linh"})
    assert list(refused.value.errors) == ["form.mother_residence"]
    form = DeclarationForm(procedure, data={"mother_name": "Nguyễn Thị Hường"}, only=["mother_name"])
    assert form.is_valid() and form.flagged == {}


# --- drafts: made on the first save, deleted by their owner ------------------------------------------------


def test_opening_the_form_stores_nothing(client, catalogue, agency, citizen):
    client.force_login(citizen)
    for path in (ENTRY, step_path("child_name"), f"{ENTRY}giay-to/", f"{ENTRY}xem-lai/"):
        assert client.get(path).status_code in (200, 302)
    assert not Dossier.objects.exists()


def test_the_first_save_makes_the_draft_and_my_dossiers_lists_it(client, catalogue, agency, citizen):
    client.force_login(citizen)
    client.post(ENTRY + "buoc/1/", {**fields_of("requester_name"), "di": "tiep"})
    assert len(drafts()) == 1
    mine = client.get("/ho-so/")
    assert "Bản nháp chưa nộp" in mine.text
    assert f'<a href="{ENTRY}xoa/">Xóa bản nháp' in mine.text


def test_a_draft_is_deleted_after_a_confirmation_page(client, catalogue, agency, citizen):
    client.force_login(citizen)
    client.post(ENTRY + "buoc/1/", {**fields_of("requester_name"), "di": "tiep"})
    asking = client.get(f"{ENTRY}xoa/")
    assert asking.status_code == 200 and "Xóa bản nháp?" in asking.text
    assert drafts()  # asking deletes nothing
    done = client.post(f"{ENTRY}xoa/")
    assert done["Location"] == "/ho-so/" and not Dossier.objects.exists()
    assert "Đã xóa bản nháp." in client.get("/ho-so/").text


def test_a_draft_with_files_is_deleted_with_its_files(
    client, catalogue, agency, citizen, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(citizen)
    pdf = SimpleUploadedFile("giay.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{ENTRY}giay-to/", {"di": "tiep", "file-2": pdf})
    assert [p for p in tmp_path.rglob("*") if p.is_file()]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{ENTRY}xoa/")
    assert not Dossier.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_nobody_deletes_another_citizens_draft(client, catalogue, agency, citizen, other_citizen):
    services.start_draft(procedure=get_procedure(BIRTH), applicant=citizen, agency=agency)
    client.force_login(other_citizen)
    assert client.post(f"{ENTRY}xoa/")["Location"] == "/ho-so/"
    assert len(drafts()) == 1


def test_a_filed_dossier_is_never_deleted_as_a_draft(catalogue, agency, citizen):
    dossier = file_birth(citizen, agency)
    with pytest.raises(services.NotAllowed):
        services.discard_draft(dossier, by=citizen)


# --- Back after filing ------------------------------------------------------------------------------------


def file_by_the_pages(client) -> Dossier:
    post_steps(client, BIRTH_FORM)
    client.post(f"{ENTRY}xem-lai/")
    return Dossier.objects.get()


def test_back_to_the_review_after_filing_shows_the_filed_dossier(client, catalogue, agency, citizen):
    client.force_login(citizen)
    dossier = file_by_the_pages(client)
    back = client.get(f"{ENTRY}xem-lai/")
    assert back["Location"] == f"{dossier.get_absolute_url()}?da-nop={BIRTH}"
    page = client.get(back["Location"])
    assert f"Hồ sơ này đã được nộp, mã {dossier.code}." in page.text
    assert "Trường này là bắt buộc" not in page.text
    assert f'href="{ENTRY}?moi=1">Nộp hồ sơ mới</a>' in page.text
    assert not drafts()


@pytest.mark.parametrize("where", ["", "buoc/1/", "giay-to/"])
def test_back_to_any_step_after_filing_shows_the_filed_dossier(client, catalogue, agency, citizen, where):
    client.force_login(citizen)
    dossier = file_by_the_pages(client)
    assert client.get(ENTRY + where)["Location"].startswith(dossier.get_absolute_url())


def test_a_step_posted_again_after_filing_makes_no_new_draft(client, catalogue, agency, citizen):
    client.force_login(citizen)
    dossier = file_by_the_pages(client)
    again = client.post(step_path("child_name"), {**fields_of("child_name"), "di": "tiep"})
    assert again["Location"].startswith(dossier.get_absolute_url())
    assert not drafts()


def test_a_new_dossier_of_the_same_procedure_can_be_started_at_once(client, catalogue, agency, citizen):
    client.force_login(citizen)
    file_by_the_pages(client)
    fresh = client.get(f"{ENTRY}?moi=1")
    assert fresh.status_code == 200 and "<h1>Người yêu cầu</h1>" in fresh.text
    client.post(ENTRY + "buoc/1/", {**fields_of("requester_name"), "di": "tiep"})
    assert len(drafts()) == 1


def test_the_filed_dossier_is_shown_only_for_a_while(client, catalogue, agency, citizen, monkeypatch):
    client.force_login(citizen)
    file_by_the_pages(client)
    later = time.time() + 3 * 3600
    monkeypatch.setattr("motcua.dossiers.filing.time.time", lambda: later)
    assert client.get(ENTRY).status_code == 200


# --- a session that ended in the middle of a step ---------------------------------------------------------


def owner_token(client) -> str:
    page = client.get(ENTRY)
    return page.context["owner"]


def end_the_session() -> None:
    Session.objects.all().delete()  # the session expired on the server; the browser still sends its cookie


def test_a_step_posted_after_the_session_ended_is_kept_until_its_owner_signs_in(
    client, catalogue, agency, citizen
):
    client.force_login(citizen)
    owner = owner_token(client)
    end_the_session()
    typed = {**fields_of("child_name"), "child_name": "Lê Nguyễn Bảo Ngọc"}
    response = client.post(step_path("child_name"), {**typed, "owner-token": owner, "di": "tiep"})
    assert response["Location"] == f"/dang-nhap/?next={step_path('child_name')}"
    assert not Dossier.objects.exists()

    signed_in = client.post(
        f"/dang-nhap/?next={step_path('child_name')}",
        {"username": "0912345678", "password": "demo-2026", "next": step_path("child_name")},
    )
    assert signed_in["Location"] == step_path("child_name")
    back = client.get(step_path("child_name"), follow=True)
    assert back.redirect_chain == [(step_path("child_name"), 302)]
    assert "Phiên đăng nhập đã hết hạn. Những gì bạn đã nhập vẫn được giữ lại." in back.text
    assert back.context["form"]["child_name"].value() == "Lê Nguyễn Bảo Ngọc"
    assert drafts()[0].form_data["child_birth_date"] == BIRTH_FORM["child_birth_date"]
    assert "stash" not in client.session


def test_kept_answers_go_to_nobody_else_who_signs_in_on_that_phone(
    client, catalogue, agency, citizen, other_citizen
):
    client.force_login(citizen)
    owner = owner_token(client)
    end_the_session()
    client.post(step_path("child_name"), {**fields_of("child_name"), "owner-token": owner, "di": "tiep"})
    client.post("/dang-nhap/", {"username": "0987654321", "password": "demo-2026"})
    page = client.get(step_path("child_name"))
    assert page.context["form"]["child_name"].value() in (None, "")
    assert not Dossier.objects.exists() and "stash" not in client.session


@pytest.mark.parametrize("owner", ["", "forged:123"])
def test_answers_without_the_forms_signed_owner_are_not_kept(client, catalogue, agency, citizen, owner):
    response = client.post(step_path("child_name"), {**fields_of("child_name"), "owner-token": owner})
    assert response.status_code == 302 and "stash" not in client.session


def test_a_huge_post_is_not_kept_in_an_anonymous_session(client, catalogue, agency, citizen):
    client.force_login(citizen)
    owner = owner_token(client)
    end_the_session()
    huge = {"child_name": "Ngọc" * 6000, "owner-token": owner}
    client.post(step_path("child_name"), huge)
    assert "stash" not in client.session


def test_the_counter_intake_asks_the_desk_the_same_confirmation(client, catalogue, agency, desk):
    client.force_login(desk)
    applicant = {"nguoi-nop-applicant_name": "Trần Văn Cụ", "nguoi-nop-applicant_phone": "0905 123 456"}
    form = {k: ("on" if v is True else v) for k, v in BIRTH_FORM.items()}
    typed = {**applicant, **form, "child_name": "le nguyen bao ngoc"}
    refused = client.post(f"/can-bo/tiep-nhan/{BIRTH}/", typed)
    assert refused.status_code == 200 and not Dossier.objects.exists()
    assert "Tôi xác nhận ghi đúng như trên giấy tờ" in refused.text
    client.post(f"/can-bo/tiep-nhan/{BIRTH}/", {**typed, "as_written": "child_name"})
    assert Dossier.objects.get().form_data["as_written"] == ["child_name"]
