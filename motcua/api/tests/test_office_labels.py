"""Wall 11 of issue 11: the officer pages showed raw values ("counter", "verified_at_desk", "8000").

Every officer page is rendered with realistic data that holds every filing channel, payment method, result
method, sub-state, payment and bank-matching state, message channel and status, and identity level. The
text a person sees (HTML parsed, scripts and attributes left out, except those read aloud or shown) must
name them in words: no stored code as a whole word, money as "8.000 đồng", dates as dd/mm/yyyy.
"""

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.accounts import services as accounts
from motcua.accounts.models import ACCOUNT_ACTIONS, AccountEvent, User
from motcua.agencies.models import Role
from motcua.dossiers import services as dossiers
from motcua.dossiers.actions import (
    ACTIONS,
    MONEY_PROBLEM_WORDS,
    PAYMENT_METHODS,
    REFUND_METHODS,
    RESULT_METHODS,
)
from motcua.dossiers.lifecycle import SYSTEM_ACTOR
from motcua.dossiers.models import Channel, Dossier, Status, Substate
from motcua.dossiers.tests.factories import BIRTH, TYPED_FORM, dossier_in, filed_at_counter
from motcua.nationalportal.models import Problem as SyncProblem
from motcua.nationalportal.models import SyncRecord, SyncState
from motcua.notifications.models import Channel as MessageChannel
from motcua.notifications.models import Message, MessageStatus
from motcua.payments import services as payments
from motcua.payments.models import Attempt, BankTransaction, PaymentRequest, Refund

pytestmark = pytest.mark.django_db

AMOUNT = 8000
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PROVIDERS = ["console", "email", "esms", "esms_backup", "zalo"]  # the built-in ones and the settings' own


def raw_codes() -> set[str]:
    """Every stored code an officer page could show: choices' values, methods, account and action names."""
    choices = [
        Substate,
        PaymentRequest.State,
        Attempt.State,
        Attempt.Problem,
        BankTransaction.Match,
        Refund.Method,
        SyncState,
        SyncProblem,
        MessageChannel,
        MessageStatus,
        Role,
    ]
    codes = {str(value) for kind in choices for value in kind.values if value}
    codes |= set(RESULT_METHODS) | set(PAYMENT_METHODS) | set(REFUND_METHODS) | set(MONEY_PROBLEM_WORDS)
    codes |= set(ACTIONS) | set(PROVIDERS) | set(ACCOUNT_ACTIONS) | {"webhook", "statement"}
    return codes


class Visible(HTMLParser):
    """The text a sighted or a screen-reader user meets: text nodes outside <script>/<style>, and the
    attributes shown or read aloud (alt, title, aria-label, placeholder, a button's value)."""

    SHOWN = ("alt", "title", "aria-label", "placeholder")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        values = dict(attrs)
        self.parts += [values[name] for name in self.SHOWN if values.get(name)]
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def raw_in(text: str, codes: set[str]) -> list[str]:
    found = [code for code in codes if re.search(rf"(?<![\w@./-]){re.escape(code)}(?![\w@/-])", text)]
    if re.search(rf"(?<![\d.]){AMOUNT}(?![\d.])", text):
        found.append(str(AMOUNT))
    found += re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text)  # an ISO date
    return sorted(found)


# --- the world --------------------------------------------------------------------------------------------


def pay(people, agency, method: str) -> Dossier:
    dossier = dossier_in(Status.PAYMENT, people=people, agency=agency)
    if method == "vietqr":  # a transfer the bank reports, matched by the fee's reference
        request = PaymentRequest.objects.get(dossier=dossier, state=PaymentRequest.State.PENDING)
        memo = f"{request.reference} Nguyen Thi Huong nop phi"
        payments.record_bank_credit(
            agency,
            bank_ref=f"FT{request.pk:08d}",
            amount_vnd=AMOUNT,
            memo=memo,
            booked_at=None,
            source="webhook",
        )
        return Dossier.objects.get(pk=dossier.pk)
    if method in ("cash", "exempt"):
        data = {"receipt_number": "BL-0001234", "payment_method": method, "amount_vnd": AMOUNT}
        return dossiers.perform(dossier, "confirm_payment", by=people["desk"], note="Thu tại quầy", data=data)
    data = {"amount_vnd": AMOUNT, "payment_method": method}
    return dossiers.perform(dossier, "payment_received", by=SYSTEM_ACTOR, data=data)


def deliver(people, agency, method: str) -> Dossier:
    dossier = dossier_in(Status.DONE, people=people, agency=agency)
    if method == "online":
        result = SimpleUploadedFile("trich-luc-khai-sinh.pdf", PDF)
        dossier = dossiers.perform(dossier, "attach_result", by=people["desk"], data={"result_file": result})
    return dossiers.perform(dossier, "deliver_result", by=people["desk"], data={"method": method})


@pytest.fixture
def world(catalogue, agency, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    desk, leader = people["desk"], people["leader"]
    made: list[Dossier] = []
    made += [pay(people, agency, method) for method in PAYMENT_METHODS]
    made += [deliver(people, agency, method) for method in RESULT_METHODS]
    # every sub-state
    made.append(dossier_in(Status.PROCESSING, people=people, agency=agency, awaiting_approval=True))
    rework = dossier_in(Status.PROCESSING, people=people, agency=agency, awaiting_approval=True)
    made.append(dossiers.perform(rework, "return_for_rework", by=leader, note="Sai ngày sinh"))
    supplement = dossier_in(Status.SUPPLEMENT, people=people, agency=agency)
    made.append(dossiers.perform(supplement, "supplement", by=people["citizen"], note="Đã gửi"))
    # every channel, a corrected declaration, a postponed date, counter scans
    counter = filed_at_counter(BIRTH, desk=desk, agency=agency, form=TYPED_FORM)
    dossiers.add_counter_scan(counter, upload=SimpleUploadedFile("can-cuoc.pdf", PDF), slot="3", by=desk)
    counter = dossiers.perform(
        counter, "correct_declaration", by=desk, note="Đối chiếu căn cước", data=ACTIONS_DATA
    )
    later = (timezone.localtime(counter.due_at) + dt.timedelta(days=9)).date().isoformat()
    counter = dossiers.perform(counter, "extend", by=desk, note="Chờ xác minh", data={"new_due_date": later})
    by_post = filed_at_counter("1.004873", desk=desk, agency=agency)
    Dossier.objects.filter(pk=by_post.pk).update(channel=Channel.POST)  # no filing path by post yet
    made += [counter, by_post, dossier_in(Status.NEW, people=people, agency=agency)]
    made += [dossier_in(status, people=people, agency=agency) for status in (3, 7, 8)]
    # fees paid for dossiers then withdrawn: one refund to make, one made
    for _ in range(2):
        made.append(dossiers.perform(pay(people, agency, "vietqr"), "withdraw", by=people["citizen"]))
    first, *_ = payments.refunds_of(agency)
    payments.record_refund(first.pk, agency=agency, by=desk, method="transfer", reference="FT26333001")
    # payment attempts and bank credits in every state
    waiting = dossier_in(Status.PAYMENT, people=people, agency=agency)
    request = PaymentRequest.objects.get(dossier=waiting, state=PaymentRequest.State.PENDING)
    soon = timezone.now() + dt.timedelta(minutes=15)
    for n, state in enumerate(Attempt.State.values):
        Attempt.objects.create(
            request=request, provider="vnpay", txn_ref=f"{request.reference}V{n}", amount_vnd=AMOUNT,
            state=state, response_code="24", bank_code="NCB", expires_at=soon,
        )  # fmt: skip
    for n, problem in enumerate(Attempt.Problem.values):
        Attempt.objects.create(
            request=request, provider="paygov", txn_ref=f"{request.reference}P{n}", amount_vnd=AMOUNT,
            state=Attempt.State.SUCCEEDED, problem=problem, needs_review=True, expires_at=soon,
            finished_at=timezone.now(),
        )  # fmt: skip
    for n, match in enumerate(BankTransaction.Match.values):
        BankTransaction.objects.create(
            agency=agency, bank_ref=f"FT2633{n:04d}", amount_vnd=AMOUNT, memo=f"{request.reference} nop phi",
            booked_at=timezone.now(), source="webhook", request=request, match=match,
        )  # fmt: skip
    # messages on every channel, in every state, through every provider
    for n, (channel, status) in enumerate(
        (c, s) for c in MessageChannel.values if c != "inapp" for s in MessageStatus.values
    ):
        Message.objects.create(
            agency=agency, dossier=waiting, channel=channel, kind="dossier.received", address="+84912345678",
            text="Hồ sơ đã được tiếp nhận.", status=status, provider=PROVIDERS[n % len(PROVIDERS)],
            idempotency_key=f"labels:{n}",
        )  # fmt: skip
    # what went to the national portal, in every state and with every problem
    records = list(SyncRecord.objects.order_by("pk"))
    for n, record in enumerate(records):
        record.state = SyncState.values[n % len(SyncState.values)]
        record.problem = SyncProblem.values[n % len(SyncProblem.values)] if record.state == "failed" else ""
        record.save(update_fields=["state", "problem"])
    assert len(records) > len(SyncState.values) * len(SyncProblem.values)
    # citizens at every identity level, verified and moved at the desk
    levels = {}
    for level in User.IdentityLevel:
        person = accounts.register(phone=f"+8490312340{level.value}", full_name=f"Công dân mức {level.value}")
        User.objects.filter(pk=person.pk).update(identity_level=level.value)
        levels[level] = person
    moved = accounts.register(phone="+84903123499", full_name="Công dân đổi số")
    verified = accounts.verify_at_desk(moved, by=desk, id_number="045190012399")
    accounts.change_phone(verified, by=desk, new_phone="0903999888", id_number="045190012399", note="Mất máy")
    assert set(AccountEvent.objects.values_list("action", flat=True)) == {
        accounts.VERIFIED_AT_DESK,
        "phone_changed",
    }
    assert {d.channel for d in Dossier.objects.all()} == set(Channel.values)
    assert {d.substate for d in made} >= set(Substate.values) - {""}
    levels["moved"] = User.objects.get(pk=moved.pk)
    return {"dossiers": Dossier.objects.exclude(status=0), "levels": levels, "waiting": waiting}


ACTIONS_DATA = {"form": {"requester_name": "Nguyễn Văn An", "child_sex": "nam"}}


def officer_pages(world) -> list[str]:
    pages = ["/can-bo/", "/can-bo/?cho-duyet=1", "/can-bo/tiep-nhan/", f"/can-bo/tiep-nhan/{BIRTH}/"]
    pages += [f"/can-bo/?trang-thai={status}" for status in Status.values if status]
    for dossier in world["dossiers"]:
        pages += [f"/can-bo/ho-so/{dossier.code}/", f"/ho-so/{dossier.code}/van-ban/"]
    new = world["dossiers"].filter(status=Status.NEW).first()
    pages.append(f"/can-bo/ho-so/{new.code}/sua-to-khai/")
    pages += [f"/can-bo/cong-dan/?sdt=0{person.phone[3:]}" for person in world["levels"].values()]
    pages += ["/can-bo/thanh-toan/", "/can-bo/tin-nhan/", "/can-bo/tin-nhan/?loi=1", "/can-bo/so-theo-doi/"]
    pages += ["/can-bo/dong-bo/", "/can-bo/dong-bo/?loc=loi"]
    return pages


def test_no_officer_page_shows_a_raw_code(client, world, people, administrator, settings):
    settings.DEBUG = False
    codes = raw_codes()
    found = {}
    for who in ("desk", "leader", "administrator"):
        client.force_login(administrator if who == "administrator" else people[who])
        for path in officer_pages(world):
            response = client.get(path)
            if response.status_code != 200:
                continue  # a page this officer may not open (the leader at the desk's)
            raw = raw_in(visible_text(response.content.decode()), codes)
            if raw:
                found[f"{who} {path}"] = raw
    assert found == {}


def test_the_sweep_sees_what_the_pages_hold(client, world, people):
    """Guards the sweep: the pages it reads do show the values, in words."""
    client.force_login(people["desk"])
    waiting = world["waiting"]
    text = " ".join(
        visible_text(client.get(path).content.decode())
        for path in ["/can-bo/thanh-toan/", "/can-bo/tin-nhan/", f"/can-bo/ho-so/{waiting.code}/"]
    )
    assert "8.000 đồng" in text and "VNPay" in text and "Cổng thanh toán quốc gia" in text
    assert all(str(label) in text for label in BankTransaction.Match.labels if label != "Khớp")
    assert all(str(label) in text for label in MessageStatus.labels)
    desk_text = " ".join(
        visible_text(client.get(f"/can-bo/cong-dan/?sdt=0{p.phone[3:]}").content.decode())
        for p in world["levels"].values()
    )
    assert all(str(label) in desk_text for label in User.IdentityLevel.labels)
    assert all(str(ACCOUNT_ACTIONS[a]) in desk_text for a in (accounts.VERIFIED_AT_DESK, "phone_changed"))
    timelines = " ".join(
        visible_text(client.get(f"/can-bo/ho-so/{d.code}/").content.decode()) for d in world["dossiers"]
    )
    assert all(str(label) in timelines for label in RESULT_METHODS.values())
    assert all(str(label) in timelines for label in PAYMENT_METHODS.values())
    assert all(str(label) in timelines for label in Channel.labels)
    assert "“nguyen van an” thành “Nguyễn Văn An”" in timelines and "“Nữ” thành “Nam”" in timelines
    assert "Phí cần hoàn trả" in text and "Đã hoàn trả gần đây" in text
    client.force_login(people["leader"])
    sync = visible_text(client.get("/can-bo/dong-bo/").content.decode())
    assert all(str(label) in sync for label in SyncState.labels)


def test_the_text_reader_finds_a_raw_code_left_on_a_page():
    html = (
        '<p>Trả kết quả <b>counter</b></p><input type="submit" value="verified_at_desk">'
        '<img alt="8000"><script>var x = "vnpay";</script><option value="cash">tiền mặt</option>'
    )

    assert raw_in(visible_text(html), raw_codes()) == ["8000", "counter", "verified_at_desk"]
