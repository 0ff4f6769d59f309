"""The persona sweep: every URL pattern of the site, as every persona, against the written table.

Routes come from Django's resolver (pages, the JSON API under /api/v1/, the Django admin); their URL
parameters are filled with real objects: citizen A's dossier at Vĩnh Linh (awaiting its fee, with a
file, a draft with a file, an outgoing text that failed, a national-portal record that failed, an unmatched
bank credit). Each persona GETs
every route, and POSTs to every route it must not reach.

What each persona should get is read from two written tables:
- the access policy (motcua/policy.py): who passes a route at all — nobody signed in is sent to sign in
  (401 from the API), someone without the permission gets 404;
- `ANSWERS` below: past the policy, what the route answers and who reaches its object (A's dossier is
  A's and Vĩnh Linh's officers'; anyone else gets 404, like an unknown code).
A route missing from either table fails the sweep. And nobody outside (citizen B, the other commune's
officer, the community team member, nobody signed in) ever reads A's name, phone or ID number, nor
changes anything with a POST.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from motcua import policy
from motcua.accounts.access import subject_of
from motcua.accounts.models import User
from motcua.accounts.services import issue_token
from motcua.catalog.services import get_procedure
from motcua.dossiers import services as dossiers
from motcua.dossiers.models import Attachment, Dossier, Event, ResultFile
from motcua.dossiers.tests.factories import BIRTH, BIRTH_FORM, file_birth
from motcua.dossiers.tests.test_bundles import JOINED_FORM
from motcua.feedback.services import send_feedback
from motcua.nationalportal.models import SyncRecord
from motcua.notifications.models import Message
from motcua.outreach import help as help_requests
from motcua.payments import services as payments
from motcua.payments.models import BankTransaction, PaymentRequest, Refund

pytestmark = pytest.mark.django_db


# The portal's demo news (the `content` fixture loads it; the api app does not import the portal).
DEMO_CONTENT = Path(__file__).resolve().parents[2] / "portal" / "data" / "demo_content.json"
LIFE_EVENT = "gia-dinh-co-em-be"  # one of the catalogue's life events
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PERSONAS = {
    "anonymous": None,
    "citizen_a": "citizen",
    "citizen_b": "other_citizen",
    "community": "community",
    "onestop": "desk",
    "specialist": "specialist",
    "leader": "leader",
    # The chief of the commune police, an officer of Vĩnh Linh working for its police (agencies.Body): reads
    # the commune's dossiers as its other officers do, and acts only on residence (dossiers/test_bodies.py).
    "police": "police",
    "admin": "administrator",
    "other_commune": "other_desk",
}
# Citizen A's words that nobody outside may read (the caller's own request may carry some: not counted).
A_MARKERS = ("Nguyễn Thị Hường", "0912345678", "912345678", "0912 345 678", "045190012345")
OUTSIDERS = {"anonymous", "citizen_b", "community", "other_commune"}

SIGN_IN = "sign-in"  # a page: 302 to /dang-nhap/?next=<the page>; the API: 401
A = frozenset({"citizen_a"})
A_AND_COMMUNE = frozenset({"citizen_a", "onestop", "specialist", "leader", "police", "admin"})
COMMUNE = A_AND_COMMUNE - A
EVERYONE = None
# Vĩnh Linh's help queue: A's request waits for the desk, the community member does not have it.
HELPERS = frozenset({"onestop", "leader", "police", "admin"})
TEAM = HELPERS | {"community"}


@dataclass(frozen=True)
class Answer:
    """Past the policy: the GET answer for those who reach the route's object; 404 for the others."""

    get: int | frozenset[int] = 200
    reached_by: frozenset[str] | None = EVERYONE
    names_a: bool = False  # the path names citizen A though the page is everyone's: outsiders POST too
    own: bool = False  # a POST acts on the caller's own commune's things, never A's (outreach)


SERVED_BY_POST = Answer(get=405)  # GET is refused the same way for everyone past the policy
# The same, for a POST that whoever the policy lets in uses on their own commune's things (a bulletin, its
# schedule): an officer of another commune or the community team is not an outsider there.
OWN_POST = Answer(get=405, own=True)

# Past the policy's gate, route by route. Public routes answer the same to everybody, except where a
# persona is named.
ANSWERS: dict[str, Answer] = {
    # the portal
    "": Answer(),
    "tin-tuc/": Answer(),
    "tin-tuc/<slug:slug>/": Answer(),
    "trang/<slug:slug>/": Answer(),
    "thu-tuc/": Answer(),
    "thu-tuc/<str:code>/": Answer(),
    "su-kien/": Answer(),
    "su-kien/<slug:slug>/": Answer(),
    "tra-cuu/": Answer(),
    "tra-cuu/<str:token>/": Answer(),  # A's receipt's QR code: her dossier's status, her name nowhere
    "ho-so/<str:code>/qr.svg": Answer(),
    "thu-tuc/<str:code>/ap-phich.pdf": Answer(),
    "thu-tuc/<str:code>/to-roi.pdf": Answer(),
    "su-kien/<slug:slug>/ap-phich.pdf": Answer(),
    "su-kien/<slug:slug>/to-roi.pdf": Answer(),
    "thu-tuc/<str:code>/loa/": Answer(),
    "thu-tuc/<str:code>/loa.mp3": Answer(get=404),  # no worker ran in this world: no sound yet
    "thu-nop/<str:code>/": Answer(),  # practice filing: each visitor's own run, nothing stored
    "thu-nop/<str:code>/buoc/<int:step>/": Answer(),
    "thu-nop/<str:code>/giay-to/": Answer(),
    "thu-nop/<str:code>/xem-lai/": Answer(),
    "thu-nop/<str:code>/can-bo-xem/": Answer(),
    "thu-nop/<str:code>/giay-hen/": Answer(),
    "thanh-toan/ket-qua/": Answer(get=400),  # refuses an unsigned result
    "i18n/setlang/": Answer(get=302),
    "ngon-ngu/": Answer(get=302),
    "healthz": Answer(),
    "readyz": Answer(get=503),  # no worker ran its heartbeat in this world
    "metrics": Answer(get=404),  # no METRICS_TOKEN here: the same 404 for everybody
    # ways in
    "dang-nhap/": Answer(),
    "dang-xuat/": SERVED_BY_POST,
    "dang-xuat/moi-noi/": SERVED_BY_POST,
    "dang-ky/": Answer(),
    "dang-ky/nhap-ma/": Answer(get=302),  # back to step 1 without the phone of step 1
    "dang-nhap/ma/": Answer(),
    "dang-nhap/ma/nhap/": Answer(get=302),
    "dang-nhap/ban-la-ai/": Answer(get=302),  # back to sign in without a code or password just before
    "dang-nhap/vneid/": Answer(),  # VNeID is not configured here: says so, and the other ways in
    "dang-nhap/vneid/ve/": Answer(),
    # one's own things
    "thu-tuc/<str:code>/nop/": Answer(),  # step 1; A has a draft: to where it stopped (PERSONA_GET)
    "thu-tuc/<str:code>/nop/buoc/<int:step>/": Answer(),  # each person's own draft, or none yet
    "thu-tuc/<str:code>/nop/giay-to/": Answer(),
    "thu-tuc/<str:code>/nop/xem-lai/": Answer(get=302),  # no draft: back to the form (A's: PERSONA_GET)
    "thu-tuc/<str:code>/nop/xoa/": Answer(get=302),  # no draft: to "Hồ sơ của tôi" (A's: PERSONA_GET)
    "thu-tuc/<str:code>/nop/tep/<int:pk>/": Answer(reached_by=A),  # A's draft's file
    "ho-so/": Answer(),
    "ho-so/nhan/": Answer(),
    "ho-so/<str:code>/": Answer(reached_by=A),
    "ho-so/lien-thong/<str:code>/": Answer(reached_by=A),  # A's joined-up filing: hers alone
    "ho-so/<str:code>/bo-sung/": SERVED_BY_POST,
    "ho-so/<str:code>/rut/": SERVED_BY_POST,
    "ho-so/<str:code>/tep/<int:pk>/": Answer(reached_by=A_AND_COMMUNE),
    "ho-so/<str:code>/ket-qua/<int:pk>/": Answer(reached_by=A_AND_COMMUNE),
    "ho-so/<str:code>/van-ban/": Answer(reached_by=A_AND_COMMUNE),
    "ho-so/<str:code>/van-ban/<slug:kind>.<str:fmt>": Answer(reached_by=A_AND_COMMUNE),
    "ho-so/<str:code>/thanh-toan/qr.svg": Answer(reached_by=A_AND_COMMUNE),
    "ho-so/<str:code>/thanh-toan/vnpay/": SERVED_BY_POST,
    "ho-so/<str:code>/thanh-toan/dvcqg/": SERVED_BY_POST,
    "thong-bao/": Answer(),
    "thong-bao/cach-nhan/": Answer(),
    # the back office: each officer's own agency; A's dossier is Vĩnh Linh's
    "can-bo/": Answer(),
    "can-bo/ho-so/<str:code>/": Answer(reached_by=COMMUNE),
    "can-bo/ho-so/<str:code>/xu-ly/<str:action>/": SERVED_BY_POST,
    "can-bo/ho-so/<str:code>/mien-phi/": SERVED_BY_POST,
    # A's dossier waits for its fee: past reception, so the correction page sends the officer back to it.
    "can-bo/ho-so/<str:code>/sua-to-khai/": Answer(get=302, reached_by=COMMUNE),
    "can-bo/ho-so/<str:code>/tep/": SERVED_BY_POST,
    "can-bo/tiep-nhan/": Answer(),
    "can-bo/tiep-nhan/<str:procedure_code>/": Answer(),
    # Asked for A's phone: Vĩnh Linh's desk finds her; another commune's is told she is not theirs.
    "can-bo/cong-dan/": Answer(names_a=True),
    "can-bo/thanh-toan/": Answer(),  # the refund A is owed is listed for Vĩnh Linh's officers only
    "can-bo/thanh-toan/hoan-tra/<int:pk>/": SERVED_BY_POST,
    "can-bo/thanh-toan/bien-lai/<int:pk>/phat-hanh/": SERVED_BY_POST,
    "can-bo/tin-nhan/": Answer(),
    "can-bo/tin-nhan/<int:pk>/gui-lai/": SERVED_BY_POST,
    "can-bo/so-theo-doi/": Answer(),
    "can-bo/dong-bo/": Answer(),
    "can-bo/dong-bo/<int:pk>/gui-lai/": SERVED_BY_POST,
    # outreach: nothing in it is about a person; each commune its own bulletins and schedule
    "can-bo/ap-phich/": Answer(),
    "can-bo/ap-phich/in.pdf": Answer(get=302),  # nothing chosen: back to the page, with a word
    "can-bo/loa/": Answer(),
    "can-bo/loa/<str:code>/": Answer(),
    "can-bo/loa/<str:code>/tao-am-thanh/": OWN_POST,
    "can-bo/loa/<str:code>/thu-am/": OWN_POST,
    "can-bo/loa/<str:code>/trang-thai/": Answer(),
    "can-bo/loa/<str:code>/am-thanh.mp3": Answer(get=404),  # no sound yet
    "can-bo/lich-phat-loa/": Answer(),
    "can-bo/lich-phat-loa/<int:pk>/da-phat/": OWN_POST,
    "can-bo/lich-phat-loa/<int:pk>/xoa/": OWN_POST,
    # campaigns (outreach/tests/test_campaigns.py reaches a real one; none has pk 1 here)
    "can-bo/chien-dich/": Answer(),
    "can-bo/chien-dich/moi/": Answer(),
    "can-bo/chien-dich/<int:pk>/": Answer(get=404),
    "can-bo/chien-dich/<int:pk>/sua/": Answer(get=404),
    "can-bo/chien-dich/<int:pk>/gui-tin/": OWN_POST,
    "tu-choi-tin/<str:token>/": Answer(get=404),  # not an opt-out token
    # help on request: A asked for help; her request waits for Vĩnh Linh's desk (no team member has it)
    "ho-tro/": Answer(),
    "ho-tro/da-gui/": Answer(),
    "can-bo/ho-tro/": Answer(),  # each officer's own commune's; a team member only what is given to them
    "can-bo/ho-tro/<int:pk>/": Answer(reached_by=HELPERS),
    "can-bo/ho-tro/<int:pk>/nhan/": SERVED_BY_POST,
    "can-bo/ho-tro/<int:pk>/giao/": SERVED_BY_POST,
    "can-bo/ho-tro/<int:pk>/ghi/": SERVED_BY_POST,
    "can-bo/ho-tro/<int:pk>/dong/": SERVED_BY_POST,
    "can-bo/to-cong-nghe/": Answer(),
    "can-bo/to-cong-nghe/<int:pk>/": Answer(reached_by=TEAM),  # the community member's own page
    "can-bo/to-cong-nghe/<int:pk>/thon/": SERVED_BY_POST,
    # statistics: counts for everyone; each officer their own agency's, the administrator every commune's
    "thong-ke/": Answer(),
    "thong-ke/chi-so.csv": Answer(),
    "thong-ke/chi-so.xlsx": Answer(),
    "can-bo/thong-ke/": Answer(),
    "can-bo/thong-ke/ho-so/<str:kind>/": Answer(),  # the agency's overdue dossiers: each officer's own
    "can-bo/thong-ke/tinh/": Answer(),
    # feedback and the rating: A's complaint about her dossier, with a file; her dossier is not delivered yet
    "phan-anh/": Answer(),
    "phan-anh/da-gui/": Answer(get=302),  # nothing sent in this session: back to the form
    "phan-anh/xem/<str:key>/": Answer(),  # the key from A's text: her question and its answer, no name
    "ho-so/<str:code>/danh-gia/": Answer(get=302, reached_by=A),  # not delivered: back to her dossier
    "can-bo/ho-so/<str:code>/danh-gia/": Answer(get=302, reached_by=frozenset({"onestop"})),  # the desk's
    "can-bo/phan-anh/": Answer(),  # each commune its own queue
    "can-bo/phan-anh/<int:pk>/": Answer(reached_by=COMMUNE),
    "can-bo/phan-anh/<int:pk>/tep/": Answer(reached_by=COMMUNE),
    # the JSON API
    "api/v1/": Answer(get=404),
    "api/v1/openapi.json": Answer(),
    "api/v1/auth/token": SERVED_BY_POST,
    "api/v1/auth/otp": SERVED_BY_POST,
    "api/v1/auth/register": SERVED_BY_POST,
    "api/v1/procedures": Answer(),
    "api/v1/procedures/<code>": Answer(),
    "api/v1/lookup": Answer(get=404),  # no code given
    "api/v1/dossiers": Answer(),
    "api/v1/dossiers/<code>": Answer(reached_by=A_AND_COMMUNE),
    "api/v1/dossiers/<code>/attachments": SERVED_BY_POST,
    "api/v1/dossiers/<code>/actions/<action>": SERVED_BY_POST,
    "api/v1/dossiers/<code>/results": SERVED_BY_POST,
    "api/v1/dossiers/<code>/results/<pk>": Answer(reached_by=A_AND_COMMUNE),
    "api/v1/dossiers/<code>/payment": Answer(reached_by=A_AND_COMMUNE),
    "api/v1/dossiers/<code>/payment/vnpay": SERVED_BY_POST,
    "api/v1/dossiers/<code>/documents": Answer(reached_by=A_AND_COMMUNE),
    "api/v1/dossiers/<code>/documents/<kind>.<fmt>": Answer(reached_by=A_AND_COMMUNE),
    "api/v1/notifications": Answer(),
    "api/v1/stats": Answer(),
    "api/v1/notifications/receipts/esms/<message_id>/<signature>": Answer(get=404),  # a wrong signature
    "api/v1/payments/vnpay/ipn": Answer(),  # answers {"RspCode": "97"} to an unsigned call
    "api/v1/payments/bank": SERVED_BY_POST,
    "api/v1/payments/sepay": SERVED_BY_POST,
    "api/v1/payments/casso": SERVED_BY_POST,
    # the Django admin's own sign-in: a staff member already in is sent on to the admin
    "quan-tri/login/": Answer(),
}
# The Django admin's generated pages: past the policy's gate (staff only) the admin answers for itself —
# a page, a redirect for an object that does not exist, 403 for what no one may add, 404 for nothing.
ADMIN_ANSWER = Answer(get=frozenset({200, 302, 403, 404, 405}))
PERSONA_GET = {
    ("quan-tri/login/", "admin"): 302,
    # Citizen A has a draft of the birth registration: the entry goes on where it stopped, the review and
    # the deletion page show it.
    ("thu-tuc/<str:code>/nop/", "citizen_a"): 302,
    ("thu-tuc/<str:code>/nop/xem-lai/", "citizen_a"): 200,
    ("thu-tuc/<str:code>/nop/xoa/", "citizen_a"): 200,
}


def all_routes(patterns=None, prefix: str = "") -> list[tuple[str, str]]:
    """(route as the policy names it, a path to ask for it), for every URL pattern, in URLconf order."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern).lstrip("^")
        if isinstance(entry, URLResolver):
            found += all_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            found.append(route)
    return list(dict.fromkeys(found))


def answer_for(route: str) -> Answer:
    if route in ANSWERS:
        return ANSWERS[route]
    if policy.rule_for(route) == policy.PREFIX_RULES["quan-tri/"]:
        return ADMIN_ANSWER
    raise AssertionError(
        f"{route!r}: write what it answers in ANSWERS (motcua/api/tests/test_policy_sweep.py)"
    )


# --- the world ------------------------------------------------------------------------------------------


@pytest.fixture
def world(catalogue, content, agency, other_agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    agency.bank_bin, agency.bank_account, agency.bank_name = "970415", "113000000001", "VietinBank"
    agency.bank_account_name = "UBND XA VINH LINH"
    agency.save()
    return agency


@pytest.fixture
def people(world, request):
    return {name: request.getfixturevalue(fixture) if fixture else None for name, fixture in PERSONAS.items()}


@pytest.fixture
def objects(people, agency):
    """Citizen A's dossier at Vĩnh Linh, awaiting its fee, with all that hangs from it."""
    a = people["citizen_a"]
    dossier = file_birth(a, agency)
    upload = SimpleUploadedFile("giay-chung-sinh.pdf", PDF, content_type="application/pdf")
    attachment = dossiers.add_attachment(dossier, upload=upload, slot="1", by=a)
    for action, who, data in [
        ("receive", "onestop", {}),
        ("forward", "onestop", {}),
        ("request_payment", "specialist", {"amount_vnd": 8000, "reason": "Lệ phí cấp bản sao trích lục"}),
    ]:
        dossier = dossiers.perform(dossier, action, by=people[who], note="Ghi chú", data=data)
    draft = dossiers.start_draft(procedure=get_procedure(BIRTH), applicant=a, agency=agency)
    upload = SimpleUploadedFile("ban-nhap.pdf", PDF, content_type="application/pdf")
    draft_file = dossiers.add_attachment(draft, upload=upload, slot="1", by=a)
    failed = Message.objects.filter(dossier=dossier, channel="sms").order_by("pk").first()
    Message.objects.filter(pk=failed.pk).update(status="failed")
    unsynced = SyncRecord.objects.filter(dossier=dossier).order_by("pk").first()
    SyncRecord.objects.filter(pk=unsynced.pk).update(state="failed")
    payments.record_bank_credit(
        agency,
        bank_ref="FT26333001",
        amount_vnd=8000,
        memo="Nguyễn Thị Hường nộp phí",
        booked_at=None,
        source="sweep",
    )
    # A second dossier of A's, paid in cash and withdrawn: the desk owes her the fee back.
    paid = file_birth(a, agency, form={**BIRTH_FORM, "child_birth_date": "2025-01-05"})
    paid = dossiers.perform(paid, "confirm_payment", by=people["onestop"], data={"receipt_number": "BL-1"})
    dossiers.perform(paid, "withdraw", by=a)
    # A result file, to sweep its routes. Attached only in status 9 in real life (motcua/dossiers/tests/
    # test_result_online.py takes that road); reaching the file does not depend on the status.
    result = ResultFile(dossier=dossier, name="trich-luc.pdf", size=len(PDF), sha256="0" * 64)
    result.content_type, result.uploaded_by = "application/pdf", people["leader"]
    result.file.save("trich-luc.pdf", ContentFile(PDF))
    # A asked for help on /ho-tro/; nobody covers her village, so it waits for the desk.
    asked = help_requests.ask(agency, name="Nguyễn Thị Hường", phone="+84912345678", need="Khai sinh")
    # A's joined-up birth filing (2.000986): a bundle of three dossiers, one per body.
    a.identity_level = 3
    a.save(update_fields=["identity_level"])
    joined = dossiers.file_online(
        procedure=get_procedure("2.000986"), applicant=a, agency=agency, form=JOINED_FORM
    )
    upload = SimpleUploadedFile("anh.pdf", PDF, content_type="application/pdf")
    complaint, _texted = send_feedback(
        kind="phan_anh",
        text="Tôi chờ trả kết quả đã lâu mà chưa thấy báo.",
        name="Nguyễn Thị Hường",
        phone=a.phone,
        dossier_code=dossier.code,
        consent=False,
        upload=upload,
    )
    demo = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))
    return {
        "help": asked.pk,
        "member": people["community"].pk,
        "bundle": joined.bundle.code,
        "feedback": complaint.pk,
        "feedback_key": complaint.key,
        "result": result.pk,
        "code": dossier.code,
        "attachment": attachment.pk,
        "draft_file": draft_file.pk,
        "message": failed.pk,
        "sync_record": unsynced.pk,
        "article": demo["articles"][0]["slug"],
        "page": demo["pages"][0]["slug"],
        "citizen_a": a.pk,
        "refund": Refund.objects.get().pk,
    }


def fill(route: str, objects: dict) -> str:
    """A path for `route`, its parameters filled with citizen A's objects."""
    special = {  # the Django admin's regex routes
        "quan-tri/(?P<app_label>": "/quan-tri/accounts/",
        "quan-tri/(?P<url>.*)$": "/quan-tri/khong-co/",
    }
    for start, path in special.items():
        if route.startswith(start):
            return path
    pk = {
        "thu-tuc/<str:code>/nop/tep/<int:pk>/": objects["draft_file"],
        "ho-so/<str:code>/tep/<int:pk>/": objects["attachment"],
        "ho-so/<str:code>/ket-qua/<int:pk>/": objects["result"],
        "api/v1/dossiers/<code>/results/<pk>": objects["result"],
        "can-bo/tin-nhan/<int:pk>/gui-lai/": objects["message"],
        "can-bo/thanh-toan/hoan-tra/<int:pk>/": objects["refund"],
        "can-bo/dong-bo/<int:pk>/gui-lai/": objects["sync_record"],
        **{r: objects["help"] for r in ANSWERS if r.startswith("can-bo/ho-tro/<int:pk>/")},
        **{r: objects["member"] for r in ANSWERS if r.startswith("can-bo/to-cong-nghe/<int:pk>/")},
        "can-bo/phan-anh/<int:pk>/": objects["feedback"],
        "can-bo/phan-anh/<int:pk>/tep/": objects["feedback"],
    }

    slugs = {"tin-tuc/": objects["article"], "su-kien/": LIFE_EVENT}

    def value(match: re.Match) -> str:
        name = match.group(2)
        fillers = {
            "code": BIRTH
            if route.startswith(("thu-tuc/", "thu-nop/", "api/v1/procedures/", "can-bo/loa/"))
            else objects["bundle"]
            if route.startswith("ho-so/lien-thong/")
            else objects["code"],
            "procedure_code": BIRTH,
            "pk": str(pk.get(route, 1)),
            "action": "receive",
            "step": "1",
            "slug": next((v for k, v in slugs.items() if route.startswith(k)), objects["page"]),
            "kind": "dang-qua-han" if route.startswith("can-bo/thong-ke/") else "to-khai",
            "fmt": "docx",
            "message_id": str(objects["message"]),
            "signature": "khong-dung",
            "id": str(objects["citizen_a"]),
            "object_id": str(objects["citizen_a"]),
            "content_type_id": "1",
            "token": dossiers.lookup_token(objects["code"]),
            "key": objects["feedback_key"],
        }
        assert name in fillers, f"add a real value for <{name}> in {route!r}"
        return fillers[name]

    path = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)
    assert "(?P<" not in path, f"{route!r} is a regex route: teach fill() about it"
    return path + ("?sdt=0912345678" if route == "can-bo/cong-dan/" else "")


# --- asking ---------------------------------------------------------------------------------------------


def expected(persona: str, user, route: str) -> int | frozenset[int] | str:
    rule, answer = policy.rule_for(route), answer_for(route)
    assert rule is not None, f"{route!r} has no rule in motcua/policy.py"
    if rule.permission != policy.PUBLIC:
        if user is None:
            return SIGN_IN
        if not policy.allows(subject_of(user), rule.permission):
            return 404
    if (route, persona) in PERSONA_GET:
        return PERSONA_GET[route, persona]
    if answer.reached_by is not EVERYONE and persona not in answer.reached_by:
        return 404 if answer.get != 405 else 405
    return answer.get


def matches(response, want, path: str) -> bool:
    if want == SIGN_IN:
        if path.startswith("/api/"):
            return response.status_code == 401
        return response.status_code == 302 and response["Location"].startswith("/dang-nhap/?next=")
    return response.status_code in want if isinstance(want, frozenset) else response.status_code == want


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def leaks(response, path: str) -> list[str]:
    text = body(response)
    return [m for m in A_MARKERS if m in text and m not in path and m.replace(" ", "") not in path]


def snapshot() -> tuple:
    """What no outsider's POST may change."""
    a = User.objects.get(username="+84912345678")
    return (
        list(
            Dossier.objects.order_by("pk").values_list("pk", "status", "substate", "updated_at", "applicant")
        ),
        Event.objects.count(),
        Attachment.objects.count(),
        ResultFile.objects.count(),
        list(Message.objects.order_by("pk").values_list("pk", "status")),
        list(SyncRecord.objects.order_by("pk").values_list("pk", "state", "attempts")),
        list(BankTransaction.objects.order_by("pk").values_list("pk", "resolved", "match")),
        list(PaymentRequest.objects.order_by("pk").values_list("pk", "state", "amount_vnd")),
        list(Refund.objects.order_by("pk").values_list("pk", "refunded_at", "reference")),
        (a.phone, a.identity_level, a.id_number, a.is_active, a.session_epoch, a.password),
    )


class Visitor:
    def __init__(self, client, user):
        self.client = client
        self.token = issue_token(user) if user is not None else None
        if user is not None:
            client.force_login(user)

    def ask(self, method: str, path: str):
        if path.startswith("/api/"):
            headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}
            if method == "post":
                return self.client.post(path, {}, content_type="application/json", **headers)
            return self.client.get(path, **headers)
        return getattr(self.client, method)(path)


ROUTES = all_routes()


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_route_answers_each_persona_as_the_tables_say(client, people, objects, persona):
    user = people[persona]
    visitor = Visitor(client, user)
    wrong, leaked = [], []

    for route in ROUTES:
        path = fill(route, objects)
        want = expected(persona, user, route)
        response = visitor.ask("get", path)
        if not matches(response, want, path):
            wrong.append(f"GET {path} ({route}): {response.status_code}, the tables say {want}")
        if persona in OUTSIDERS and (found := leaks(response, path)):
            leaked.append(f"GET {path}: {found}")

    assert wrong == [], "\n".join(wrong)
    assert leaked == [], "\n".join(leaked)


@pytest.mark.parametrize("persona", sorted(OUTSIDERS))
def test_nobody_outside_changes_anything_or_reads_citizen_a_with_a_post(client, people, objects, persona):
    user = people[persona]
    visitor = Visitor(client, user)
    before = snapshot()
    wrong, leaked = [], []

    for route in ROUTES:
        rule, answer = policy.rule_for(route), answer_for(route)
        want = expected(persona, user, route)
        turned_away = want in (SIGN_IN, 404) or (want == 405 and not answer.own)
        if rule.permission == policy.PUBLIC or not (turned_away or answer.names_a):
            continue  # open to all, or theirs to use: not an outsider's POST
        path = fill(route, objects)
        response = visitor.ask("post", path)
        # Past the policy a view may refuse the method (405) or the empty body (422) before it looks.
        allowed = (405, 422) if turned_away else (200, 405, 422)
        if not (
            matches(response, SIGN_IN if want == SIGN_IN else 404, path) or response.status_code in allowed
        ):
            wrong.append(f"POST {path} ({route}): {response.status_code}, expected {want}")
        if found := leaks(response, path):
            leaked.append(f"POST {path}: {found}")

    assert wrong == [], "\n".join(wrong)
    assert leaked == [], "\n".join(leaked)
    assert snapshot() == before


def test_the_sweep_covers_every_route_and_persona():
    # Guards the sweep itself: the resolver walk found the pages, the API and the admin.
    site = [r for r in ROUTES if not r.startswith("quan-tri/")]
    assert {"", "ho-so/<str:code>/", "can-bo/thanh-toan/", "api/v1/dossiers/<code>"} <= set(site)
    assert len(ROUTES) > 100 and len(PERSONAS) == 10
    assert not set(ANSWERS) - set(ROUTES), "ANSWERS names routes that no longer exist"
