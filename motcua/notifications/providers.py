"""Provider adapters: one interface, `send(message) -> ProviderResult`, for every outside service.

An adapter raises `TemporaryFailure` when trying the same provider again later may work (timeouts, HTTP
5xx, "try again later" codes) and `PermanentFailure` when it will not (bad credentials, no balance, a
number the provider refuses): the delivery task then retries with backoff, or moves to the next provider.

`deduplicates` says whether the provider itself refuses a message it has already accepted (eSMS, by
our RequestId). For the others (email, Zalo ZNS, whose `tracking_id` is only a reconciliation mark) the
delivery task never sends again a message a dead worker had already handed over.
"""

import hashlib
import hmac
import json
import logging
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.utils.module_loading import import_string

from . import conf

__all__ = [
    "ConsoleProvider",
    "EmailProvider",
    "EsmsProvider",
    "PermanentFailure",
    "Provider",
    "ProviderResult",
    "TemporaryFailure",
    "ZaloZnsProvider",
    "delivery_key",
    "email_message_id",
    "providers_for",
    "receipt_signature",
]

logger = logging.getLogger("motcua.notifications")


class ProviderError(Exception):
    pass


class TemporaryFailure(ProviderError):
    """Try this provider again later."""


class PermanentFailure(ProviderError):
    """This provider will not take this message: move on."""


@dataclass(frozen=True)
class ProviderResult:
    provider_id: str  # the provider's id of the message, "" when it gives none
    status: str = "sent"  # "sent" (accepted) or "delivered" (known to have arrived)


def delivery_key(message) -> str:
    """32 hex digits derived from the message's idempotency key: the same for every try of one message,
    and only letters and digits (ZNS asks for a tracking_id of at most 48 such characters)."""
    return hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:32]


class Provider:
    name = ""
    deduplicates = False  # True: sending an accepted message again reaches nobody twice

    def __init__(self, name: str, **options):
        self.name = name
        self.options = options

    def send(self, message) -> ProviderResult:
        raise NotImplementedError


class ConsoleProvider(Provider):
    """Development: writes the text to the log (and so to the outbox page) instead of sending it."""

    deduplicates = True  # nothing leaves the machine

    def send(self, message) -> ProviderResult:
        logger.info("[%s → %s] %s", message.channel, message.address, message.text)
        return ProviderResult(provider_id=f"console-{message.pk}")


class EmailProvider(Provider):
    """Django's mailer (MAILERS): SMTP in production, the console in development.

    The Message-ID comes from the message's idempotency key, so every copy of one message carries the
    same one (mail clients show copies with one Message-ID once). SMTP has no way to refuse a copy, so
    the delivery task never sends again what a dead worker had handed over (`deduplicates` is False).
    """

    def send(self, message) -> ProviderResult:
        from django.core.mail import EmailMessage

        email = EmailMessage(
            message.subject,
            message.text,
            settings.DEFAULT_FROM_EMAIL,
            [message.address],
            headers={"Message-ID": email_message_id(message)},
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentFailure(f"SMTP: người nhận bị từ chối ({exc.recipients})") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"SMTP: {exc}") from exc
        return ProviderResult(provider_id=email.extra_headers.get("Message-ID", ""))


def email_message_id(message) -> str:
    """<key@domain of the sender>: the same Message-ID each time one message is sent."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{delivery_key(message)}.motcua@{domain}>"


def _post_json(url: str, payload: dict, *, headers: dict | None = None) -> dict:
    """POST JSON and read a JSON answer; network trouble and HTTP 5xx/429 are temporary."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL comes from settings, http(s) only
        url, data=body, method="POST", headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=conf.get("HTTP_TIMEOUT")) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as exc:
        if exc.code >= 500 or exc.code == 429:
            raise TemporaryFailure(f"HTTP {exc.code}") from exc
        raise PermanentFailure(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        raise TemporaryFailure(f"không kết nối được: {getattr(exc, 'reason', exc)}") from exc
    try:
        answer = json.loads(raw)
    except ValueError as exc:
        raise TemporaryFailure(f"câu trả lời không phải JSON: {raw[:80]!r}") from exc
    if not isinstance(answer, dict):
        raise TemporaryFailure(f"câu trả lời lạ: {raw[:80]!r}")
    return answer


def _national(e164: str) -> str:
    return "0" + e164[3:] if e164.startswith("+84") else e164.lstrip("+")


def receipt_signature(message_id: int) -> str:
    """Signs a delivery-receipt URL so that nobody else can mark our messages delivered or failed."""
    key = hashlib.sha256(f"receipt:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, str(message_id).encode(), hashlib.sha256).hexdigest()[:32]


class EsmsProvider(Provider):
    """eSMS.vn brandname SMS, `SendMultipleMessage_V4_post_json` (customer-care type 2, Unicode).

    Options: url, api_key, secret, brandname, sandbox (bool). CodeResult "100" means eSMS accepted the
    request, not that the phone got it; the final status comes to `CallbackUrl` (see api.py).
    `RequestId` is our idempotency key, so a send repeated after a worker died is refused as a duplicate
    (code 124) instead of reaching the citizen twice.
    """

    deduplicates = True

    DEFAULT_URL = "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    ERRORS = {
        "99": "số điện thoại bị chặn trên hệ thống eSMS",
        "101": "sai ApiKey hoặc SecretKey",
        "102": "tài khoản chưa có bảng giá",
        "103": "tài khoản không đủ tiền",
        "104": "brandname không tồn tại hoặc chưa được duyệt",
        "108": "số điện thoại sai định dạng",
        "118": "loại tin không được hỗ trợ",
        "140": "địa chỉ IP chưa được eSMS cho phép",
        "146": "nội dung không khớp mẫu tin CSKH đã đăng ký",
        "177": "nhà mạng chưa được đăng ký cho brandname",
        "300": "thiếu loại tin",
    }

    def send(self, message) -> ProviderResult:
        o = self.options
        payload = {
            "ApiKey": o.get("api_key", ""),
            "SecretKey": o.get("secret", ""),
            "Phone": _national(message.address),
            "Content": message.text,
            "Brandname": o.get("brandname", ""),
            "SmsType": "2",
            "IsUnicode": "0" if message.text.isascii() else "1",
            "Sandbox": "1" if o.get("sandbox") else "0",
            "RequestId": message.idempotency_key,
            "campaignid": message.kind,
        }
        if site := getattr(settings, "SITE_URL", ""):
            payload["CallbackUrl"] = (
                f"{site}/api/v1/notifications/receipts/esms/{message.pk}/{receipt_signature(message.pk)}"
            )
        answer = _post_json(o.get("url") or self.DEFAULT_URL, payload)
        code = str(answer.get("CodeResult", ""))
        if code == "100":
            return ProviderResult(provider_id=str(answer.get("SMSID", "")))
        if code == "124":  # this RequestId was accepted before: the message is already on its way
            return ProviderResult(provider_id=message.provider_message_id)
        if not code:
            raise TemporaryFailure(f"eSMS: {answer.get('error') or answer}")
        what = self.ERRORS.get(code) or answer.get("ErrorMessage") or "lỗi không rõ"
        raise PermanentFailure(f"eSMS {code}: {what}")


class ZaloZnsProvider(Provider):
    """Zalo Notification Service: an approved template sent to the Zalo account of a phone number.

    Options: url, access_token, templates (event kind -> template id; falls back to ZALO_TEMPLATES),
    mode ("development" sends only to the OA's admins). The access token lives 25 hours: production
    refreshes it and restarts with the new value.

    `tracking_id` is, in ZNS's words, the partner's mark of one API call "để đối soát" (to reconcile
    without Zalo's msg_id), at most 48 letters and digits; Zalo documents no refusal of a repeated one.
    So it identifies the message (`delivery_key`) but does not stop a second send: the delivery task
    does (`deduplicates` is False).
    """

    DEFAULT_URL = "https://business.openapi.zalo.me/message/template"
    TEMPORARY = {-100: "lỗi không xác định của Zalo, thử lại sau"}
    ERRORS = {
        -108: "số điện thoại không hợp lệ",
        -109: "mã mẫu ZNS không hợp lệ",
        -111: "mẫu ZNS không có dữ liệu",
        -112: "dữ liệu mẫu ZNS không hợp lệ",
        -114: "người dùng không nhận được tin (tài khoản không hoạt động, từ chối nhận, Zalo cũ)",
        -115: "tài khoản ZNS không đủ số dư",
        -118: "số điện thoại chưa có tài khoản Zalo",
        -124: "access token không hợp lệ hoặc hết hạn",
    }

    def send(self, message) -> ProviderResult:
        o = self.options
        templates = o.get("templates") or conf.get("ZALO_TEMPLATES")
        template_id = templates.get(message.kind)
        if not template_id:
            raise PermanentFailure(f"Zalo: chưa có mẫu ZNS cho loại tin {message.kind}")
        payload = {
            "phone": message.address.lstrip("+"),  # 84xxxxxxxxx
            "template_id": str(template_id),
            "template_data": message.data,
            "tracking_id": delivery_key(message),
        }
        if o.get("mode"):
            payload["mode"] = o["mode"]
        answer = _post_json(
            o.get("url") or self.DEFAULT_URL, payload, headers={"access_token": o.get("access_token", "")}
        )
        error = answer.get("error")
        if error == 0:
            return ProviderResult(provider_id=str((answer.get("data") or {}).get("msg_id", "")))
        if not isinstance(error, int):
            raise TemporaryFailure(f"Zalo: câu trả lời lạ {answer}")
        if error in self.TEMPORARY:
            raise TemporaryFailure(f"Zalo {error}: {self.TEMPORARY[error]}")
        what = self.ERRORS.get(error) or answer.get("message") or "lỗi không rõ"
        raise PermanentFailure(f"Zalo {error}: {what}")


def providers_for(channel: str) -> list[Provider]:
    """The channel's providers in the order they are tried."""
    configured = {**conf.BUILTIN_PROVIDERS, **conf.get("PROVIDERS")}
    providers = []
    for name in conf.get("CHANNELS").get(channel, []):
        spec = configured[name]
        providers.append(import_string(spec["BACKEND"])(name, **spec.get("OPTIONS", {})))
    return providers
