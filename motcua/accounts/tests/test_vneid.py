"""Sign in with VNeID, end to end against a real OpenID Connect provider started on 127.0.0.1.

The browser's part is played by Django's test client (our pages) and urllib (the provider's pages): the test
follows the redirect to the provider, lets it answer, and brings its redirect back to our callback.
"""

import logging
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth import get_user_model

from motcua.accounts import vneid
from motcua.accounts.models import User
from motcua.accounts.vneid_models import VneidIdentity

from .oidc_provider import OidcProvider, new_key

pytestmark = pytest.mark.django_db

START = "/dang-nhap/vneid/"
CALLBACK = "/dang-nhap/vneid/ve/"
HUONG = {
    "sub": "vneid-8f1c2a",
    "name": "Nguyễn Thị Hường",
    "phone_number": "+84912345678",
    "phone_number_verified": True,
    "birthdate": "1990-05-17",
    "gender": "female",
    "identity_number": "045190012345",
}


@pytest.fixture(scope="module")
def rsa_key():
    return new_key()


@pytest.fixture
def provider(rsa_key, settings):
    provider = OidcProvider(rsa_key).start()
    provider.claims = dict(HUONG)
    settings.VNEID_ISSUER = provider.issuer
    settings.VNEID_CLIENT_ID = provider.client_id
    settings.VNEID_CLIENT_SECRET = provider.client_secret
    settings.VNEID_SCOPES = "openid profile phone"
    yield provider
    provider.stop()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)


def at_provider(url: str) -> str:
    """The citizen's browser at the provider: where it is sent back to."""
    try:
        response = _opener.open(url, timeout=5)
    except urllib.error.HTTPError as error:
        assert error.code == 302, f"the provider answered {error.code}: {error.read()[:200]!r}"
        return error.headers["Location"]
    raise AssertionError(f"the provider answered {response.status}, not a redirect")


def to_provider(client, next_url: str | None = None) -> str:
    response = client.get(START, {"next": next_url} if next_url else {})
    assert response.status_code == 302, response.content[:300]
    return response["Location"]


def sign_in(client, next_url: str | None = None):
    """The whole round trip; the response of our callback."""
    back = at_provider(to_provider(client, next_url))
    assert back.startswith("http://testserver" + CALLBACK)
    return client.get(back)


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def assert_error_page(response, reason: str, status: int):
    assert response.status_code == status
    assert [t.name for t in response.templates][0] == "accounts/vneid_error.html"
    body = response.content.decode()
    assert f'data-reason="{reason}"' in body
    # nobody is left at a dead end: the other ways in are offered right there
    assert 'href="/dang-nhap/' in body
    assert "bộ phận một cửa" in body
    assert "nộp hồ sơ thay bạn" in body
    # CSP: nothing inline
    assert "style=" not in body
    assert "<script>" not in body
    return body


# --- the round trip --------------------------------------------------------------------------------------
def test_a_new_citizen_signs_in_end_to_end(client, provider):
    authorize = to_provider(client, "/thu-tuc/dang-ky-khai-sinh/")
    url = urllib.parse.urlsplit(authorize)
    query = dict(urllib.parse.parse_qsl(url.query))
    assert f"{url.scheme}://{url.netloc}{url.path}" == provider.issuer + "/authorize"
    assert query["response_type"] == "code"
    assert query["client_id"] == "motcua"
    assert query["scope"].split() == ["openid", "profile", "phone"]
    assert query["redirect_uri"] == "http://testserver" + CALLBACK
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43  # base64url of a SHA-256, never the verifier itself
    assert query["state"] and query["nonce"]

    response = client.get(at_provider(authorize))

    assert response.status_code == 302
    assert response["Location"] == "/thu-tuc/dang-ky-khai-sinh/"
    user = signed_in_user(client)
    assert user is not None
    assert user.identity_level == User.IdentityLevel.VNEID == 3
    assert user.full_name == "Nguyễn Thị Hường"
    assert user.phone == "+84912345678"
    assert user.username == "+84912345678"
    assert not user.has_usable_password()
    assert user.vneid.subject == "vneid-8f1c2a"
    assert {"GET /.well-known/openid-configuration", "GET /authorize", "POST /token", "GET /jwks"} <= set(
        provider.calls
    )
    assert "GET /userinfo" not in provider.calls  # the ID token had everything


def test_without_next_a_citizen_lands_on_their_dossiers(client, provider):
    assert sign_in(client)["Location"] == "/ho-so/"


def test_a_next_url_on_another_site_is_ignored(client, provider):
    assert sign_in(client, "https://lua-dao.example/dang-nhap")["Location"] == "/ho-so/"


def test_an_existing_citizen_with_the_same_phone_is_linked_not_duplicated(client, provider, citizen):
    citizen.identity_level = User.IdentityLevel.PHONE
    citizen.save()

    response = sign_in(client)

    assert response.status_code == 302
    assert get_user_model().objects.count() == 1
    citizen.refresh_from_db()
    assert signed_in_user(client) == citizen
    assert citizen.identity_level == User.IdentityLevel.VNEID
    assert citizen.vneid.subject == "vneid-8f1c2a"
    assert citizen.check_password("demo-2026")  # a phone-verified citizen keeps the password they chose


def test_a_password_set_by_someone_who_never_proved_the_phone_stops_working(client, provider, citizen):
    assert citizen.identity_level == User.IdentityLevel.UNVERIFIED
    sign_in(client)
    citizen.refresh_from_db()
    assert signed_in_user(client) == citizen
    assert not citizen.has_usable_password()


def test_the_next_sign_in_finds_the_account_by_its_vneid_subject(client, provider):
    sign_in(client)
    first = signed_in_user(client)
    client.logout()
    provider.claims.update(phone_number="0987 654 321", name="Nguyễn Thị Hường (mới)")  # new number in VNeID

    sign_in(client)

    assert signed_in_user(client) == first
    first.refresh_from_db()
    assert first.phone == "+84987654321"
    assert first.full_name == "Nguyễn Thị Hường (mới)"
    assert User.objects.count() == 1
    assert VneidIdentity.objects.count() == 1


def test_a_citizen_without_a_phone_in_vneid_still_gets_an_account(client, provider):
    provider.claims.pop("phone_number")
    sign_in(client)
    user = signed_in_user(client)
    assert user.phone is None
    assert user.username.startswith("vneid-")
    assert user.identity_level == User.IdentityLevel.VNEID


def test_a_phone_vneid_has_not_verified_is_not_used(client, provider, citizen):
    provider.claims["phone_number_verified"] = False
    sign_in(client)
    user = signed_in_user(client)
    assert user != citizen  # not linked to the account holding that number
    assert user.phone is None


def test_claims_only_at_the_userinfo_endpoint_are_used(client, provider, citizen):
    provider.mode = "claims_in_userinfo"
    response = sign_in(client)
    assert response.status_code == 302
    assert "GET /userinfo" in provider.calls
    assert signed_in_user(client) == citizen  # found by the phone that came from /userinfo
    citizen.refresh_from_db()
    assert citizen.full_name == "Nguyễn Thị Hường"


def test_keys_rotated_by_the_provider_are_fetched_again(client, provider):
    sign_in(client)
    client.logout()
    provider.key = new_key("vneid-test-2")
    response = sign_in(client)
    assert response.status_code == 302
    assert provider.calls.count("GET /jwks") == 2


# --- every failure: a plain page, the other ways in, and nobody signed in ------------------------------
@pytest.mark.parametrize(
    ("mode", "reason", "status"),
    [
        ("deny", "denied", 200),
        ("wrong_nonce", "token", 502),
        ("wrong_audience", "token", 502),
        ("wrong_issuer", "token", 502),
        ("expired", "token", 502),
        ("bad_signature", "token", 502),
        ("unknown_key", "token", 502),
        ("hs256", "token", 502),
        ("no_id_token", "token", 502),
        ("userinfo_other_sub", "token", 502),
        ("token_500", "unavailable", 503),
    ],
)
def test_a_misbehaving_provider_signs_in_no_one(client, provider, mode, reason, status, caplog):
    if mode == "userinfo_other_sub":
        provider.claims.pop("phone_number")  # so that /userinfo is asked
    provider.mode = mode
    with caplog.at_level(logging.WARNING, logger="motcua.accounts.vneid"):
        response = sign_in(client, "/ho-so/")
    assert_error_page(response, reason, status)
    assert signed_in_user(client) is None
    assert User.objects.count() == 0
    assert VneidIdentity.objects.count() == 0
    if mode != "deny":
        assert "VNeID sign-in failed" in caplog.text


def test_the_denied_page_invites_to_try_again_and_keeps_next(client, provider):
    provider.mode = "deny"
    body = assert_error_page(sign_in(client, "/ho-so/"), "denied", 200)
    assert "Bạn chưa đồng ý chia sẻ thông tin từ VNeID" in body
    assert f'href="{START}?next=/ho-so/"' in body


def test_provider_down_when_starting(client, provider):
    provider.mode = "down"
    assert_error_page(client.get(START), "unavailable", 503)
    assert signed_in_user(client) is None


def test_provider_gone_before_the_code_is_exchanged(client, provider):
    back = at_provider(to_provider(client))
    provider.stop()
    body = assert_error_page(client.get(back), "unavailable", 503)
    assert "Lỗi không phải do bạn" in body
    assert signed_in_user(client) is None


def test_a_discovery_document_naming_another_issuer_is_refused(client, provider):
    provider.mode = "discovery_other_issuer"
    assert_error_page(client.get(START), "unavailable", 503)


def test_a_wrong_client_secret_is_refused_by_the_provider(client, provider, settings):
    settings.VNEID_CLIENT_SECRET = "not-the-secret"
    assert_error_page(sign_in(client), "unavailable", 503)
    assert signed_in_user(client) is None


def test_a_tampered_state_is_refused(client, provider):
    back = at_provider(to_provider(client))
    tampered = back.replace("state=", "state=x")
    assert_error_page(client.get(tampered), "state", 400)
    assert signed_in_user(client) is None
    assert "POST /token" not in provider.calls  # the code was never exchanged


def test_a_callback_without_state_is_refused(client, provider):
    to_provider(client)
    assert_error_page(client.get(CALLBACK, {"code": "abc"}), "state", 400)


def test_a_code_brought_to_another_browser_is_refused(client, provider):
    """Login CSRF: someone sends their own callback link to a victim; it belongs to another session."""
    from django.test import Client

    back = at_provider(to_provider(client))
    victim = Client()
    assert_error_page(victim.get(back), "state", 400)
    assert signed_in_user(victim) is None


def test_a_callback_cannot_be_replayed(client, provider):
    back = at_provider(to_provider(client))
    assert client.get(back).status_code == 302
    client.logout()
    assert_error_page(client.get(back), "state", 400)
    assert signed_in_user(client) is None


def test_the_pkce_verifier_is_checked_end_to_end(client, provider):
    """If the verifier kept in the session does not match the challenge sent, the provider refuses."""
    back = at_provider(to_provider(client))
    session = client.session
    key = next(k for k in session.keys() if k.startswith("_state_vneid_"))  # noqa: SIM118 (no __iter__)
    state_data = session[key]
    state_data["data"]["code_verifier"] = "x" * 64
    session[key] = state_data
    session.save()
    assert_error_page(client.get(back), "state", 400)  # invalid_grant: start again
    assert signed_in_user(client) is None


def test_an_officers_phone_is_not_linked(client, provider, agency):
    from motcua.agencies.services import set_officer

    officer = User.objects.create_user(username="motcua", password="demo-2026", phone="+84912345678")
    set_officer(officer, agency=agency, roles=["onestop"])
    assert_error_page(sign_in(client), "conflict", 409)
    assert signed_in_user(client) is None
    assert not VneidIdentity.objects.exists()


def test_a_phone_whose_account_is_linked_to_another_vneid_subject_is_not_relinked(client, provider, citizen):
    VneidIdentity.objects.create(user=citizen, subject="someone-else")
    assert_error_page(sign_in(client), "conflict", 409)
    assert signed_in_user(client) is None


def test_a_locked_account_is_not_signed_in(client, provider, citizen):
    citizen.is_active = False
    citizen.save()
    assert_error_page(sign_in(client), "inactive", 403)
    assert signed_in_user(client) is None


def test_not_configured_offers_the_other_ways(client, settings):
    settings.VNEID_ISSUER = ""
    body = assert_error_page(client.get(START), "not_configured", 200)
    assert "Chưa đăng nhập được bằng VNeID tại đây" in body
    assert "Thử lại với VNeID" not in body
    assert_error_page(client.get(CALLBACK, {"code": "x", "state": "y"}), "not_configured", 200)


def test_not_configured_when_the_settings_do_not_exist_at_all(client, settings):
    for name in ("VNEID_ISSUER", "VNEID_CLIENT_ID", "VNEID_CLIENT_SECRET", "VNEID_SCOPES"):
        if hasattr(settings, name):
            delattr(settings, name)
    assert vneid.vneid_config() is None
    assert_error_page(client.get(START), "not_configured", 200)


def test_scopes_always_include_openid(settings):
    settings.VNEID_ISSUER, settings.VNEID_CLIENT_ID, settings.VNEID_CLIENT_SECRET = "https://x", "c", "s"
    settings.VNEID_SCOPES = "profile phone"
    assert vneid.vneid_config().scopes == "openid profile phone"
    settings.VNEID_SCOPES = ""
    assert vneid.vneid_config().scopes == "openid profile phone"


# --- the claims ------------------------------------------------------------------------------------------
def test_claims_to_person():
    person = vneid.person_from_claims(HUONG)
    assert person == vneid.VneidPerson(
        subject="vneid-8f1c2a",
        full_name="Nguyễn Thị Hường",
        phone="+84912345678",
        id_number="045190012345",
        birth_date=__import__("datetime").date(1990, 5, 17),
        sex="nu",
    )


def test_the_phone_is_normalised_and_the_name_made_nfc():
    import unicodedata

    person = vneid.person_from_claims(
        {"sub": "s", "name": unicodedata.normalize("NFD", "Lê Văn Nam"), "phone_number": "0987 654 321"}
    )
    assert person.full_name == unicodedata.normalize("NFC", "Lê Văn Nam")
    assert person.phone == "+84987654321"


@pytest.mark.parametrize(
    "claims",
    [
        {"identity_number": "099190012345"},  # unknown province
        {"identity_number": "045190012345", "gender": "male"},  # the 4th digit says a woman
        {"identity_number": "045190012345", "birthdate": "1991-05-17"},  # the year digits say 1990
        {"cccd": "12345"},
    ],
)
def test_an_id_number_that_fails_validation_is_dropped_not_fatal(claims, caplog):
    person = vneid.person_from_claims({"sub": "s", **claims})
    assert person.id_number is None
    assert "fails validation" in caplog.text


def test_the_id_number_may_come_as_cccd_and_with_spaces():
    assert vneid.person_from_claims({"sub": "s", "cccd": "045 190 012 345"}).id_number == "045190012345"


def test_a_partial_birthdate_is_ignored():
    person = vneid.person_from_claims(
        {"sub": "s", "birthdate": "0000-05-17", "identity_number": "045190012345"}
    )
    assert person.birth_date is None
    assert person.id_number == "045190012345"


def test_a_token_without_subject_is_refused():
    with pytest.raises(vneid.VneidError) as caught:
        vneid.person_from_claims({"name": "x"})
    assert caught.value.reason == "token"


def test_an_invalid_id_number_claim_does_not_stop_the_sign_in(client, provider, caplog):
    provider.claims["identity_number"] = "099190012345"
    assert sign_in(client).status_code == 302
    assert signed_in_user(client).identity_level == User.IdentityLevel.VNEID
