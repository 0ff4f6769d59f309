"""A local stand-in for the national portal's integration adapter, speaking its protocol on 127.0.0.1.

Only the portal is played: motcua's own client signs in, posts DongBoHoSoMC and CapNhatTienDoHoSoMC over
a socket and reads the answers. The stand-in checks what the portal checks in the sources we read
(protocol.py): the session from the sign-in, the `dstcode` header, the unit code, the service names, a
dossier's required fields, the status code, the date format, and that "isUpdating" says whether it already
holds the dossier. A test scripts the next answers ("ok", "down" = HTTP 500, "slow" = no answer in time,
or a JSON body); once the script is used up it answers like the healthy portal.
"""

import json
import re
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DATE = re.compile(r"^(\d{14})?$")  # yyyyMMddHHmmss, or "" for a date not reached yet
REQUIRED = ("MaHoSo", "MaTTHC", "TenTTHC", "ChuHoSo", "TrangThaiHoSo", "DonViXuLy")
# Once received (2 and every status that follows reception), a dossier carries when and until when.
RECEIVED = {"2", "4", "5", "6", "8", "9", "10"}
DATES = ("NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy")
STEP_REQUIRED = ("MaHoSo", "NguoiXuLy", "ThoiDiemXuLy", "NoiDungXuLy", "TrangThai")


class StandInPortal:
    """The adapter: POST /xac-thuc (sign in) and POST /tich-hop (the integration services)."""

    username, password, dstcode, unit_code = "motcua-vinhlinh", "mat-khau-thu", "DVCQG", "000.20.44.H54"

    def __init__(self):
        self.requests: list[dict] = []  # every request, in the order it arrived
        self.dossiers: dict[str, dict] = {}  # MaHoSo -> the last HoSo accepted
        self.steps: list[dict] = []  # accepted CapNhatTienDoHoSoMC steps, in order
        self.sessions: set[str] = set()
        self.script: deque = deque()
        self._lock = threading.Lock()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the name http.server calls
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    body = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    body = None
                request = {"path": self.path, "headers": headers, "json": body}
                with portal._lock:
                    portal.requests.append(request)
                    step = portal.script.popleft() if portal.script else None
                if step == "slow":
                    time.sleep(1.0)  # longer than HTTP_TIMEOUT in the tests: the client has given up
                    return
                with portal._lock:
                    status, answer = portal.answer(request, step)
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
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def settings(self, **overrides) -> dict:
        """settings.NATIONAL_PORTAL for a motcua that talks to this stand-in."""
        return {
            "SYNC_URL": f"{self.base}/tich-hop",
            "AUTH_URL": f"{self.base}/xac-thuc",
            "USERNAME": self.username,
            "PASSWORD": self.password,
            "DSTCODE": self.dstcode,
            "UNIT_CODE": self.unit_code,
            "HTTP_TIMEOUT": 0.5,
            **overrides,
        }

    def will(self, *steps) -> None:
        """Script the next answers: "ok" (as the healthy portal), "down" (HTTP 500), "slow" (a timeout), or
        a JSON body."""
        self.script.extend(steps)

    def calls(self, service: str) -> list[dict]:
        """The bodies of the calls of `service` that reached the stand-in, accepted or not."""
        return [
            r["json"]
            for r in self.requests
            if isinstance(r["json"], dict) and r["json"].get("service") == service
        ]

    # --- the portal's answers ---------------------------------------------------------------------------

    def answer(self, request: dict, step) -> tuple[int, dict | str]:
        if step == "down":
            return 500, "<html><body>Internal Server Error</body></html>"
        if isinstance(step, dict):
            return 200, step
        if request["headers"].get("dstcode") != self.dstcode:
            return 403, {"error_code": 403, "message": "dstcode không hợp lệ"}
        body = request["json"]
        if not isinstance(body, dict):
            return 400, {"error_code": 400, "message": "Dữ liệu không phải JSON"}
        if request["path"] == "/xac-thuc":
            return 200, self.sign_in(body)
        if request["path"] == "/tich-hop":
            return 200, self.integrate(body)
        return 404, {"error_code": 404, "message": "Không có dịch vụ"}

    def sign_in(self, body: dict) -> dict:
        if body.get("username") != self.username or body.get("password") != self.password:
            return {"error_code": 1, "message": "Tên đăng nhập hoặc mật khẩu không đúng"}
        session = uuid.uuid4().hex
        self.sessions.add(session)
        return {"error_code": 0, "session": session}

    def integrate(self, body: dict) -> dict:
        if body.get("session") not in self.sessions:
            return {"error_code": -1, "message": "Phiên làm việc không hợp lệ"}
        if body.get("madonvi") != self.unit_code:
            return {"error_code": 2, "message": "Mã đơn vị không đúng"}
        data = body.get("data")
        if not isinstance(data, list) or not data:
            return {"error_code": 3, "message": "Thiếu dữ liệu"}
        if body.get("service") == "DongBoHoSoMC":
            return self.sync(body, data)
        if body.get("service") == "CapNhatTienDoHoSoMC":
            return self.progress(data)
        return {"error_code": 4, "message": "Dịch vụ không tồn tại"}

    def sync(self, body: dict, data: list) -> dict:
        updating = body.get("isUpdating")
        if updating not in ("True", "False"):
            return {"error_code": 5, "message": "isUpdating phải là True hoặc False"}
        for hoso in data:
            if missing := [k for k in REQUIRED if not str(hoso.get(k) or "")]:
                return {"error_code": 6, "message": f"Thiếu trường {', '.join(missing)}"}
            if hoso["TrangThaiHoSo"] not in {str(n) for n in range(1, 11)}:
                return {"error_code": 7, "message": "Trạng thái hồ sơ không hợp lệ"}
            if bad := [k for k in DATES if not DATE.match(str(hoso.get(k, "")))]:
                return {"error_code": 8, "message": f"Sai định dạng ngày: {', '.join(bad)}"}
            if hoso["TrangThaiHoSo"] in RECEIVED and not (
                hoso.get("NgayTiepNhan") and hoso.get("NgayHenTra")
            ):
                return {
                    "error_code": 6,
                    "message": "Hồ sơ đã tiếp nhận phải có ngày tiếp nhận và ngày hẹn trả",
                }
            exists = hoso["MaHoSo"] in self.dossiers
            if exists and updating == "False":
                return {"error_code": 9, "message": f"Hồ sơ {hoso['MaHoSo']} đã tồn tại"}
            if not exists and updating == "True":
                return {"error_code": 10, "message": f"Hồ sơ {hoso['MaHoSo']} không tồn tại"}
        for hoso in data:
            self.dossiers[hoso["MaHoSo"]] = hoso
        return {"error_code": 0, "message": "Đồng bộ thành công"}

    def progress(self, data: list) -> dict:
        for step in data:
            if missing := [k for k in STEP_REQUIRED if not str(step.get(k) or "")]:
                return {"error_code": 6, "message": f"Thiếu trường {', '.join(missing)}"}
            if step["MaHoSo"] not in self.dossiers:
                return {"error_code": 10, "message": f"Hồ sơ {step['MaHoSo']} không tồn tại"}
        self.steps.extend(data)
        return {"error_code": 0, "message": "Cập nhật tiến độ thành công"}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
