"""`make faults`: the workload of `make loadtest` while things break, then the same checks.

    LOAD_USERS=200 LOAD_SECONDS=120 .venv/bin/python -m tools.faults

During the run, each in a window of its own (marked in the report):
1. PostgreSQL restarts (`Stack.restart_postgres`: the stack's private instance, never the machine's);
2. the workers are killed (SIGKILL) while a message is on its way to the SMS provider (the stand-in
   answers slowly for a moment, and the kill waits until a send is under way), then started again;
3. the SMS provider goes down (its port closed) for a while, then comes back;
4. the media volume fills up: uploads go to a small tmpfs mounted for the run, filled to the last byte
   for a while, then emptied again.
Then: 0 errors outside the windows (+5 s of recovery), what a person saw inside each window, and every
acknowledged filing and every message kept exactly once.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from tools import loadtest
from tools.esms_standin import Standin, free_port

VOLUME_MB = 64  # the small media volume: room for a run's uploads and slips, filled on purpose in window 4


def mount_volume() -> tuple[str, str]:
    """A small tmpfs for the uploads; ('', why) when this machine does not let us mount one."""
    path = tempfile.mkdtemp(prefix="motcua-media-")
    done = subprocess.run(  # noqa: S603
        ["/usr/bin/mount", "-t", "tmpfs", "-o", f"size={VOLUME_MB}m", "tmpfs", path],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        os.rmdir(path)
        return "", (done.stderr or done.stdout).strip()
    return path, ""


def fill(path: str) -> str:
    """Write zeros until the volume is full; return the filler's name."""
    filler = os.path.join(path, "filler.bin")
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for size in (256 * 1024, 4096, 1):  # big blocks, then the last bytes a block did not fit in
            try:
                while os.write(fd, b"\0" * size):
                    pass
            except OSError:
                pass
    finally:
        os.close(fd)
    return filler


def schedule(stack, standin: Standin, volume: str, seconds: float):
    """The faults, spread over the run; each appends (name, start, end) to run.windows."""
    marks = [0.15, 0.35, 0.55, 0.75]

    def at(fraction: float, run) -> None:
        time.sleep(max(0.0, run.started + fraction * seconds - time.time()))

    def faults(run) -> None:
        at(marks[0], run)
        start = time.time()
        stack.restart_postgres()
        run.windows.append(("PostgreSQL restart", start, time.time()))

        at(marks[1], run)
        start = time.time()
        standin.slow_until = start + 30  # every send takes 3 s: wait until one is under way
        while standin.in_flight == 0 and time.time() < standin.slow_until:
            time.sleep(0.05)
        caught = standin.in_flight
        for i in range(len(stack.workers)):  # each: the one sending is among them
            stack.stop_worker(i, signal.SIGKILL)
        standin.slow_until = 0
        time.sleep(3)
        for i in range(len(stack.workers)):
            stack.start_worker(i)
        run.windows.append((f"workers killed mid-delivery ({caught} sends under way)", start, time.time()))

        at(marks[2], run)
        start = time.time()
        standin.down()
        time.sleep(max(5.0, seconds * 0.12))
        standin.up()
        run.windows.append(("SMS provider down", start, time.time()))

        if volume:
            at(marks[3], run)
            start = time.time()
            filler = fill(volume)
            time.sleep(max(5.0, seconds * 0.1))
            os.remove(filler)
            run.windows.append(("media volume full", start, time.time()))

    return faults


def main() -> int:
    users = int(os.environ.get("LOAD_USERS", "200"))
    seconds = float(os.environ.get("LOAD_SECONDS", "120"))
    standin = Standin(port=free_port()).up()
    volume, why = mount_volume()
    if not volume:
        print(f"faults: no small volume for uploads ({why}); the media-full fault is left out")
    env = loadtest.stack_env(standin) | {"OUTBOX_STALE_AFTER": "40"}
    print(f"before: {loadtest.machine_note()}")
    try:
        with loadtest.open_stack(env=env, media_dir=volume or None) as stack:
            accounts = loadtest.prepare(stack, citizens=max(1, users * 3 // 10), officers=max(1, users // 10))
            print(
                f"faults: {users} users for {seconds:.0f} s against {stack.url}, "
                f"media on a {VOLUME_MB} MB tmpfs"
            )
            run = loadtest.run_load(
                stack,
                users=users,
                seconds=seconds,
                accounts=accounts,
                faults=schedule(stack, standin, volume, seconds),
            )
            print(f"after: {loadtest.machine_note()}")
            totals = loadtest.report(run)
            loadtest.report_windows(run)
            problems = loadtest.drain_and_verify(stack, run, standin, timeout=300)
            alive = [
                p.name
                for p in [*stack.workers, stack.periodic, *stack.nodes]
                if p is not None and not p.alive()
            ]
            if alive:
                problems.append(f"processes that died: {', '.join(alive)}")
                print(f"  PROBLEM processes that died: {', '.join(alive)}")
    finally:
        standin.down()
        if volume:
            subprocess.run(["/usr/bin/umount", volume], check=False)  # noqa: S603
            shutil.rmtree(volume, ignore_errors=True)
    print(
        f"\ntargets: errors outside the fault windows {totals['errors_outside']} (0), "
        f"read p95 {totals['read_p95_ms']:.0f} ms, lost or doubled: {len(problems)} (0)"
    )
    return 1 if problems or totals["errors_outside"] else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
