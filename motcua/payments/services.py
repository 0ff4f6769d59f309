"""Fees and payments: what a dossier costs, every way to pay it, and reconciliation that never guesses.

The payment state (PaymentRequest, Attempt, BankTransaction) is kept apart from the dossier's status.
The dossier enters status 6 through the lifecycle's `request_payment` and leaves it through
`confirm_payment` (an officer, for cash at the desk) or `payment_received` (the system, once a bank or a
gateway has confirmed the money). A failed or abandoned attempt changes nothing on the dossier: it stays
in 6 and can be paid another way.

Money is never kept silently: a gateway or a bank that pays a fee which was replaced, is no longer asked
for or was already paid is recorded (the attempt or the credit) and flagged for the officers, with what
to do — a refund or a manual match (models.WHAT_TO_DO, shown on /can-bo/thanh-toan/).
"""

import datetime as dt
import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog.services import Quote
from motcua.dossiers.actions import MAX_AMOUNT_VND, PAYMENT_METHODS, catalogue_fee
from motcua.dossiers.lifecycle import SYSTEM_ACTOR, Invalid, NotAllowed, Transition, perform
from motcua.dossiers.models import Dossier
from motcua.text import clean_text, format_vnd

from . import banks, paygov, statements, vietqr, vnpay
from .models import MAX_INCOMING_VND, Attempt, BankTransaction, NoticeRefusal, PaymentRequest, Refund

__all__ = [
    "Quote",
    "UnknownAccount",
    "WebhookRejected",
    "agency_for_account",
    "attempts_for",
    "check_paygov",
    "current_request",
    "grant_exemption",
    "handle_vnpay_ipn",
    "import_statement",
    "methods_for",
    "open_request",
    "panel",
    "payment_panel",
    "quote",
    "record_bank_credit",
    "record_notice",
    "record_refund",
    "refunds_of",
    "refusals_of",
    "refuse_notice",
    "settle_in_cash",
    "settle_on_closing",
    "start_paygov",
    "start_vnpay",
    "verify_webhook",
    "vietqr_for",
]
log = logging.getLogger(__name__)
ATTEMPT_LIFETIME = dt.timedelta(minutes=15)
# The fee is the catalogue's (channel, copies, on-time exemptions), computed in one place.
quote = catalogue_fee


# --- requests ---------------------------------------------------------------------------------------------


def open_request(transition: Transition) -> PaymentRequest | None:
    """Subscribed to the lifecycle's `request_payment` and `submit` (a fee paid up front), inside the
    transition: one open request at a time, for the amount the event recorded."""
    dossier, event = transition.dossier, transition.event
    amount = event.data.get("amount_vnd")
    if not amount:
        return None
    dossier.payment_requests.filter(state=PaymentRequest.State.PENDING).update(
        state=PaymentRequest.State.CANCELLED
    )
    by = transition.by if transition.by is not SYSTEM_ACTOR and event.action != "submit" else None
    return PaymentRequest.objects.create(
        dossier=dossier,
        amount_vnd=amount,
        reason=(event.data.get("reason") or event.note or _("Phí, lệ phí"))[:300],
        requested_by=by,
    )


def current_request(dossier: Dossier) -> PaymentRequest | None:
    return dossier.payment_requests.exclude(state=PaymentRequest.State.CANCELLED).first()


def settle_in_cash(transition: Transition) -> None:
    """Subscribed to the lifecycle's `confirm_payment`: an officer took cash at the desk (the dossier is
    locked by the transition, so this request lock comes second, as everywhere)."""
    data = transition.event.data
    if data.get("payment_method") != "cash":
        return
    transition.dossier.payment_requests.filter(state=PaymentRequest.State.PENDING).update(
        state=PaymentRequest.State.PAID,
        paid_at=timezone.now(),
        method="cash",
        receipt_number=data.get("receipt_number", ""),
    )


def settle_on_closing(transition: Transition) -> list[Refund]:
    """Subscribed to the lifecycle's `refuse`, `stop` and `withdraw`, inside the transition (the dossier is
    locked; its requests are locked second): the dossier ends without its result, so the fee still asked
    is cancelled, and a fee already paid is owed back. Each paid fee gets its refund task for the officers
    and the citizen is told, in the same transaction, how the money comes back (`refund_due`).

    Lệ phí is what a person pays when the State provides a public service (Luật Phí và lệ phí 2015,
    Điều 3): a dossier refused, stopped or withdrawn was not served, so the whole fee is refunded."""
    dossier = transition.dossier
    requests = PaymentRequest.objects.select_for_update().filter(
        dossier=dossier, state__in=[PaymentRequest.State.PENDING, PaymentRequest.State.PAID]
    )
    refunds = []
    for request in requests.order_by("pk"):
        if request.state == PaymentRequest.State.PENDING:
            request.state = PaymentRequest.State.CANCELLED
            request.save(update_fields=["state"])
        elif request.amount_vnd > 0 and not Refund.objects.filter(request=request).exists():
            refunds.append(
                Refund.objects.create(
                    request=request, amount_vnd=request.amount_vnd, why=transition.action.name
                )
            )
            perform(
                dossier,
                "refund_due",
                by=SYSTEM_ACTOR,
                data={"amount_vnd": request.amount_vnd, "payment_method": request.method or "cash"},
            )
    return refunds


def refunds_of(agency, *, done: bool = False) -> list[Refund]:
    """The agency's refunds still to make (oldest first), or the latest ones made."""
    found = Refund.objects.filter(request__dossier__agency=agency, refunded_at__isnull=not done)
    found = found.select_related("request__dossier", "refunded_by")
    return list(found.order_by("-refunded_at")[:20] if done else found.order_by("created_at", "pk")[:200])


def record_refund(refund_id: int, *, agency, by, method: str, reference: str) -> Refund:
    """An officer gave a fee back (a bank transfer or cash): recorded once, with how, when and by whom, as
    the lifecycle's `refund` event (the citizen is told), and the fee marked refunded.

    Locks in the lifecycle's order: the dossier, its payment request, then the refund. Raises
    Refund.DoesNotExist for another agency's refund, ValueError when it was already recorded, and the
    lifecycle's Invalid (a method or a reference missing) or Forbidden (not the one-stop desk)."""
    request_id = (
        Refund.objects.filter(pk=refund_id, request__dossier__agency=agency)
        .values_list("request_id", flat=True)
        .first()
    )
    if request_id is None:
        raise Refund.DoesNotExist
    with transaction.atomic():
        request = _lock(request_id)
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if refund.is_done:
            raise ValueError(_("Khoản này đã được ghi là đã hoàn trả."))
        perform(
            request.dossier,
            "refund",
            by=by,
            data={"amount_vnd": refund.amount_vnd, "refund_method": method, "refund_reference": reference},
        )
        event = request.dossier.events.filter(action="refund").order_by("-pk").first()
        refund.refunded_at, refund.refunded_by = event.at, by
        refund.method, refund.reference = event.data["refund_method"], event.data["refund_reference"]
        refund.save(update_fields=["refunded_at", "refunded_by", "method", "reference"])
        request.state = PaymentRequest.State.REFUNDED
        request.save(update_fields=["state"])
    log.info("Refund %s of %s recorded by %s", refund.pk, request.dossier.code, by)
    return refund


def _announce(request: PaymentRequest, *, amount: int, problem: str) -> None:
    """Tell the citizen of money that did not simply pay the fee (less, more, twice, late, held by a
    gateway): the lifecycle's `money_received` event, inside the caller's transaction. The money is
    recorded whatever happens here: an amount no fee could be (over a billion dong) is not announced."""
    if not 0 < amount <= MAX_AMOUNT_VND:
        log.warning("Money for %s not announced: amount %r", request.dossier.code, amount)
        return
    try:
        perform(
            request.dossier,
            "money_received",
            by=SYSTEM_ACTOR,
            data={"amount_vnd": amount, "problem": problem},
        )
    except (NotAllowed, Invalid) as exc:  # a draft: nobody to tell yet
        log.warning("Money for %s not announced: %s", request.dossier.code, exc)


METHOD_LABELS = PAYMENT_METHODS


def _lock(request_id: int) -> PaymentRequest:
    """The request and its dossier, locked in the lifecycle's order: dossier first, then the request."""
    dossier_id = PaymentRequest.objects.filter(pk=request_id).values_list("dossier_id", flat=True).get()
    Dossier.objects.select_for_update().filter(pk=dossier_id).get()
    return PaymentRequest.objects.select_for_update().select_related("dossier").get(pk=request_id)


def _mark_paid(request: PaymentRequest, *, method: str) -> bool:
    """Record the money and move the dossier on, once; the caller holds the dossier's and the request's
    locks (`_lock`). `method` is a short code (vnpay, vietqr, paygov), shown through METHOD_LABELS.

    False when the dossier no longer waits for a fee (stopped or withdrawn meanwhile): the money stays
    recorded on the request, and the caller flags it for a refund."""
    request.state = PaymentRequest.State.PAID
    request.paid_at = timezone.now()
    request.method = method
    request.save(update_fields=["state", "paid_at", "method"])
    note = _("Đã nhận %(amount)s qua %(method)s") % {
        "amount": format_vnd(request.amount_vnd),
        "method": METHOD_LABELS.get(method, method),
    }
    try:
        perform(
            request.dossier,
            "payment_received",
            by=SYSTEM_ACTOR,
            note=note,
            data={"amount_vnd": request.amount_vnd, "payment_method": method},
        )
    except NotAllowed:  # the dossier was closed meanwhile: the money is recorded on the request
        log.warning("Payment for %s recorded, dossier not waiting for it", request.dossier.code)
        return False
    return True


def _no_longer_asked(request: PaymentRequest) -> str:
    """Why money for a request that is not pending cannot pay it: 'duplicate' (paid already), 'replaced'
    (another request took its place) or 'cancelled' (nothing asks for it any more)."""
    if request.state == PaymentRequest.State.PAID:
        return Attempt.Problem.DUPLICATE
    later = PaymentRequest.objects.filter(dossier_id=request.dossier_id, pk__gt=request.pk)
    if request.state == PaymentRequest.State.CANCELLED and later.exists():
        return Attempt.Problem.REPLACED
    return Attempt.Problem.CANCELLED


def _take(request: PaymentRequest, *, method: str) -> str:
    """Money for the whole of `request` has arrived through a gateway: pay the fee with it, or return the
    problem the officers must see ('' when it paid the fee). The caller holds the locks (`_lock`)."""
    if request.state != PaymentRequest.State.PENDING:
        return _no_longer_asked(request)
    return "" if _mark_paid(request, method=method) else Attempt.Problem.CANCELLED


def _flag(attempt: Attempt, problem: str) -> None:
    """The attempt took money that paid no fee: the officers see it, the citizen is told what follows."""
    attempt.problem, attempt.needs_review = problem, True
    attempt.message = _(
        "Đã nhận tiền, nhưng khoản phí này không còn chờ nộp: bộ phận một cửa sẽ kiểm tra, hoàn trả hoặc "
        "ghi nhận cho bạn."
    )
    attempt.save(update_fields=["problem", "needs_review", "message"])
    _announce(attempt.request, amount=attempt.amount_vnd, problem="extra")


def methods_for(request: PaymentRequest) -> list[str]:
    agency = request.dossier.agency
    methods = ["cash"]
    if agency.bank_bin and agency.bank_account:
        methods.insert(0, "vietqr")
    if settings.VNPAY_TMN_CODE and settings.VNPAY_HASH_SECRET:
        methods.append("vnpay")
    if settings.PAYGOV_URL:
        methods.append("paygov")
    return methods


def vietqr_for(request: PaymentRequest) -> dict | None:
    agency = request.dossier.agency
    if not (agency.bank_bin and agency.bank_account):
        return None
    payload = vietqr.build_payload(
        bin=agency.bank_bin,
        account=agency.bank_account,
        amount=request.amount_vnd,
        purpose=vietqr.purpose_for(request.reference),
    )
    return {
        "payload": payload,
        "svg": vietqr.qr_svg(payload),
        "bank": agency.bank_name,
        "account": agency.bank_account,
        "account_name": agency.bank_account_name,
    }


# --- gateways ---------------------------------------------------------------------------------------------


def _new_attempt(request: PaymentRequest, provider: str) -> Attempt:
    """A numbered attempt at paying `request`. The request is locked (after its dossier, in the lock
    order) while the number is taken, so attempts started at once get consecutive, unique references;
    the gateway is called after the transaction."""
    with transaction.atomic():
        request = _lock(request.pk)
        if request.state != PaymentRequest.State.PENDING:
            raise ValueError(_("Khoản phí này không còn chờ thanh toán."))
        number = request.attempts.count() + 1
        return Attempt.objects.create(
            request=request,
            provider=provider,
            txn_ref=f"{request.reference}{number:02d}",
            amount_vnd=request.amount_vnd,
            expires_at=timezone.now() + ATTEMPT_LIFETIME,
        )


def start_vnpay(request: PaymentRequest, *, client_ip: str, return_url: str, gateway_url: str = "") -> str:
    """The signed URL of VNPay's payment page for a new attempt; `gateway_url` is VNPAY_URL made absolute
    by the caller (under DEMO=1 it names the stand-in on this very site, see standin.py)."""
    attempt = _new_attempt(request, "vnpay")
    return vnpay.build_payment_url(
        base_url=gateway_url or settings.VNPAY_URL,
        tmn_code=settings.VNPAY_TMN_CODE,
        hash_secret=settings.VNPAY_HASH_SECRET,
        txn_ref=attempt.txn_ref,
        amount_vnd=attempt.amount_vnd,
        order_info=f"Le phi ho so {request.dossier.code}",
        return_url=return_url,
        ip_addr=client_ip or "127.0.0.1",
        created_at=attempt.created_at,
    )


def handle_vnpay_ipn(params: dict[str, str]) -> tuple[str, str]:
    """VNPay's server-to-server callback: check everything, record once, answer RspCode as VNPay expects.

    The attempt row is locked for the whole decision, so two copies of one IPN arriving together record
    one payment: the second sees a final attempt and gets "02". Money for a fee that no longer waits for
    it (replaced, closed, paid from another tab) is confirmed to VNPay — it was taken — and flagged for
    the officers.
    """
    txn_ref = str(params.get("vnp_TxnRef", ""))
    with transaction.atomic():
        found = Attempt.objects.filter(txn_ref=txn_ref, provider="vnpay")
        if not vnpay.is_reference(txn_ref):  # a NUL or a megabyte is not looked up: "01", not a crash
            found = Attempt.objects.none()
        request_id = found.values_list("request_id", flat=True).first()
        request = _lock(request_id) if request_id else None
        attempt = found.select_for_update().first()

        def find_payment(txn_ref):
            if attempt is None:
                return None
            final = attempt.state in (Attempt.State.SUCCEEDED, Attempt.State.FAILED)
            return SimpleNamespace(amount_vnd=attempt.amount_vnd, is_final=final)

        decision = vnpay.ipn_decision(
            params, hash_secret=settings.VNPAY_HASH_SECRET, find_payment=find_payment
        )
        outcome = decision.outcome
        if outcome.result is None:
            safe = {k: v for k, v in params.items() if k != "vnp_SecureHash"}
            log.warning("VNPay IPN refused (%s, %s): %s", decision.rsp_code, outcome.error, safe)
            return decision.rsp_code, decision.message
        attempt.response_code = outcome.response_code
        attempt.transaction_no = outcome.transaction_no
        attempt.bank_code = outcome.bank_code
        if outcome.needs_review:
            attempt.needs_review, attempt.problem = True, Attempt.Problem.HELD
        attempt.raw = {k: clean_text(str(v)) for k, v in params.items() if k != "vnp_SecureHash"}
        attempt.finished_at = timezone.now()
        if outcome.result == "paid":
            attempt.state = Attempt.State.SUCCEEDED
            attempt.message = _("Thanh toán thành công.")
            attempt.save()
            if problem := _take(request, method="vnpay"):
                _flag(attempt, problem)
        else:
            attempt.state = Attempt.State.FAILED
            attempt.message = _(vnpay.explain(outcome.response_code))
            attempt.save()
            if outcome.needs_review:  # code 07: debited, held by VNPay; the citizen must not pay again
                _announce(request, amount=attempt.amount_vnd, problem="check")
        return decision.rsp_code, decision.message


def start_paygov(request: PaymentRequest, *, client_ip: str) -> str:
    """The national payment platform's page for a new attempt (INIT v1.0.6)."""
    attempt = _new_attempt(request, "paygov")
    dossier = request.dossier
    client = paygov.PaygovClient(
        settings.PAYGOV_URL, settings.PAYGOV_TOKEN, settings.PAYGOV_PARTNER_CODE, settings.PAYGOV_SECRET
    )
    return client.init(
        reference=attempt.txn_ref,
        amount_vnd=attempt.amount_vnd,
        transaction_info=f"Le phi {dossier.code}",
        when=timezone.localtime(attempt.created_at),  # the status query finds it by this time too
        ip=client_ip or "127.0.0.1",
        receipt={
            "MaDichVu": "2",
            "MaTTHC": dossier.procedure.code,
            "TenTTHC": dossier.procedure.name,
            "MaDonVi": dossier.agency.agency_id,
            "TenDonVi": dossier.agency.name,
            "MaHoSo": dossier.code,
            "TKThuHuong": dossier.agency.bank_account,
            "MaNHThuHuong": dossier.agency.bank_bin,
            "TenTKThuHuong": dossier.agency.bank_account_name,
            "HoTenNguoiNop": dossier.applicant_name,
            "NoiDungThanhToan": request.reason,
            "PhiLePhi": [
                {
                    "LoaiPhiLePhi": "1",
                    "MaPhiLePhi": dossier.procedure.code,
                    "TenPhiLePhi": request.reason,
                    "SoTien": request.amount_vnd,
                }
            ],
        },
    )


def attempts_for(request: PaymentRequest) -> list[Attempt]:
    """Every attempt, abandoned ones marked expired (so support sees what really happened)."""
    request.attempts.filter(state=Attempt.State.STARTED, expires_at__lt=timezone.now()).update(
        state=Attempt.State.EXPIRED, message=_("Quá thời gian thanh toán, giao dịch đã hủy.")
    )
    return list(request.attempts.all())


# --- the bank: webhook and statements ---------------------------------------------------------------------


class WebhookRejected(Exception):
    pass


def verify_webhook(body: bytes, signature: str) -> None:
    """HMAC-SHA256 of the raw body with BANK_WEBHOOK_SECRET, sent as 'sha256=<hex>'."""
    secret = settings.BANK_WEBHOOK_SECRET
    if not secret:
        raise WebhookRejected("webhook secret not configured")
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature or ""):
        raise WebhookRejected("bad signature")


def record_bank_credit(
    agency, *, bank_ref: str, amount_vnd: int, memo: str, booked_at, source: str, provider_ref: str = ""
) -> tuple[BankTransaction, bool]:
    """Record one credit on the agency's account once, and match it by reference and amount.

    Exact amount: paid. Less: flagged underpaid, the fee stays open. More: paid, flagged for a refund.
    A second payment of a paid fee: flagged duplicate. The reference of a replaced fee: flagged replaced;
    of a fee nobody asks for any more (the dossier stopped, an exemption): flagged cancelled. No reference
    found: flagged unmatched. The citizen is told of every credit that did not simply pay the fee.
    Returns (transaction, created); a repeated bank_ref, or a notifying service's repeated
    `provider_ref` from the same `source`, changes nothing.
    Raises ValueError for an amount that is not a whole number of dong between 1 and MAX_INCOMING_VND.
    """
    whole = isinstance(amount_vnd, int) and not isinstance(amount_vnd, bool)
    if not whole or not 0 < amount_vnd <= MAX_INCOMING_VND:
        raise ValueError(f"bank credit amount out of range: {amount_vnd!r}")
    bank_ref, memo = clean_text(bank_ref).strip()[:80], clean_text(memo)[:500]
    provider_ref = clean_text(provider_ref).strip()[:80]
    seen = BankTransaction.objects.filter(agency=agency, source=source, provider_ref=provider_ref)
    if provider_ref and (earlier := seen.first()):
        return earlier, False
    try:
        with transaction.atomic():
            credit = BankTransaction.objects.create(
                agency=agency,
                bank_ref=bank_ref,
                amount_vnd=amount_vnd,
                memo=memo,
                booked_at=booked_at,
                source=source,
                provider_ref=provider_ref,
                match=BankTransaction.Match.UNMATCHED,
            )
            _match(credit)
            return credit, True
    except IntegrityError:  # sent twice at once, or the same transfer already known from another source
        earlier = seen.first() if provider_ref else None
        return earlier or BankTransaction.objects.get(agency=agency, bank_ref=bank_ref), False


def _match(credit: BankTransaction) -> None:
    # Every request's reference, replaced ones included: a transfer for an old fee is money to refund or
    # to match by hand, not an unknown credit.
    candidates = dict(
        PaymentRequest.objects.filter(dossier__agency=credit.agency).values_list("reference", "pk")
    )
    found = statements.find_references(credit.memo, list(candidates))
    if not found:
        log.warning("Unmatched bank credit %s (%s đ): %r", credit.bank_ref, credit.amount_vnd, credit.memo)
        return
    request = _lock(candidates[found[0]])
    credit.request = request
    if request.state != PaymentRequest.State.PENDING:
        credit.match = _no_longer_asked(request)  # the same codes: duplicate, replaced, cancelled
    elif credit.amount_vnd < request.amount_vnd:
        credit.match = BankTransaction.Match.UNDERPAID
    elif not _mark_paid(request, method="vietqr"):
        credit.match = BankTransaction.Match.CANCELLED
    else:
        credit.match = (
            BankTransaction.Match.MATCHED
            if credit.amount_vnd == request.amount_vnd
            else BankTransaction.Match.OVERPAID
        )
    credit.save(update_fields=["request", "match"])
    if credit.match == BankTransaction.Match.UNDERPAID:
        _announce(request, amount=credit.amount_vnd, problem="short")
    elif credit.match == BankTransaction.Match.OVERPAID:
        _announce(request, amount=credit.amount_vnd - request.amount_vnd, problem="extra")
    elif credit.match != BankTransaction.Match.MATCHED:
        _announce(request, amount=credit.amount_vnd, problem="extra")


class UnknownAccount(ValueError):
    """A credit notice for an account that is no agency's (or several agencies')."""


def agency_for_account(*accounts: str) -> Agency:
    """The agency whose fee account is the first of `accounts` that names exactly one (a bank account,
    then a virtual account the bank opened on it)."""
    for account in accounts:
        if account:
            found = list(Agency.objects.filter(bank_account=account)[:2])
            if len(found) == 1:
                return found[0]
    raise UnknownAccount(accounts)


def record_notice(credit: banks.Credit) -> tuple[BankTransaction, bool]:
    """A credit a bank-notification service (SePay, Casso) reported, its signature checked: recorded and
    matched like every other credit (`record_bank_credit`), once per the service's transaction id.
    Raises UnknownAccount when the account is not an agency's fee account."""
    agency = agency_for_account(*credit.accounts)
    return record_bank_credit(
        agency,
        bank_ref=credit.bank_ref,
        amount_vnd=credit.amount_vnd,
        memo=credit.memo,
        booked_at=credit.booked_at,
        source=credit.source,
        provider_ref=credit.provider_ref,
    )


def refuse_notice(source: str, *, accounts: tuple[str, ...], reason: str) -> None:
    """Count a notice turned away (a wrong key or signature): officers of the agency it claims to be for
    see it on the payments page, since transfers are no longer matched by themselves."""
    account = next((a for a in accounts if a and Agency.objects.filter(bank_account=a).exists()), "")
    log.warning("Bank notice from %s refused (%s), account %r", source, reason, account)
    with transaction.atomic():
        row, _created = NoticeRefusal.objects.select_for_update().get_or_create(
            source=source, account=account, reason=reason, defaults={"last_at": timezone.now()}
        )
        NoticeRefusal.objects.filter(pk=row.pk).update(count=F("count") + 1, last_at=timezone.now())


def refusals_of(agency, *, days: int = 30) -> list[NoticeRefusal]:
    """Notices for the agency's account turned away in the last `days` days, latest first."""
    if not agency.bank_account:
        return []
    since = timezone.now() - dt.timedelta(days=days)
    return list(
        NoticeRefusal.objects.filter(account=agency.bank_account, last_at__gte=since).order_by("-last_at")
    )


@dataclass
class ImportSummary:
    rows: int = 0
    new: int = 0
    matched: int = 0
    flagged: int = 0
    errors: list[str] = field(default_factory=list)


def import_statement(agency, *, data: bytes, filename: str) -> ImportSummary:
    summary = ImportSummary()
    try:
        rows = statements.parse_statement(data, filename=filename)
    except statements.StatementError as exc:
        summary.errors.append(str(exc))
        return summary
    for row in rows:
        summary.rows += 1
        if row.error:
            summary.errors.append(_("Dòng %(line)s: %(error)s") % {"line": row.line, "error": row.error})
            continue
        if row.amount_vnd > MAX_INCOMING_VND:
            summary.errors.append(
                _("Dòng %(line)s: số tiền %(amount)s quá lớn (tối đa %(max)s); hãy kiểm tra lại dòng này.")
                % {
                    "line": row.line,
                    "amount": format_vnd(row.amount_vnd),
                    "max": format_vnd(MAX_INCOMING_VND),
                }
            )
            continue
        booked = (
            dt.datetime.combine(row.date, dt.time(12), tzinfo=timezone.get_current_timezone())
            if row.date
            else None
        )
        memo = clean_text(row.memo)
        bank_ref = (
            clean_text(row.bank_ref)
            or f"{row.date}:{row.amount_vnd}:{hashlib.sha256(memo.encode()).hexdigest()[:16]}"
        )
        credit, created = record_bank_credit(
            agency,
            bank_ref=bank_ref,
            amount_vnd=row.amount_vnd,
            memo=memo,
            booked_at=booked,
            source="statement",
        )
        if created:
            summary.new += 1
            if credit.match == BankTransaction.Match.MATCHED:
                summary.matched += 1
            else:
                summary.flagged += 1
    return summary


def panel(dossier: Dossier) -> dict | None:
    """What the citizen's dossier page shows about paying: amount, why, every way, what went wrong."""
    request = current_request(dossier)
    if request is None:
        return None
    attempts = attempts_for(request)
    failed = next((a for a in attempts if a.state in (Attempt.State.FAILED, Attempt.State.EXPIRED)), None)
    return {
        "request": request,
        "methods": methods_for(request),
        "vietqr": vietqr_for(request) if request.state == PaymentRequest.State.PENDING else None,
        "last_failure": failed if failed and failed is attempts[0] else None,
        "refund": Refund.objects.filter(request=request).first(),
    }


def payment_panel(dossier: Dossier) -> dict | None:
    """The citizen's dossier page shows `payments/_panel.html` with this context, when there is a fee."""
    found = panel(dossier)
    return {"payment": found} if found else None


def grant_exemption(dossier: Dossier, *, category_code: str, note: str, by) -> PaymentRequest:
    """The citizen belongs to an exempt group (poor household, disability, ...): they pay nothing, and the
    reason is recorded and shown. A dossier waiting for the fee moves on at once."""
    row = (
        dossier.procedure.exemption_rows.select_related("category")
        .filter(category__code=category_code)
        .first()
    )
    if row is None:
        raise ValueError(_("Thủ tục này không có đối tượng miễn, giảm đó."))
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)  # the lifecycle's lock order
        dossier.payment_requests.filter(state=PaymentRequest.State.PENDING).update(
            state=PaymentRequest.State.CANCELLED
        )
        reason = _("Miễn phí, lệ phí: %(who)s") % {"who": row.category.name}
        request = PaymentRequest.objects.create(
            dossier=dossier,
            amount_vnd=0,
            reason=reason,
            state=PaymentRequest.State.EXEMPT,
            exemption=f"{row.category.name}. {note}".strip(),
            requested_by=by,
            paid_at=timezone.now(),
            method="exempt",
        )
        if dossier.fee_pending:
            data = {"receipt_number": "MIỄN", "payment_method": "exempt"}
            perform(dossier, "confirm_payment", by=by, note=reason, data=data)
    return request


def _paygov_client() -> paygov.PaygovClient:
    return paygov.PaygovClient(
        settings.PAYGOV_URL, settings.PAYGOV_TOKEN, settings.PAYGOV_PARTNER_CODE, settings.PAYGOV_SECRET
    )


def _whole_dong(value) -> int | None:
    """SoTien as the platform writes it (a string in its samples, a number in some answers), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 12:
        value = int(value)
    return value if isinstance(value, int) else None


def check_paygov(attempt: Attempt, *, client: paygov.PaygovClient | None = None) -> str:
    """Ask the national platform what became of an attempt, and record a payment it confirms (once).

    A confirmed payment of a fee that no longer waits for it, or of another amount, is flagged for the
    officers (a refund or a manual match)."""
    answer = (client or _paygov_client()).status(attempt.txn_ref, timezone.localtime(attempt.created_at))
    state = str(answer.get("TrangThaiGD", ""))
    paid = _whole_dong(answer.get("SoTien"))
    with transaction.atomic():
        request = _lock(attempt.request_id)
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.state != Attempt.State.STARTED:
            return attempt.state
        attempt.raw = answer
        if state == paygov.STATUS_PAID and paid == attempt.amount_vnd:
            attempt.state, attempt.message = Attempt.State.SUCCEEDED, _("Thanh toán thành công.")
            attempt.transaction_no = clean_text(str(answer.get("MaGiaoDich", "")))[:40]
            attempt.finished_at = timezone.now()
            attempt.save()
            if problem := _take(request, method="paygov"):
                _flag(attempt, problem)
        elif state == paygov.STATUS_PAID:
            attempt.state, attempt.message = (
                Attempt.State.FAILED,
                _("Số tiền báo về không khớp: cán bộ sẽ kiểm tra."),
            )
            attempt.problem, attempt.needs_review = Attempt.Problem.AMOUNT, True
            attempt.transaction_no = clean_text(str(answer.get("MaGiaoDich", "")))[:40]
            attempt.finished_at = timezone.now()
            log.warning("Paygov amount mismatch for %s: %r", attempt.txn_ref, answer.get("SoTien"))
            attempt.save()
            _announce(request, amount=paid if paid is not None else attempt.amount_vnd, problem="check")
        elif state == paygov.STATUS_FAILED:
            attempt.state, attempt.message = Attempt.State.FAILED, _("Giao dịch không thành công.")
            attempt.finished_at = timezone.now()
            attempt.save()
    return attempt.state
