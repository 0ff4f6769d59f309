"""`make bench-cluster`: two app nodes behind nginx, two workers and the scheduler, from deploy/.

Starts the stack of tools/stack.py (a private PostgreSQL, migrate + load_demo, the systemd units' commands,
the shipped nginx configuration) and shows, through the nodes themselves and through the load balancer:

1. a session made on node 1 (an officer signs in with the HTML form) works on node 2;
2. a filing made through node 1 is visible through node 2 and the load balancer, and in the public lookup;
3. the public lookup's rate limit is counted across the nodes (one address, alternating nodes);
4. N filings through the load balancer give N x their notices, every one sent exactly once with two
   workers: each Message row "sent" once, and the console provider's lines in the two workers' logs add up
   to the rows, no line twice;
5. a second scheduler stands by while the first runs, and takes over when the first stops;
6. the backup unit runs (motcua-backup.service's ExecStart) and writes a backup.

Prints a short report with the figures (start-up time, requests per node, deliveries per worker) and
exits 1 when a check fails. BENCH_CLUSTER_FILINGS (default 40), BENCH_CLUSTER_PORT (default 8810).
"""

from __future__ import annotations

import ast
import http.cookiejar
import json
import os
import re
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stack import ROOT, Stack, get  # noqa: E402


def _factory(name: str):
    """A constant of the tests' factories (a valid birth declaration), read without importing Django."""
    tree = ast.parse((ROOT / "motcua" / "dossiers" / "tests" / "factories.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(name)


BIRTH, BIRTH_FORM = _factory("BIRTH"), _factory("BIRTH_FORM")

CITIZEN = ("0912345678", "demo-2026")
OFFICER = ("motcua", "demo-2026")
RATE_LIMIT = 10
# The lookup limit low enough to reach; one demo citizen files every dossier, so the per-phone SMS limit
# (10 an hour) is lifted, or most notices would be refused by it instead of being sent.
ENV = {
    "LOOKUP_RATE_LIMIT": str(RATE_LIMIT),
    "SMS_PER_PHONE_PER_HOUR": "100000",
    "SMS_MONTHLY_LIMIT": "100000",
}
failures: list[str] = []


def check(ok: bool, what: str) -> bool:
    print(f"  [{'ok' if ok else 'FAIL'}] {what}")
    if not ok:
        failures.append(what)
    return ok


def call(method: str, url: str, body=None, *, token: str = "", headers: dict | None = None):
    data = None
    request_headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        request_headers["Content-Type"] = "application/json"
    if token:
        request_headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=request_headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            return exc.code, json.loads(raw)
        except ValueError:
            return exc.code, raw[:200]


def token_for(base: str, username: str, password: str) -> str:
    status, body = call("POST", base + "/api/v1/auth/token", {"username": username, "password": password})
    if status != 200:
        raise RuntimeError(f"sign-in of {username} at {base}: {status} {body}")
    return body["token"]


def sessions(stack: Stack) -> None:
    print("A session made on node 1 works on node 2")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    node1, node2 = stack.node_urls[0], stack.node_urls[1]
    page = opener.open(node1 + "/dang-nhap/", timeout=30).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": csrf, "username": OFFICER[0], "password": OFFICER[1]}
    )
    request = urllib.request.Request(  # noqa: S310
        node1 + "/dang-nhap/", data=form.encode(), headers={"Referer": node1 + "/dang-nhap/"}
    )
    opener.open(request, timeout=30).read()
    names = sorted(cookie.name for cookie in jar)
    check("sessionid" in names, f"node 1 signed the officer in (cookies: {', '.join(names)})")
    # The cookie jar sends cookies by host (127.0.0.1), whatever the port: node 2 gets node 1's cookie.
    with opener.open(node2 + "/can-bo/", timeout=30) as response:
        final, status = response.geturl(), response.status
    check(
        status == 200 and "/can-bo/" in final and "dang-nhap" not in final,
        f"node 2 shows the queue ({final})",
    )


def filing(stack: Stack) -> str:
    print("A filing made through node 1 is visible through node 2 and the load balancer")
    node1, node2 = stack.node_urls[0], stack.node_urls[1]
    token = token_for(node1, *CITIZEN)
    status, dossier = call(
        "POST", node1 + "/api/v1/dossiers", {"procedure": BIRTH, "form": BIRTH_FORM}, token=token
    )
    check(
        status == 201, f"filed through node 1: {status} {dossier.get('code') if status == 201 else dossier}"
    )
    code = dossier["code"]
    for where, base in (("node 2", node2), ("the load balancer", stack.url)):
        status, seen = call("GET", f"{base}/api/v1/dossiers/{code}", token=token)
        check(status == 200 and seen["code"] == code, f"{code} through {where} with node 1's token: {status}")
    status, public = call("GET", f"{stack.url}/api/v1/lookup?code={code}&phone_last4={CITIZEN[0][-4:]}")
    check(status == 200, f"public lookup of {code} through the load balancer: {status}")
    return token


def rate_limit(stack: Stack) -> None:
    print(f"The lookup rate limit ({RATE_LIMIT} per address in 10 minutes) is counted across the nodes")
    answers: list[tuple[int, int]] = []
    for n in range(RATE_LIMIT + 4):
        node = n % 2
        # TRUSTED_PROXIES=1: the address is the last X-Forwarded-For entry, as nginx writes it.
        status, _ = call(
            "GET",
            f"{stack.node_urls[node]}/api/v1/lookup?code=NOPE{n:04d}&phone_last4=0000",
            headers={"X-Forwarded-For": "203.0.113.77"},
        )
        answers.append((node + 1, status))
    refused_at = next((i for i, (_, s) in enumerate(answers) if s == 429), None)
    per_node = Counter(node for node, status in answers[:RATE_LIMIT])
    check(
        refused_at == RATE_LIMIT and all(s == 429 for _, s in answers[RATE_LIMIT:]),
        f"answers {[s for _, s in answers]}: refused from request {RATE_LIMIT + 1} on, after "
        f"{per_node[1]} on node 1 and {per_node[2]} on node 2",
    )


def outbox_state(stack: Stack) -> dict:
    script = (
        "import json\n"
        "from django.db.models import Count\n"
        "from motcua.notifications.models import Message\n"
        "rows = list(Message.objects.values('status', 'channel', 'provider').annotate(n=Count('id')))\n"
        "out = Message.objects.exclude(channel='inapp')\n"
        "ids = list(out.exclude(provider_message_id='').values_list('provider_message_id', flat=True))\n"
        "print(json.dumps({'rows': rows, 'ids': len(ids), 'distinct_ids': len(set(ids)),\n"
        "  'attempts': list(out.values_list('attempts', flat=True))}))\n"
    )
    return json.loads(stack.manage("shell", "-c", script).strip().splitlines()[-1])


def deliveries(stack: Stack, filings: int, token: str) -> dict:
    print(f"{filings} filings through the load balancer: every notice delivered exactly once by two workers")
    before = outbox_state(stack)
    began = time.monotonic()
    codes = []
    for n in range(filings):
        status, dossier = call(
            "POST",
            stack.url + "/api/v1/dossiers",
            {"procedure": BIRTH, "form": BIRTH_FORM, "idempotency_key": f"bench-cluster-{n}"},
            token=token,
        )
        if status == 201:
            codes.append(dossier["code"])
    filed = time.monotonic() - began
    check(len(set(codes)) == filings, f"{len(set(codes))} of {filings} filings made in {filed:.1f} s")
    deadline = time.monotonic() + 180
    while True:
        state = outbox_state(stack)
        waiting = sum(r["n"] for r in state["rows"] if r["status"] in ("queued", "sending"))
        if not waiting or time.monotonic() > deadline:
            break
        time.sleep(1)
    drained = time.monotonic() - began
    done = ("sent", "delivered")
    # In-app messages are delivered by being stored; the others are handed to a provider.
    inapp = sum(r["n"] for r in state["rows"] if r["channel"] == "inapp")
    sent = sum(r["n"] for r in state["rows"] if r["status"] in done and r["channel"] != "inapp")
    console = sum(r["n"] for r in state["rows"] if r["status"] in done and r["provider"] == "console")
    by_status = Counter()
    for row in state["rows"]:
        by_status[row["status"]] += row["n"]
    new_rows = sum(r["n"] for r in state["rows"]) - sum(r["n"] for r in before["rows"])
    check(waiting == 0, f"outbox empty {drained:.1f} s after the first filing: {dict(by_status)}")
    check(new_rows >= filings, f"{new_rows} new messages for {filings} filings")
    failed = by_status["failed"]
    check(failed == 0, f"{failed} failed")
    check(
        state["ids"] == state["distinct_ids"] == sent,
        f"{sent} handed to a provider, {state['distinct_ids']} distinct provider ids; {inapp} in-app",
    )
    # What the provider saw: the console provider writes one log line per message it was handed.
    lines = {}
    for i, worker in enumerate(stack.workers, start=1):
        text = worker.log.read_text(errors="replace")
        # "<time> INFO motcua.notifications [-] [sms → +84912345678] <text>"
        found = (
            re.search(r" motcua\.notifications \[[^\]]*\] (\[\w+ → .*)$", ln) for ln in text.splitlines()
        )
        lines[i] = [match.group(1) for match in found if match]
    every = [line for found in lines.values() for line in found]
    check(len(every) == console, f"console provider's log lines {len(every)} = rows it sent {console}")
    repeated = [line for line, n in Counter(every).items() if n > 1]
    check(not repeated, f"no message handed to the provider twice ({len(repeated)} repeated lines)")
    check(
        all(lines.values()),
        f"both workers delivered: {', '.join(f'worker {i}: {len(v)}' for i, v in lines.items())}",
    )
    return {
        "filings": filings,
        "filing_seconds": round(filed, 2),
        "messages": new_rows,
        "sent": sent,
        "inapp": inapp,
        "drained_seconds": round(drained, 2),
        "per_worker": {str(i): len(v) for i, v in lines.items()},
        "attempts_max": max(state["attempts"] or [0]),
    }


def schedulers(stack: Stack) -> dict:
    print("Two schedulers: the second stands by, and takes over when the first stops")
    second = stack.unit_process("motcua-periodic.service", name="motcua-periodic-2")
    second.start()
    stack.extra.append(second)
    deadline = time.monotonic() + 60
    while "standing by" not in second.log.read_text(errors="replace") and time.monotonic() < deadline:
        time.sleep(0.5)
    check("standing by" in second.log.read_text(errors="replace"), "the second scheduler stands by")
    stack.periodic.stop(signal.SIGTERM)
    stopped = time.monotonic()
    deadline = stopped + 60
    while "the lock is ours" not in second.log.read_text(errors="replace") and time.monotonic() < deadline:
        time.sleep(0.2)
    took = time.monotonic() - stopped
    check(
        "the lock is ours" in second.log.read_text(errors="replace"),
        f"it took over {took:.1f} s after the first stopped",
    )
    return {"takeover_seconds": round(took, 1)}


def backup(stack: Stack) -> dict:
    print("The backup unit")
    began = time.monotonic()
    stack.run_unit("motcua-backup.service")
    folders = sorted((stack.tmp / "backups").glob("motcua-*"))
    took = time.monotonic() - began
    manifest = json.loads((folders[-1] / "manifest.json").read_text()) if folders else {}
    check(
        bool(manifest),
        f"motcua-backup.service wrote {folders[-1].name if folders else 'nothing'} in {took:.1f} s",
    )
    return {"backup_seconds": round(took, 1)}


def requests_per_node(stack: Stack) -> dict[str, int]:
    counts = {}
    for i, base in enumerate(stack.node_urls, start=1):
        status, body = get(
            base + "/metrics", headers={"Authorization": f"Bearer {stack.env['METRICS_TOKEN']}"}
        )
        total = 0
        for line in body.decode().splitlines():
            if line.startswith("motcua_http_request_duration_seconds_count"):
                total += int(float(line.rsplit(" ", 1)[1]))
        counts[f"node {i}"] = total
    return counts


def main() -> int:
    filings = int(os.environ.get("BENCH_CLUSTER_FILINGS", "40"))
    port = int(os.environ.get("BENCH_CLUSTER_PORT", "8810"))
    began = time.monotonic()
    keep = os.environ.get("BENCH_CLUSTER_KEEP") == "1"
    with Stack(nodes=2, workers=2, base_port=port, env=ENV, keep=keep) as stack:
        print(
            f"Stack up in {stack.timings['total']:.1f} s: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in stack.timings.items() if k != "total")
        )
        nodes = ", ".join(stack.node_urls)
        print(f"  load balancer {stack.url}, nodes {nodes}, PostgreSQL {stack.database_url}")
        sessions(stack)
        token = filing(stack)
        rate_limit(stack)
        delivered = deliveries(stack, filings, token)
        scheduler = schedulers(stack)
        backed_up = backup(stack)
        per_node = requests_per_node(stack)
        through_lb = len((stack.tmp / "nginx" / "access.log").read_text().splitlines())
    report = {
        "start_seconds": round(stack.timings["total"], 1),
        "timings": {k: round(v, 1) for k, v in stack.timings.items()},
        "requests": {**per_node, "load balancer": through_lb},
        **delivered,
        **scheduler,
        **backed_up,
        "failures": failures,
        "total_seconds": round(time.monotonic() - began, 1),
    }
    steps = ", ".join(f"{k} {v} s" for k, v in report["timings"].items() if k != "total")
    workers = ", ".join(f"worker {k}: {v}" for k, v in delivered["per_worker"].items())
    verdict = "all checks passed" if not failures else "FAILED: " + "; ".join(failures)
    print("\nReport")
    print(f"  start-up: {report['start_seconds']} s ({steps})")
    print(f"  requests served: {', '.join(f'{k} {v}' for k, v in report['requests'].items())}")
    print(
        f"  {filings} filings through the LB in {delivered['filing_seconds']} s; {delivered['messages']} "
        f"messages, {delivered['sent']} handed to the SMS provider once each ({workers}), "
        f"{delivered['inapp']} in-app; outbox empty after {delivered['drained_seconds']} s"
    )
    print(
        f"  scheduler takeover {scheduler['takeover_seconds']} s; backup {backed_up['backup_seconds']} s; "
        f"whole run {report['total_seconds']} s"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "cluster.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"  {verdict} (bench/results/cluster.json)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
