"""Lighthouse (mobile preset) on the public pages, served as production serves them (`make lighthouse`).

Starts granian with DEBUG off on a fresh SQLite database holding the demo data, static files collected and
served by WhiteNoise as in production, runs the pinned npm `lighthouse` (package.json) once per page in
Debian's Chromium, prints each page's scores and the audits that cost points, and exits non-zero when a
page scores performance < 95 or accessibility < 100, or answers anything but 200. Reports go to
test-output/lighthouse/.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("home", "/"),
    ("catalogue", "/thu-tuc/"),
    ("guide", "/thu-tuc/1.001193/"),
    ("lookup", "/tra-cuu/"),
    ("news", "/tin-tuc/"),
    ("statistics", "/thong-ke/"),
]
BARS = {"performance": 95, "accessibility": 100}
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run"
)


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True)


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            sys.exit(f"the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    sys.exit("the server did not answer /healthz in 60 s")


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def audit(url: str, report: Path, env: dict[str, str]) -> dict:
    """One Lighthouse run; a run that Lighthouse itself gives up on (e.g. NO_NAVSTART, a trace lost on a
    busy machine: it says "run Lighthouse again") is started again, at most twice."""
    lighthouse = ROOT / "node_modules" / ".bin" / "lighthouse"
    for attempt in range(3):
        done = subprocess.run(
            [
                str(lighthouse),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                "--only-categories=performance,accessibility",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            cwd=ROOT,
            env=env,
            check=False,
        )
        if done.returncode == 0:
            return json.loads(report.read_text())
        print(f"    lighthouse exited with {done.returncode} on {url} (attempt {attempt + 1} of 3)")
    sys.exit(f"lighthouse could not audit {url}")


def score(url: str, report: Path, env: dict[str, str]) -> tuple[dict, dict[str, int], list[str]]:
    result = audit(url, report, env)
    scores = {c: round(result["categories"][c]["score"] * 100) for c in BARS}
    return result, scores, [c for c, bar in BARS.items() if scores[c] < bar]


def losses(result: dict, category: str) -> list[str]:
    """The audits of a category that did not pass, with what Lighthouse says about them."""
    lines = []
    for ref in result["categories"][category]["auditRefs"]:
        item = result["audits"][ref["id"]]
        score = item.get("score")
        if score is None or item.get("scoreDisplayMode") in ("notApplicable", "informative", "manual"):
            continue
        if score < (1 if category == "accessibility" else 0.9) and (ref.get("weight") or ref.get("group")):
            shown = item.get("displayValue") or ""
            lines.append(f"      {ref['id']}: {round(score * 100)} {shown}".rstrip() + f" — {item['title']}")
    return lines


def main() -> int:
    port = os.environ.get("LIGHTHOUSE_PORT", "8790")
    base = f"http://127.0.0.1:{port}"
    out = ROOT / "test-output" / "lighthouse"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="motcua-lighthouse-") as tmp:
        env = {
            **os.environ,
            "DEMO": "1",
            "DEBUG": "0",
            "DATABASE_URL": f"sqlite:///{tmp}/lighthouse.sqlite3",
            "MEDIA_ROOT": f"{tmp}/media",
            "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
        }
        python = str(ROOT / ".venv" / "bin" / "python")
        run([python, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        run([python, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
        run([python, "manage.py", "load_demo"], env)
        server = subprocess.Popen(
            # as `make run` serves it (granian WSGI), with one worker: Lighthouse sends one page at a time
            [str(ROOT / ".venv" / "bin" / "granian"), "--interface", "wsgi", "--host", "127.0.0.1"]
            + ["--port", port, "--workers", "1", "--blocking-threads", "4", "--no-ws"]
            + ["--log-level", "warning", "motcua.wsgi:application"],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_until_up(base, server)
            failed = measured = 0
            print("\nLighthouse (mobile preset), bars: performance ≥ 95, accessibility 100")
            for name, path in PAGES:
                status = status_of(base + path)
                if status != 200:
                    print(f"  {name:<11} {path:<22} FAIL: answered {status}")
                    failed += 1
                    continue
                result, scores, below = score(base + path, out / f"{name}.json", env)
                note = ""
                if below:
                    # This 2-core machine is shared: a run slowed by another process costs performance
                    # points (total blocking time). A page below the bar is run twice more and judged by
                    # the median of the three runs, as Lighthouse's documentation advises for variance.
                    runs = [(scores["performance"], result, scores, below)]
                    for again in (2, 3):
                        r, s, b = score(base + path, out / f"{name}-{again}.json", env)
                        runs.append((s["performance"], r, s, b))
                    runs.sort(key=lambda run: run[0])
                    _, result, scores, below = runs[1]
                    note = f"  (median of 3 runs: performance {', '.join(str(run[0]) for run in runs)})"
                measured += 1
                print(
                    f"  {name:<11} {path:<22} performance {scores['performance']:>3}  "
                    f"accessibility {scores['accessibility']:>3}  {'FAIL' if below else 'ok'}{note}"
                )
                for category in below:
                    print(f"    {category} loses points on:")
                    print("\n".join(losses(result, category)) or "      (no single audit below its bar)")
                failed += bool(below)
            reports = out.relative_to(ROOT)
            print(f"lighthouse: {measured} pages measured, {failed} failed; reports in {reports}/")
            return 1 if failed else 0
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
