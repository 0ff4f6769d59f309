"""E-receipts for paid fees (biên lai điện tử thu phí, lệ phí): an issuer interface, a local stand-in for
development, and the hooks that ask for one whenever a payment is recorded.

The law. A fee or charge collected is evidenced by a receipt: Nghị định 123/2020/NĐ-CP (19/10/2020) on
invoices and vouchers — Điều 30 (the kinds of receipt; an electronic one for fees without a printed face
value, "không in sẵn mệnh giá") and Điều 32 (what a receipt says: its name, form symbol and series
symbol, number, the collector's name and tax code, the kind of fee and the amount in figures and words,
the date, and on an electronic receipt the collector's digital signature) — as amended by Nghị định
70/2025/NĐ-CP (20/3/2025, in force 1/6/2025), with Thông tư 32/2025/TT-BTC (31/5/2025, in force
1/6/2025, replacing Thông tư 78/2021/TT-BTC) on formats and symbols. An e-receipt is issued through a
system registered with the tax authority: that is an adapter here, never motcua itself. Until one is
configured, what motcua prints after a payment is a confirmation of payment ("Xác nhận đã nộp tiền"),
never a receipt (documents/content/fee_receipt.py).

The symbols, as e-receipt services in use print them (a VNPT e-receipt service answers
"OK:pattern;serial;number", e.g. 01BLP0-001 / AA-22E / 0000002; agencies print series such as BT-23E and
DT-20E): the form symbol 01BLP0-001 is 01 a fee receipt without a printed face value, BLP "biên lai phí",
0 copies (electronic), -001 the collector's first form; the series symbol is two letters, the year's two
digits and E for electronic; the number has at most seven digits and starts at 1 in each series. The
article of Thông tư 32/2025 that fixes these symbols was not in the sources available here: a
deployment confirms them with its provincial tax office when it registers its series.

The interface. `RECEIPT_ISSUER` names the issuer: "" none (the confirmation is printed), "local" the
development stand-in below, or the dotted path of a class with `name`, `remote` and
`issue(payment) -> IssuedReceipt`. `on_payment` is subscribed to the lifecycle's `confirm_payment` and
`payment_received`: inside the payment's transaction it opens a `Receipt` for every paid fee that has
none and asks the issuer — the local one at once, under the lock order dossier → payment request →
attempt → receipt → receipt series; a remote one after commit (a network call never holds the payment
back). A failure never loses the payment: it is recorded on the `Receipt` (shown on /can-bo/thanh-toan/
with a button to try again) and the periodic job `receipt_retry` tries again with a back-off.

A fee paid on the national payment platform (PayGov) has the platform's own receipt: its address
(`UrlBienLai` in the platform's answer, the `urlBienLai` of the DVCQG payment data; OpenCPS asks the
platform's receipt endpoint for it, VietOpenCPS/opencps-v2) and transaction code are stored instead.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.core import checks
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from motcua.dossiers.lifecycle import Transition
from motcua.dossiers.models import Dossier
from motcua.text import clean_text

from .models import Attempt, PaymentRequest
from .receipt_models import MAX_NUMBER, Receipt, ReceiptSeries

__all__ = [
    "IssueFailed",
    "IssuedReceipt",
    "LocalIssuer",
    "ReceiptIssuer",
    "configured_issuer",
    "issue_now",
    "office_receipts",
    "on_payment",
    "receipt_panel",
    "retry_due",
    "unissued",
    "verify",
]
log = logging.getLogger(__name__)
RETRY_EVERY = 300  # seconds between runs of the periodic job
MAX_BACKOFF = dt.timedelta(hours=6)
SWEEP = dt.timedelta(days=2)  # paid fees this recent with no receipt at all are issued one (a missed event)
PLATFORM_RECEIPT_KEYS = ("UrlBienLai", "urlBienLai", "URLBienLai")


@dataclass(frozen=True)
class IssuedReceipt:
    """What an issuer answers: the receipt as issued."""

    form_symbol: str  # ký hiệu mẫu biên lai
    series: str  # ký hiệu biên lai
    number: int  # số biên lai, 1 to 9,999,999
    issued_at: dt.datetime
    signature: str = ""  # the issuer's signature over `data`
    signed_by: str = ""
    lookup_code: str = ""  # mã tra cứu
    lookup_url: str = ""
    tax_code: str = ""  # the collector's tax code
    is_test: bool = False  # a development stand-in: no legal value
    data: dict = field(default_factory=dict)  # what was signed
    series_row: ReceiptSeries | None = None  # the local series the number was drawn from


class IssueFailed(Exception):
    """The issuer could not issue the receipt (unreachable, refused, out of numbers)."""


class ReceiptIssuer(Protocol):
    name: str  # stored on each receipt ("local", "vnpt", …)
    remote: bool  # True: asked after the payment's transaction commits (a network call)

    def issue(self, payment: PaymentRequest) -> IssuedReceipt: ...


def configured_issuer() -> ReceiptIssuer | None:
    """The issuer `RECEIPT_ISSUER` names, or None when e-receipts are not issued here."""
    name = getattr(settings, "RECEIPT_ISSUER", "")
    if not name:
        return None
    if name == "local":
        return LocalIssuer()
    return import_string(name)()


# --- the local stand-in ------------------------------------------------------------------------------------


class LocalIssuer:
    """A development and demonstration stand-in for a registered e-receipt service: it numbers receipts
    in per-agency, per-year series without gaps and signs their content, but it is registered with no tax
    authority, so every receipt it issues says "Biên lai thử nghiệm — không có giá trị pháp lý".

    It signs with Ed25519 (`cryptography`, installed with Authlib) under a key derived from SECRET_KEY,
    else with HMAC-SHA256; `verify` checks either.
    """

    name = "local"
    remote = False
    FORM_SYMBOL = "01BLP0-001"
    LETTERS = "MC"

    def issue(self, payment: PaymentRequest) -> IssuedReceipt:
        agency = payment.dossier.agency
        symbol = f"{self.LETTERS}-{timezone.localdate().year % 100:02d}E"
        series = _locked_series(agency, self.FORM_SYMBOL, symbol)
        issued_at = timezone.now()  # once the series is ours: later numbers never bear earlier times
        if series.last_number >= MAX_NUMBER:
            raise IssueFailed(_("Ký hiệu biên lai %(symbol)s đã hết số.") % {"symbol": symbol})
        series.last_number += 1
        series.save(update_fields=["last_number"])
        data = receipt_data(payment, form_symbol=series.form_symbol, series=symbol, number=series.last_number)
        data["issued_at"] = issued_at.isoformat()
        data["tax_code"] = series.tax_code
        signature = sign(data)
        return IssuedReceipt(
            form_symbol=series.form_symbol,
            series=symbol,
            number=series.last_number,
            issued_at=issued_at,
            signature=signature,
            signed_by=agency.name,
            lookup_code=lookup_code(signature),
            tax_code=series.tax_code,
            is_test=True,
            data=data,
            series_row=series,
        )


def _locked_series(agency, form_symbol: str, symbol: str) -> ReceiptSeries:
    """The agency's series row, locked; created on first use (two first uses at once: one creates, the
    other waits on the unique index, then locks the row the first one made)."""
    found = ReceiptSeries.objects.select_for_update().filter(
        agency=agency, form_symbol=form_symbol, symbol=symbol
    )
    series = found.first()
    if series is not None:
        return series
    try:
        with transaction.atomic():
            ReceiptSeries.objects.create(agency=agency, form_symbol=form_symbol, symbol=symbol)
    except IntegrityError:
        pass
    return found.get()


def receipt_data(payment: PaymentRequest, *, form_symbol: str, series: str, number: int) -> dict:
    """The receipt's content as signed: every line Điều 32 asks a receipt to say."""
    dossier = payment.dossier
    return {
        "form_symbol": form_symbol,
        "series": series,
        "number": f"{number:07d}",
        "collector": dossier.agency.name,
        "payer": dossier.applicant_name,
        "fee": payment.reason,
        "amount_vnd": payment.amount_vnd,
        "dossier": dossier.code,
        "reference": payment.reference,
    }


def _canonical(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _seed() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), b"motcua e-receipt stand-in", hashlib.sha256).digest()


def _ed25519():
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    except ImportError:  # pragma: no cover - cryptography comes with Authlib
        return None
    return Ed25519PrivateKey.from_private_bytes(_seed())


def sign(data: dict) -> str:
    """'ed25519:<base64>' (or 'hmac-sha256:<base64>' without `cryptography`) of the canonical JSON."""
    key = _ed25519()
    if key is not None:
        return "ed25519:" + base64.b64encode(key.sign(_canonical(data))).decode()
    mac = hmac.new(_seed(), _canonical(data), hashlib.sha256).digest()
    return "hmac-sha256:" + base64.b64encode(mac).decode()


def verify(receipt: Receipt) -> bool:
    """Whether a locally issued receipt's signature matches what it says it signed, and that says what
    the receipt prints (its symbols and number)."""
    data = receipt.data or {}
    printed = (receipt.form_symbol, receipt.symbol, receipt.number_text)
    if (data.get("form_symbol"), data.get("series"), data.get("number")) != printed:
        return False
    algorithm, _sep, encoded = receipt.signature.partition(":")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except ValueError:
        return False
    if algorithm == "ed25519" and (key := _ed25519()) is not None:
        from cryptography.exceptions import InvalidSignature

        try:
            key.public_key().verify(raw, _canonical(data))
        except InvalidSignature:
            return False
        return True
    if algorithm == "hmac-sha256":
        return hmac.compare_digest(raw, hmac.new(_seed(), _canonical(data), hashlib.sha256).digest())
    return False


def lookup_code(signature: str) -> str:
    """Twelve letters and digits derived from the signature, in groups of four (7KQ2-M4XD-P9TA)."""
    code = base64.b32encode(hashlib.sha256(signature.encode()).digest()).decode()[:12]
    return "-".join(code[n : n + 4] for n in range(0, 12, 4))


# --- issuing ----------------------------------------------------------------------------------------------


def _unreceipted(queryset):
    return queryset.filter(state=PaymentRequest.State.PAID, amount_vnd__gt=0).exclude(
        Exists(Receipt.objects.filter(request=OuterRef("pk")))
    )


def on_payment(transition: Transition) -> list[Receipt]:
    """Subscribed to the lifecycle's `confirm_payment` and `payment_received`, inside the transaction (the
    dossier is locked; its payment requests are locked next): a receipt for every recently paid fee of the
    dossier without one (a fee paid long before an issuer was configured is not receipted years late)."""
    recently = timezone.now() - SWEEP
    requests = PaymentRequest.objects.select_for_update().filter(dossier=transition.dossier)
    found = _unreceipted(requests.filter(paid_at__gte=recently))
    return [receipt for request in found.order_by("pk") if (receipt := _open(request)) is not None]


def _open(request: PaymentRequest) -> Receipt | None:
    if request.method == "paygov":
        return _platform_receipt(request)
    issuer = configured_issuer()
    if issuer is None:
        return None
    receipt = Receipt.objects.create(request=request, issuer=issuer.name)
    if issuer.remote:
        transaction.on_commit(lambda: _issue_after_commit(request.pk))
    else:
        _issue(receipt, request, issuer)
    return receipt


def _issue_after_commit(request_id: int) -> None:
    try:
        issue_now(request_id)
    except Exception:  # recorded on the receipt where it could be; the periodic job tries again
        log.exception("e-receipt for payment request %s not issued", request_id)


def _issue(receipt: Receipt, request: PaymentRequest, issuer: ReceiptIssuer) -> Receipt:
    """Ask `issuer` for the receipt of `request`; the caller holds the dossier's, the request's and the
    receipt's locks. Inside a savepoint: a failure takes back a number drawn, never the payment."""
    receipt.tries += 1
    try:
        with transaction.atomic():
            issued = issuer.issue(request)
            _fill(receipt, issued)
            receipt.save()
    except Exception as exc:  # whatever the issuer raised: recorded for the officers, tried again later
        log.warning("e-receipt for %s not issued (try %s): %s", request.reference, receipt.tries, exc)
        backoff = min(dt.timedelta(minutes=5) * 2 ** min(receipt.tries - 1, 10), MAX_BACKOFF)
        Receipt.objects.filter(pk=receipt.pk).update(
            state=Receipt.State.FAILED,
            error=clean_text(str(exc) or type(exc).__name__)[:300],
            next_try_at=timezone.now() + backoff,
            tries=receipt.tries,
        )
        receipt.refresh_from_db()  # what the failed try may have set in memory is not what was kept
    return receipt


def _fill(receipt: Receipt, issued: IssuedReceipt) -> None:
    if not 0 < issued.number <= MAX_NUMBER:
        raise IssueFailed(f"receipt number out of range: {issued.number!r}")
    receipt.state = Receipt.State.ISSUED
    receipt.series = issued.series_row
    receipt.form_symbol, receipt.symbol, receipt.number = issued.form_symbol, issued.series, issued.number
    receipt.issued_at, receipt.tax_code = issued.issued_at, issued.tax_code
    receipt.signature, receipt.signed_by = issued.signature, issued.signed_by
    receipt.lookup_code, receipt.lookup_url = issued.lookup_code, _web_address(issued.lookup_url)
    receipt.is_test, receipt.data = issued.is_test, issued.data
    receipt.error, receipt.next_try_at = "", None


def _lock(request_id: int) -> PaymentRequest:
    """The request and its dossier, locked in the lifecycle's order: dossier first, then the request."""
    dossier_id = PaymentRequest.objects.filter(pk=request_id).values_list("dossier_id", flat=True).get()
    Dossier.objects.select_for_update().filter(pk=dossier_id).get()
    # of=("self",): the joined dossier is locked already, and the agency's row must not be (it would queue
    # every payment of the commune behind one another).
    locked = PaymentRequest.objects.select_for_update(of=("self",)).select_related("dossier__agency")
    return locked.get(pk=request_id)


def issue_now(request_id: int) -> Receipt | None:
    """Issue the receipt of a paid fee now, if it has none yet (a retry, an officer's button, a remote
    issuer after commit). None when there is nothing to issue or no issuer. Locks in the lifecycle's order:
    dossier, payment request, receipt, then the series."""
    with transaction.atomic():
        request = _lock(request_id)
        if request.state != PaymentRequest.State.PAID or request.amount_vnd <= 0:
            return None
        receipt = Receipt.objects.select_for_update().filter(request=request).first()
        if receipt is None:
            return _open(request)
        if receipt.state in (Receipt.State.ISSUED, Receipt.State.PLATFORM):
            return receipt
        issuer = configured_issuer()
        if issuer is None:
            return receipt
        receipt.issuer = issuer.name
        receipt.save(update_fields=["issuer"])
        return _issue(receipt, request, issuer)


def retry_due() -> list[tuple[str, str]]:
    """The periodic job: issue every receipt that failed (once its back-off has passed) or was left
    pending, and the recent paid fees that have none at all (money recorded without a payment event).
    Returns (payment reference, state or error) per fee; one failure does not stop the others."""
    if configured_issuer() is None:
        return []
    now = timezone.now()
    due = Receipt.objects.filter(state__in=[Receipt.State.PENDING, Receipt.State.FAILED]).filter(
        Q(next_try_at__isnull=True) | Q(next_try_at__lte=now)
    )
    missed = _unreceipted(PaymentRequest.objects.filter(paid_at__gte=now - SWEEP))
    ids = list(due.order_by("pk").values_list("request_id", flat=True)[:100])
    ids += [pk for pk in missed.order_by("pk").values_list("pk", flat=True)[:100] if pk not in ids]
    done = []
    for request_id in ids:
        try:
            receipt = issue_now(request_id)
        except Exception as exc:  # e.g. the database went away: the next run tries again
            log.exception("e-receipt retry for payment request %s", request_id)
            done.append((str(request_id), f"error: {exc}"))
            continue
        if receipt is not None:
            done.append((receipt.request.reference, receipt.state))
    return done


# --- the national platform's receipt ------------------------------------------------------------------------


def _web_address(value) -> str:
    text = clean_text(str(value or "")).strip()
    return text[:500] if text.startswith(("https://", "http://")) else ""


def _platform_receipt(request: PaymentRequest) -> Receipt:
    """The fee was paid on the national payment platform, which issues the receipt: store where to find
    it (its address when the platform's answer gives one) and the platform's transaction code."""
    attempt = (
        request.attempts.filter(provider="paygov", state=Attempt.State.SUCCEEDED).order_by("-pk").first()
    )
    answer = attempt.raw if attempt is not None and isinstance(attempt.raw, dict) else {}
    url = next((_web_address(answer[key]) for key in PLATFORM_RECEIPT_KEYS if answer.get(key)), "")
    return Receipt.objects.create(
        request=request,
        state=Receipt.State.PLATFORM,
        issuer="paygov",
        issued_at=attempt.finished_at if attempt is not None else request.paid_at,
        lookup_code=attempt.transaction_no if attempt is not None else "",
        lookup_url=url,
    )


# --- what officers and citizens see -------------------------------------------------------------------------


def unissued(agency) -> list[PaymentRequest]:
    """The agency's paid fees whose e-receipt failed or is pending, and the recent ones never asked for,
    oldest first, for /can-bo/thanh-toan/; empty while no issuer is configured."""
    if configured_issuer() is None:
        return []
    paid = PaymentRequest.objects.filter(
        dossier__agency=agency, state=PaymentRequest.State.PAID, amount_vnd__gt=0
    ).exclude(method="paygov")
    never_asked = Q(receipt__isnull=True, paid_at__gte=timezone.now() - SWEEP)
    waiting = paid.filter(never_asked | Q(receipt__state__in=["pending", "failed"]))
    return list(waiting.select_related("dossier", "receipt").order_by("paid_at", "pk")[:100])


def recent(agency, *, count: int = 20) -> list[PaymentRequest]:
    """The agency's latest paid fees with their receipt (or none), newest first."""
    paid = PaymentRequest.objects.filter(dossier__agency=agency, amount_vnd__gt=0).exclude(
        paid_at__isnull=True
    )
    paid = paid.filter(state__in=[PaymentRequest.State.PAID, "refunded"])
    return list(paid.select_related("dossier", "receipt").order_by("-paid_at", "-pk")[:count])


def office_receipts(agency) -> dict:
    """What /can-bo/thanh-toan/ shows of e-receipts: the paid fees still without one (with a button to
    try again) first, then the latest ones with their number or the platform's link."""
    issuer = configured_issuer()
    waiting = unissued(agency)
    waiting_ids = {request.pk for request in waiting}
    rows = [*waiting, *(request for request in recent(agency) if request.pk not in waiting_ids)]
    for row in rows:
        row.fee_receipt = receipt_of(row)
        row.waiting = row.pk in waiting_ids
    return {"issuer": issuer is not None, "is_test": isinstance(issuer, LocalIssuer), "rows": rows}


def receipt_of(request: PaymentRequest) -> Receipt | None:
    try:
        return request.receipt
    except Receipt.DoesNotExist:
        return None


def receipt_panel(dossier: Dossier) -> dict | None:
    """The citizen's dossier page shows `payments/_receipt.html` once a fee is paid: the e-receipt, the
    national platform's receipt, or the confirmation of payment."""
    request = (
        dossier.payment_requests.filter(state=PaymentRequest.State.PAID, amount_vnd__gt=0)
        .order_by("-paid_at", "-pk")
        .first()
    )
    if request is None:
        return None
    return {"fee_paper": {"request": request, "receipt": receipt_of(request)}}


# --- configuration ------------------------------------------------------------------------------------------


@checks.register(checks.Tags.security)
def check_receipt_issuer(app_configs, **kwargs):
    """The local stand-in issues receipts with no legal value: never outside DEMO=1 or DEBUG=1. An
    adapter's dotted path must import."""
    name = getattr(settings, "RECEIPT_ISSUER", "")
    if not name:
        return []
    if name == "local":
        if settings.DEBUG or getattr(settings, "DEMO", False):
            return []
        return [
            checks.Error(
                "RECEIPT_ISSUER is 'local', the development stand-in: every receipt it issues says it has "
                "no legal value.",
                hint="Set RECEIPT_ISSUER to the adapter of the e-receipt service registered with the tax "
                "authority, or leave it empty to print a confirmation of payment instead.",
                id="payments.E010",
            )
        ]
    try:
        import_string(name)
    except ImportError as exc:
        return [
            checks.Error(
                f"RECEIPT_ISSUER {name!r} cannot be imported: {exc}",
                hint="Give the dotted path of the e-receipt adapter class, 'local', or nothing.",
                id="payments.E011",
            )
        ]
    return []
