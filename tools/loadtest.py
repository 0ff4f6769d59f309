"""`make loadtest`: a mixed workload against a stack started from the deploy/ files (tools/stack.py), then
the checks that nothing acknowledged was lost or doubled.

    LOAD_USERS=200 LOAD_SECONDS=60 .venv/bin/python -m tools.loadtest

The people (locust as a library, headless, gevent; each thinks 1-3 s between pages):
- visitors (60 %), each visit a new person from a new address: home, catalogue, a guide, a search, and a
  lookup of a dossier (the HTML page or the JSON API) by its code and the phone's last four digits;
- citizens (30 %), signed in: file a dossier through the real form (steps, a PDF upload, the review and
  "Nộp hồ sơ", CSRF and all) or through the API (token, `Idempotency-Key`, an attachment), look at their
  dossiers, and pay a fee an officer asked for through VNPay (the demo gateway stand-in the app serves,
  which speaks VNPay's protocol and calls the IPN);
- officers (10 %), one-stop desk: open the queue, open a new dossier, receive it, ask for the fee.

Per step it prints requests, req/s, p50/p95/p99 and errors (the first error bodies too). Then it waits for
the outbox to drain and checks (tools/loadcheck.py) that every filing the server acknowledged is in the
database exactly once, none is there that was not acknowledged, and every SMS message was accepted by the
eSMS stand-in (tools/esms_standin.py) exactly once. It exits 1 when a check fails.
"""

import os
import random
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from urllib.parse import urlencode

from locust import User, events, task  # noqa: F401 - importing locust patches the standard library (gevent)
from locust.contrib.fasthttp import FastHttpSession
from locust.env import Environment
from locust.exception import StopUser

import gevent  # isort: skip

from tools import loadcheck
from tools.esms_standin import Standin, free_port

HTML_PROCEDURE = "1.001266"  # Chấm dứt hoạt động hộ kinh doanh: four short steps, one paper, free
API_PROCEDURE = "1.004884"  # Đăng ký lại khai sinh: a fee (8.000 đồng), filed through the API
GUIDES = ["1.001193", "1.000894", "1.004873", "1.001612", "1.004222", "1.003677", "2.000528", "1.001266"]
SEARCHES = ["khai sinh", "ket hon", "tạm trú", "hộ kinh doanh", "xac nhan tinh trang hon nhan", "khai tử"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 40_000  # a 40 KB scan
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OWNER = re.compile(r'name="owner-token" value="([^"]+)"')
FILED = re.compile(r"/ho-so/([^/?]+)/")
READ_METHODS = ("GET",)
GRACE = 5.0  # seconds after a fault window still counted as inside it (the recovery)


# --- what the run records -------------------------------------------------------------------------------


@dataclass
class Sample:
    at: float
    name: str
    method: str
    ms: float
    ok: bool
    status: int
    path: str
    body: str = ""


@dataclass
class Run:
    base_url: str
    users: int
    seconds: float
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:6])
    samples: list[Sample] = field(default_factory=list)
    acked: dict[str, str] = field(default_factory=dict)  # filing mark -> dossier code the server answered
    unsure: set[str] = field(default_factory=set)  # filings sent whose answer never came
    refused: dict[str, str] = field(default_factory=dict)  # filing mark -> the message it was refused with
    windows: list[tuple[str, float, float]] = field(default_factory=list)  # fault name, start, end
    to_receive: deque = field(default_factory=deque)  # (code, citizen index, fee asked?) for the desk
    to_pay: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    known: deque = field(default_factory=lambda: deque(maxlen=500))  # (code, phone's last four) to look up
    paid: int = 0
    started: float = 0.0
    deadline: float = 0.0
    accounts: dict = field(default_factory=dict)

    def mark(self) -> str:
        return f"LT-{self.run_id}-{uuid.uuid4().hex[:10]}"

    def in_window(self, at: float) -> str:
        for name, start, end in self.windows:
            if start <= at <= end + GRACE:
                return name
        return ""


RUN: Run | None = None  # the run the simulated people belong to (locust makes the users, not us)


def on_request(request_type, name, response_time, response_length, response=None, exception=None, **kw):
    status = getattr(response, "status_code", 0) or 0
    ok = exception is None
    body = ""
    if not ok:
        try:
            body = (response.text or "")[:300] if response is not None else ""
        except Exception:  # noqa: BLE001 - a body that cannot be read is reported as empty
            body = ""
        body = body or repr(exception)[:300]
    url = kw.get("url") or ""
    path = url.split("://", 1)[-1].split("/", 1)[-1]
    RUN.samples.append(
        Sample(kw.get("start_time") or time.time(), name, request_type, response_time, ok, status, "/" + path, body)
    )


# --- the people -------------------------------------------------------------------------------------------


def think() -> None:
    gevent.sleep(random.uniform(1.0, 3.0))
    if time.time() >= RUN.deadline:
        raise StopUser


def token(html: str | None) -> str:
    found = CSRF.search(html or "")
    return found.group(1) if found else ""


def random_ip() -> str:
    return f"10.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, ctype) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Person(User):
    abstract = True

    def on_start(self):
        self.ip = random_ip()
        self.http = FastHttpSession(
            RUN.base_url, request_event=self.environment.events.request, user=self, connection_timeout=30.0,
            network_timeout=60.0,
        )

    def headers(self, extra: dict | None = None) -> dict:
        return {"X-Forwarded-For": self.ip, **(extra or {})}

    def get(self, path: str, name: str, **kwargs):
        return self.http.get(path, name=name, headers=self.headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, path: str, name: str, data: dict, **kwargs):
        body = urlencode(data)
        headers = self.headers({"Content-Type": "application/x-www-form-urlencoded", "Referer": RUN.base_url + path})
        return self.http.post(path, name=name, data=body, headers=headers, allow_redirects=False, **kwargs)

    def sign_in(self, username: str) -> bool:
        page = self.get("/dang-nhap/", "sign in: page")
        answer = self.post(
            "/dang-nhap/", "sign in", {"csrfmiddlewaretoken": token(page.text), "username": username,
                                      "password": RUN.accounts["password"], "next": ""},
        )
        return answer.status_code == 302


class Visitor(Person):
    """Someone who opens the portal, reads, searches and looks up a dossier; a new person each visit."""

    @task
    def visit(self):
        self.ip = random_ip()
        self.http.cookiejar.clear()
        self.get("/", "home")
        think()
        self.get("/thu-tuc/", "catalogue")
        think()
        self.get(f"/thu-tuc/{random.choice(GUIDES)}/", "guide")
        think()
        self.get("/thu-tuc/?" + urlencode({"q": random.choice(SEARCHES)}), "search")
        think()
        if RUN.known:
            code, last4 = random.choice(RUN.known)
            if random.random() < 0.5:
                self.get("/tra-cuu/?" + urlencode({"ma": code, "so": last4}), "lookup (HTML)")
            else:
                self.get("/api/v1/lookup?" + urlencode({"code": code, "phone_last4": last4}), "lookup (API)")
            think()


class Citizen(Person):
    """A citizen with an account: files online (the form, or the API), follows the dossier, pays."""

    counter = 0

    def on_start(self):
        super().on_start()
        self.index = Citizen.counter % len(RUN.accounts["citizens"])
        Citizen.counter += 1
        self.phone = RUN.accounts["citizens"][self.index]
        self.api_token = ""
        if not self.sign_in(self.phone):
            raise StopUser
        think()

    @task
    def act(self):
        if RUN.to_pay.get(self.index):
            self.pay(RUN.to_pay[self.index].pop(0))
        elif (roll := random.random()) < 0.45:
            self.file_online()
        elif roll < 0.65:
            self.file_by_api()
        else:
            self.follow()
        think()

    def file_online(self):
        mark = RUN.mark()
        code = HTML_PROCEDURE
        page = self.get(f"/thu-tuc/{code}/", "guide")
        think()
        page = self.get(f"/thu-tuc/{code}/nop/buoc/1/?moi=1", "file: step page")
        answers = [
            {"business_name": f"Tạp hóa {mark}", "registration_number": f"29A8{random.randint(0, 999999):06d}"},
            {"owner_name": f"Người Thử {self.index}", "owner_id_number": f"0451900{random.randint(0, 99999):05d}",
             "owner_phone": self.phone},
            {"closing_date": "2026-12-31", "tax_settled": "on"},
            {"commitment": "on", "kinh_gui": ""},
        ]
        for number, fields in enumerate(answers, start=1):
            think()
            owner = OWNER.search(page.text or "")
            data = {"csrfmiddlewaretoken": token(page.text), "owner-token": owner.group(1) if owner else "",
                    "di": "tiep", **fields}
            answer = self.post(f"/thu-tuc/{code}/nop/buoc/{number}/", "file: step", data)
            if answer.status_code != 302:
                return
            page = self.get(answer.headers["Location"], "file: step page")
        think()
        body, ctype = multipart({"csrfmiddlewaretoken": token(page.text), "di": "tiep"},
                                {"file-1": ("thong-bao.pdf", PDF, "application/pdf")})
        answer = self.http.post(f"/thu-tuc/{code}/nop/giay-to/", name="file: upload", data=body,
                                headers=self.headers({"Content-Type": ctype}), allow_redirects=False)
        if answer.status_code != 302:
            RUN.refused[mark] = f"upload {answer.status_code}: {problem_text(answer.text)}"
            return
        page = self.get(answer.headers["Location"], "file: review")
        think()
        RUN.unsure.add(mark)
        answer = self.post(f"/thu-tuc/{code}/nop/xem-lai/", "file: submit", {"csrfmiddlewaretoken": token(page.text)})
        filed = FILED.search(answer.headers.get("Location") or "") if answer.status_code == 302 else None
        if not filed:
            if answer.status_code and answer.status_code < 500:
                RUN.refused[mark] = f"submit {answer.status_code}: {problem_text(answer.text)}"
            return
        RUN.unsure.discard(mark)
        self.acknowledged(mark, filed.group(1), fee=False)
        self.get(answer.headers["Location"], "my dossier")

    def file_by_api(self):
        if not self.api_token:
            answer = self.http.post("/api/v1/auth/token", name="API: token", headers=self.headers(),
                                    json={"username": self.phone, "password": RUN.accounts["password"]})
            if answer.status_code != 200:
                return
            self.api_token = answer.json()["token"]
            think()
        mark = RUN.mark()
        form = {
            "requester_name": f"Người Thử {self.index}", "requester_residence": "Thôn 1, xã Vĩnh Linh",
            "requester_id_type": "can_cuoc", "requester_id_number": f"0450900{random.randint(0, 99999):05d}",
            "requester_id_issue_date": "2021-05-01", "requester_id_issue_place": "Cục Cảnh sát QLHC về TTXH",
            "requester_relationship": "ban_than", "subject_name": f"Người Thử {self.index}",
            "subject_birth_date": "1990-03-04", "subject_sex": "nam", "subject_ethnicity": "Kinh",
            "subject_nationality": "Việt Nam", "subject_birth_place": "Quảng Trị", "subject_home_town": "Quảng Trị",
            "previous_registration": f"UBND xã Vĩnh Linh {mark}", "commitment": True,
        }
        auth = self.headers({"Authorization": f"Bearer {self.api_token}", "Idempotency-Key": mark})
        RUN.unsure.add(mark)
        for _attempt in range(3):  # the same Idempotency-Key: a retry after a lost answer files nothing twice
            answer = self.http.post("/api/v1/dossiers", name="API: file", headers=auth,
                                    json={"procedure": API_PROCEDURE, "form": form})
            if answer.status_code == 201 or (answer.status_code and answer.status_code < 500):
                break
            gevent.sleep(2)
        if answer.status_code != 201:
            if answer.status_code and answer.status_code < 500:
                RUN.refused[mark] = f"API {answer.status_code}: {problem_text(answer.text)}"
            return
        RUN.unsure.discard(mark)
        code = answer.json()["code"]
        self.acknowledged(mark, code, fee=True)
        think()
        body, ctype = multipart({"slot": "1"}, {"file": ("to-khai.pdf", PDF, "application/pdf")})
        self.http.post(f"/api/v1/dossiers/{code}/attachments", name="API: attach", data=body,
                       headers={**auth, "Content-Type": ctype})

    def acknowledged(self, mark: str, code: str, *, fee: bool) -> None:
        RUN.acked[mark] = code
        RUN.known.append((code, self.phone[-4:]))
        RUN.to_receive.append((code, self.index, fee))

    def follow(self):
        page = self.get("/ho-so/", "my dossiers")
        mine = [code for code, last4 in list(RUN.known) if last4 == self.phone[-4:]]
        if mine:
            think()
            self.get(f"/ho-so/{random.choice(mine)}/", "my dossier")
        return page

    def pay(self, code: str):
        page = self.get(f"/ho-so/{code}/", "my dossier")
        think()
        answer = self.post(f"/ho-so/{code}/thanh-toan/vnpay/", "pay: start", {"csrfmiddlewaretoken": token(page.text)})
        gateway = answer.headers.get("Location") or ""
        if answer.status_code != 302 or "vnp_" not in gateway:
            return
        page = self.get(gateway, "pay: gateway page")
        think()
        form = dict(re.findall(r'<input type="hidden" name="(vnp_[A-Za-z]+)" value="([^"]*)"', page.text or ""))
        form = {k: html_unescape(v) for k, v in form.items()}
        answer = self.post(gateway.split("?")[0], "pay: gateway confirms",
                           {"csrfmiddlewaretoken": token(page.text), **form, "ket_qua": "thanh-cong"})
        if answer.status_code == 302:
            result = self.get(answer.headers["Location"], "pay: back on the portal")
            if result.status_code == 200:
                RUN.paid += 1


class Officer(Person):
    """A one-stop desk officer: the queue, a new dossier, receive it, ask for the fee when there is one."""

    counter = 0

    def on_start(self):
        super().on_start()
        names = RUN.accounts["officers"]
        self.name = names[Officer.counter % len(names)]
        Officer.counter += 1
        if not self.sign_in(self.name):
            raise StopUser
        think()

    @task
    def work(self):
        self.get("/can-bo/", "queue")
        think()
        if not RUN.to_receive:
            return
        code, citizen, fee = RUN.to_receive.popleft()
        page = self.get(f"/can-bo/ho-so/{code}/", "officer: dossier")
        think()
        answer = self.post(f"/can-bo/ho-so/{code}/xu-ly/receive/", "officer: receive",
                           {"csrfmiddlewaretoken": token(page.text)})
        if answer.status_code != 302:
            return
        page = self.get(answer.headers["Location"], "officer: dossier")
        if not fee:
            return
        think()
        amount = re.search(r'name="amount_vnd"[^>]*value="(\d+)"', page.text or "")
        answer = self.post(f"/can-bo/ho-so/{code}/xu-ly/request_payment/", "officer: ask for the fee", {
            "csrfmiddlewaretoken": token(page.text), "amount_vnd": amount.group(1) if amount else "8000",
            "reason": "Lệ phí đăng ký lại khai sinh", "note": "",
        })
        if answer.status_code == 302:
            RUN.to_pay[citizen].append(code)
            self.get(answer.headers["Location"], "officer: dossier")


def problem_text(html: str | None) -> str:
    """The first message shown to the person on an error page or a refused form, to report it."""
    html = html or ""
    for pattern in (r'class="[^"]*(?:error|problem|alert)[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*([^<]{3,200})',
                    r"<h1[^>]*>([^<]{3,200})", r'"detail":\s*"([^"]{1,200})'):
        if found := re.search(pattern, html):
            return found.group(1).strip()
    return html[:120].strip()


def html_unescape(value: str) -> str:
    import html

    return html.unescape(value)


# --- running it -------------------------------------------------------------------------------------------


def prepare(stack, citizens: int, officers: int) -> dict:
    import json

    out = stack.manage("shell", "-c", f"from tools import loadcheck; loadcheck.prepare({citizens}, {officers})")
    return json.loads(out.strip().splitlines()[-1])


def run_load(stack, *, users: int, seconds: float, accounts: dict, faults=None) -> Run:
    """Run the people against `stack.url` for `seconds`; `faults(run)` (a function) runs beside them."""
    global RUN
    RUN = Run(base_url=stack.url, users=users, seconds=seconds, accounts=accounts)
    officers = max(1, users // 10)
    citizens = max(1, users * 3 // 10)
    Officer.fixed_count, Citizen.fixed_count = officers, citizens
    Visitor.fixed_count = max(0, users - officers - citizens)
    env = Environment(user_classes=[Visitor, Citizen, Officer])
    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    RUN.started = time.time()
    RUN.deadline = RUN.started + seconds
    runner.start(users, spawn_rate=max(1.0, users / 10))  # everybody arrives within 10 s
    helper = gevent.spawn(faults, RUN) if faults else None
    gevent.sleep(seconds)
    # Nobody starts another page after the deadline: wait for the pages under way, then stop.
    for _ in range(300):
        if runner.user_count == 0:
            break
        gevent.sleep(0.1)
    runner.quit()
    if helper:
        helper.join(timeout=120)
    env.events.request.remove_listener(on_request)
    return RUN


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def report(run: Run, *, out=sys.stdout) -> dict:
    """Print the table per step; return the totals the targets are judged by."""
    elapsed = max(1.0, max((s.at for s in run.samples), default=run.started) - run.started)
    by_step: dict[str, list[Sample]] = defaultdict(list)
    for s in run.samples:
        by_step[s.name].append(s)
    print(f"\n{'step':<28}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}", file=out)
    for name in sorted(by_step, key=lambda n: -len(by_step[n])):
        rows = by_step[name]
        times = [s.ms for s in rows]
        print(
            f"{name:<28}{len(rows):>9}{len(rows) / elapsed:>8.1f}{percentile(times, 50):>9.0f}"
            f"{percentile(times, 95):>9.0f}{percentile(times, 99):>9.0f}{sum(not s.ok for s in rows):>8}",
            file=out,
        )
    reads = [s.ms for s in run.samples if s.method in READ_METHODS]
    writes = [s.ms for s in run.samples if s.method not in READ_METHODS]
    errors = [s for s in run.samples if not s.ok]
    outside = [s for s in errors if not run.in_window(s.at)]
    print(
        f"{'all':<28}{len(run.samples):>9}{len(run.samples) / elapsed:>8.1f}"
        f"{percentile([s.ms for s in run.samples], 50):>9.0f}{percentile([s.ms for s in run.samples], 95):>9.0f}"
        f"{percentile([s.ms for s in run.samples], 99):>9.0f}{len(errors):>8}",
        file=out,
    )
    print(f"reads (GET): {len(reads)}, p95 {percentile(reads, 95):.0f} ms, p99 {percentile(reads, 99):.0f} ms; "
          f"writes: {len(writes)}, p95 {percentile(writes, 95):.0f} ms", file=out)
    for s in outside[:5]:
        print(f"  error {s.status} {s.method} {s.path[:90]}: {problem_text(s.body)[:160]!r}", file=out)
    return {"requests": len(run.samples), "errors": len(errors), "errors_outside": len(outside),
            "read_p95_ms": percentile(reads, 95), "elapsed": elapsed}


def report_windows(run: Run, *, out=sys.stdout) -> None:
    """What a person saw inside each fault window: the answers that were not a success, by status."""
    for name, start, end in run.windows:
        inside = [s for s in run.samples if start <= s.at <= end + GRACE]
        bad = [s for s in inside if not s.ok]
        print(f"\nfault '{name}': {end - start:.1f} s (+{GRACE:.0f} s grace), {len(inside)} requests, "
              f"{len(bad)} not successful", file=out)
        seen = defaultdict(list)
        for s in bad:
            seen[(s.status, problem_text(s.body)[:120])].append(s)
        for (status, text), rows in sorted(seen.items(), key=lambda kv: -len(kv[1]))[:6]:
            print(f"  {len(rows):>4} × {status or 'no answer'} (e.g. {rows[0].method} {rows[0].path[:60]}): {text!r}",
                  file=out)


def drain_and_verify(stack, run: Run, standin: Standin, *, timeout: float = 180.0, out=sys.stdout) -> list[str]:
    """Wait until no outside message is queued or sending, then compare the database with what was said."""
    import json

    began = time.time()
    while True:
        data = json.loads(stack.manage("shell", "-c", f"from tools import loadcheck; loadcheck.dump({run.started - 5})")
                          .strip().splitlines()[-1])
        pending = [m for m in data["messages"] if m["status"] in ("queued", "sending")]
        if not pending or time.time() - began > timeout:
            break
        time.sleep(3)
    print(f"\noutbox drained in {time.time() - began:.0f} s" if not pending else
          f"\noutbox NOT drained after {timeout:.0f} s: {len(pending)} messages pending", file=out)
    mine = [d for d in data["dossiers"] if d["marker"].startswith(f"LT-{run.run_id}-")]
    problems = loadcheck.check_filings(run.acked, mine, unsure=run.unsure)
    problems += loadcheck.check_messages(data["messages"], dict(standin.accepted))
    sms = [m for m in data["messages"] if m["channel"] == "sms"]
    unsure_existing = sum(1 for d in mine if d["marker"] in run.unsure)
    print(
        f"filings: {len(run.acked)} acknowledged, {len(mine)} in the database "
        f"({unsure_existing} of {len(run.unsure)} whose answer never came), {len(run.refused)} refused with a message; "
        f"payments completed: {run.paid}\n"
        f"SMS: {len(sms)} messages, {len(standin.accepted)} accepted by the stand-in, "
        f"{standin.duplicates_refused()} resends refused as duplicates (code 124)",
        file=out,
    )
    for text in list(dict.fromkeys(run.refused.values()))[:5]:
        print(f"  refused: {text}", file=out)
    for p in problems[:20]:
        print(f"  PROBLEM {p}", file=out)
    print("verification: " + ("OK" if not problems else f"FAILED ({len(problems)} problems)"), file=out)
    return problems


def stack_env(standin: Standin) -> dict[str, str]:
    """Settings for a load run: SMS through the stand-in; limits of a province rather than of one person."""
    return {
        "SMS_PROVIDERS": "esms",
        "SMS_API_URL": standin.url,
        "SMS_API_KEY": standin.api_key,
        "SMS_SECRET": standin.secret,
        "SMS_BRANDNAME": "MOTCUA",
        "SMS_MONTHLY_LIMIT": "10000000",  # a province's budget: the run must not be cut short by it
        "SMS_PER_PHONE_PER_HOUR": "1000",  # the simulated people file far more often than a real one
        # The load generator speaks for many people from one machine: each has an address of its own in
        # X-Forwarded-For, which the load balancer passes on (one proxy more than in production).
        "TRUSTED_PROXIES": "2",
    }


def machine_note() -> str:
    load = os.getloadavg()
    try:
        top = subprocess.run(["ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"], capture_output=True,
                             text=True, timeout=5).stdout.splitlines()[:5]
    except (OSError, subprocess.SubprocessError):
        top = []
    return f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; busiest: " + ", ".join(t.strip() for t in top)


def main() -> int:
    from tools.stack import Stack

    users = int(os.environ.get("LOAD_USERS", "200"))
    seconds = float(os.environ.get("LOAD_SECONDS", "60"))
    standin = Standin(port=free_port()).up()
    print(f"before: {machine_note()}")
    with Stack(env=stack_env(standin), base_port=int(os.environ.get("LOAD_PORT", "8820"))) as stack:
        accounts = prepare(stack, citizens=max(1, users * 3 // 10), officers=max(1, users // 10))
        print(f"loadtest: {users} users for {seconds:.0f} s against {stack.url}")
        run = run_load(stack, users=users, seconds=seconds, accounts=accounts)
        print(f"after: {machine_note()}")
        totals = report(run)
        problems = drain_and_verify(stack, run, standin)
    standin.down()
    print(f"\ntargets: errors {totals['errors']} (0), read p95 {totals['read_p95_ms']:.0f} ms (< 1000), "
          f"lost or doubled: {len(problems)} (0)")
    return 1 if problems else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
