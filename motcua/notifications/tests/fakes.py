"""Local stand-ins for the outside services, speaking their real HTTP protocols on 127.0.0.1.

Only the provider is faked: the real adapter code builds the request, sends it over a socket and reads the
answer. A test scripts the next answers ("down" = HTTP 500, "slow" = no answer before the timeout, or a
protocol error code); once the script is used up the fake answers like the healthy service.
"""

import json
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# eSMS's documented answers (developers.esms.vn, "Table of error codes").
ESMS_OK = {"CodeResult": "100", "CountRegenerate": 0}
ESMS_NO_BALANCE = {
    "CodeResult": "103",
    "CountRegenerate": 0,
    "ErrorMessage": "Balance not enough to send message",
}
ESMS_BAD_KEY = {"CodeResult": "101", "CountRegenerate": 0, "ErrorMessage": "Authorize Failed"}
ESMS_DUPLICATE = {
    "CodeResult": "124",
    "CountRegenerate": 0,
    "ErrorMessage": "Request exist 1",
    "SendStatus": "5",
}
# Zalo ZNS (zalo.cloud/zns, "Cách xử lý mã lỗi").
ZALO_NO_ACCOUNT = {"error": -118, "message": "Zalo account not existed"}
ZALO_BAD_TOKEN = {"error": -124, "message": "Access token invalid"}


class FakeService:
    """An HTTP server in a thread: records each request and answers from `script`, then as healthy."""

    def __init__(self, delay: float = 0.0):
        self.requests: list[dict] = []
        self.script: deque = deque()
        self.delay = delay  # every answer waits this long: lets concurrent senders overlap
        self._lock = threading.Lock()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}  # HTTP header names ignore case
                request = {"path": self.path, "headers": headers, "json": json.loads(body or b"{}")}
                with service._lock:
                    service.requests.append(request)
                    step = service.script.popleft() if service.script else None
                time.sleep(service.delay)
                status, answer = service.answer(request, step)
                if status is None:
                    return  # "slow": the client has given up already
                data = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):  # keep test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/"

    def will(self, *steps) -> None:
        """Script the next answers: "down" (HTTP 500), "slow" (a timeout), or a JSON body."""
        self.script.extend(steps)

    def answer(self, request: dict, step) -> tuple[int | None, dict | str]:
        if step == "down":
            return 500, "<html><body>Internal Server Error</body></html>"
        if step == "slow":
            time.sleep(1.0)  # longer than the adapters' HTTP_TIMEOUT in the tests
            return None, ""
        if isinstance(step, dict):
            return 200, step
        return 200, self.healthy(request)

    def healthy(self, request: dict) -> dict:
        raise NotImplementedError

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeEsms(FakeService):
    """eSMS `SendMultipleMessage_V4_post_json`: checks the keys; a RequestId seen before is code 124."""

    api_key, secret = "test-api-key", "test-secret"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.accepted: dict[str, str] = {}

    def healthy(self, request: dict) -> dict:
        body = request["json"]
        if body.get("ApiKey") != self.api_key or body.get("SecretKey") != self.secret:
            return ESMS_BAD_KEY
        if body.get("RequestId") in self.accepted:
            return ESMS_DUPLICATE
        sms_id = str(uuid.uuid4())
        self.accepted[body.get("RequestId")] = sms_id
        return {**ESMS_OK, "SMSID": sms_id}

    def sent(self) -> list[dict]:
        """The bodies of the requests that this fake accepted (CodeResult 100)."""
        return [r["json"] for r in self.requests if r["json"].get("RequestId") in self.accepted]


class FakeZalo(FakeService):
    """Zalo ZNS `POST /message/template` with the `access_token` header.

    `tracking_id` is kept as ZNS keeps it: the partner's own mark of one call, "để đối soát" (to reconcile
    without Zalo's msg_id), at most 48 characters recommended. ZNS documents no refusal of a tracking_id
    it has seen (zalo.cloud/zns and the partners' copies of its API page), so this fake sends a repeated
    one again, as Zalo would: a second send reaches the phone twice.
    """

    token = "test-zalo-token"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.delivered: list[str] = []  # the tracking_id of each message that reached a phone

    def healthy(self, request: dict) -> dict:
        if request["headers"].get("access_token") != self.token:
            return ZALO_BAD_TOKEN
        self.delivered.append(request["json"].get("tracking_id"))
        return {
            "error": 0,
            "message": "Success",
            "data": {
                "msg_id": uuid.uuid4().hex[:20],
                "sent_time": str(int(time.time() * 1000)),
                "quota": {"dailyQuota": "500", "remainingQuota": "499"},
            },
        }
