"""`make bench-dossiers`: the back office, the citizen's list, the dossier API, the public lookup and the
statistics (an agency-year's indicators, in-process; /thong-ke/ and /api/v1/stats under load) over
1,000,000 generated dossiers on PostgreSQL, as requests per second relative to /healthz (and to a
raw-SQL lookup) measured in the same run, with latency percentiles. Loopback only.

Needs a PostgreSQL database it may fill: BENCH_PG_URL (default postgres://motcua:motcua@127.0.0.1:5432/
motcua_bench). The data is generated once and reused by later runs.
"""

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8765"))
COUNT = int(os.environ.get("BENCH_DOSSIERS", "1000000"))
DURATION = os.environ.get("BENCH_SECONDS", "10")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
LUA = """
local paths = {%(paths)s}
%(headers)s
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%.1f %%.2f %%.2f %%.2f %%d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def env() -> dict:
    url = os.environ.get("BENCH_PG_URL", "postgres://motcua:motcua@127.0.0.1:5432/motcua_bench")
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEMO": "1",
        "DEBUG": "0",
        "LOOKUP_RATE_LIMIT": "100000000",
        "ROOT_URLCONF": "bench.urls",
        "LOG_LEVEL": "WARNING",
    }


def run(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env(), check=True, capture_output=True, text=True
    )
    return result.stdout


def manage(*args: str) -> str:
    return run("manage.py", *args)


def prepare() -> dict:
    manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    manage("load_demo")
    start = time.perf_counter()
    print(
        run("-m", "bench.generate_dossiers", "--count", str(COUNT)).strip().splitlines()[-1],
        f"({time.perf_counter() - start:.0f} s)",
    )
    print(run("-m", "bench.stats").strip().splitlines()[-1])
    script = """
import json, random
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from motcua.accounts.services import issue_token
from motcua.dossiers.models import Dossier
User = get_user_model()
def session(user):
    s = SessionStore(); s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "motcua.accounts.backends.PhoneOrUsernameBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash(); s.create(); return s.session_key
desk, citizen = User.objects.get(username="motcua"), User.objects.get(username="+84900000001")
n = Dossier.objects.count()
ids = random.Random(7).sample(range(1, n), 5000)
rows = list(Dossier.objects.filter(pk__in=ids).values_list("code", "applicant_phone"))
print(json.dumps({"desk": session(desk), "citizen": session(citizen), "token": issue_token(desk),
                  "codes": [(c, p[-4:]) for c, p in rows if c]}))
"""
    import json

    return json.loads(manage("shell", "-c", script).strip().splitlines()[-1])


def wrk(paths: list[str], headers: dict[str, str] | None = None) -> tuple[float, float, float, float, int]:
    lua_paths = ",".join(f'"{p}"' for p in paths)
    lua_headers = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in (headers or {}).items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA % {"paths": lua_paths, "headers": lua_headers})
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "-s", f.name, f"http://127.0.0.1:{PORT}"],
        capture_output=True,
        text=True,
        timeout=int(DURATION) + 60,
    ).stdout
    os.unlink(f.name)
    match = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\d+)", out)
    return tuple(float(x) for x in match.groups()[:4]) + (int(match.group(5)),)


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    data = prepare()
    codes = data["codes"]
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT),
            "--workers",
            "2",
            "--blocking-threads",
            "4",
            "--no-ws",
            "--log-level",
            "warning",
            "motcua.wsgi:application",
        ],
        cwd=ROOT,
        env=env(),
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        desk = {"Cookie": f"sessionid={data['desk']}"}
        citizen = {"Cookie": f"sessionid={data['citizen']}"}
        bearer = {"Authorization": f"Bearer {data['token']}"}
        sample = random.Random(1).sample(codes, min(2000, len(codes)))
        cases = [
            ("/healthz", ["/healthz"], None),
            (
                "raw-SQL lookup (reference)",
                [f"/bench/raw-lookup?code={c}&phone_last4={p}" for c, p in sample],
                None,
            ),
            ("GET /api/v1/lookup", [f"/api/v1/lookup?code={c}&phone_last4={p}" for c, p in sample], None),
            ("GET /tra-cuu/ (HTML)", [f"/tra-cuu/?ma={c}&so={p}" for c, p in sample], None),
            ("GET /api/v1/dossiers/{code}", [f"/api/v1/dossiers/{c}" for c, _ in sample], bearer),
            ("GET /can-bo/ (queue)", ["/can-bo/"], desk),
            ("GET /ho-so/ (citizen list)", ["/ho-so/"], citizen),
            ("GET /thong-ke/ (statistics)", ["/thong-ke/"], None),
            ("GET /api/v1/stats", ["/api/v1/stats"], None),
        ]
        wrk(["/healthz"])  # warm-up
        results = []
        for name, paths, headers in cases:
            wrk(paths[:50], headers)  # warm this endpoint's code paths
            results.append((name, *wrk(paths, headers)))
        base, raw = results[0][1], results[1][1]
        print(
            f"\n{COUNT:,} dossiers, PostgreSQL, granian 2 workers x 4 threads, "
            f"wrk -c{CONNECTIONS} {DURATION}s:"
        )
        print(
            f"  {'endpoint':<30} {'req/s':>8} {'/healthz':>9} {'raw SQL':>8} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'errors':>6}"
        )
        for name, rps, p50, p95, p99, errors in results:
            print(
                f"  {name:<30} {rps:>8,.0f} {rps / base:>8.1%} {rps / raw:>7.1%} {p50:>7.2f} {p95:>7.2f} "
                f"{p99:>7.2f} {errors:>6}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
