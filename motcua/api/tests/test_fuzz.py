"""Hostile input to every route of /api/v1/openapi.json and to the main HTML forms: never a 5xx (issue 10).

Hypothesis draws each request: a route and a caller (nobody, a citizen, the desk officer, the specialist, a
forged token), then path, query, headers and body from the usual values of that route mutated with hostile
ones — NUL and other control characters, half a surrogate pair, right-to-left marks, 6,000-character and
huge-number strings, numbers past 2**31 and 2**63, NaN and 1e999, malformed and deeply nested JSON, files
that are not what they say. The API's routes come from its published schema, so a new route is fuzzed
without touching this file.

The draw is derandomized (the same requests on every run, so CI is repeatable) and bounded: 4,200
requests, well under a minute. FUZZ_SCALE=5 sends five times as many, FUZZ_RANDOM=1 draws new ones.
"""

import json
import math
import os
import time
from collections import Counter
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.accounts.services import issue_token
from motcua.dossiers.models import Status
from motcua.dossiers.tests.factories import BIRTH, BIRTH_FORM, DATA, dossier_in

pytestmark = pytest.mark.django_db
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))
API_EXAMPLES, FORM_EXAMPLES = int(3000 * SCALE), int(1200 * SCALE)
FUZZ = settings(
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the people and dossiers are shared by every example
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"

# --- hostile values ---------------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[2J\x07",
    "\x7f\x85\u2028",
    "\t\r\n",
    "\u202eabc",
    "\ufeff",
    "%00",
    "%",
    "../../etc/passwd",
    "' OR '1'='1' --",
    "<script>alert(1)</script>",
    "{{ 7|add:7 }} {% now 'Y' %}",
    "9" * 40,
    str(2**31),
    str(2**63),
    str(-(2**63) - 1),
    "-1",
    "0",
    "1e999",
    "NaN",
    "0x10",
    "2026-02-30",
    "9999-12-31",
    "x" * 6000,
    "🙂" * 300,
    "Nguyễn Thị Hường",
    "0912345678",
    "+84912345678",
    BIRTH,
]
PRINTABLE = st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=30)
TEXT = st.one_of(
    st.sampled_from(NASTY),
    PRINTABLE,  # marks, emoji, right-to-left, private use: what a page must show and store
    st.text(max_size=30),  # any code point but surrogates, C0 and C1 controls included
    st.integers().map(str),
    st.text(min_size=1, max_size=3).map(lambda s: s * 3000),
)
# JSON can also carry what a URL or a form cannot: half a surrogate pair, NaN, numbers past any column.
JSON_TEXT = st.one_of(TEXT, st.sampled_from(["\ud800", "a\udfffb"]))
NUMBER = st.one_of(
    st.sampled_from(
        [0, -1, 2**31, 2**31 - 1, 2**63, -(2**63) - 1, 2**64, 10**40, 1e308, -0.0, math.nan, math.inf]
    ),
    st.integers(),
    st.floats(),  # NaN and infinities are written as NaN and Infinity
)
JSON_SCALAR = st.one_of(st.none(), st.booleans(), NUMBER, JSON_TEXT)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(JSON_TEXT, inner, max_size=4),
    max_leaves=12,
)
NOT_JSON = st.one_of(
    st.sampled_from(
        [
            b"",
            b"{",
            b"[",
            b'{"a": ',
            b"\xff\xfe\x00",
            b"[" * 100_000,
            b"1" * 5000,
            b"nul\x00",
            b"NaN",
            b"1e999",
        ]
    ),
    st.binary(max_size=60),
)


def mutated(example):
    """`example` (a JSON-like dict) with a few of its values replaced, keys added or removed."""
    if not isinstance(example, dict) or not example:
        return JSON_VALUE

    def change(draw):
        data = json.loads(json.dumps(example))
        for _ in range(draw(st.integers(0, 2))):
            if not data:
                data[draw(JSON_TEXT)] = draw(JSON_VALUE)
                continue
            target, key = data, draw(st.sampled_from(list(data)))
            while isinstance(target.get(key), dict) and target[key] and draw(st.booleans()):
                target, key = target[key], draw(st.sampled_from(list(target[key])))
            how = draw(st.sampled_from(["replace", "replace", "add", "remove"]))
            if how == "replace":
                target[key] = draw(JSON_TEXT | JSON_VALUE)
            elif how == "add":
                target[draw(JSON_TEXT)] = draw(JSON_VALUE)
            else:
                del target[key]
        return data

    return st.composite(lambda draw: change(draw))()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    name = name.replace("/", "_").replace("\\", "_")  # the test client sends the base name only
    return SimpleUploadedFile(name if name.strip(".") else "tep", content)


def file_upload():
    return st.builds(
        lambda name, head, tail: _upload(name, head + tail),
        TEXT.map(lambda s: s[:200]),
        st.sampled_from([PNG, PDF, b"RIFF\0\0\0\0WEBP", b"GIF89a", b"MZ", b""]),
        st.binary(max_size=200),
    )


# --- who calls, and on what -------------------------------------------------------------------------------


@pytest.fixture
def world(client, catalogue, agency, citizen, desk, specialist, leader, settings, tmp_path):
    """The people, their tokens and dossiers in every useful status; rate limits out of the way."""
    settings.MEDIA_ROOT = tmp_path
    settings.LOOKUP_RATE_LIMIT = 10**6
    people = {"citizen": citizen, "desk": desk, "specialist": specialist, "leader": leader}
    dossiers = [
        dossier_in(status, people=people, agency=agency)
        for status in (Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT)
    ]
    return {
        "client": client,
        "people": people,
        "tokens": {name: issue_token(user) for name, user in people.items()},
        "codes": [d.code for d in dossiers],
        "phones": ["0912345678"],
        "stats": {"requests": 0, "started": time.monotonic(), "statuses": Counter()},
    }


def _headers(draw, world, persona: str, *, hostile: bool = True) -> dict:
    headers = {"REMOTE_ADDR": f"10.{draw(st.integers(0, 255))}.{draw(st.integers(0, 255))}.1"}
    if persona == "forged":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {draw(TEXT)}"
    elif persona in world["tokens"]:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world['tokens'][persona]}"
    for header in draw(
        st.sets(st.sampled_from(["HTTP_IDEMPOTENCY_KEY", "HTTP_X_FORWARDED_FOR", "HTTP_USER_AGENT"]))
    ):
        headers[header] = draw(TEXT)[:300]
    return headers


def _send(world, method: str, path: str, **kwargs):
    client = world["client"]
    response = client.get(path, **kwargs) if method == "get" else client.post(path, **kwargs)
    world["stats"]["requests"] += 1
    world["stats"]["statuses"][response.status_code] += 1
    assert response.status_code < 500, (method, path, response.status_code)
    return response


def _report(world, name: str, minimum: int) -> None:
    stats = world["stats"]
    seconds = time.monotonic() - stats["started"]
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(stats["statuses"].items()))
    print(f"\n{name}: {stats['requests']} requests in {seconds:.1f} s, no 5xx ({statuses})")
    assert stats["requests"] >= minimum


# --- the API, route by route from its schema --------------------------------------------------------------

EXAMPLE_BODIES = {  # valid bodies, which the fuzz mutates
    "/api/v1/auth/token": [{"username": "0912345678", "password": "demo-2026"}],
    "/api/v1/auth/otp": [{"phone": "0912345678", "purpose": "register"}],
    "/api/v1/auth/register": [{"phone": "0912345678", "otp": "123456", "full_name": "Lê Văn Nam"}],
    "/api/v1/dossiers": [
        {"procedure": BIRTH, "form": BIRTH_FORM},
        {
            "procedure": BIRTH,
            "form": BIRTH_FORM,
            "applicant": {
                "name": "Lê Văn Nam",
                "phone": "0987654321",
                "id_number": "045190012345",
                "address": "x",
            },
        },
    ],
}
ACTION_BODIES = {  # by action; the others take a note
    "forward": {"assignee": 1, "note": "Chuyển xử lý"},
    "request_supplement": {"items": DATA["request_supplement"]["items"], "note": "Thiếu giấy"},
    "request_payment": {"amount_vnd": 8000, "reason": "Lệ phí"},
    "confirm_payment": {"receipt_number": "0001234", "payment_method": "cash", "amount_vnd": 8000},
    "extend": {"new_due_date": "2027-01-05", "note": "Gia hạn"},
    "deliver_result": {"method": "counter"},
}
PATH_VALUES = {
    "action": [
        "receive",
        "refuse",
        "forward",
        "request_supplement",
        "request_payment",
        "confirm_payment",
        "submit_for_approval",
        "approve",
        "return_for_rework",
        "stop",
        "withdraw",
        "extend",
        "deliver_result",
        "supplement",
        "submit",
        "claim",
    ],
    "kind": ["declaration", "receipt", "supplement", "refusal", "result"],
    "fmt": ["pdf", "docx", "exe"],
}


def api_operations(client) -> list[dict]:
    schema = client.get("/api/v1/openapi.json").json()
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            params = operation.get("parameters", [])
            operations.append(
                {
                    "method": method,
                    "path": path,
                    "path_params": [p["name"] for p in params if p["in"] == "path"],
                    "query": [p["name"] for p in params if p["in"] == "query"],
                    "body": next(iter(operation.get("requestBody", {}).get("content", {})), None),
                }
            )
    return operations


PEOPLE = ["citizen", "desk", "specialist", "leader"]


@st.composite
def api_requests(draw, world, operations):
    operation = draw(st.sampled_from(operations))
    # Half the requests are right but for their body or query, so that hostile values reach the services.
    tame = draw(st.booleans())
    persona = draw(st.sampled_from(PEOPLE if tame else ["anonymous", "forged", *PEOPLE]))
    path, chosen = operation["path"], {}
    for name in operation["path_params"]:
        usual = world["codes"] + [BIRTH] if name == "code" else PATH_VALUES.get(name, [])
        if usual:
            chosen[name] = draw(st.sampled_from(usual) if tame else st.one_of(st.sampled_from(usual), TEXT))
        else:
            chosen[name] = draw(TEXT)
        path = path.replace("{" + name + "}", quote(chosen[name], safe="") or "x")
    query = {name: draw(TEXT) for name in operation["query"] if draw(st.booleans())}
    if not tame and draw(st.booleans()):
        query[draw(TEXT)] = draw(TEXT)
    kwargs = {"data": query, **_headers(draw, world, persona, hostile=not tame)}
    if operation["body"] == "application/json":
        examples = EXAMPLE_BODIES.get(
            operation["path"], [ACTION_BODIES.get(chosen.get("action"), {"note": "x"})]
        )
        example = draw(st.sampled_from(examples))
        body = draw(mutated(example) if tame else st.one_of(mutated(example), JSON_VALUE, NOT_JSON))
        kwargs["data"] = body if isinstance(body, bytes) else json.dumps(body)
        kwargs["content_type"] = (
            "application/json" if tame else draw(st.sampled_from(["application/json", "text/plain"]))
        )
        path += "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in query.items())
    elif operation["body"] == "multipart/form-data":
        kwargs["data"] = {"slot": draw(st.sampled_from(["1", "khac"]) | TEXT), "file": draw(file_upload())}
    elif operation["method"] == "post":
        kwargs["data"] = draw(NOT_JSON)
        kwargs["content_type"] = "application/json"
    return operation["method"], path, kwargs


def test_the_api_never_answers_5xx_to_hostile_input(world):
    operations = api_operations(world["client"])
    assert len(operations) >= 18

    @settings(FUZZ, max_examples=API_EXAMPLES)
    @given(request=api_requests(world, operations))
    def call(request):
        method, path, kwargs = request
        _send(world, method, path, **kwargs)

    call()
    _report(world, "API fuzz", minimum=API_EXAMPLES)


# --- the main HTML forms ----------------------------------------------------------------------------------

FORM_VALUES = {k: ("on" if v is True else str(v)) for k, v in BIRTH_FORM.items()}
OFFICE_FIELDS = {
    "note": "Ghi chú",
    "items": "Giấy chứng sinh",
    "amount_vnd": "8000",
    "reason": "Lệ phí",
    "new_due_date": "2027-01-05",
    "method": "counter",
    "assignee": "1",
    "receipt_number": "0001234",
    "payment_method": "cash",
}
INTAKE = {
    "nguoi-nop-applicant_name": "Lê Văn Nam",
    "nguoi-nop-applicant_phone": "0987654321",
    "nguoi-nop-applicant_id_number": "045190012345",
    "nguoi-nop-applicant_address": "Thôn Tân Trại",
    **FORM_VALUES,
}
# (who, method, path, the fields a person fills in)
FORMS = [
    ("anonymous", "get", "/tra-cuu/", {"ma": "000.20.44.H54-261110-0001", "so": "5678"}),
    ("anonymous", "get", "/thu-tuc/", {"q": "khai sinh", "trang": "2"}),
    ("anonymous", "get", "/thu-tuc/{procedure}/", {}),
    ("anonymous", "get", "/tin-tuc/", {"muc": "thong-bao", "trang": "2"}),
    ("anonymous", "get", "/", {"q": "khai sinh"}),
    ("anonymous", "post", "/dang-ky/", {"phone": "0987654321", "full_name": "Lê Văn Nam"}),
    ("anonymous", "post", "/dang-nhap/ma/", {"phone": "0912345678"}),
    ("anonymous", "post", "/dang-nhap/ma/nhap/", {"code": "123456"}),
    ("citizen", "post", "/thu-tuc/{procedure}/nop/buoc/1/", {**FORM_VALUES, "di": "tiep"}),
    ("citizen", "post", "/thu-tuc/{procedure}/nop/buoc/3/", {**FORM_VALUES, "as_written": "child_name"}),
    ("citizen", "post", "/thu-tuc/{procedure}/nop/giay-to/", {"di": "tiep", "xoa": "1"}),
    ("citizen", "post", "/thu-tuc/{procedure}/nop/xem-lai/", {}),
    ("citizen", "post", "/thu-tuc/{procedure}/nop/xoa/", {}),
    ("citizen", "post", "/ho-so/{code}/bo-sung/", {"note": "Đã gửi"}),
    ("citizen", "post", "/ho-so/{code}/rut/", {"note": "Không cần nữa"}),
    ("citizen", "post", "/ho-so/nhan/", {"ma": "000.20.44.H54-261110-0001", "otp": "123456"}),
    ("citizen", "get", "/ho-so/{code}/", {"moi": "1"}),
    (
        "desk",
        "get",
        "/can-bo/",
        {"q": "Hường", "trang-thai": "1", "thu-tuc": BIRTH, "qua-han": "1", "trang": "2"},
    ),
    ("desk", "post", "/can-bo/ho-so/{code}/xu-ly/{action}/", OFFICE_FIELDS),
    ("specialist", "post", "/can-bo/ho-so/{code}/xu-ly/{action}/", OFFICE_FIELDS),
    ("leader", "post", "/can-bo/ho-so/{code}/xu-ly/{action}/", OFFICE_FIELDS),
    ("desk", "get", "/can-bo/tiep-nhan/", {"q": "khai sinh"}),
    ("desk", "post", "/can-bo/tiep-nhan/{procedure}/", INTAKE),
    (
        "desk",
        "post",
        "/can-bo/cong-dan/",
        {"sdt": "0912345678", "viec": "xac-thuc", "id_number": "045190012345"},
    ),
    ("anonymous", "post", "/dang-nhap/", {"username": "0912345678", "password": "demo-2026"}),
    ("anonymous", "post", "/quan-tri/login/", {"username": "quantri", "password": "demo-2026"}),
]


@st.composite
def form_requests(draw, world):
    persona, method, path, usual = draw(st.sampled_from(FORMS))
    tame = draw(st.booleans())  # right in all but one or two fields, as in api_requests

    def path_value(values):
        value = draw(st.sampled_from(values) if tame else st.one_of(st.sampled_from(values), TEXT))
        return quote(value, safe="") or "x"

    path = path.format(
        procedure=path_value([BIRTH, "1.001193", "2.000986"]),
        code=path_value(world["codes"]),
        action=draw(st.sampled_from(PATH_VALUES["action"])),
    )
    fields = {key: value for key, value in usual.items() if tame or draw(st.integers(0, 5))}
    for key in draw(st.lists(st.sampled_from(sorted(usual)), min_size=1, max_size=2)) if usual else []:
        fields[key] = draw(TEXT)
    if not tame and draw(st.integers(0, 4)) == 0:
        fields[draw(TEXT)] = draw(TEXT)
    if method == "post" and persona == "citizen" and draw(st.booleans()):
        fields[draw(st.sampled_from(["file-1", "file-2", "file-khac"]))] = draw(file_upload())
    return persona, method, path, fields, _headers(draw, world, "browser", hostile=not tame)


def test_the_html_forms_never_answer_5xx_to_hostile_input(world):
    client, people = world["client"], world["people"]

    @settings(FUZZ, max_examples=FORM_EXAMPLES)
    @given(request=form_requests(world))
    def submit(request):
        persona, method, path, fields, headers = request
        client.logout()
        if persona in people:
            client.force_login(people[persona])
        _send(world, method, path, data=fields, **headers)

    submit()
    _report(world, "HTML forms fuzz", minimum=FORM_EXAMPLES)
