"""The result online (issue 11, wall 10): a result ready to collect is on the citizen's to-do list with where
and when; an online procedure's result comes as a file the citizen downloads, which delivers it online.

Hường's birth registration, filed online, is approved by the leader with the signed extract as a PDF. She
finds it under "Cần bạn xử lý", downloads it, and the dossier is "Đã trả kết quả" with the method "trực
tuyến"; the paper stays at the counter. Nobody else but the commune's officers gets the file: another
citizen, another commune's officer and the community team get the answer a missing dossier gets.
"""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bench.weight import page_weight
from motcua.accounts.services import issue_token
from motcua.dossiers import lifecycle, services
from motcua.dossiers.models import Event, ResultFile, Status

from .factories import dossier_in, filed_at_counter

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n"
UNKNOWN_CODE = "000.20.44.H54-991231-9999"
SIGNATURE_ONLY = "2.000884"  # Chứng thực chữ ký: in person only, the result is the paper with the seal


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(name="trich-luc-khai-sinh.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def approved(catalogue, agency, people):
    """Hường's online birth registration, approved by the leader with the signed extract as a PDF."""
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency, awaiting_approval=True)
    return services.perform(dossier, "approve", by=people["leader"], data={"result_file": pdf()})


def page_of(response, path: str) -> str:
    """A page without what differs between any two answers: the path asked for, the CSRF token."""
    text = response.content.decode().replace(path, "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def download(client, dossier, result, method="get"):
    return getattr(client, method)(f"/ho-so/{dossier.code}/ket-qua/{result.pk}/")


# --- attaching ---------------------------------------------------------------------------------------------


def test_the_leader_approves_with_the_result_file_recorded_in_the_approval(approved, people):
    result = ResultFile.objects.get(dossier=approved)
    event = approved.events.latest("pk")

    assert approved.status == Status.DONE
    assert (result.name, result.size, result.content_type) == (
        "trich-luc-khai-sinh.pdf",
        len(PDF),
        "application/pdf",
    )
    assert result.sha256 == hashlib.sha256(PDF).hexdigest()
    assert result.file.read() == PDF
    assert (event.action, event.actor) == ("approve", people["leader"])
    assert event.data["result_file"] == {
        "id": result.pk,
        "name": "trich-luc-khai-sinh.pdf",
        "size": len(PDF),
        "sha256": result.sha256,
    }
    assert event.facts == ["tệp kết quả “trich-luc-khai-sinh.pdf”"]


def test_an_officer_attaches_a_result_after_approval_as_its_own_step(catalogue, agency, people):
    dossier = dossier_in(Status.DONE, people=people, agency=agency)

    dossier = services.perform(dossier, "attach_result", by=people["desk"], data={"result_file": pdf()})

    event = dossier.events.latest("pk")
    assert (event.action, event.from_status, event.to_status) == ("attach_result", 9, 9)
    assert dossier.result_files.count() == 1


def test_a_file_that_is_not_a_pdf_or_a_photo_is_refused_and_nothing_is_kept(catalogue, agency, people, media):
    dossier = dossier_in(Status.DONE, people=people, agency=agency)
    fake = SimpleUploadedFile("ket-qua.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")

    with pytest.raises(services.Invalid) as error:
        services.perform(dossier, "attach_result", by=people["desk"], data={"result_file": fake})

    assert "không phải ảnh (JPG, PNG, WEBP) hoặc PDF" in error.value.errors["result_file"]
    assert not ResultFile.objects.exists() and stored_files(media) == []


def test_a_result_file_over_10_mb_is_refused(catalogue, agency, people, media):
    dossier = dossier_in(Status.DONE, people=people, agency=agency)
    big = pdf(data=PDF + b"0" * (10 * 1024 * 1024))

    with pytest.raises(services.Invalid) as error:
        services.perform(dossier, "attach_result", by=people["desk"], data={"result_file": big})

    assert "quá lớn" in error.value.errors["result_file"]
    assert stored_files(media) == []


def test_attaching_needs_a_file(catalogue, agency, people):
    dossier = dossier_in(Status.DONE, people=people, agency=agency)

    with pytest.raises(services.Invalid) as error:
        services.perform(dossier, "attach_result", by=people["desk"], data={"result_file": "trich-luc.pdf"})

    assert error.value.errors == {"result_file": "Chọn tệp kết quả (PDF hoặc ảnh chụp, tối đa 10 MB)."}


def test_a_transition_that_fails_after_storing_the_file_leaves_no_file(catalogue, agency, people, media):
    dossier = dossier_in(Status.DONE, people=people, agency=agency)

    def broken(transition):
        raise RuntimeError("a subscriber failed")

    lifecycle.subscribe(broken, actions=["attach_result"])
    try:
        with pytest.raises(RuntimeError):
            services.perform(dossier, "attach_result", by=people["desk"], data={"result_file": pdf()})
    finally:
        lifecycle._subscribers.remove((frozenset({"attach_result"}), False, broken))

    assert not ResultFile.objects.exists() and stored_files(media) == []
    assert dossier.events.filter(action="attach_result").count() == 0


def test_an_in_person_procedure_gives_its_result_on_paper_only(catalogue, agency, people):
    dossier = filed_at_counter(SIGNATURE_ONLY, desk=people["desk"], agency=agency)
    for action, who in [("forward", "desk"), ("submit_for_approval", "specialist")]:
        dossier = services.perform(dossier, action, by=people[who])

    with pytest.raises(services.Invalid) as error:
        services.perform(dossier, "approve", by=people["leader"], data={"result_file": pdf()})
    assert "trả kết quả bản giấy" in error.value.errors["result_file"]

    dossier = services.perform(dossier, "approve", by=people["leader"])
    assert "attach_result" not in [a.name for a in services.available(dossier, people["desk"])]
    with pytest.raises(services.NotAllowed, match="trả kết quả bản giấy tại bộ phận một cửa"):
        services.perform(dossier, "attach_result", by=people["desk"], data={"result_file": pdf()})


def test_delivering_online_needs_a_result_file(catalogue, agency, people):
    dossier = dossier_in(Status.DONE, people=people, agency=agency)

    with pytest.raises(services.Invalid) as error:
        services.perform(dossier, "deliver_result", by=people["desk"], data={"method": "online"})

    assert error.value.errors["method"].startswith("Chưa có tệp kết quả")


# --- the citizen's to-do list ------------------------------------------------------------------------------


def test_a_result_to_download_is_under_needs_your_action_with_its_link(client, approved, people):
    result = approved.result_files.get()
    client.force_login(people["citizen"])

    page = client.get("/ho-so/")

    todo = page.context["action_needed"]
    assert [d.code for d in todo] == [approved.code] and page.context["others"] == []
    assert "Kết quả điện tử đã sẵn sàng: bạn tải về ngay." in page.text
    assert f'href="/ho-so/{approved.code}/ket-qua/{result.pk}/"' in page.text
    assert "Bản giấy vẫn được giữ tại bộ phận một cửa." in page.text


def test_a_result_on_paper_is_under_needs_your_action_with_where_and_when(client, catalogue, agency, people):
    agency.result_place = "Trung tâm Phục vụ hành chính công xã Vĩnh Linh"
    agency.opening_hours = "7h30-11h30, 13h30-17h, T2-T6"
    agency.address = "Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị"
    agency.save()
    dossier = filed_at_counter(SIGNATURE_ONLY, desk=people["desk"], agency=agency)
    paid = {"receipt_number": "BL-0001"}  # the fee, asked at filing, paid in cash at the counter
    for action, who, data in [
        ("confirm_payment", "desk", paid),
        ("forward", "desk", {}),
        ("submit_for_approval", "specialist", {}),
        ("approve", "leader", {}),
    ]:
        dossier = services.perform(dossier, action, by=people[who], data=data)
    client.force_login(people["citizen"])  # the counter dossier joined her account by her phone number

    page = client.get("/ho-so/")

    assert [d.code for d in page.context["action_needed"]] == [dossier.code]
    card = page.text.split('id="h-act"')[1].split("</section>")[0]
    for words in [
        "Đã có kết quả. Mời bạn đến nhận.",
        "Trung tâm Phục vụ hành chính công xã Vĩnh Linh",
        "Thôn Tân Trại, xã Vĩnh Linh, tỉnh Quảng Trị",
        "7h30-11h30, 13h30-17h, T2-T6",
        "Hẹn trả kết quả",
        dossier.due_at.astimezone().strftime("%d/%m/%Y"),
        "Nhớ mang theo giấy tờ tùy thân",
    ]:
        assert words in card, words
    assert "Tải kết quả" not in card


def test_a_result_ready_does_not_pause_the_clock_nor_count_as_waiting_on_the_citizen(approved):
    assert approved.needs_citizen is False and approved.paused_at is None


# --- downloading -------------------------------------------------------------------------------------------


def test_the_citizen_downloads_the_result_and_it_is_delivered_online(client, approved, people):
    result = approved.result_files.get()
    client.force_login(people["citizen"])

    response = download(client, approved, result)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ket-qua-{approved.code}-{result.pk}.pdf"; '
        "filename*=UTF-8''trich-luc-khai-sinh.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    approved.refresh_from_db()
    assert (approved.status, approved.result_method) == (Status.RETURNED, "online")
    event = approved.events.latest("pk")
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "collect_online",
        9,
        10,
        people["citizen"],
    )
    assert event.data == {"method": "online"} and event.facts == ["trả kết quả trực tuyến"]


def test_downloading_again_changes_nothing_and_the_paper_is_still_offered(client, approved, people):
    result = approved.result_files.get()
    client.force_login(people["citizen"])
    download(client, approved, result)
    events = Event.objects.count()

    again = download(client, approved, result)
    page = client.get(approved.get_absolute_url())

    assert again.status_code == 200 and Event.objects.count() == events
    assert "Đã trả kết quả" in page.text and "Cách nhận kết quả" in page.text and "trực tuyến" in page.text
    assert "Bản giấy vẫn được giữ tại bộ phận một cửa nếu bạn cần." in page.text
    assert f"/ho-so/{approved.code}/ket-qua/{result.pk}/" in page.text


def test_a_head_request_fetches_nothing_and_delivers_nothing(client, approved, people):
    client.force_login(people["citizen"])

    response = download(client, approved, approved.result_files.get(), method="head")

    approved.refresh_from_db()
    assert response.status_code == 200 and approved.status == Status.DONE


def test_an_officer_of_the_commune_downloads_it_without_delivering_it(client, approved, people):
    client.force_login(people["desk"])

    response = download(client, approved, approved.result_files.get())

    approved.refresh_from_db()
    assert response.status_code == 200 and approved.status == Status.DONE


@pytest.mark.parametrize("who", ["other_citizen", "other_desk", "community"])
def test_anyone_else_gets_the_answer_a_missing_dossier_gets(client, approved, request, who):
    result = approved.result_files.get()
    client.force_login(request.getfixturevalue(who))

    paths = [
        f"/ho-so/{approved.code}/ket-qua/{result.pk}/",
        f"/ho-so/{UNKNOWN_CODE}/ket-qua/{result.pk}/",
        f"/ho-so/{approved.code}/ket-qua/{result.pk + 1}/",
    ]

    theirs, missing, no_file = (client.get(path) for path in paths)

    assert theirs.status_code == missing.status_code == no_file.status_code == 404
    assert page_of(theirs, paths[0]) == page_of(missing, paths[1]) == page_of(no_file, paths[2])
    approved.refresh_from_db()
    assert approved.status == Status.DONE


# --- the API -----------------------------------------------------------------------------------------------


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"}


def test_the_api_shows_the_result_file_link_and_where_to_collect(client, approved, people, agency):
    result = approved.result_files.get()

    answer = client.get(f"/api/v1/dossiers/{approved.code}", **bearer(people["citizen"])).json()

    assert answer["result"] == {
        "method": None,
        "files": [
            {
                "id": result.pk,
                "name": "trich-luc-khai-sinh.pdf",
                "size": len(PDF),
                "sha256": result.sha256,
                "content_type": "application/pdf",
                "uploaded_at": result.uploaded_at.isoformat(),
                "url": f"/api/v1/dossiers/{approved.code}/results/{result.pk}",
                "page_url": f"/ho-so/{approved.code}/ket-qua/{result.pk}/",
            }
        ],
        "collect": {
            "place": "bộ phận một cửa xã Vĩnh Linh",
            "address": agency.address,
            "opening_hours": "trong giờ hành chính",
            "phone": agency.phone,
            "due_at": approved.due_at.isoformat(),
        },
    }


def test_the_citizen_downloads_through_the_api_link_and_it_is_delivered_online(client, approved, people):
    url = client.get(f"/api/v1/dossiers/{approved.code}", **bearer(people["citizen"])).json()["result"][
        "files"
    ][0]["url"]

    response = client.get(url, **bearer(people["citizen"]))

    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    after = client.get(f"/api/v1/dossiers/{approved.code}", **bearer(people["citizen"])).json()
    assert after["status"]["code"] == 10 and after["result"]["method"] == "online"
    assert after["result"]["collect"] is None and len(after["result"]["files"]) == 1


@pytest.mark.parametrize("who", ["other_citizen", "other_desk"])
def test_the_api_gives_anyone_else_the_404_of_a_missing_dossier(client, approved, request, who):
    result = approved.result_files.get()
    headers = bearer(request.getfixturevalue(who))

    theirs = client.get(f"/api/v1/dossiers/{approved.code}/results/{result.pk}", **headers)
    missing = client.get(f"/api/v1/dossiers/{UNKNOWN_CODE}/results/{result.pk}", **headers)

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json() == {"detail": "Không tìm thấy hồ sơ."}


def test_an_officer_attaches_a_result_through_the_api(client, catalogue, agency, people):
    dossier = dossier_in(Status.DONE, people=people, agency=agency)

    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/results",
        {"file": pdf(), "note": "Bản điện tử có chữ ký số"},
        **bearer(people["desk"]),
    )

    assert response.status_code == 200, response.content
    assert [f["name"] for f in response.json()["result"]["files"]] == ["trich-luc-khai-sinh.pdf"]
    assert dossier.events.latest("pk").note == "Bản điện tử có chữ ký số"


def test_the_citizen_cannot_attach_a_result_to_her_own_dossier(client, catalogue, agency, people):
    dossier = dossier_in(Status.DONE, people=people, agency=agency)

    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/results", {"file": pdf()}, **bearer(people["citizen"])
    )

    assert response.status_code == 403 and not ResultFile.objects.exists()


# --- the back office ---------------------------------------------------------------------------------------


def test_the_leader_approves_with_the_file_from_the_office_page(client, catalogue, agency, people):
    dossier = dossier_in(Status.PROCESSING, people=people, agency=agency, awaiting_approval=True)
    client.force_login(people["leader"])
    page = client.get(f"/can-bo/ho-so/{dossier.code}/")
    assert 'enctype="multipart/form-data"' in page.text and 'name="result_file"' in page.text

    response = client.post(f"/can-bo/ho-so/{dossier.code}/xu-ly/approve/", {"note": "", "result_file": pdf()})

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.DONE and dossier.result_files.count() == 1
    page = client.get(f"/can-bo/ho-so/{dossier.code}/")
    assert "Kết quả điện tử" in page.text and "trich-luc-khai-sinh.pdf" in page.text
    assert "tệp kết quả “trich-luc-khai-sinh.pdf”" in page.text


def test_a_bad_file_at_the_office_page_is_said_next_to_the_action(client, catalogue, agency, people):
    dossier = dossier_in(Status.DONE, people=people, agency=agency)
    client.force_login(people["desk"])
    text = SimpleUploadedFile("ket-qua.pdf", b"just text", content_type="application/pdf")

    response = client.post(f"/can-bo/ho-so/{dossier.code}/xu-ly/attach_result/", {"result_file": text})

    assert response.status_code == 422
    assert "không phải ảnh (JPG, PNG, WEBP) hoặc PDF" in response.text


def test_the_pages_with_a_result_fit_the_budget(client, approved, catalogue, agency, people):
    paper = dossier_in(Status.DONE, people=people, agency=agency)  # a second one, with no file
    client.force_login(people["citizen"])

    for url in ["/ho-so/", approved.get_absolute_url(), paper.get_absolute_url()]:
        weight = page_weight(client, url)
        assert weight["total"] <= 14 * 1024, (url, weight)
