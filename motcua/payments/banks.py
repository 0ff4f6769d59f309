"""Bank-notification services that Vietnamese organisations use to learn of a transfer at once: SePay and
Casso. Each watches the agency's fee account and POSTs every new transaction to us as JSON. This module
checks each service's own authentication exactly as it publishes it and reads its fields into a `Credit`;
the matching of the transfer memo to a fee's reference is the one every credit goes through
(services.record_bank_credit, statements.find_references), beside our own signed format
(`POST /api/v1/payments/bank`) and the statement import.

SePay — https://developer.sepay.vn/en/sepay-webhooks/xac-thuc ("API Key": every request carries the header
`Authorization: Apikey <key>`; the published check is `str_starts_with($auth, 'Apikey ')` and
`hash_equals($expected, substr($auth, 7))`, else 401) and .../sepay-webhooks/tich-hop-webhook (the body:
`id` — SePay's transaction id, "use for deduplication" —, `gateway` (the bank), `transactionDate`
"2023-03-25 14:02:37", `accountNumber`, `code` (the payment code SePay recognised, or null), `content`
(the transfer memo), `transferType` "in" or "out", `transferAmount`, `accumulated`, `subAccount` (a
virtual account, or null), `referenceCode` (the bank's own reference, "MBVCB.3278907687"),
`description`; the answer it expects: HTTP 200 or 201 with `{"success": true}`, else it retries).

Casso, webhook v2 — https://developer.casso.vn/webhook/thiet-lap-webhook-thu-cong and "Xử lý sự kiện
Webhook" (the body: `{"error": 0, "data": {"id", "reference", "description", "amount" (negative for
money out), "runningBalance", "transactionDateTime" "2024-10-03 15:06:37", "accountNumber", "bankName",
"bankAbbreviation", "virtualAccountNumber", "virtualAccountName", "counterAccountName",
"counterAccountNumber", "counterAccountBankId", "counterAccountBankName"}}`; the "Gọi thử" test call
sends `id` 0). The header `X-Casso-Signature: t=<unix ms>,v1=<hex>` where v1 is HMAC-SHA512, keyed with
the webhook's secret ("checksum key"), of `<t>.<the body with every object's keys sorted, as compact
JSON>` — Casso's published samples (`sortObjDataByKey`, then `JSON.stringify` in Node.js and
`json_encode` in PHP). Their test vector (key "mgExMrjj…", t=1727948258788, v1 "ed0a4bd2…") is checked in
tests/test_banks.py. Node.js and PHP write "/" and non-ASCII letters differently, so both spellings
are accepted; either is an HMAC with the secret.

Nothing here touches the database: the API endpoints (api.py) bound the body, call `verify_*`, then
`read_*`, then services.record_notice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from dataclasses import dataclass

from django.utils import timezone

__all__ = [
    "MAX_BODY",
    "Credit",
    "Rejected",
    "Unreadable",
    "casso_signature",
    "claimed_accounts",
    "read_casso",
    "read_sepay",
    "verify_casso",
    "verify_sepay",
]

MAX_BODY = 16 * 1024  # one transaction is about 500 bytes; anything larger is not a notice
_CASSO_SIGNATURE = re.compile(r"t=(\d{1,16}),v1=([0-9a-f]{128})")
_LOCAL_TIME = "%Y-%m-%d %H:%M:%S"  # both services write the bank's local time (GMT+7) this way


@dataclass(frozen=True)
class Credit:
    """Money in on an account, as a notifying service reported it."""

    source: str  # "sepay", "casso"
    provider_ref: str  # the service's own transaction id: a notice sent again is recognised by it
    bank_ref: str  # the bank's reference, as a statement shows it
    accounts: tuple[str, ...]  # the account, then the virtual account, to find the agency by
    amount_vnd: int
    memo: str
    booked_at: dt.datetime | None


class Rejected(Exception):
    """The notice is not from the service: the caller answers `status` and counts it for the officers."""

    def __init__(self, reason: str, status: int = 401):
        super().__init__(reason)
        self.reason, self.status = reason, status


class Unreadable(ValueError):
    """An authenticated notice whose fields cannot be taken as they are: `str(exc)` says which and why."""


# --- SePay ------------------------------------------------------------------------------------------------


def verify_sepay(authorization: str, *, api_key: str) -> None:
    """SePay's "API Key" authentication: `Authorization: Apikey <key>`, compared in constant time."""
    if not api_key:
        raise Rejected("not configured", status=403)
    if not authorization.startswith("Apikey ") or not hmac.compare_digest(
        authorization[len("Apikey ") :].encode(), api_key.encode()
    ):
        raise Rejected("bad key")


def read_sepay(body: bytes) -> Credit | None:
    """The credit a SePay notice reports, or None for money going out."""
    data = _object(body)
    kind = data.get("transferType")
    if kind == "out":
        return None
    if kind != "in":
        raise Unreadable("“transferType” phải là “in” hoặc “out”")
    provider_ref = _identifier(data, "id")
    return Credit(
        source="sepay",
        provider_ref=provider_ref,
        bank_ref=_optional(data, "referenceCode") or f"sepay:{provider_ref}",
        accounts=(_identifier(data, "accountNumber"), _optional(data, "subAccount")),
        amount_vnd=_amount(data, "transferAmount"),
        memo=_memo(data, "content"),
        booked_at=_local_time(data, "transactionDate"),
    )


# --- Casso ------------------------------------------------------------------------------------------------


def _sorted(value):
    """Casso's `sortObjDataByKey`: every object's keys in order, however deep."""
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def _whole_or_float(text: str):
    # JavaScript writes 599000.0 as 599000: read integral numbers as integers, as Casso's Node.js does.
    number = float(text)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _canonical(body: bytes) -> list[bytes]:
    """The sorted, compact JSON Casso signs, as Node.js writes it and as PHP does."""
    data = _sorted(json.loads(body, parse_float=_whole_or_float))
    node = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    php = json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")
    return [text.encode("utf-8", "surrogatepass") for text in dict.fromkeys((node, php))]


def casso_signature(body: bytes, *, secret: str, timestamp_ms: int) -> str:
    """The `X-Casso-Signature` header Casso sends with `body` (for the tests and the demo)."""
    message = f"{timestamp_ms}.".encode() + _canonical(body)[0]
    digest = hmac.new(secret.encode(), message, hashlib.sha512).hexdigest()
    return f"t={timestamp_ms},v1={digest}"


def verify_casso(body: bytes, signature: str, *, secret: str) -> None:
    """Casso webhook v2's signature over the key-sorted body (see the module's docstring)."""
    if not secret:
        raise Rejected("not configured", status=403)
    found = _CASSO_SIGNATURE.fullmatch(signature.strip())
    if found is None:
        raise Rejected("bad signature")
    timestamp, received = found.groups()
    try:
        candidates = _canonical(body)
    except (ValueError, RecursionError):
        raise Rejected("bad signature") from None
    for text in candidates:
        expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + text, hashlib.sha512).hexdigest()
        if hmac.compare_digest(expected, received):
            return
    raise Rejected("bad signature")


def read_casso(body: bytes) -> Credit | None:
    """The credit a Casso v2 notice reports, or None for money going out and for Casso's test call."""
    outer = _object(body)
    data = outer.get("data")
    if not isinstance(data, dict):
        raise Unreadable("“data” phải là một đối tượng JSON (webhook v2)")
    provider_ref = _identifier(data, "id")
    if provider_ref == "0":  # the "Gọi thử" button: answered, nothing recorded
        return None
    amount = data.get("amount")
    if isinstance(amount, int) and not isinstance(amount, bool) and amount < 0:
        return None
    return Credit(
        source="casso",
        provider_ref=provider_ref,
        bank_ref=_optional(data, "reference") or f"casso:{provider_ref}",
        accounts=(_identifier(data, "accountNumber"), _optional(data, "virtualAccountNumber")),
        amount_vnd=_amount(data, "amount"),
        memo=_memo(data, "description"),
        booked_at=_local_time(data, "transactionDateTime"),
    )


def claimed_accounts(body: bytes) -> tuple[str, ...]:
    """The accounts an unauthenticated notice names (either service's fields), to tell the right agency's
    officers that notices for their account are being turned away. Nothing else is read from it."""
    try:
        data = json.loads(body[:MAX_BODY])
    except (ValueError, RecursionError):
        return ()
    if isinstance(data, dict) and isinstance(data.get("data"), dict):
        data = data["data"]
    if not isinstance(data, dict):
        return ()
    values = (data.get(k) for k in ("accountNumber", "subAccount", "virtualAccountNumber"))
    return tuple(v[:40] for v in values if isinstance(v, str) and v)


# --- fields -----------------------------------------------------------------------------------------------


def _object(body: bytes) -> dict:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise Unreadable("nội dung không phải JSON") from exc
    if not isinstance(data, dict):
        raise Unreadable("nội dung phải là một đối tượng JSON")
    return data


def _identifier(data: dict, key: str) -> str:
    value = data.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not 0 < len(value) <= 80 or not value.isprintable():
        raise Unreadable(f"“{key}” phải có từ 1 đến 80 ký tự, không có ký tự điều khiển")
    return value


def _optional(data: dict, key: str) -> str:
    value = data.get(key)
    if value in (None, ""):
        return ""
    return _identifier(data, key)


def _amount(data: dict, key: str) -> int:
    value = data.get(key)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value > 2**31 - 1:
        raise Unreadable(f"“{key}” phải là số tiền nguyên dương (đồng)")
    return value


def _memo(data: dict, key: str) -> str:
    value = data.get(key) or ""
    if not isinstance(value, str) or len(value) > 1000:
        raise Unreadable(f"“{key}” phải là chuỗi ký tự, không quá 1.000 ký tự")
    return value


def _local_time(data: dict, key: str) -> dt.datetime | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        moment = dt.datetime.strptime(str(value), _LOCAL_TIME)
    except ValueError:
        raise Unreadable(f"“{key}” phải có dạng 2026-11-29 10:00:00") from None
    return timezone.make_aware(moment, timezone.get_fixed_timezone(7 * 60))
