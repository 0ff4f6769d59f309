"""Each benchmarked endpoint measured in-process, one request at a time, through Django's test Client
against the benchmark's database: the SQL statements one request sends (what `make bench-dossiers` prints
beside each row) and, with `--cpu N`, the CPU time a request costs in this process.

`python -m bench.inprocess < cases.json` (run by bench/dossiers.py with the server's environment) reads
`[{"name": ..., "paths": [...], "headers": {...}}, ...]` — the same URLs and headers wrk sends — and prints
one JSON object: {name: {"queries": n, "writes_in_5": n, "cpu_ms": ms or null}}. A request is made once
before counting, so the count is the steady one (per-process caches warm), as under wrk: the median of
five requests (BEGIN and COMMIT count as statements, as Django's assertNumQueries counts them), and the
writes (INSERT/UPDATE/DELETE) the five made. `--profile NAME` prints the top of a
cProfile of that endpoint instead.
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import time


def _client():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.test import Client

    return Client()


def _meta(headers: dict[str, str] | None) -> dict[str, str]:
    """wrk's headers as the test Client takes them (Cookie is split into the client's cookie jar)."""
    meta = {}
    for key, value in (headers or {}).items():
        if key.lower() == "cookie":
            continue
        meta[f"HTTP_{key.upper().replace('-', '_')}"] = value
    return meta


def _cookies(client, headers: dict[str, str] | None) -> None:
    client.cookies.clear()
    for key, value in (headers or {}).items():
        if key.lower() == "cookie":
            for part in value.split(";"):
                name, _, val = part.strip().partition("=")
                client.cookies[name] = val


def measure(cases: list[dict], *, cpu: int = 0) -> dict[str, dict]:
    client = _client()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    found = {}
    for case in cases:
        paths, headers = case["paths"], case.get("headers")
        _cookies(client, headers)
        meta = _meta(headers)
        client.get(paths[0], **meta)  # warm this endpoint's code paths and caches
        counted = []  # five requests; the median: a batched write (a rate limit's) lands in one of many
        for i in range(1, 6):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(paths[i % len(paths)], **meta)
            counted.append([query["sql"] for query in captured.captured_queries])
        statements = sorted(counted, key=len)[2]
        written = sum(
            1
            for sqls in counted
            for sql in sqls
            if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        )
        cpu_ms = None
        if cpu:  # the least of three rounds: other processes on the machine only ever add to it
            rounds = []
            for _round in range(3):
                started = time.process_time()
                for i in range(cpu):
                    client.get(paths[i % len(paths)], **meta)
                rounds.append((time.process_time() - started) * 1000 / cpu)
            cpu_ms = round(min(rounds), 3)
        found[case["name"]] = {
            "queries": len(statements),
            "status": response.status_code,
            "writes_in_5": written,
            "cpu_ms": cpu_ms,
        }
    return found


def profile(case: dict, *, requests: int = 300, top: int = int(os.environ.get("BENCH_TOP", "40"))) -> None:
    client = _client()
    paths, headers = case["paths"], case.get("headers")
    _cookies(client, headers)
    meta = _meta(headers)
    for path in paths[:20]:
        client.get(path, **meta)
    profiler = cProfile.Profile(time.process_time)  # CPU, not the wait for PostgreSQL
    profiler.enable()
    for i in range(requests):
        client.get(paths[i % len(paths)], **meta)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)
    if os.environ.get("BENCH_CALLERS"):
        pstats.Stats(profiler).print_callers(os.environ["BENCH_CALLERS"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu", type=int, default=0, help="also time N requests per endpoint (CPU ms each)")
    parser.add_argument("--profile", default="", help="cProfile this endpoint instead")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args(argv)
    cases = json.load(sys.stdin)
    if args.profile:
        profile(next(c for c in cases if c["name"] == args.profile), requests=args.requests)
        return
    print(json.dumps(measure(cases, cpu=args.cpu)))


if __name__ == "__main__":
    main()
