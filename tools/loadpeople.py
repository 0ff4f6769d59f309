"""The simulated people of `make loadtest` and `make faults` (tools/loadtest.py starts this as a process of
its own, so that gevent, which locust needs, patches nothing in the process that owns the stack):

    python -m tools.loadpeople URL USERS SECONDS ACCOUNTS.json OUT.json

It writes every request (time, step, milliseconds, success, status, path, the start of an error body) and
what the server acknowledged to OUT.json.
"""

import json
import random
import re
import sys
import time
import uuid
from dataclasses import asdict
from urllib.parse import urlencode

from locust import User, task
from locust.contrib.fasthttp import FastHttpSession
from locust.env import Environment
from locust.exception import StopUser

import gevent  # isort: skip  (after locust, which patches the standard library)

from tools.loadcheck import problem_text
from tools.loadtest import Run, Sample

HTML_PROCEDURE = "1.001266"  # Chấm dứt hoạt động hộ kinh doanh: four short steps, one paper, free
API_PROCEDURE = "1.004884"  # Đăng ký lại khai sinh: a fee (8.000 đồng), filed through the API
GUIDES = ["1.001193", "1.000894", "1.004873", "1.001612", "1.004222", "1.003677", "2.000528", "1.001266"]
SEARCHES = ["khai sinh", "ket hon", "tạm trú", "hộ kinh doanh", "xac nhan tinh trang hon nhan", "khai tử"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 40_000  # a 40 KB scan
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OWNER = re.compile(r'name="owner-token" value="([^"]+)"')
FILED = re.compile(r"/ho-so/([^/?]+)/")


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
        Sample(
            kw.get("start_time") or time.time(),
            name,
            request_type,
            response_time,
            ok,
            status,
            "/" + path,
            body,
        )
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
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
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
            RUN.base_url,
            request_event=self.environment.events.request,
            user=self,
            connection_timeout=30.0,
            network_timeout=60.0,
        )

    def headers(self, extra: dict | None = None) -> dict:
        return {"X-Forwarded-For": self.ip, **(extra or {})}

    def get(self, path: str, name: str, **kwargs):
        return self.http.get(path, name=name, headers=self.headers(kwargs.pop("headers", None)), **kwargs)

    def post(self, path: str, name: str, data: dict, **kwargs):
        body = urlencode(data)
        headers = self.headers(
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": RUN.base_url + path}
        )
        return self.http.post(path, name=name, data=body, headers=headers, allow_redirects=False, **kwargs)

    def sign_in(self, username: str) -> bool:
        """Sign in; a person who met an error page tries again a little later (up to five times)."""
        for _attempt in range(5):
            if self.try_sign_in(username):
                return True
            think()
        return False

    def try_sign_in(self, username: str) -> bool:
        page = self.get("/dang-nhap/", "sign in: page")
        if page.status_code != 200:
            return False
        answer = self.post(
            "/dang-nhap/",
            "sign in",
            {
                "csrfmiddlewaretoken": token(page.text),
                "username": username,
                "password": RUN.accounts["password"],
                "next": "",
            },
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
        if page.status_code != 200:
            return
        answers = [
            {
                "business_name": f"Tạp hóa {mark}",
                "registration_number": f"29A8{random.randint(0, 999999):06d}",
            },
            {
                "owner_name": f"Người Thử {self.index}",
                "owner_id_number": f"0451900{random.randint(0, 99999):05d}",
                "owner_phone": self.phone,
            },
            {"closing_date": "2026-12-31", "tax_settled": "on"},
            {"commitment": "on", "kinh_gui": ""},
        ]
        for number, fields in enumerate(answers, start=1):
            think()
            owner = OWNER.search(page.text or "")
            data = {
                "csrfmiddlewaretoken": token(page.text),
                "owner-token": owner.group(1) if owner else "",
                "di": "tiep",
                **fields,
            }
            answer = self.post(f"/thu-tuc/{code}/nop/buoc/{number}/", "file: step", data)
            if answer.status_code != 302:
                return
            page = self.get(answer.headers["Location"], "file: step page")
            if page.status_code != 200:
                return
        think()
        body, ctype = multipart(
            {"csrfmiddlewaretoken": token(page.text), "di": "tiep"},
            {"file-1": ("thong-bao.pdf", PDF, "application/pdf")},
        )
        answer = self.http.post(
            f"/thu-tuc/{code}/nop/giay-to/",
            name="file: upload",
            data=body,
            headers=self.headers({"Content-Type": ctype}),
            allow_redirects=False,
        )
        if answer.status_code != 302:
            RUN.refused[mark] = f"upload {answer.status_code}: {problem_text(answer.text)}"
            return
        page = self.get(answer.headers["Location"], "file: review")
        if page.status_code != 200:
            return
        think()
        RUN.unsure.add(mark)
        answer = self.post(
            f"/thu-tuc/{code}/nop/xem-lai/", "file: submit", {"csrfmiddlewaretoken": token(page.text)}
        )
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
            answer = self.http.post(
                "/api/v1/auth/token",
                name="API: token",
                headers=self.headers(),
                json={"username": self.phone, "password": RUN.accounts["password"]},
            )
            if answer.status_code != 200:
                return
            self.api_token = answer.json()["token"]
            think()
        mark = RUN.mark()
        form = {
            "requester_name": f"Người Thử {self.index}",
            "requester_residence": "Thôn 1, xã Vĩnh Linh",
            "requester_id_type": "can_cuoc",
            "requester_id_number": f"0450900{random.randint(0, 99999):05d}",
            "requester_id_issue_date": "2021-05-01",
            "requester_id_issue_place": "Cục Cảnh sát QLHC về TTXH",
            "requester_relationship": "ban_than",
            "subject_name": f"Người Thử {self.index}",
            "subject_birth_date": "1990-03-04",
            "subject_sex": "nam",
            "subject_ethnicity": "Kinh",
            "subject_nationality": "Việt Nam",
            "subject_birth_place": "Quảng Trị",
            "subject_home_town": "Quảng Trị",
            "previous_registration": f"UBND xã Vĩnh Linh {mark}",
            "commitment": True,
        }
        auth = self.headers({"Authorization": f"Bearer {self.api_token}", "Idempotency-Key": mark})
        RUN.unsure.add(mark)
        for _attempt in range(3):  # the same Idempotency-Key: a retry after a lost answer files nothing twice
            answer = self.http.post(
                "/api/v1/dossiers",
                name="API: file",
                headers=auth,
                json={"procedure": API_PROCEDURE, "form": form},
            )
            if answer.status_code == 201 or (answer.status_code and answer.status_code < 500):
                break
            gevent.sleep(2)
        if answer.status_code != 201:
            if answer.status_code and answer.status_code < 500:
                RUN.refused[mark] = f"API {answer.status_code}: {problem_text(answer.text)}"
            return
        RUN.unsure.discard(mark)
        code = answer.json()["code"]
        RUN.acked[mark] = code
        think()
        body, ctype = multipart({"slot": "1"}, {"file": ("to-khai.pdf", PDF, "application/pdf")})
        self.http.post(
            f"/api/v1/dossiers/{code}/attachments",
            name="API: attach",
            data=body,
            headers={**auth, "Content-Type": ctype},
        )
        self.acknowledged(mark, code, fee=True)  # the desk receives it once its paper is attached

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
        base = RUN.pay_url
        page = self.get(f"{base}/ho-so/{code}/", "my dossier")
        if page.status_code != 200:
            RUN.to_pay[self.index].append(code)  # tried again later
            return
        think()
        answer = self.post(
            f"{base}/ho-so/{code}/thanh-toan/vnpay/", "pay: start", {"csrfmiddlewaretoken": token(page.text)}
        )
        gateway = answer.headers.get("Location") or ""
        if answer.status_code != 302 or "vnp_" not in gateway:
            return
        page = self.get(gateway, "pay: gateway page")
        if page.status_code != 200:
            return
        think()
        form = dict(
            re.findall(r'<input type="hidden" name="(vnp_[A-Za-z]+)" value="([^"]*)"', page.text or "")
        )
        form = {k: html_unescape(v) for k, v in form.items()}
        answer = self.post(
            gateway.split("?")[0],
            "pay: gateway confirms",
            {"csrfmiddlewaretoken": token(page.text), **form, "ket_qua": "thanh-cong"},
        )
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
        if page.status_code != 200:
            RUN.to_receive.append((code, citizen, fee))  # another officer, or this one later
            return
        think()
        answer = self.post(
            f"/can-bo/ho-so/{code}/xu-ly/receive/",
            "officer: receive",
            {"csrfmiddlewaretoken": token(page.text)},
        )
        if answer.status_code != 302:
            return
        page = self.get(answer.headers["Location"], "officer: dossier")
        if not fee or page.status_code != 200:
            return
        think()
        amount = re.search(r'name="amount_vnd"[^>]*value="(\d+)"', page.text or "")
        answer = self.post(
            f"/can-bo/ho-so/{code}/xu-ly/request_payment/",
            "officer: ask for the fee",
            {
                "csrfmiddlewaretoken": token(page.text),
                "amount_vnd": amount.group(1) if amount else "8000",
                "reason": "Lệ phí đăng ký lại khai sinh",
                "note": "",
            },
        )
        if answer.status_code == 302:
            RUN.to_pay[citizen].append(code)
            self.get(answer.headers["Location"], "officer: dossier")


def html_unescape(value: str) -> str:
    import html

    return html.unescape(value)


def run_people(base_url: str, *, users: int, seconds: float, accounts: dict, pay_url: str = "") -> Run:
    """Run the people against `base_url` for `seconds`."""
    global RUN
    RUN = Run(base_url=base_url, users=users, seconds=seconds, accounts=accounts, pay_url=pay_url)
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
    gevent.sleep(seconds)
    # Nobody starts another page after the deadline: wait for the pages under way, then stop.
    for _ in range(300):
        if runner.user_count == 0:
            break
        gevent.sleep(0.1)
    runner.quit()
    env.events.request.remove_listener(on_request)
    return RUN


def main() -> None:
    url, users, seconds, accounts, out, pay_url = sys.argv[1:7]
    with open(accounts, encoding="utf-8") as f:
        accounts = json.load(f)
    run = run_people(url, users=int(users), seconds=float(seconds), accounts=accounts, pay_url=pay_url)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(
            {
                "samples": [asdict(s) for s in run.samples],
                "acked": run.acked,
                "unsure": sorted(run.unsure),
                "refused": run.refused,
                "paid": run.paid,
                "started": run.started,
                "run_id": run.run_id,
            },
            f,
            ensure_ascii=False,
        )


if __name__ == "__main__":
    main()
