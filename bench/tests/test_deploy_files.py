"""The files a province ships (deploy/) are right without starting a cluster: every setting is in the
environment file, every unit starts a program and a manage.py command that exist with options they
accept, nginx accepts the configuration (with TLS, and as `make bench-cluster` rewrites it), and the
upload limit of the load balancer lets the largest valid request through. `make bench-cluster` runs them."""

import ast
import datetime as dt
import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted(DEPLOY.glob("*.service"))

_spec = importlib.util.spec_from_file_location("motcua_tools_stack", ROOT / "tools" / "stack.py")
stack = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = stack
_spec.loader.exec_module(stack)

# Read by the units themselves, not by Django.
UNIT_VARIABLES = {"WEB_HOST", "WEB_PROCESSES", "WEB_THREADS", "BACKUP_DIR", "BACKUP_KEEP_DAYS"}


def settings_variables() -> set[str]:
    """Every environment variable motcua/settings.py reads (env_str/env_bool/env_list/os.environ.get)."""
    tree = ast.parse((ROOT / "motcua" / "settings.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in {"env_str", "env_bool", "env_list"} or (name == "get" and "environ" in ast.unparse(func)):
            found.add(node.args[0].value)
    return found


def example_variables() -> dict[str, bool]:
    """{name: set (not commented out)} of deploy/motcua.env.example."""
    names = {}
    for line in (DEPLOY / "motcua.env.example").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(# )?([A-Z][A-Z0-9_]*)=", line)
        if match:
            names[match.group(2)] = match.group(1) is None
    return names


def test_the_environment_example_lists_every_variable_the_settings_read():
    read = settings_variables()
    assert {"DATABASE_URL", "SECRET_KEY", "STORAGE_URL", "TRUSTED_PROXIES", "VNPAY_HASH_SECRET"} <= read
    listed = example_variables()
    assert sorted(read - set(listed)) == []
    assert sorted(set(listed) - read - UNIT_VARIABLES) == []  # nothing stale


def test_the_environment_example_is_a_file_systemd_reads_as_meant():
    env = stack.parse_env_file(DEPLOY / "motcua.env.example")
    assert env["TRUSTED_PROXIES"] == "1"
    assert env["HTTPS"] == "1"
    assert all("#" not in value for value in env.values())  # systemd keeps a trailing "# ..." in the value
    for name in UNIT_VARIABLES:  # and each one a unit reads is used by a unit
        assert any(f"${{{name}}}" in unit.read_text() for unit in UNITS), name


def _check_manage(argv: list[str]) -> str:
    """Parse a manage.py command line with the command's own parser; returns the command's name."""
    position = argv.index("manage.py")
    name, args = argv[position + 1], argv[position + 2 :]
    assert name in get_commands(), f"manage.py {name} is no command"
    command = load_command_class(get_commands()[name], name)
    command.create_parser("manage.py", name).parse_args(args)  # SystemExit on an unknown option
    return name


def _granian_options() -> set[str]:
    granian = Path(sys.prefix) / "bin" / "granian"
    text = subprocess.run([granian, "--help"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    return set(re.findall(r"--[a-z0-9-]+", text))


def test_every_unit_starts_a_real_program_with_options_it_accepts():
    env = {**stack.parse_env_file(DEPLOY / "motcua.env.example"), "BACKUP_DIR": "/var/backups/motcua"}
    commands = []
    for path in UNITS:
        unit = stack.parse_unit(path)
        assert unit.value("EnvironmentFile") == "/etc/motcua/motcua.env", path.name
        assert unit.value("WorkingDirectory") == "/srv/motcua", path.name
        assert unit.value("User") == "motcua", path.name
        for line in unit.values("ExecStart") + unit.values("ExecStartPost"):
            argv = stack.expand_command(line, instance="8000", env=env)
            if argv[0] == "/bin/sh":
                assert argv[1] == "-c"
                inner = shlex.split(argv[2])
                if "manage.py" in inner:
                    argv = inner[inner.index("exec") + 1 :] if "exec" in inner else inner
                else:
                    continue  # the pruning of old backups: find
            program = argv[0].removeprefix("/srv/motcua/.venv/bin/")
            assert program in {"granian", "python"}, line
            if program == "granian":
                options = {arg.split("=")[0] for arg in argv if arg.startswith("--")}
                assert options <= _granian_options(), options - _granian_options()
                assert argv[-1] == "motcua.wsgi:application"
                assert argv[argv.index("--port") + 1] == "8000"  # the instance
                commands.append("granian")
            else:
                commands.append(_check_manage(argv))
    assert sorted(commands) == ["backup", "db_worker", "granian", "periodic"]


def test_systemd_expansion_as_the_units_use_it():
    env = {"BACKUP_DIR": "/b", "WEB_HOST": "10.0.0.11"}
    assert stack.expand_command("x --host ${WEB_HOST} --port %i", instance="8001", env=env) == [
        "x",
        "--host",
        "10.0.0.11",
        "--port",
        "8001",
    ]
    assert stack.expand_command("""sh -c 'echo "$${BACKUP_DIR}" $$(date +%%Y)'""", env=env) == [
        "sh",
        "-c",
        'echo "${BACKUP_DIR}" $(date +%Y)',
    ]
    assert stack.expand_command("db_worker --queue-name *", env=env) == ["db_worker", "--queue-name", "*"]


def test_the_web_unit_gives_each_node_its_own_empty_metrics_folder():
    unit = stack.parse_unit(DEPLOY / "motcua-web@.service")
    assert unit.value("RuntimeDirectory") == "motcua-metrics-%i"
    assert stack.unit_environment(unit, instance="8000") == {
        "PROMETHEUS_MULTIPROC_DIR": "/run/motcua-metrics-8000"
    }


def _megabytes(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmM]?)", value).groups()
    return int(number) // 1024 if unit in "kK" and unit else int(number)


def test_the_load_balancer_lets_the_largest_valid_request_through():
    proxy = (DEPLOY / "nginx" / "proxy.conf").read_text()
    limit = _megabytes(re.search(r"client_max_body_size (\w+);", proxy).group(1))
    assert limit > settings.UPLOAD_DOSSIER_MB  # a dossier's whole quota, plus the form
    assert limit > settings.BULLETIN_UPLOAD_MB
    # TRUSTED_PROXIES=1 takes the rightmost X-Forwarded-For entry: the address nginx appends.
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in proxy
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in proxy
    [retry] = re.findall(r"(?m)^proxy_next_upstream (.*);", proxy)
    assert "non_idempotent" not in retry  # a POST is never sent to a second node


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dichvucong.example.vn")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def _nginx_test(prefix: Path, site: str) -> subprocess.CompletedProcess:
    (prefix / "site.conf").write_text(site)
    (prefix / "nginx.conf").write_text(
        f"pid {prefix}/nginx.pid;\nevents {{}}\nhttp {{\n    include {prefix}/site.conf;\n}}\n"
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    return subprocess.run(  # noqa: S603 (Debian's nginx on our own files)
        [nginx, "-t", "-p", f"{prefix}/", "-c", "nginx.conf", "-e", f"{prefix}/error.log"],
        capture_output=True,
        text=True,
    )


def test_nginx_accepts_the_shipped_configuration_with_tls(tmp_path):
    includes = tmp_path / "motcua"
    shutil.copytree(DEPLOY / "nginx", includes)
    cert, key = _self_signed(tmp_path)
    tls = (includes / "tls.conf").read_text()
    tls = re.sub(r"ssl_certificate \S+;", f"ssl_certificate {cert};", tls)
    tls = re.sub(r"ssl_certificate_key \S+;", f"ssl_certificate_key {key};", tls)
    (includes / "tls.conf").write_text(tls)
    site = (includes / "motcua.conf").read_text().replace("/etc/nginx/motcua/", f"{includes}/")
    site = site.replace("/var/www/letsencrypt", str(tmp_path))

    checked = _nginx_test(tmp_path, site)

    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_the_bench_runs_the_same_configuration_without_tls(tmp_path):
    shutil.copytree(DEPLOY / "nginx", tmp_path / "motcua")
    shipped = (DEPLOY / "nginx" / "motcua.conf").read_text()
    site = stack.nginx_conf(
        shipped,
        nodes=["127.0.0.1:9001", "127.0.0.1:9002"],
        listen="127.0.0.1:9000",
        include_dir=tmp_path / "motcua",
    )

    assert re.findall(r"server (\S+) max_fails=2 fail_timeout=10s;", site) == [
        "127.0.0.1:9001",
        "127.0.0.1:9002",
    ]
    assert re.findall(r"listen (\S+);", site) == ["127.0.0.1:9000"]
    assert not re.search(r"(?m)^\s*include\s+\S*tls\.conf;", site)
    assert "return 301" not in site  # the port-80 redirect is left out
    assert f"include {tmp_path}/motcua/proxy.conf;" in site
    for line in (
        "upstream motcua_nodes {",
        "    least_conn;",  # the bench balances as production does
        "    keepalive 32;",
        "    server_name dichvucong.example.vn;",
    ):
        assert line in shipped.splitlines() and line in site.splitlines()
    checked = _nginx_test(tmp_path, site)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.django_db(transaction=True)
def test_one_scheduler_leads_and_another_database_session_cannot(settings):
    from django.db import connection, connections

    from motcua.periodic.services import is_leader

    key = settings.PERIODIC_LOCK_KEY  # this test's own (conftest), as production's SCHEDULER_LOCK

    assert is_leader()
    assert is_leader()  # asking again while holding it
    if connection.vendor != "postgresql":
        return  # SQLite: one machine, one scheduler
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            assert cursor.fetchone()[0] is False
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_all()")
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            assert cursor.fetchone()[0] is True  # once the first lets go
        assert not is_leader()
    finally:
        other.close()
