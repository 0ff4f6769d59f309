"""A whole motcua deployment on this machine, started from the files in deploy/ (docs/production.md).

    with Stack(nodes=2, workers=2) as stack:     # PostgreSQL, 2 granian nodes, nginx, 2 db_workers, periodic
        urllib.request.urlopen(stack.url + "/readyz")

Every process is started from the very file the production guide ships: the `ExecStart=` and
`Environment=` of the systemd units in deploy/ (with systemd's own expansion of `%i`, `%%`, `${VAR}`,
`$VAR` and `$$`), the nginx configuration deploy/nginx/motcua.conf and deploy/postgresql.conf. Only
places are substituted: /srv/motcua becomes this checkout, its .venv the running interpreter's, the
nodes' addresses and ports become free local ones, /run, /etc/nginx/motcua and /var/backups become
temporary folders. The environment file of the units is deploy/motcua.env.example with the few values a
machine without TLS, object storage or an SMS account needs (`bench_env`).

Differences from production, on purpose: no TLS (the bench leaves out deploy/nginx/tls.conf and the
port-80 redirect), everything runs on one machine (so MEDIA_ROOT is the shared folder instead of a
bucket unless `env` sets STORAGE_URL), DEMO=1 for the demo accounts, SMS through the console provider,
PostgreSQL's memory sizes scaled down to this machine, and no User= switch (as root, PostgreSQL runs as
`postgres` and nginx as `nobody`, since neither runs as root).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.prefix) / "bin"
PRODUCTION_ROOT = "/srv/motcua"
# PostgreSQL's server programs (initdb, pg_ctl): Debian keeps them out of PATH. pg_dump must be of the
# server's version or newer (manage.py backup), so the same folder comes first in every process's PATH.
POSTGRES_BIN = Path(os.environ.get("PG_BIN") or "/usr/lib/postgresql/15/bin")

__all__ = ["Stack", "Unit", "bench_env", "expand_command", "nginx_conf", "parse_env_file", "parse_unit"]


# --- reading systemd units and environment files ------------------------------------------------------


@dataclass
class Unit:
    """The parts of a systemd unit file that start a process."""

    name: str
    sections: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def values(self, key: str, section: str = "Service") -> list[str]:
        return [value for name, value in self.sections.get(section, []) if name == key]

    def value(self, key: str, section: str = "Service", default: str = "") -> str:
        found = self.values(key, section)
        return found[-1] if found else default


def parse_unit(path: Path) -> Unit:
    """A unit file as systemd reads it: sections, `Key=value` lines (a trailing backslash continues a
    line, `#` and `;` start comments), repeated keys kept in order."""
    unit = Unit(path.name)
    section = ""
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = pending + raw.strip() if pending else raw.strip()
        pending = ""
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            unit.sections.setdefault(section, [])
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise ValueError(f"{path.name}: not a Key=value line: {line!r}")
        unit.sections.setdefault(section, []).append((key.strip(), value.strip()))
    return unit


def parse_env_file(path: Path) -> dict[str, str]:
    """An EnvironmentFile= as systemd reads it: `KEY=value` lines, comments on lines of their own,
    optional quotes around the value."""
    env: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        key, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key.strip()):
            raise ValueError(f"{path.name}: not a KEY=value line: {line!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        env[key.strip()] = value
    return env


def _specifiers(text: str, instance: str) -> str:
    table = {"i": instance, "I": instance, "H": socket.gethostname(), "%": "%"}
    return re.sub(r"%(.)", lambda m: table[m.group(1)] if m.group(1) in table else m.group(0), text)


def _expand_word(word: str, env: dict[str, str]) -> list[str]:
    """systemd's variable expansion of one word of ExecStart=: `${VAR}` anywhere, `$VAR` as a whole word
    (split into words at whitespace), `$$` a literal `$`."""
    whole = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
    if whole:
        return env.get(whole.group(1), "").split()
    out = []
    i = 0
    while i < len(word):
        if word.startswith("$$", i):
            out.append("$")
            i += 2
            continue
        braced = re.match(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", word[i:])
        if braced:
            out.append(env.get(braced.group(1), ""))
            i += braced.end()
            continue
        out.append(word[i])
        i += 1
    return ["".join(out)]


def expand_command(line: str, *, instance: str = "", env: dict[str, str]) -> list[str]:
    """The argv systemd runs for an ExecStart= line (its prefixes `-@:+!` are not used in deploy/)."""
    words = shlex.split(_specifiers(line, instance), posix=True)
    argv: list[str] = []
    for word in words:
        argv.extend(_expand_word(word, env))
    return argv


def unit_environment(unit: Unit, *, instance: str) -> dict[str, str]:
    """The unit's own Environment= lines (an EnvironmentFile= overrides them, as in systemd)."""
    env: dict[str, str] = {}
    for line in unit.values("Environment"):
        for item in shlex.split(_specifiers(line, instance)):
            key, _, value = item.partition("=")
            env[key] = value
    return env


# --- the nginx configuration ---------------------------------------------------------------------------


def _blocks(text: str, keyword: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level `keyword ... { ... }` block of an nginx file."""
    spans = []
    for match in re.finditer(rf"(?m)^{keyword}\b[^{{]*\{{", text):
        depth, i = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        spans.append((match.start(), i))
    return spans


def nginx_conf(source: str, *, nodes: list[str], listen: str, include_dir: Path) -> str:
    """deploy/nginx/motcua.conf for the bench: the upstream's servers become `nodes` (their parameters
    kept), the port-80 redirect server is left out, the TLS server listens on `listen` without tls.conf,
    and includes come from `include_dir`. Everything else is the shipped text."""
    upstream = _blocks(source, "upstream")
    if len(upstream) != 1:
        raise ValueError("motcua.conf: expected one upstream block")
    start, end = upstream[0]
    block = source[start:end]
    template = re.search(r"(?m)^(\s*)server\s+\S+(.*);", block)
    if template is None:
        raise ValueError("motcua.conf: the upstream has no server line")
    indent, params = template.group(1), template.group(2)
    lines = []
    for line in block.splitlines():
        if re.match(r"\s*server\s", line):
            if not lines or not lines[-1].lstrip().startswith("server "):
                lines.extend(f"{indent}server {node}{params};" for node in nodes)
            continue
        lines.append(line)
    block = "\n".join(lines)
    text = source[:start] + block + source[end:]
    out, last = [], 0
    for start, end in _blocks(text, "server"):
        server = text[start:end]
        out.append(text[last:start])
        last = end
        if re.search(r"(?m)^\s*listen\s+(\[::\]:)?80;", server):
            continue  # the redirect to HTTPS: no TLS here
        lines = []
        listened = False
        for line in server.splitlines():
            if re.match(r"\s*listen\s", line):
                if not listened:
                    lines.append(f"    listen {listen};")
                    listened = True
                continue
            if re.match(r"\s*include\s+\S*tls\.conf;", line):
                continue
            lines.append(line)
        out.append("\n".join(lines))
    out.append(text[last:])
    return "".join(out).replace("/etc/nginx/motcua/", f"{include_dir}/")


# --- helpers -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(
            socket.SOL_SOCKET, socket.SO_REUSEADDR, 1
        )  # as nginx and granian do: TIME_WAIT is fine
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _as_user(name: str):
    """preexec_fn that drops root to `name` (PostgreSQL and nginx refuse to run as root)."""
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam(name)

    def drop() -> None:
        os.setgid(entry.pw_gid)
        os.setgroups([])
        os.setuid(entry.pw_uid)

    return drop


def _chown_tree(path: Path, user: str) -> None:
    if os.geteuid() != 0:
        return
    entry = pwd.getpwnam(user)
    for root, dirs, files in os.walk(path):
        os.chown(root, entry.pw_uid, entry.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)


def get(url: str, *, headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (our own loopback URLs)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def bench_env(*, database_url: str, media_dir: Path, backup_dir: Path, web_host: str = "127.0.0.1") -> dict:
    """deploy/motcua.env.example with what this machine lacks: no TLS, no bucket, no SMS account."""
    env = parse_env_file(DEPLOY / "motcua.env.example")
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS="",
        SITE_URL="",
        HTTPS="0",
        DEMO="1",  # the demo accounts and the payment stand-in
        STORAGE_URL="",
        STORAGE_ACCESS_KEY="",
        STORAGE_SECRET_KEY="",
        MEDIA_ROOT=str(media_dir),  # one folder all nodes share: the "shared volume" layout
        SMS_PROVIDERS="console",
        EMAIL_HOST="",
        METRICS_TOKEN=secrets.token_urlsafe(24),
        WEB_HOST=web_host,
        WEB_PROCESSES="1",  # one per core, as in the example: two nodes share this machine's two cores
        BACKUP_DIR=str(backup_dir),
        LOG_FORMAT="text",
    )
    return env


# --- the stack -----------------------------------------------------------------------------------------


@dataclass
class Process:
    name: str
    argv: list[str]
    cwd: Path
    env: dict[str, str]
    log: Path
    user: str | None = None
    popen: subprocess.Popen | None = None

    def start(self) -> None:
        handle = self.log.open("ab")
        self.popen = subprocess.Popen(  # noqa: S603 (argv from our own deploy/ files)
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_as_user(self.user) if self.user else None,  # noqa: PLW1509
        )
        handle.close()

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def send(self, sig: int) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        if not self.alive():
            return
        self.send(sig)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.send(signal.SIGKILL)
            self.popen.wait(5)


class Stack:
    """A context manager: __enter__ starts everything and waits until /readyz answers 200 through the LB.

    Ports: the load balancer on `base_port`, node n on `base_port + n` (1-based). Workers are numbered
    from 0 in `stop_worker`/`start_worker` (the unit instances motcua-worker@1, @2, ...). `timings`
    holds the seconds each start-up step took; `logs` the folder with one log file per process.
    """

    def __init__(
        self,
        *,
        nodes: int = 2,
        workers: int = 2,
        database_url: str | None = None,
        media_dir: str | None = None,
        env: dict[str, str] | None = None,
        base_port: int = 8810,
        demo: bool = True,
        keep: bool = False,
    ):
        self.node_count, self.worker_count = nodes, workers
        self.base_port = base_port
        self.demo, self.keep = demo, keep
        self.tmp = Path(tempfile.mkdtemp(prefix="motcua-stack-"))
        os.chmod(self.tmp, 0o755)  # noqa: S103 (postgres and nobody pass through it)
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        self.media_dir = Path(media_dir) if media_dir else self.tmp / "media"
        self.media_dir.mkdir(parents=True, exist_ok=True)
        self.private_pg = database_url is None
        self.pg_port = free_port() if self.private_pg else 0
        self.pg_data = self.tmp / "postgres"
        self.database_url = database_url or f"postgres://motcua:motcua@127.0.0.1:{self.pg_port}/motcua"
        self.env = bench_env(
            database_url=self.database_url, media_dir=self.media_dir, backup_dir=self.tmp / "backups"
        )
        self.env.update(env or {})
        self.url = f"http://127.0.0.1:{base_port}"
        self.node_urls = [f"http://127.0.0.1:{base_port + n}" for n in range(1, nodes + 1)]
        self.nodes: list[Process] = []
        self.workers: list[Process] = []
        self.periodic: Process | None = None
        self.nginx: Process | None = None
        self.timings: dict[str, float] = {}
        self.extra: list[
            Process
        ] = []  # processes a caller started with unit_process(), stopped with the rest

    # -- processes from the units

    def _process_env(self, unit: Unit, instance: str) -> dict[str, str]:
        env = {
            "PATH": f"{VENV_BIN}:{POSTGRES_BIN}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.tmp),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        env.update(self._places(unit_environment(unit, instance=instance)))
        env.update(self.env)  # EnvironmentFile= wins over Environment=, as in systemd
        return env

    def _places(self, env: dict[str, str]) -> dict[str, str]:
        out = {}
        for key, value in env.items():
            if value.startswith("/run/"):
                path = self.tmp / "run" / value.removeprefix("/run/")
                shutil.rmtree(path, ignore_errors=True)  # RuntimeDirectory=: empty at every start
                path.mkdir(parents=True)
                value = str(path)
            out[key] = value
        return out

    def _argv(self, argv: list[str]) -> list[str]:
        out = []
        for arg in argv:
            arg = arg.replace(f"{PRODUCTION_ROOT}/.venv/bin/", f"{VENV_BIN}/")
            arg = arg.replace(PRODUCTION_ROOT, str(ROOT))
            out.append(arg)
        return out

    def unit_process(self, unit_name: str, instance: str = "", *, name: str | None = None) -> Process:
        unit = parse_unit(DEPLOY / unit_name)
        env = self._process_env(unit, instance)
        argv = self._argv(expand_command(unit.value("ExecStart"), instance=instance, env=env))
        cwd = Path(
            unit.value("WorkingDirectory", default=PRODUCTION_ROOT).replace(PRODUCTION_ROOT, str(ROOT))
        )
        name = name or unit_name.replace("@.service", f"@{instance}").replace(".service", "")
        return Process(name, argv, cwd, env, self.logs / f"{name}.log")

    def _node(self, n: int) -> Process:
        return self.unit_process("motcua-web@.service", str(self.base_port + n))

    def _worker(self, i: int) -> Process:
        return self.unit_process("motcua-worker@.service", str(i + 1))

    # -- PostgreSQL

    def _pg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603
            [str(POSTGRES_BIN / args[0]), *args[1:]],
            check=check,
            capture_output=True,
            text=True,
            preexec_fn=_as_user("postgres"),  # noqa: PLW1509
            cwd="/",
        )

    def _start_postgres(self) -> None:
        self.pg_data.mkdir()
        _chown_tree(self.pg_data, "postgres")
        self._pg(
            "initdb",
            "-D",
            str(self.pg_data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        # deploy/postgresql.conf as it ships, then only the memory sizes this small machine can give.
        shutil.copy(DEPLOY / "postgresql.conf", self.pg_data / "motcua.conf")
        with (self.pg_data / "postgresql.conf").open("a") as conf:
            conf.write(
                "\ninclude 'motcua.conf'\n"
                "# make bench-cluster: memory for a shared 2-core machine, not a 32 GB database server\n"
                "shared_buffers = 128MB\neffective_cache_size = 1GB\nmaintenance_work_mem = 64MB\n"
                f"port = {self.pg_port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.pg_data}'\n"
            )
        _chown_tree(self.pg_data, "postgres")
        self._pg_ctl("start")
        sql = "CREATE ROLE motcua LOGIN PASSWORD 'motcua'; CREATE DATABASE motcua OWNER motcua;"
        for statement in sql.split("; "):
            self._pg("psql", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "-qc", statement)

    def _pg_ctl(self, action: str) -> None:
        if action == "stop":
            self._pg("pg_ctl", "-D", str(self.pg_data), "-m", "fast", "-w", "stop")
        else:
            self._pg("pg_ctl", "-D", str(self.pg_data), "-l", str(self.pg_data / "server.log"), "-w", action)

    def restart_postgres(self) -> None:
        """Only for a private instance: stop -m fast, start, wait."""
        if not self.private_pg:
            raise RuntimeError("restart_postgres: the stack does not own this database")
        self._pg_ctl("stop")
        self._pg_ctl("start")

    # -- nginx

    def _start_nginx(self) -> None:
        prefix = self.tmp / "nginx"
        includes = prefix / "motcua"
        includes.mkdir(parents=True)
        for name in ("proxy.conf",):  # tls.conf is left out: no TLS on loopback
            shutil.copy(DEPLOY / "nginx" / name, includes / name)
        nodes = [url.removeprefix("http://") for url in self.node_urls]
        site = nginx_conf(
            (DEPLOY / "nginx" / "motcua.conf").read_text(encoding="utf-8"),
            nodes=nodes,
            listen=f"127.0.0.1:{self.base_port}",
            include_dir=includes,
        )
        (includes / "motcua.conf").write_text(site, encoding="utf-8")
        (prefix / "nginx.conf").write_text(
            "# make bench-cluster's main file: what Debian's /etc/nginx/nginx.conf gives the site\n"
            "worker_processes 1;\npid nginx.pid;\nerror_log error.log warn;\ndaemon off;\n"
            "events { worker_connections 1024; }\n"
            "http {\n    access_log access.log;\n    client_body_temp_path tmp/body;\n"
            "    proxy_temp_path tmp/proxy;\n    fastcgi_temp_path tmp/fastcgi;\n"
            "    uwsgi_temp_path tmp/uwsgi;\n    scgi_temp_path tmp/scgi;\n"
            "    sendfile on;\n    keepalive_timeout 65;\n"
            f"    include {includes}/motcua.conf;\n}}\n",
            encoding="utf-8",
        )
        (prefix / "tmp").mkdir()
        _chown_tree(prefix, "nobody")
        argv = [
            shutil.which("nginx") or "/usr/sbin/nginx",
            "-p",
            f"{prefix}/",
            "-c",
            "nginx.conf",
            "-e",
            "error.log",
        ]
        user = "nobody" if os.geteuid() == 0 else None
        check = subprocess.run([*argv, "-t"], capture_output=True, text=True, preexec_fn=_as_user("nobody"))  # noqa: S603, PLW1509
        if check.returncode:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        self.nginx = Process(
            "nginx", argv, prefix, {"PATH": "/usr/sbin:/usr/bin:/bin"}, self.logs / "nginx.log", user
        )
        self.nginx.start()

    # -- the public interface

    def manage(self, *args: str) -> str:
        """manage.py with the stack's env; returns stdout (raises CalledProcessError on failure)."""
        env = self._process_env(Unit("manage"), "")
        done = subprocess.run(  # noqa: S603
            [str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode:
            raise subprocess.CalledProcessError(done.returncode, done.args, done.stdout, done.stderr)
        return done.stdout

    def run_unit(self, unit_name: str, instance: str = "") -> None:
        """A Type=oneshot unit (the backup): its ExecStart= lines, then its ExecStartPost= lines, in order."""
        unit = parse_unit(DEPLOY / unit_name)
        env = self._process_env(unit, instance)
        Path(env.get("BACKUP_DIR", self.tmp / "backups")).mkdir(parents=True, exist_ok=True)
        cwd = Path(
            unit.value("WorkingDirectory", default=PRODUCTION_ROOT).replace(PRODUCTION_ROOT, str(ROOT))
        )
        for line in [*unit.values("ExecStart"), *unit.values("ExecStartPost")]:
            argv = self._argv(expand_command(line, instance=instance, env=env))
            with (self.logs / unit_name.replace(".service", ".log")).open("ab") as log:
                subprocess.run(argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, check=True)  # noqa: S603

    def stop_worker(self, i: int, sig=signal.SIGKILL) -> None:
        self.workers[i].stop(sig, timeout=30)

    def start_worker(self, i: int) -> None:
        if self.workers[i].alive():
            return
        self.workers[i] = self._worker(i)
        self.workers[i].start()

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        status, body = 0, b""
        while time.monotonic() < deadline:
            for process in [*self.nodes, *self.workers, self.periodic, self.nginx]:
                if process is not None and not process.alive():
                    raise RuntimeError(f"{process.name} exited; its log: {process.log}\n{self.tail(process)}")
            with contextlib.suppress(OSError):
                status, body = get(self.url + "/readyz", timeout=5)
                if status == 200:
                    return
            time.sleep(0.5)
        raise TimeoutError(f"/readyz through the load balancer: {status} {body[:300]!r}")

    def tail(self, process: Process, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(process.log.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def start(self) -> Stack:
        for port in [self.base_port, *range(self.base_port + 1, self.base_port + 1 + self.node_count)]:
            if not _port_free(port):
                self.stop()  # nothing runs yet: removes the temporary folder
                raise RuntimeError(f"port {port} is taken: choose another base_port")
        began = time.monotonic()
        step = began
        try:
            if self.private_pg:
                self._start_postgres()
                self.timings["postgres"] = time.monotonic() - step
                step = time.monotonic()
            self.manage("migrate", "--noinput", "-v", "0")
            self.manage("collectstatic", "--noinput", "-v", "0")
            if self.demo:
                self.manage("load_demo")
            self.timings["migrate+load_demo"] = time.monotonic() - step
            step = time.monotonic()
            self.nodes = [self._node(n) for n in range(1, self.node_count + 1)]
            self.workers = [self._worker(i) for i in range(self.worker_count)]
            self.periodic = self.unit_process("motcua-periodic.service")
            for process in [*self.nodes, *self.workers, self.periodic]:
                process.start()
            self._start_nginx()
            self.wait_ready()
            self.timings["processes until /readyz"] = time.monotonic() - step
            self.timings["total"] = time.monotonic() - began
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop everything (the LB first, PostgreSQL last) and remove the temporary folders."""
        for process in [self.nginx, *self.nodes, self.periodic, *self.workers, *self.extra]:
            if process is not None:
                process.stop()
        if self.private_pg and (self.pg_data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self._pg_ctl("stop")
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":  # python tools/stack.py: start a stack and keep it until Ctrl-C
    with Stack(keep="--keep" in sys.argv) as stack:
        print(f"load balancer {stack.url}, nodes {' '.join(stack.node_urls)}, database {stack.database_url}")
        print(f"logs in {stack.logs}; Ctrl-C stops everything")
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
