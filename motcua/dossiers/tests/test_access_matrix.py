"""Who sees what: every persona against a citizen's dossier, through the API and the pages.

The citizen (owner) and the officers of the dossier's commune see it; another citizen and an officer of
another commune get a 404 that is indistinguishable from a dossier that does not exist; nobody signed
out gets past the sign-in page. API tokens come from the token service that POST /api/v1/auth/token
uses: signing in is tested in motcua/api/tests/test_dossiers_api.py, this file is about access.
"""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from motcua import policy
from motcua.accounts.services import issue_token
from motcua.agencies.models import Role
from motcua.dossiers import services
from motcua.dossiers.lifecycle import ACTIONS, CITIZEN, OWN_PATHS
from motcua.dossiers.models import Attachment, Status, Substate

from .factories import BIRTH, dossier_in, filed_at_counter

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
UNKNOWN_CODE = "000.20.44.H54-991231-9999"  # well formed, never issued
PERSONAS = ["citizen", "other_citizen", "other_desk", "desk", "specialist", "leader", "anonymous"]
OFFICER_ROLE = {"desk": Role.ONESTOP, "specialist": Role.SPECIALIST, "leader": Role.LEADER}
SIGN_IN = "sign-in"  # expected answer: a 302 to /dang-nhap/?next=<the page asked for>


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def persona(request):
    """`persona(name)`: the user of that fixture, or None for the anonymous visitor."""

    def user(name: str):
        return None if name == "anonymous" else request.getfixturevalue(name)

    return user


@pytest.fixture
def filed(catalogue, agency, people, other_citizen, other_desk):
    """The citizen's birth registration, just filed (status 1), with everyone else present too."""
    return dossier_in(Status.NEW, people=people, agency=agency)


@pytest.fixture
def attachment(filed, citizen):
    upload = SimpleUploadedFile("giay-chung-sinh.pdf", PDF, content_type="application/pdf")
    return services.add_attachment(filed, upload=upload, slot="1", by=citizen)


class Caller:
    """One person (or nobody) calling /api/v1 with a bearer token."""

    def __init__(self, client, user=None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)}"} if user else {}

    def get(self, path: str):
        return self.client.get(f"/api/v1{path}", **self.headers)

    def act(self, code: str, action: str, **payload):
        if action == "attach_result":  # a file: the multipart call, the same action
            upload = SimpleUploadedFile("trich-luc.pdf", PDF, content_type="application/pdf")
            return self.client.post(
                f"/api/v1/dossiers/{code}/results", {"file": upload, **payload}, **self.headers
            )
        return self.client.post(
            f"/api/v1/dossiers/{code}/actions/{action}",
            payload,
            content_type="application/json",
            **self.headers,
        )

    def upload(self, code: str, slot: str = "1"):
        upload = SimpleUploadedFile("them.pdf", PDF, content_type="application/pdf")
        return self.client.post(
            f"/api/v1/dossiers/{code}/attachments", {"slot": slot, "file": upload}, **self.headers
        )


def visit(client, user, path: str, method: str = "get"):
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(path)


def assert_answer(response, expected, path: str) -> None:
    if expected == SIGN_IN:
        assert response.status_code == 302
        assert response["Location"] == f"/dang-nhap/?next={path}"
    else:
        assert response.status_code == expected


def state(dossier) -> tuple:
    """Everything an outsider's call must leave alone."""
    dossier.refresh_from_db()
    return (
        dossier.status,
        dossier.substate,
        dossier.updated_at,
        dossier.events.count(),
        dossier.attachments.count(),
    )


def files_in(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


# --- the API ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("citizen", 200),
        ("other_citizen", 404),
        ("other_desk", 404),
        ("desk", 200),
        ("specialist", 200),
        ("leader", 200),
        ("anonymous", 401),
    ],
)
def test_api_dossier_is_seen_by_its_citizen_and_its_commune_only(client, filed, persona, name, expected):
    response = Caller(client, persona(name)).get(f"/dossiers/{filed.code}")

    assert response.status_code == expected
    if expected == 200:
        assert response.json()["code"] == filed.code


@pytest.mark.parametrize("name", ["other_citizen", "other_desk"])
def test_api_upload_by_an_outsider_is_404_and_stores_nothing(client, filed, persona, media, name):
    before = state(filed)

    response = Caller(client, persona(name)).upload(filed.code)

    assert response.status_code == 404
    assert state(filed) == before
    assert Attachment.objects.count() == 0
    assert files_in(media) == []


@pytest.mark.parametrize(("name", "action"), [("other_citizen", "withdraw"), ("other_desk", "receive")])
def test_api_action_by_an_outsider_is_404_and_changes_nothing(client, filed, persona, name, action):
    # Each outsider tries what they could do on a dossier of their own (or of their own commune).
    before = state(filed)

    response = Caller(client, persona(name)).act(filed.code, action)

    assert response.status_code == 404
    assert state(filed) == before


@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("other_citizen", "detail"),
        ("other_desk", "detail"),
        ("other_citizen", "action"),
        ("other_desk", "action"),
        ("other_citizen", "upload"),
        ("other_desk", "upload"),
    ],
)
def test_api_404_for_someone_elses_dossier_is_byte_identical_to_an_unknown_code(
    client, filed, persona, name, call
):
    caller = Caller(client, persona(name))
    calls = {
        "detail": lambda code: caller.get(f"/dossiers/{code}"),
        "action": lambda code: caller.act(code, "receive"),
        "upload": lambda code: caller.upload(code),
    }

    theirs, unknown = calls[call](filed.code), calls[call](UNKNOWN_CODE)

    assert (theirs.status_code, unknown.status_code) == (404, 404)
    assert theirs.content == unknown.content


# --- the transition table × roles, through the API --------------------------------------------------------


def _source_of(action) -> tuple[int, bool]:
    """A status the action is allowed from, and whether the dossier must await the leader's approval."""
    awaiting = action.substates is not None and Substate.NONE not in action.substates
    return (Status.PAYMENT if action.needs_fee else action.sources[0]), awaiting


def _payload_for(action_name: str, dossier) -> dict:
    payload = {"note": "Ghi chú thử"}
    if action_name == "request_supplement":
        payload["items"] = ["Giấy chứng sinh bản chính"]
    elif action_name == "request_payment":
        payload["amount_vnd"] = 8000
        payload["reason"] = "Lệ phí cấp bản sao trích lục"
    elif action_name == "deliver_result":
        payload["method"] = "counter"
    elif action_name == "confirm_payment":
        payload["receipt_number"] = "BL-0001"
    elif action_name == "extend":
        later = timezone.localtime(dossier.due_at).date() + dt.timedelta(days=7)
        payload["new_due_date"] = later.isoformat()
    elif action_name == "correct_declaration":
        payload["form"] = {"requester_name": "Nguyễn Văn An"}
    return payload


def _expected(name: str, action) -> int:
    if name == "anonymous":
        return 401
    if name in ("other_citizen", "other_desk"):
        return 404  # never 403: that would tell them the dossier exists
    role = CITIZEN if name == "citizen" else OFFICER_ROLE[name]
    return 200 if role in action.roles else 403


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("action_name", [name for name in ACTIONS if name not in OWN_PATHS])
def test_transition_table_decides_who_may_act(
    client, catalogue, agency, people, persona, other_citizen, other_desk, action_name, name
):
    action = ACTIONS[action_name]
    status, awaiting = _source_of(action)
    if action_name == "reissue_claim_code":  # her dossier filed at the counter, without a phone
        dossier = filed_at_counter(
            BIRTH, desk=people["desk"], agency=agency, phone="", applicant=people["citizen"]
        )
    else:
        dossier = dossier_in(status, people=people, agency=agency, awaiting_approval=awaiting)
    before = state(dossier)
    user = persona(name)

    response = Caller(client, user).act(dossier.code, action_name, **_payload_for(action_name, dossier))

    assert response.status_code == _expected(name, action), response.content
    if response.status_code == 200:
        assert dossier.events.latest("pk").action == action_name
        assert dossier.events.latest("pk").actor == user
    else:
        assert state(dossier) == before


# --- the pages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("citizen", 200),
        ("other_citizen", 404),
        ("other_desk", 404),
        # The citizen's page is the citizen's: officers work on /can-bo/ho-so/<code>/.
        ("desk", 404),
        ("specialist", 404),
        ("leader", 404),
        ("anonymous", SIGN_IN),
    ],
)
def test_citizen_dossier_page_by_persona(client, filed, persona, name, expected):
    path = f"/ho-so/{filed.code}/"

    assert_answer(visit(client, persona(name), path), expected, path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("citizen", 404),
        ("other_citizen", 404),
        ("other_desk", 404),
        ("desk", 200),
        ("specialist", 200),
        ("leader", 200),
        ("anonymous", SIGN_IN),
    ],
)
def test_office_dossier_page_by_persona(client, filed, persona, name, expected):
    path = f"/can-bo/ho-so/{filed.code}/"

    assert_answer(visit(client, persona(name), path), expected, path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("citizen", 404),
        ("other_citizen", 404),
        ("other_desk", 200),  # their own commune's queue
        ("desk", 200),
        ("specialist", 200),
        ("leader", 200),
        ("anonymous", SIGN_IN),
    ],
)
def test_back_office_queue_by_persona(client, filed, persona, name, expected):
    assert_answer(visit(client, persona(name), "/can-bo/"), expected, "/can-bo/")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("citizen", 200),
        ("other_citizen", 404),
        ("other_desk", 404),
        ("desk", 200),
        ("specialist", 200),
        ("leader", 200),
        ("anonymous", SIGN_IN),
    ],
)
def test_attachment_download_by_persona(client, filed, attachment, persona, name, expected):
    path = f"/ho-so/{filed.code}/tep/{attachment.pk}/"

    response = visit(client, persona(name), path)

    assert_answer(response, expected, path)
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF


def test_office_action_by_an_officer_of_another_commune_is_404_and_changes_nothing(client, filed, other_desk):
    before = state(filed)

    response = visit(client, other_desk, f"/can-bo/ho-so/{filed.code}/xu-ly/receive/", method="post")

    assert response.status_code == 404
    assert state(filed) == before


def _comparable(page: bytes, code: str) -> str:
    # The 404 page echoes the path asked for (the language switcher's `next`) and carries a CSRF token
    # masked afresh on every request; both differ by construction and reveal nothing about the dossier.
    text = page.decode().replace(code, "<code>")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', text)


@pytest.mark.parametrize(
    ("name", "page"),
    [("other_citizen", "/ho-so/{}/"), ("other_desk", "/can-bo/ho-so/{}/"), ("desk", "/ho-so/{}/")],
)
def test_page_404_for_someone_elses_dossier_is_identical_to_an_unknown_code(
    client, filed, persona, name, page
):
    client.force_login(persona(name))

    theirs, unknown = client.get(page.format(filed.code)), client.get(page.format(UNKNOWN_CODE))

    assert (theirs.status_code, unknown.status_code) == (404, 404)
    assert _comparable(theirs.content, filed.code) == _comparable(unknown.content, UNKNOWN_CODE)


# --- every URL requires the right login unless allow-listed ------------------------------------------------

# Which routes anyone may open is written once, in motcua/policy.py; motcua/api/tests/test_policy_sweep.py
# walks every route (the API and the admin too) as every persona. This walk is the signed-out visitor's.
# Pages public by DESIGN.md's contract, whenever they exist:
CONTRACT_PUBLIC = {"", "thu-tuc/", "thu-tuc/<str:code>/", "tin-tuc/", "tin-tuc/<slug:slug>/", "tra-cuu/"}
CONTRACT_PUBLIC |= {"dang-nhap/", "dang-ky/", "thong-ke/", "ho-so/<str:code>/qr.svg"}
CONTRACT_PUBLIC |= {"su-kien/", "su-kien/<slug:slug>/"}


def _is_public(route: str) -> bool:
    return policy.rule_for(route).permission == policy.PUBLIC


NOT_SWEPT = ("quan-tri/", "api/", "static/", "media/")  # Django admin; the API (bearer tokens); files


def _routes(patterns=None, prefix: str = "") -> list[str]:
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(NOT_SWEPT):
            continue
        if isinstance(entry, URLResolver):
            routes += _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return routes


def _fill(route: str, *, dossier_code: str, attachment_id: int) -> str:
    """A plausible path for `route`: real codes and ids, so a missing login check would show the data."""

    def value(match: re.Match) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        fillers = {
            "code": BIRTH if route.startswith("thu-tuc/") else dossier_code,
            "procedure_code": BIRTH,
            "pk": str(attachment_id),
            "action": "receive",
            "step": "1",
            "slug": "gioi-thieu",
            "kind": "to-khai",
            "fmt": "pdf",
            "token": services.lookup_token(dossier_code),
            "key": "khongcoma12",
        }
        assert name in fillers, f"add a plausible value for <{converter}:{name}> in {route!r}"
        return fillers[name]

    assert "^" not in route, f"{route!r} is a regex route: teach _fill about it"
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def _is_sign_in_redirect(response, path: str) -> bool:
    if response.status_code != 302:
        return False
    target = urlsplit(response["Location"])
    return target.path == "/dang-nhap/" and parse_qs(target.query).get("next") == [path]


@pytest.mark.parametrize("route", _routes(), ids=lambda route: "/" + route)
def test_every_url_requires_sign_in_unless_public(client, filed, attachment, route):
    path = _fill(route, dossier_code=filed.code, attachment_id=attachment.pk)

    answers = {method: getattr(client, method)(path) for method in ("get", "post")}

    if _is_public(route):
        # Public pages answer signed-out visitors themselves. A filler may name nothing (an article slug
        # that does not exist: 404) or a method the page does not serve (GET /dang-xuat/: 405).
        for response in answers.values():
            # 400: the payment return page refuses an unsigned result; 422: a public form posted empty;
            # 503: /readyz, no worker runs here.
            allowed = (200, 204, 302, 400, 404, 405, 422) + ((503,) if route == "readyz" else ())
            assert response.status_code in allowed, response.status_code
            assert not _is_sign_in_redirect(response, path)
    else:
        # A 405 is fine too: the view does not serve that method, and says nothing more.
        for method, response in answers.items():
            assert _is_sign_in_redirect(response, path) or response.status_code == 405, (
                f"{method.upper()} {path} answered {response.status_code} to a signed-out visitor"
            )
        assert any(_is_sign_in_redirect(r, path) for r in answers.values())


def test_the_contracts_public_pages_are_public_in_the_policy():
    assert {route for route in CONTRACT_PUBLIC if route in _routes() and not _is_public(route)} == set()


def test_the_sweep_sees_every_page_of_the_contract():
    # Guards the sweep itself: if the URLconf walk broke, the test above would pass on nothing.
    routes = set(_routes())

    assert {"", "ho-so/", "ho-so/<str:code>/", "can-bo/", "tra-cuu/", "thu-tuc/<str:code>/nop/"} <= routes


# --- citizens' accounts at the desk -------------------------------------------------------------------------


def test_an_officer_of_another_commune_neither_sees_nor_changes_our_citizens_account(
    client, filed, citizen, other_desk
):
    client.force_login(other_desk)

    found = client.get("/can-bo/cong-dan/", {"sdt": "0912345678"})
    moved = client.post(
        "/can-bo/cong-dan/",
        {
            "sdt": "0912345678",
            "viec": "doi-so",
            "new_phone": "0987 000 111",
            "id_number": "045190012345",
            "note": "Mất máy",
        },
    )
    verified = client.post(
        "/can-bo/cong-dan/",
        {"sdt": "0912345678", "viec": "xac-thuc", "id_number": "045190012345", "full_name": "Kẻ Gian"},
    )

    for page in (found, moved, verified):
        assert page.status_code == 200
        assert "Người này không phải công dân của cơ quan bạn" in page.text
        assert citizen.full_name not in page.text  # nor her account's history
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.identity_level, citizen.id_number) == ("+84912345678", 0, "")


def test_the_desk_of_the_citizens_own_commune_finds_their_account(client, filed, citizen, desk):
    client.force_login(desk)

    response = client.get("/can-bo/cong-dan/", {"sdt": "0912345678"})

    assert response.status_code == 200
    assert response.context["person"] == citizen


def test_any_desk_helps_a_citizen_who_has_filed_nothing_yet(client, filed, other_citizen, other_desk):
    client.force_login(other_desk)

    response = client.get("/can-bo/cong-dan/", {"sdt": "0987654321"})

    assert response.status_code == 200
    assert response.context["person"] == other_citizen
