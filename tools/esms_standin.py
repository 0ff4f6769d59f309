"""A stand-in for eSMS.vn for load and fault runs: speaks `SendMultipleMessage_V4_post_json` as the production
adapter (motcua/notifications/providers.py, EsmsProvider) uses it, and records every message it accepts.

- A request with the right ApiKey/SecretKey and a RequestId not seen before is accepted: CodeResult "100"
  and a new SMSID, recorded in `accepted` (RequestId -> SMSID) and in the `log`.
- A RequestId accepted before is refused as eSMS does, code "124" ("Request exist"): the phone gets it once.
- Wrong keys: code "101". A body that is not JSON: HTTP 400.
- `down()` closes the listening socket (senders get "connection refused", a temporary failure for the
  adapter); `up()` listens again on the same port. `Standin.serve()` runs it as a process of its own.

It runs in a thread of the caller (the load generator) and is small on purpose: a message costs it a JSON
parse and a dict lookup.
"""

import argparse
import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OK, DUPLICATE, BAD_KEY = "100", "124", "101"


@dataclass
class Received:
    at: float
    request_id: str
    phone: str
    code: str  # the CodeResult answered
    sms_id: str = ""


@dataclass
class Standin:
    api_key: str = "load-api-key"
    secret: str = "load-secret"  # noqa: S105 - a stand-in's made-up key
    port: int = 0
    accepted: dict[str, str] = field(default_factory=dict)  # RequestId -> SMSID
    log: list[Received] = field(default_factory=list)
    slow_until: float = 0.0  # until then every answer takes `slowness` seconds (a send caught mid-way)
    slowness: float = 3.0
    in_flight: int = 0

    def __post_init__(self):
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/MainService.svc/json/SendMultipleMessage_V4_post_json/"

    def answer(self, body: dict) -> dict:
        if time.time() < self.slow_until:
            with self._lock:
                self.in_flight += 1
            time.sleep(self.slowness)
            with self._lock:
                self.in_flight -= 1
        if body.get("ApiKey") != self.api_key or body.get("SecretKey") != self.secret:
            return {"CodeResult": BAD_KEY, "CountRegenerate": 0, "ErrorMessage": "Authorize Failed"}
        request_id = str(body.get("RequestId", ""))
        with self._lock:
            if request_id and request_id in self.accepted:
                self.log.append(Received(time.time(), request_id, str(body.get("Phone", "")), DUPLICATE))
                return {"CodeResult": DUPLICATE, "CountRegenerate": 0, "ErrorMessage": "Request exist 1"}
            sms_id = str(uuid.uuid4())
            if request_id:
                self.accepted[request_id] = sms_id
            self.log.append(Received(time.time(), request_id, str(body.get("Phone", "")), OK, sms_id))
        return {"CodeResult": OK, "CountRegenerate": 0, "SMSID": sms_id}

    def up(self) -> "Standin":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - the name http.server calls
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw)
                    status, answer = 200, standin.answer(body if isinstance(body, dict) else {})
                except ValueError:
                    status, answer = 400, {"error": "not JSON"}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self

    def down(self) -> None:
        """Stop answering: the port is closed, senders get "connection refused"."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def is_up(self) -> bool:
        return self._server is not None

    def duplicates_refused(self) -> int:
        return sum(1 for r in self.log if r.code == DUPLICATE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:  # pragma: no cover - a manual helper
    parser = argparse.ArgumentParser(description="eSMS stand-in: prints each accepted message")
    parser.add_argument("--port", type=int, default=8829)
    args = parser.parse_args()
    standin = Standin(port=args.port).up()
    print(f"eSMS stand-in on {standin.url} (ApiKey {standin.api_key}, SecretKey {standin.secret})")
    seen = 0
    try:
        while True:
            time.sleep(1)
            for r in standin.log[seen:]:
                print(f"{r.code} {r.request_id} {r.phone} {r.sms_id}")
            seen = len(standin.log)
    except KeyboardInterrupt:
        standin.down()


if __name__ == "__main__":
    main()
