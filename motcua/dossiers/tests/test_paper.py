"""Looking a dossier up from paper (issue 11, walls 3 and 5).

The receipt's QR code opens the dossier's public status with nothing to type; a code typed back from
paper is found however it was typed; a person without a phone gets a claim code on the counter receipt,
with which a relative looks the dossier up and a citizen claims it into an account; the desk re-issues a
lost one.
"""

import io
import re

import pytest
import segno
from django.contrib.staticfiles import finders
from django.utils import timezone

from bench.weight import ASSET, gz
from motcua.dossiers import services
from motcua.dossiers.codes import claim_code_hash, lookup_token, normalize_claim_code
from motcua.dossiers.models import Dossier, Status

from .factories import BIRTH, BIRTH_FORM, dossier_in, filed_at_counter

pytestmark = pytest.mark.django_db
PRIVATE = ("Nguyễn Thị Hường", "Hường", "0912", "912345678", "5678", "045190012345", "Tân Trại", "Bảo Ngọc")


@pytest.fixture
def received(catalogue, agency, people):
    return dossier_in(Status.PROCESSING, people=people, agency=agency)


@pytest.fixture
def without_phone(catalogue, agency, people):
    """Cụ Hường has no phone: the desk files her birth registration at the counter."""
    return filed_at_counter(BIRTH, desk=people["desk"], agency=agency, form=BIRTH_FORM, phone="")


def main_text(response) -> str:
    """The page's own part, without the per-response CSRF token."""
    main = response.text.split("<main", 1)[1]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def weight(client, url: str) -> int:
    """What a phone downloads for the page, gzipped: its HTML and the CSS and JS it links (any status)."""
    html = client.get(url).content
    total = gz(html)
    for path in ASSET.findall(html.decode()):
        with open(finders.find(re.sub(r"\.[0-9a-f]{12}\.", ".", path)), "rb") as asset:
            total += gz(asset.read())
    return total


def input_value(response, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', response.text).group(1)


# --- wall 3: the receipt's QR code, and codes typed back from paper ----------------------------------------


def test_a_link_with_only_the_code_fills_the_form_in_and_reports_no_error(client, received):
    # The QR code of older receipts and of the citizen's own page: /tra-cuu/?ma=<code>, nothing typed yet.
    response = client.get("/tra-cuu/", {"ma": received.code})

    assert response.status_code == 200
    assert "Không tìm thấy" not in response.text and 'role="alert"' not in response.text
    assert input_value(response, "ma") == received.code


def test_the_receipts_token_opens_the_public_status_with_nothing_typed(client, received):
    response = client.get(f"/tra-cuu/{lookup_token(received.code)}/")

    assert response.status_code == 200
    text = main_text(response)
    for shown in (
        received.code,
        "Đang xử lý",
        "Cán bộ đang xử lý. Người nộp chưa cần làm gì.",
        f"Ngày tiếp nhận</dt><dd>{timezone.localtime(received.received_at):%d/%m/%Y}",
        "Hẹn trả kết quả",
    ):
        assert shown in text, shown
    for private in PRIVATE:
        assert private not in response.text, private
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # one character of the signature
        lambda token: token.replace("-0001.", "-0002."),  # another dossier's number, the same signature
        lambda token: token.rsplit(".", 1)[0],  # no signature at all
        lambda token: "khong-phai-ma",
        lambda token: "A" * 79,
    ],
    ids=["signature", "code", "unsigned", "garbage", "long"],
)
def test_a_tampered_token_says_so_and_offers_the_typed_form(client, received, agency, people, tamper):
    dossier_in(Status.NEW, people=people, agency=agency)  # a -0002 exists: the changed code must not open it
    response = client.get(f"/tra-cuu/{tamper(lookup_token(received.code))}/")

    assert response.status_code == 404
    assert "Mã QR này không đúng hoặc đã bị sửa" in response.text
    assert 'name="so"' in response.text and "Đang xử lý" not in main_text(response)


def test_a_token_signed_with_a_retired_key_still_opens_while_it_is_a_fallback(client, received, settings):
    token = lookup_token(received.code)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key-" + "x" * 50, [settings.SECRET_KEY]
    assert client.get(f"/tra-cuu/{token}/").status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert client.get(f"/tra-cuu/{token}/").status_code == 404


def test_the_token_path_counts_against_the_lookup_limit(client, received, settings):
    settings.LOOKUP_RATE_LIMIT = 3
    token = lookup_token(received.code)
    answers = [client.get(f"/tra-cuu/{token}/").status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert client.get("/tra-cuu/", {"ma": received.code, "so": "5678"}).status_code == 429


def typed_variants(code: str) -> list[str]:
    office, day, number = code.rsplit("-", 2)
    full_width = str.maketrans("0123456789", "０１２３４５６７８９")
    return [
        code.lower(),
        f"  {code} ",
        f"{office} - {day} - {number}",
        f"{office}–{day}–{number}",  # en dashes, as a word processor makes them
        f"{office}\u00a0-\u00a0{day}-{number}",  # no-break spaces
        code.replace(".", " "),
        code.translate(full_width),  # a Vietnamese keyboard in full-width mode
        f"{office.replace('.', '')}{day}{number}".lower(),
    ]


def test_a_code_typed_with_spaces_case_and_dashes_is_found(client, received):
    for typed in typed_variants(received.code):
        response = client.get("/tra-cuu/", {"ma": typed, "so": "5678"})
        assert response.status_code == 200, typed
        assert "Đang xử lý" in response.text, typed


def test_the_api_finds_a_typed_code_too_and_keeps_its_answer(client, received):
    response = client.get("/api/v1/lookup", {"code": typed_variants(received.code)[2], "phone_last4": "5678"})

    assert response.status_code == 200
    assert response.json()["code"] == received.code
    assert set(response.json()) == {"code", "procedure", "status", "submitted_at", "due_at", "on_time"}


def test_the_typed_path_still_asks_for_the_last_four_digits(client, received):
    nothing = client.get("/tra-cuu/", {"ma": received.code, "so": ""})
    wrong = client.get("/tra-cuu/", {"ma": received.code, "so": "0000"})
    api = client.get("/api/v1/lookup", {"code": received.code})

    assert nothing.status_code == 422 and "Bạn nhập thêm 4 số cuối điện thoại" in nothing.text
    assert wrong.status_code == 404 and "Không tìm thấy hồ sơ với mã và 4 số điện thoại này" in wrong.text
    assert api.status_code == 404
    for response in (nothing, wrong):
        assert "Đang xử lý" not in main_text(response)


def test_the_api_opens_the_status_by_the_token_alone(client, received):
    response = client.get("/api/v1/lookup", {"token": lookup_token(received.code)})
    tampered = client.get("/api/v1/lookup", {"token": lookup_token(received.code)[:-2] + "AA"})

    assert response.status_code == 200 and response.json()["status"]["label"] == "Đang xử lý"
    assert tampered.status_code == 404


def test_the_public_qr_svg_carries_the_bare_code_not_a_token(client, received):
    # Anyone may ask /ho-so/<code>/qr.svg for any code: a token there would open every dossier to anyone.
    # It is the typed lookup with the code filled in, which still asks for the last four digits.
    expected = io.BytesIO()
    segno.make(f"http://testserver/tra-cuu/?ma={received.code}", error="m").save(
        expected, kind="svg", scale=4, border=2, xmldecl=False
    )
    assert client.get(f"/ho-so/{received.code}/qr.svg").content == expected.getvalue()


# --- wall 5: no phone at all ------------------------------------------------------------------------------


def test_a_dossier_received_without_a_phone_gets_a_claim_code_stored_only_as_a_hash(without_phone):
    claim_code = without_phone.issued_claim_code
    stored = Dossier.objects.get(pk=without_phone.pk)

    assert normalize_claim_code(claim_code) == claim_code and len(claim_code) == 8
    assert stored.claim_code_hash == claim_code_hash(stored.code, claim_code)
    assert claim_code not in stored.claim_code_hash
    received = stored.events.get(action="receive")
    assert received.data == {"claim_code": True} and "đã cấp mã nhận hồ sơ" in " ".join(received.facts)


def test_a_dossier_with_a_phone_or_an_account_gets_no_claim_code(catalogue, agency, people):
    with_phone = filed_at_counter(BIRTH, desk=people["desk"], agency=agency)
    with_account = filed_at_counter(
        BIRTH, desk=people["desk"], agency=agency, phone="", applicant=people["citizen"]
    )

    for dossier in (with_phone, with_account):
        assert not getattr(dossier, "issued_claim_code", "")
        assert Dossier.objects.get(pk=dossier.pk).claim_code_hash == ""


def test_a_relative_looks_the_dossier_up_with_the_claim_code(client, without_phone):
    claim_code = services.format_claim_code(without_phone.issued_claim_code)
    by_phone = client.get("/tra-cuu/", {"ma": without_phone.code, "so": "0000"})
    typed = client.get("/tra-cuu/", {"ma": without_phone.code.lower(), "so": "", "nhan": claim_code.lower()})
    wrong = client.get("/tra-cuu/", {"ma": without_phone.code, "so": "", "nhan": "K7M2-9QXD"})
    api = client.get("/api/v1/lookup", {"code": without_phone.code, "claim_code": claim_code})

    assert by_phone.status_code == 404
    assert typed.status_code == 200 and "Được tiếp nhận" in typed.text
    assert "Nguyễn Thị Hường" not in typed.text
    assert wrong.status_code == 404 and "mã hồ sơ và mã nhận hồ sơ này" in wrong.text
    assert api.status_code == 200 and api.json()["code"] == without_phone.code


def test_a_citizen_claims_a_dossier_filed_without_a_phone_with_the_printed_code(
    client, without_phone, citizen
):
    client.force_login(citizen)
    page = client.get("/ho-so/nhan/")
    assert "Mã nhận hồ sơ (chỉ khi người nộp không có điện thoại)" in page.text

    typed_code = f" {without_phone.code.lower()} "
    typed_claim = without_phone.issued_claim_code.lower().replace("0", "o")  # as read aloud from paper
    response = client.post("/ho-so/nhan/", {"ma": typed_code, "nhan": typed_claim})

    assert response.status_code == 302 and response["Location"] == without_phone.get_absolute_url()
    dossier = Dossier.objects.get(pk=without_phone.pk)
    assert dossier.applicant == citizen and dossier.events.latest("pk").action == "claim"
    assert without_phone.code in client.get("/ho-so/").text


def test_the_claim_page_answers_alike_for_a_wrong_claim_code_and_an_unknown_dossier(
    client, without_phone, received, citizen, other_citizen
):
    answers = []
    for person, code, claim_code in [
        (citizen, without_phone.code, "K7M2-9QXD"),  # known, wrong claim code
        (other_citizen, "000.20.44.H54-261129-9999", without_phone.issued_claim_code),  # unknown code
        (citizen, received.code, without_phone.issued_claim_code),  # a dossier with a phone
    ]:
        client.force_login(person)
        response = client.post("/ho-so/nhan/", {"ma": code, "nhan": claim_code})
        answers.append((response.status_code, main_text(response).replace(code, "<code>")))

    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 422 and "Mã hồ sơ hoặc mã nhận hồ sơ chưa đúng" in answers[0][1]
    assert Dossier.objects.get(pk=without_phone.pk).applicant is None


def test_claiming_with_a_printed_code_keeps_the_per_person_limit(client, without_phone, citizen):
    client.force_login(citizen)
    tries = [client.post("/ho-so/nhan/", {"ma": without_phone.code, "nhan": "K7M2-9QXD"}) for _ in range(3)]
    last = client.post("/ho-so/nhan/", {"ma": without_phone.code, "nhan": without_phone.issued_claim_code})

    assert [r.status_code for r in tries] == [422, 422, 422]
    assert last.status_code == 429 and last["Retry-After"]
    assert Dossier.objects.get(pk=without_phone.pk).applicant is None


def test_the_step_after_the_code_says_what_to_do_without_a_phone(client, without_phone, citizen):
    client.force_login(citizen)
    response = client.post("/ho-so/nhan/", {"ma": without_phone.code}, follow=True)

    assert "Nếu mã hồ sơ đúng, chúng tôi đã gửi mã" in response.text
    assert "cho người không có điện thoại thì không có tin nhắn" in response.text


def test_the_desk_reissues_a_lost_claim_code_and_the_old_one_stops_working(client, without_phone, people):
    old = without_phone.issued_claim_code
    client.force_login(people["desk"])
    page = client.get(f"/can-bo/ho-so/{without_phone.code}/")
    assert "reissue_claim_code" in [a.name for a in page.context["actions"]]

    response = client.post(
        f"/can-bo/ho-so/{without_phone.code}/xu-ly/reissue_claim_code/",
        {"note": "Cụ báo mất giấy tiếp nhận; đã xem căn cước 045190012345"},
    )
    page = client.get(response["Location"])
    new = re.search(r'<p class="bigcode">([0-9A-Z]{4}-[0-9A-Z]{4})</p>', page.text).group(1)

    assert normalize_claim_code(new) != old
    assert services.lookup(code=without_phone.code, claim_code=new) is not None
    assert services.lookup(code=without_phone.code, claim_code=old) is None
    event = without_phone.events.latest("pk")
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "reissue_claim_code",
        people["desk"],
        Status.RECEIVED,
        Status.RECEIVED,
    )
    assert event.data == {"claim_code": True} and "mất giấy" in event.note


def test_reissuing_needs_a_reason_a_desk_officer_and_a_dossier_without_a_phone(
    client, without_phone, received, people
):
    with pytest.raises(services.Invalid):
        services.perform(without_phone, "reissue_claim_code", by=people["desk"])
    with pytest.raises(services.Forbidden):
        services.perform(without_phone, "reissue_claim_code", by=people["specialist"], note="Mất giấy")
    with pytest.raises(services.NotAllowed, match="Hồ sơ có số điện thoại"):
        services.perform(received, "reissue_claim_code", by=people["desk"], note="Mất giấy")
    assert "reissue_claim_code" not in [a.name for a in services.available(received, people["desk"])]


def test_the_api_gives_a_new_claim_code_once(client, without_phone, people):
    from motcua.accounts.services import issue_token

    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(people['desk'])}"}
    url = f"/api/v1/dossiers/{without_phone.code}"
    response = client.post(
        f"{url}/actions/reissue_claim_code", {"note": "Mất giấy"}, content_type="application/json", **headers
    )
    claim_code = response.json()["claim_code"]

    assert response.status_code == 200
    assert services.lookup(code=without_phone.code, claim_code=claim_code) is not None
    assert "claim_code" not in client.get(url, **headers).json()


def test_filing_at_the_counter_through_the_api_gives_the_claim_code_once(client, catalogue, agency, people):
    from motcua.accounts.services import issue_token

    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(people['desk'])}"}
    payload = {"procedure": BIRTH, "form": BIRTH_FORM, "applicant": {"name": "Nguyễn Thị Hường"}}
    filed = client.post("/api/v1/dossiers", payload, content_type="application/json", **headers).json()

    assert filed["status"]["code"] == Status.RECEIVED and re.fullmatch(
        r"[0-9A-Z]{4}-[0-9A-Z]{4}", filed["claim_code"]
    )
    assert services.lookup(code=filed["code"], claim_code=filed["claim_code"]) is not None
    assert "claim_code" not in client.get(f"/api/v1/dossiers/{filed['code']}", **headers).json()


# --- page weight ------------------------------------------------------------------------------------------


def test_the_new_and_changed_pages_fit_the_budget(client, received, without_phone, citizen):
    pages = [
        f"/tra-cuu/{lookup_token(received.code)}/",
        f"/tra-cuu/{lookup_token(received.code)[:-1]}X/",
        f"/tra-cuu/?ma={received.code}",
        f"/tra-cuu/?ma={received.code}&so=",
        f"/tra-cuu/?ma={without_phone.code}&so=&nhan={without_phone.issued_claim_code}",
        f"/tra-cuu/?ma={without_phone.code}&so=&nhan=K7M29QXD",
    ]
    for url in pages:
        assert weight(client, url) <= 14 * 1024, url
    client.force_login(citizen)
    assert weight(client, "/ho-so/nhan/") <= 14 * 1024
    client.post("/ho-so/nhan/", {"ma": without_phone.code})
    assert weight(client, "/ho-so/nhan/") <= 14 * 1024
