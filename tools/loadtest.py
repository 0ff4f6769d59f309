"""`make loadtest`: a mixed workload against a stack started from the deploy/ files (tools/stack.py), then
the checks that nothing acknowledged was lost or doubled.

    LOAD_USERS=200 LOAD_SECONDS=60 .venv/bin/python -m tools.loadtest

The people (tools/loadpeople.py: locust as a library, headless, gevent, in a process of its own; each
thinks 1-3 s between pages):
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

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

from tools import loadcheck
from tools.esms_standin import Standin, free_port
from tools.loadcheck import problem_text

READ_METHODS = ("GET",)
GRACE = 5.0  # seconds after a fault window still counted as inside it (the recovery)
ROOT = Path(__file__).resolve().parent.parent


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
    # Where the payment steps go: the load balancer, or one node when the balancer does not pass the
    # port on in Host (VNPay's redirect and IPN are absolute URLs built from it).
    pay_url: str = ""
    generator_cpu: float = 0.0  # CPU seconds the load generator itself used

    def mark(self) -> str:
        return f"LT-{self.run_id}-{uuid.uuid4().hex[:10]}"

    def in_window(self, sample: "Sample") -> str:
        """The fault window a request overlapped (sent before it, or answered within GRACE after it)."""
        for name, start, end in self.windows:
            if overlaps(sample, start, end):
                return name
        return ""


def overlaps(sample: "Sample", start: float, end: float) -> bool:
    return sample.at <= end + GRACE and sample.at + sample.ms / 1000 >= start


def shell(stack, code: str) -> dict:
    """Run `code` in manage.py shell with the stack's settings; its last line of output, as JSON."""
    try:
        out = stack.manage("shell", "-c", code)
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"manage.py shell failed:\n{exc.stderr[-2000:]}") from None
    return json.loads(out.strip().splitlines()[-1])


def prepare(stack, citizens: int, officers: int) -> dict:
    """The simulated people's accounts, made in the stack's database (tools/loadcheck.py)."""
    return shell(stack, f"from tools import loadcheck; loadcheck.prepare({citizens}, {officers})")


def run_load(stack, *, users: int, seconds: float, accounts: dict, faults=None) -> Run:
    """The people (tools/loadpeople.py, a process of its own) against `stack.url` for `seconds`, while
    `faults(run)` runs in a thread of this process, which owns the stack."""
    run = Run(base_url=stack.url, users=users, seconds=seconds, accounts=accounts)
    with tempfile.TemporaryDirectory(prefix="motcua-load-") as tmp:
        given, out = Path(tmp) / "accounts.json", Path(tmp) / "run.json"
        given.write_text(json.dumps(accounts), encoding="utf-8")
        people = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "tools.loadpeople",
                stack.url,
                str(users),
                str(seconds),
                str(given),
                str(out),
                pay_url(stack),
            ],
            cwd=ROOT,
        )
        run.started = time.time()  # the people's own start is read back below
        helper = threading.Thread(target=faults, args=(run,), daemon=True) if faults else None
        if helper:
            helper.start()
        _pid, status, usage = os.wait4(people.pid, 0)
        people.returncode = os.waitstatus_to_exitcode(status)
        if people.returncode != 0:
            raise RuntimeError(f"the load generator failed ({status})")
        run.generator_cpu = usage.ru_utime + usage.ru_stime
        if helper:
            helper.join(timeout=300)
        data = json.loads(out.read_text(encoding="utf-8"))
    run.samples = [Sample(**s) for s in data["samples"]]
    run.acked, run.unsure, run.refused = data["acked"], set(data["unsure"]), data["refused"]
    run.paid, run.started, run.run_id = data["paid"], data["started"], data["run_id"]
    return run


def pay_url(stack) -> str:
    """The load balancer, unless it drops the port from Host (nginx's `$host`): then the first node."""
    conf = getattr(stack, "tmp", None)
    site = Path(conf) / "nginx" / "motcua" / "proxy.conf" if conf else None
    if site and site.exists() and "Host $host;" in site.read_text(encoding="utf-8"):
        return stack.node_urls[0]
    return stack.url


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
    print(
        f"\n{'step':<28}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}",
        file=out,
    )
    for name in sorted(by_step, key=lambda n: -len(by_step[n])):
        rows = by_step[name]
        times = [s.ms for s in rows]
        print(
            f"{name:<28}{len(rows):>9}{len(rows) / elapsed:>8.1f}{percentile(times, 50):>9.0f}"
            f"{percentile(times, 95):>9.0f}{percentile(times, 99):>9.0f}{sum(not s.ok for s in rows):>8}",
            file=out,
        )
    every = [s.ms for s in run.samples]
    reads = [s.ms for s in run.samples if s.method in READ_METHODS]
    writes = [s.ms for s in run.samples if s.method not in READ_METHODS]
    errors = [s for s in run.samples if not s.ok]
    outside = [s for s in errors if not run.in_window(s)]
    print(
        f"{'all':<28}{len(run.samples):>9}{len(run.samples) / elapsed:>8.1f}"
        f"{percentile(every, 50):>9.0f}{percentile(every, 95):>9.0f}"
        f"{percentile(every, 99):>9.0f}{len(errors):>8}",
        file=out,
    )
    print(
        f"the load generator used {run.generator_cpu:.0f} CPU-seconds "
        f"({run.generator_cpu / elapsed * 100:.0f} % of one core)",
        file=out,
    )
    print(
        f"reads (GET): {len(reads)}, p95 {percentile(reads, 95):.0f} ms, p99 {percentile(reads, 99):.0f} ms; "
        f"writes: {len(writes)}, p95 {percentile(writes, 95):.0f} ms",
        file=out,
    )
    for s in outside[:8]:
        print(
            f"  error at {s.at - run.started:.0f} s: {s.status} {s.method} {s.path[:80]}: "
            f"{problem_text(s.body)[:140]!r}",
            file=out,
        )
    return {
        "requests": len(run.samples),
        "errors": len(errors),
        "errors_outside": len(outside),
        "read_p95_ms": percentile(reads, 95),
        "elapsed": elapsed,
    }


def report_windows(run: Run, *, out=sys.stdout) -> None:
    """What a person saw inside each fault window: the answers that were not a success, by status."""
    for name, start, end in run.windows:
        inside = [s for s in run.samples if overlaps(s, start, end)]
        bad = [s for s in inside if not s.ok]
        print(
            f"\nfault '{name}': {end - start:.1f} s (+{GRACE:.0f} s grace), {len(inside)} requests, "
            f"{len(bad)} not successful",
            file=out,
        )
        seen = defaultdict(list)
        for s in bad:
            seen[(s.status, problem_text(s.body)[:120])].append(s)
        for (status, text), rows in sorted(seen.items(), key=lambda kv: -len(kv[1]))[:6]:
            print(
                f"  {len(rows):>4} × {status or 'no answer'} "
                f"(e.g. {rows[0].method} {rows[0].path[:60]}): {text!r}",
                file=out,
            )


def drain_and_verify(
    stack, run: Run, standin: Standin, *, timeout: float = 180.0, out=sys.stdout
) -> list[str]:
    """Wait until no outside message is queued or sending, then compare the database with what was said."""
    began = time.time()
    while True:
        data = shell(stack, f"from tools import loadcheck; loadcheck.dump({run.started - 5})")
        pending = [m for m in data["messages"] if m["status"] in ("queued", "sending")]
        if not pending or time.time() - began > timeout:
            break
        time.sleep(3)
    print(
        f"\noutbox drained in {time.time() - began:.0f} s"
        if not pending
        else f"\noutbox NOT drained after {timeout:.0f} s: {len(pending)} messages pending",
        file=out,
    )
    mine = [d for d in data["dossiers"] if d["marker"].startswith(f"LT-{run.run_id}-")]
    problems = loadcheck.check_filings(run.acked, mine, unsure=run.unsure)
    problems += loadcheck.check_messages(data["messages"], dict(standin.accepted))
    sms = [m for m in data["messages"] if m["channel"] == "sms"]
    unsure_existing = sum(1 for d in mine if d["marker"] in run.unsure)
    print(
        f"filings: {len(run.acked)} acknowledged, {len(mine)} in the database "
        f"({unsure_existing} of {len(run.unsure)} whose answer never came), "
        f"{len(run.refused)} refused with a message; "
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
        # The payment: VNPay's protocol against the demonstration stand-in the app serves under DEMO=1
        # (payments/standin.py), which signs only with the published demo secret.
        "VNPAY_TMN_CODE": "DEMO0001",
        "VNPAY_HASH_SECRET": "demo-vnpay-secret",
    }


def machine_note() -> str:
    load = os.getloadavg()
    try:
        top = subprocess.run(
            ["/usr/bin/ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.splitlines()[:5]
    except (OSError, subprocess.SubprocessError):
        top = []
    return f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; busiest: " + ", ".join(
        t.strip() for t in top
    )


@contextlib.contextmanager
def open_stack(**options):
    """A started Stack on the first of this helper's ports (8820-8829, or LOAD_PORT) that it can have:
    a port the previous run used may still be held by closing connections for a minute."""
    from tools.stack import Stack

    first = int(os.environ.get("LOAD_PORT", "8820"))
    for base in (first, first + 3, first + 6):
        stack = Stack(base_port=base, **options)
        try:
            stack.start()
        except RuntimeError as exc:
            if "is taken" not in str(exc):
                raise
            print(f"{exc}; trying {base + 3}")
            continue
        try:
            yield stack
        finally:
            stack.stop()
        return
    raise RuntimeError("no free ports for the stack")


def main() -> int:
    users = int(os.environ.get("LOAD_USERS", "200"))
    seconds = float(os.environ.get("LOAD_SECONDS", "60"))
    standin = Standin(port=free_port()).up()
    print(f"before: {machine_note()}")
    with open_stack(env=stack_env(standin)) as stack:
        accounts = prepare(stack, citizens=max(1, users * 3 // 10), officers=max(1, users // 10))
        print(f"loadtest: {users} users for {seconds:.0f} s against {stack.url}")
        run = run_load(stack, users=users, seconds=seconds, accounts=accounts)
        print(f"after: {machine_note()}")
        totals = report(run)
        problems = drain_and_verify(stack, run, standin)
    standin.down()
    print(
        f"\ntargets: errors {totals['errors']} (0), read p95 {totals['read_p95_ms']:.0f} ms (< 1000), "
        f"lost or doubled: {len(problems)} (0)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
