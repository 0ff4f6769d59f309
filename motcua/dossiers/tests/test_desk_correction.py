"""The desk corrects the declaration at reception: names typed without diacritics, a wrong place. One action
(`correct_declaration`) through `lifecycle.perform`; the event keeps each old and new value in words."""

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Event, Status

from .factories import BIRTH_FORM, TYPED_FORM, dossier_in, file_birth, filed_at_counter

pytestmark = pytest.mark.django_db

TYPED = TYPED_FORM
REASON = "Đối chiếu căn cước công dân"


def correct(dossier, by, **form):
    return services.perform(dossier, "correct_declaration", by=by, note=REASON, data={"form": form})


def test_the_desk_corrects_a_name_and_the_event_keeps_old_and_new(catalogue, agency, people):
    dossier = file_birth(people["citizen"], agency, form=TYPED)

    dossier = correct(dossier, people["desk"], requester_name="Nguyễn Văn An")

    event = dossier.events.latest("pk")
    assert dossier.form_data["requester_name"] == "Nguyễn Văn An"
    assert dossier.form_data["requester_residence"] == "thon 3, xa vinh linh"  # untouched
    assert (dossier.status, event.from_status, event.to_status, event.note) == (
        Status.NEW,
        Status.NEW,
        Status.NEW,
        REASON,
    )
    assert event.data == {
        "changes": [
            {
                "field": "form.requester_name",
                "label": "Họ, chữ đệm, tên người yêu cầu",
                "old": "nguyen van an",
                "new": "Nguyễn Văn An",
            }
        ]
    }
    assert event.facts == ["Họ, chữ đệm, tên người yêu cầu: “nguyen van an” thành “Nguyễn Văn An”"]


def test_choices_and_dates_are_recorded_in_words_not_codes(catalogue, agency, people):
    dossier = file_birth(people["citizen"], agency)

    dossier = correct(dossier, people["desk"], child_sex="nam", child_birth_date="2026-11-03")

    changes = {c["field"]: (c["old"], c["new"]) for c in dossier.events.latest("pk").data["changes"]}
    assert dossier.form_data["child_sex"] == "nam" and dossier.form_data["child_birth_date"] == "2026-11-03"
    assert changes == {
        "form.child_sex": ("Nữ", "Nam"),
        "form.child_birth_date": ("02/11/2026", "03/11/2026"),
    }


def test_the_applicants_name_and_address_on_the_slips_are_corrected_too(catalogue, agency, desk):
    dossier = filed_at_counter("1.004873", desk=desk, agency=agency)
    dossier.applicant_name = "tran van cu"
    dossier.save(update_fields=["applicant_name"])

    dossier = services.perform(
        dossier,
        "correct_declaration",
        by=desk,
        note=REASON,
        data={"applicant_name": "Trần Văn Cự", "applicant_address": dossier.applicant_address},
    )

    assert dossier.applicant_name == "Trần Văn Cự" and dossier.status == Status.RECEIVED
    assert dossier.events.latest("pk").data["changes"] == [
        {
            "field": "applicant.applicant_name",
            "label": "Họ tên người nộp",
            "old": "tran van cu",
            "new": "Trần Văn Cự",
        }
    ]


def test_a_correction_is_checked_as_the_declaration_was_at_filing(catalogue, agency, people):
    dossier = file_birth(people["citizen"], agency)

    with pytest.raises(services.Invalid) as refused:
        correct(dossier, people["desk"], requester_name="", child_birth_date="31/02/2026")

    assert set(refused.value.errors) == {"form.requester_name", "form.child_birth_date"}
    dossier.refresh_from_db()
    assert dossier.form_data == BIRTH_FORM | {"mother_birth_year": 1990}
    assert not Event.objects.filter(action="correct_declaration").exists()


def test_a_reason_is_required_and_nothing_changed_is_refused(catalogue, agency, people):
    dossier = file_birth(people["citizen"], agency)

    with pytest.raises(services.Invalid) as refused:
        services.perform(
            dossier,
            "correct_declaration",
            by=people["desk"],
            data={"form": {"requester_name": "Nguyễn Thị Hường"}},
        )

    assert refused.value.errors == {"note": "Cần ghi rõ lý do.", "form": "Tờ khai không có gì thay đổi."}


@pytest.mark.parametrize("status", [Status.PROCESSING, Status.DONE, Status.REFUSED])
def test_past_reception_the_declaration_is_not_corrected(catalogue, agency, people, status):
    dossier = dossier_in(status, people=people, agency=agency)

    with pytest.raises(services.NotAllowed):
        correct(dossier, people["desk"], requester_name="Nguyễn Văn An")


@pytest.mark.parametrize("who", ["specialist", "leader", "citizen"])
def test_only_the_desk_corrects(catalogue, agency, people, who):
    dossier = dossier_in(Status.RECEIVED, people=people, agency=agency)

    with pytest.raises(services.Forbidden):
        correct(dossier, people[who], requester_name="Nguyễn Văn An")


def test_the_office_page_flags_answers_without_diacritics_and_opens_the_correction(
    client, catalogue, agency, people
):
    dossier = file_birth(people["citizen"], agency, form=TYPED)
    client.force_login(people["desk"])

    page = client.get(f"/can-bo/ho-so/{dossier.code}/")

    flagged = [label for _, rows in page.context["answers"] for label, _, flag in rows if flag]
    assert flagged == ["Họ, chữ đệm, tên người yêu cầu", "Nơi cư trú"]
    assert page.text.count("Chưa có dấu") == 2
    assert f'href="/can-bo/ho-so/{dossier.code}/sua-to-khai/"' in page.text


def test_correcting_through_the_page(client, catalogue, agency, people):
    dossier = file_birth(people["citizen"], agency, form=TYPED)
    client.force_login(people["desk"])
    form = client.get(f"/can-bo/ho-so/{dossier.code}/sua-to-khai/")
    assert form.status_code == 200
    assert form.context["flagged"] == {"requester_name", "requester_residence"}
    assert 'aria-describedby="id_requester_name_flag"' in form.text
    posted = {k: ("on" if v is True else v) for k, v in TYPED.items()}
    posted |= {
        "requester_name": "Nguyễn Văn An",
        "requester_residence": "Thôn 3, xã Vĩnh Linh",
        "sua-applicant_name": dossier.applicant_name,
        "sua-applicant_address": "",
        "sua-note": REASON,
    }

    done = client.post(f"/can-bo/ho-so/{dossier.code}/sua-to-khai/", posted)

    assert done.status_code == 302 and done["Location"] == f"/can-bo/ho-so/{dossier.code}/"
    dossier.refresh_from_db()
    assert (dossier.form_data["requester_name"], dossier.form_data["requester_residence"]) == (
        "Nguyễn Văn An",
        "Thôn 3, xã Vĩnh Linh",
    )
    page = client.get(f"/can-bo/ho-so/{dossier.code}/")
    assert "“nguyen van an” thành “Nguyễn Văn An”" in page.text and "Chưa có dấu" not in page.text


def test_the_page_without_a_reason_keeps_what_was_typed(client, catalogue, agency, people):
    dossier = file_birth(people["citizen"], agency, form=TYPED)
    client.force_login(people["desk"])
    posted = {k: ("on" if v is True else v) for k, v in TYPED.items()}
    posted |= {"requester_name": "Nguyễn Văn An", "sua-applicant_name": dossier.applicant_name}

    refused = client.post(f"/can-bo/ho-so/{dossier.code}/sua-to-khai/", posted)

    assert refused.status_code == 422
    assert 'value="Nguyễn Văn An"' in refused.text and "Trường này là bắt buộc." in refused.text
    dossier.refresh_from_db()
    assert dossier.form_data["requester_name"] == "nguyen van an"


def test_the_correction_page_sends_a_specialist_back_to_the_dossier(client, catalogue, agency, people):
    dossier = dossier_in(Status.RECEIVED, people=people, agency=agency)
    client.force_login(people["specialist"])

    page = client.get(f"/can-bo/ho-so/{dossier.code}/sua-to-khai/", follow=True)

    assert page.redirect_chain == [(f"/can-bo/ho-so/{dossier.code}/", 302)]
    assert "Tờ khai chỉ được bộ phận một cửa sửa" in page.text


def test_the_correction_page_and_the_dossier_page_fit_the_budget(client, catalogue, agency, people, settings):
    from bench.weight import page_weight

    dossier = file_birth(people["citizen"], agency, form=TYPED_FORM)
    counter = filed_at_counter("1.004873", desk=people["desk"], agency=agency)
    client.force_login(people["desk"])

    for url in [
        f"/can-bo/ho-so/{dossier.code}/sua-to-khai/",
        f"/can-bo/ho-so/{dossier.code}/",
        f"/can-bo/ho-so/{counter.code}/sua-to-khai/",
        f"/can-bo/ho-so/{counter.code}/",
    ]:
        weight = page_weight(client, url)
        assert weight["total"] <= 14 * 1024, (url, weight)
