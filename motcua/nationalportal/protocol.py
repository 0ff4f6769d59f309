"""The national public-service portal's dossier synchronisation (Cổng DVCQG, "đồng bộ hồ sơ một cửa").

The portal publishes it in Văn phòng Chính phủ's "Tài liệu hướng dẫn kết nối, tích hợp, chia sẻ dữ liệu
với Cổng Dịch vụ công quốc gia" (v1.4, 20/04/2020; §3.2 "Dịch vụ tích hợp"), which we could read only in
its table of contents (https://123doc.top/document/7077974-20200420-tailieuhuongdantichhopdvcqg-v1-4-24.htm).
The messages below follow two integrations that run against it, read in their source:

- VietOpenCPS/opencps-v2 (commit b5b943c), modules/backend-dossiermgt/backend-dossiermgt-service/src/main/
  java/org/opencps/dossiermgt/action/impl/DVCQGIntegrationActionImpl.java and
  .../constants/DVCQGIntegrationActionTerm.java: the envelope, the sign-in, `DongBoHoSoMC` (the dossier)
  and `CapNhatTienDoHoSoMC` (a processing step), and `getMappingStatus` (local status -> TrangThaiHoSo);
- HuanVu201/DichVuCong_KhoaLuan_PASETO (Thanh Hóa, commit 07e3b72), DichVuCongApi/src/Infrastructure/
  KetNoi/DVC/SyncLocalDataToDVCQG/SyncLocalDataToDVCQGService.cs: the same field names (KenhThucHien too),
  dates as yyyyMMddHHmmss, NguoiXuLy cut to 50 characters, TrichYeuHoSo to 1000.

The exchange, all JSON over HTTPS POST, with the adapter's `dstcode` header:
1. sign in: `{"username", "password"}` to the adapter's auth endpoint -> `{"error_code": 0, "session"}`;
2. `{"session", "madonvi", "service": "DongBoHoSoMC", "isUpdating": "False"|"True", "data": [HoSo]}` to
   its integration endpoint -> `{"error_code": 0, "message"}` ("True" once the portal has the dossier);
3. `{"session", "madonvi", "service": "CapNhatTienDoHoSoMC", "data": [step]}` -> the same answer.
`error_code` 0 (or "0", "00") is success; anything else is the portal refusing the data, with its message.

Status codes (TrangThaiHoSo) are the portal's own ten codes, and motcua's `Status` *is* that list
(dossiers/states.py; the list in shared/reference/domain.md §2.1, from the Thanh Hóa system, a VNPT iGate
playground and OpenCPS's `statusCodeDVCQG`), so the mapping is the identity: sub-states (waiting for the
leader, rework, supplement sent) stay 4 "Đang xử lý". The Thanh Hóa code sends 5, 6 and 8 as 9 to a newer
"ThemMoi" endpoint; the DongBoHoSoMC service takes all ten, so we do not.

Not sent yet, all optional ("ko bb" in the OpenCPS source): TaiLieuNop (the portal would download the
files from a public URL), DanhSachLePhi (the fee codes MaPhiLePhi, HinhThucThu, LoaiPhiLePhi are not
documented in what we could read), DanhSachGiayToKetQua, DanhSachTepDinhKemKhac.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from zoneinfo import ZoneInfo

__all__ = [
    "PROGRESS",
    "SYNC",
    "PortalClient",
    "PortalError",
    "Problem",
    "portal_time",
]

SYNC = "DongBoHoSoMC"
PROGRESS = "CapNhatTienDoHoSoMC"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
SUCCESS = {0, "0", "00"}
# Field lengths the Thanh Hóa integration keeps to (it cuts longer values the same way).
MAX_PERSON = 50
MAX_SUMMARY = 1000


def portal_time(when: dt.datetime | None) -> str:
    """yyyyMMddHHmmss in Vietnam time; "" for a date not reached yet (as OpenCPS sends it)."""
    if when is None:
        return ""
    return when.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Problem:
    """What went wrong, as a word the officer's page translates (`models.Problem` gives the labels)."""

    CONNECTION = "connection"  # no answer at all: DNS, refused, reset
    TIMEOUT = "timeout"
    SERVER = "server"  # HTTP 5xx (or 408, 429): the portal's side, try again later
    HTTP = "http"  # another HTTP status: the request itself is wrong
    ANSWER = "answer"  # an answer that is not the protocol's JSON
    SIGN_IN = "sign_in"  # the adapter refused the account
    REFUSED = "refused"  # the portal refused the dossier's data (error_code != 0)


TEMPORARY = {Problem.CONNECTION, Problem.TIMEOUT, Problem.SERVER, Problem.ANSWER, Problem.SIGN_IN}


@dataclass
class PortalError(Exception):
    problem: str
    detail: str = ""
    http_status: int | None = None
    portal_code: str = ""

    def __str__(self) -> str:
        return f"{self.problem}: {self.detail}"

    @property
    def temporary(self) -> bool:
        """Worth trying again later without anyone changing anything (a refused account may be fixed
        in the settings meanwhile, so it is retried too); refused data or a wrong request are not."""
        return self.problem in TEMPORARY


@dataclass
class PortalClient:
    """The adapter's two endpoints and the account, as `conf` reads them from settings.NATIONAL_PORTAL."""

    sync_url: str
    auth_url: str = ""
    username: str = ""
    password: str = ""
    dstcode: str = ""
    timeout: float = 10

    def _post(self, url: str, body: dict) -> tuple[int, dict]:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if self.dstcode:
            headers["dstcode"] = self.dstcode
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status = exc.code
            problem = Problem.SERVER if status >= 500 or status in (408, 429) else Problem.HTTP
            raise PortalError(problem, f"HTTP {status}", http_status=status) from exc
        except TimeoutError as exc:
            raise PortalError(Problem.TIMEOUT, f"{self.timeout:g} s") from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise PortalError(Problem.TIMEOUT, f"{self.timeout:g} s") from exc
            raise PortalError(Problem.CONNECTION, str(exc.reason)[:200]) from exc
        except OSError as exc:  # a connection reset in the middle of the answer
            raise PortalError(Problem.CONNECTION, str(exc)[:200]) from exc
        try:
            answer = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PortalError(
                Problem.ANSWER, raw[:200].decode("utf-8", "replace"), http_status=status
            ) from exc
        if not isinstance(answer, dict):
            raise PortalError(Problem.ANSWER, str(answer)[:200], http_status=status)
        return status, answer

    def sign_in(self) -> str:
        """A session for the calls that follow ("" when the adapter needs none: no AUTH_URL)."""
        if not self.auth_url:
            return ""
        status, answer = self._post(self.auth_url, {"username": self.username, "password": self.password})
        code = answer.get("error_code")
        if code not in SUCCESS or not answer.get("session"):
            raise PortalError(
                Problem.SIGN_IN,
                str(answer.get("message") or answer.get("error") or "")[:300],
                http_status=status,
                portal_code=str(code if code is not None else ""),
            )
        return str(answer["session"])

    def send(self, body: dict, *, session: str, unit_code: str) -> tuple[int, str]:
        """POST one service call; (HTTP status, error_code) when the portal accepted it, else PortalError."""
        status, answer = self._post(self.sync_url, {"session": session, "madonvi": unit_code, **body})
        code = answer.get("error_code")
        if code not in SUCCESS:
            raise PortalError(
                Problem.REFUSED,
                str(answer.get("message") or answer.get("error") or "")[:300],
                http_status=status,
                portal_code=str(code if code is not None else ""),
            )
        return status, str(code)
