"""The production stack on this machine: `make prod-up` / `make prod-down` (test-only: simulators, test certificates).

    python scripts/prod_stack.py up | down | status | stop INSTANCE | start INSTANCE

`up` starts, each as its own process group with its pid in var/prod/pids/: the simulators of the outside
systems (BankID, Min Pension, the SAML identity providers, the mail server), the back office's internal
API, the task workers of both queues and the scheduler, two portal instances (`python -m minasidor.serve`,
MINASIDOR_WORKERS uvicorn workers each, ports 18101 and 18102) and nginx with TLS on https://127.0.0.1:19443/
in front of them. Everything runs with the production profile (minasidor.conf.production_loopback: the same
settings, only the simulators' addresses and test certificates differ), PostgreSQL for both databases
(127.0.0.1:5432) and Redis (127.0.0.1:6379, database 7) for sessions, cache, rate limits and login state.
Secrets are made once at random into var/prod/secrets.env; the TLS certificate is a test certificate made
here. `down` stops every process it started (by the pids it wrote) and checks that none is left and every
port is free. `stop a` / `start a` stop and start one portal instance (the fault and failover journeys).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import ipaddress
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "prod"
PIDS = VAR / "pids"
LOGS = VAR / "logs"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
MANAGE = [PYTHON, str(ROOT / "manage.py")]

NGINX_PORT = int(os.environ.get("PROD_NGINX_PORT", "19443"))
PORTALS = {"a": 18101, "b": 18102}
BACKOFFICE_PORT = 18001
BANKID_PORT, BANKID_APP_PORT = 18443, 18444
MINPENSION_PORT = 18450
SAML_IDP_PORT = 18445
MAIL_SMTP_PORT, MAIL_HTTP_PORT = 18025, 18026
WORKERS_PER_INSTANCE = int(os.environ.get("PROD_WORKERS", "2"))
POSTGRES = os.environ.get("PROD_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("PROD_REDIS_URL", "redis://127.0.0.1:6379/7")
# The stack's own databases; the fault suite uses a pair of its own, made afresh for each run.
DATABASE_PREFIX = os.environ.get("PROD_DATABASE_PREFIX", "minasidor_stack")
DATABASES = {"portal": f"{DATABASE_PREFIX}_portal", "backoffice": f"{DATABASE_PREFIX}_backoffice"}
BASE_URL = f"https://127.0.0.1:{NGINX_PORT}/"


def _say(*parts: object, file: object = None) -> None:
    """What the command tells its user (on standard output, or ``file``)."""
    print(*parts, file=file or sys.stdout)


def _signing_pair() -> dict[str, str]:
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: PLC0415

    seed = secrets.token_bytes(32)
    public = (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return {
        "MINASIDOR_REGISTERS_SIGNING_KEY": base64.b64encode(seed).decode(),
        "BACKOFFICE_API_TRUSTED_KEYS": base64.b64encode(public).decode(),
    }


def _secrets() -> dict[str, str]:
    """The stack's secrets, made at random once, and any new one added (test-only: this machine's stack)."""
    path = VAR / "secrets.env"
    known = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line) if path.exists() else {}
    wanted = {
        "MINASIDOR_SECRET_KEY": lambda: {"MINASIDOR_SECRET_KEY": secrets.token_urlsafe(64)},
        "MINASIDOR_AUDIT_PSEUDONYM_KEY": lambda: {"MINASIDOR_AUDIT_PSEUDONYM_KEY": secrets.token_urlsafe(48)},
        "MINASIDOR_REGISTERS_SIGNING_KEY": _signing_pair,
        "MINASIDOR_METRICS_TOKEN": lambda: {"MINASIDOR_METRICS_TOKEN": secrets.token_urlsafe(32)},
        "MINASIDOR_TALSVAR_PLATFORM_TOKEN": lambda: {"MINASIDOR_TALSVAR_PLATFORM_TOKEN": secrets.token_urlsafe(32)},
        "BACKOFFICE_PERSONAL_CODE_KEY": lambda: {
            "BACKOFFICE_PERSONAL_CODE_KEY": base64.b64encode(secrets.token_bytes(32)).decode()
        },
    }
    for name, make in wanted.items():
        if name not in known:
            known.update(make())
    VAR.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{key}={value}\n" for key, value in known.items()))
    path.chmod(0o600)
    return known


def environment() -> dict[str, str]:
    """The environment of every process of the stack: the production profile, pointed at the simulators."""
    return {
        **os.environ,
        **_secrets(),
        "DJANGO_SETTINGS_MODULE": "minasidor.conf.production_loopback",
        "PYTHONPATH": str(ROOT / "src"),
        "MINASIDOR_VAR_DIR": str(VAR),
        "DATABASE_URL": f"{POSTGRES}/{DATABASES['portal']}",
        "BACKOFFICE_DATABASE_URL": f"{POSTGRES}/{DATABASES['backoffice']}",
        "MINASIDOR_DB_CONN_MAX_AGE": "60",
        "MINASIDOR_REDIS_URL": REDIS_URL,
        "MINASIDOR_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # 2 for `make load`: the load generator plays the load balancer in front of nginx, giving each simulated
        # citizen an address of their own (decision 0073), so the limits per address apply as with real users.
        "MINASIDOR_TRUSTED_PROXY_HOPS": os.environ.get("PROD_TRUSTED_PROXY_HOPS", "1"),
        "MINASIDOR_BEHIND_TLS_PROXY": "true",
        "MINASIDOR_SSL_REDIRECT": "false",
        "MINASIDOR_WORKERS": str(WORKERS_PER_INSTANCE),
        "MINASIDOR_REGISTERS": "http",
        # The fault suite puts a proxy of its own in between (scripts/fault_suite.py).
        "MINASIDOR_REGISTERS_URL": os.environ.get(
            "PROD_REGISTERS_URL", f"http://127.0.0.1:{BACKOFFICE_PORT}/internal/v1/"
        ),
        "MINASIDOR_SIMULATORS_ENABLED": "true",
        "MINASIDOR_BANKID_BASE_URL": f"https://127.0.0.1:{BANKID_PORT}/rp/v6.0/",
        "MINASIDOR_MINPENSION_BASE_URL": f"http://127.0.0.1:{MINPENSION_PORT}/api/v1/",
        "MINASIDOR_SAML_BASE_URL": BASE_URL.rstrip("/"),
        "MINASIDOR_SAML_METADATA_URL": f"http://127.0.0.1:{SAML_IDP_PORT}/federation/metadata.xml",
        "MINASIDOR_SAML_METADATA_CERT_FILE": str(VAR / "simulators" / "saml" / "federation.crt"),
        "MINASIDOR_PORTAL_URL": BASE_URL,
        "MINASIDOR_EMAIL_HOST": "127.0.0.1",
        "MINASIDOR_EMAIL_PORT": os.environ.get("PROD_EMAIL_PORT", str(MAIL_SMTP_PORT)),
        "MINASIDOR_EMAIL_FROM": "Pensionsportalen <no-reply@pensionsportalen.example>",
        "MINASIDOR_SMS_BACKEND": "backoffice.notices.sms.FileSmsBackend",
        "MINASIDOR_LOG_LEVEL": "WARNING",
    }


def _tls_certificate() -> tuple[Path, Path]:
    """A self-signed test certificate for 127.0.0.1 and localhost (test-only), made once."""
    directory = VAR / "tls"
    cert, key = directory / "test-cert.pem", directory / "test-key.pem"
    if cert.exists() and key.exists():
        return cert, key
    from cryptography import x509  # noqa: PLC0415
    from cryptography.hazmat.primitives import hashes, serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric import ec  # noqa: PLC0415
    from cryptography.x509.oid import NameOID  # noqa: PLC0415

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Mina sidor loopback stack (test only)")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=90))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(private, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key.chmod(0o600)
    return cert, key


def _nginx_config() -> Path:
    """deploy/nginx/minasidor.conf for loopback, inside a main configuration of the stack's own."""
    cert, key = _tls_certificate()
    site = (ROOT / "deploy" / "nginx" / "minasidor.conf").read_text()
    for placeholder, value in {
        "@LISTEN@": f"127.0.0.1:{NGINX_PORT}",
        "@SERVER_NAME@": "127.0.0.1 localhost",
        "@CERT@": str(cert),
        "@KEY@": str(key),
        "@PORTAL_A@": f"127.0.0.1:{PORTALS['a']}",
        "@PORTAL_B@": f"127.0.0.1:{PORTALS['b']}",
        "@OPERATOR_NETWORK@": "127.0.0.1/32",
        "@ERROR_PAGES@": str(VAR / "errors"),
    }.items():
        site = site.replace(placeholder, value)
    prefix = VAR / "nginx"
    for temporary in ("client_body", "proxy"):
        (prefix / temporary).mkdir(parents=True, exist_ok=True)
        (prefix / temporary).chmod(0o1777)  # the workers (nobody) write request bodies here
    config = prefix / "nginx.conf"
    config.write_text(
        f"""# Made by scripts/prod_stack.py from deploy/nginx/minasidor.conf; test-only.
daemon off;
worker_processes 2;
pid {prefix / "nginx.pid"};
error_log {LOGS / "nginx-error.log"} warn;
events {{ worker_connections 4096; }}
http {{
    default_type application/octet-stream;
    client_body_temp_path {prefix / "client_body"};
    proxy_temp_path {prefix / "proxy"};
    fastcgi_temp_path {prefix / "proxy"};
    uwsgi_temp_path {prefix / "proxy"};
    scgi_temp_path {prefix / "proxy"};
{site}
    access_log {LOGS / "nginx-access.log"} minasidor;
}}
"""
    )
    return config


def _components() -> dict[str, list[str]]:
    simulators = VAR / "simulators"
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    components = {
        "bankid": [
            PYTHON,
            "-m",
            "simulators.bankid",
            "serve",
            "--dir",
            str(simulators / "bankid"),
            "--persons",
            str(simulators / "bankid" / "persons.json"),
            "--port",
            str(BANKID_PORT),
            "--app-port",
            str(BANKID_APP_PORT),
        ],
        "minpension": [PYTHON, "-m", "simulators.minpension", "serve", "--port", str(MINPENSION_PORT)],
        "saml-idp": [
            PYTHON,
            "-m",
            "simulators.saml_idp",
            "serve",
            "--dir",
            str(simulators / "saml"),
            "--port",
            str(SAML_IDP_PORT),
            "--sp-metadata",
            f"http://127.0.0.1:{PORTALS['a']}/saml/metadata/",
        ],
        "mail": [
            PYTHON,
            "-m",
            "simulators.mail",
            "serve",
            "--smtp-port",
            str(MAIL_SMTP_PORT),
            "--http-port",
            str(MAIL_HTTP_PORT),
            "--dir",
            str(VAR / "mail"),
        ],
        "backoffice-api": [PYTHON, "-m", "backoffice.api", "--port", str(BACKOFFICE_PORT)],
        # Restarted whenever they exit, as their systemd units do (Restart=always): a task worker exits when
        # PostgreSQL goes away, and the service manager starts it again.
        "worker-portal": [*SUPERVISED, *MANAGE, "run_tasks", "--backend", "default"],
        "worker-backoffice": [*SUPERVISED, *MANAGE, "run_tasks", "--backend", "backoffice"],
        "scheduler": [*SUPERVISED, *MANAGE, "run_periodic"],
    }
    for instance, port in PORTALS.items():
        components[f"portal-{instance}"] = [PYTHON, "-m", "minasidor.serve", "--port", str(port)]
    components["nginx"] = [nginx, "-c", str(_nginx_config()), "-p", str(VAR / "nginx")]
    return components


SUPERVISED = [PYTHON, str(Path(__file__).resolve()), "supervise", "--"]
RESTART_SECONDS = 2.0


def supervise(argv: list[str]) -> int:
    """Run ``argv`` and start it again whenever it exits, until told to stop (the stack's Restart=always)."""
    child: subprocess.Popen[bytes] | None = None
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        child = subprocess.Popen(argv, cwd=ROOT)  # noqa: S603 - our own commands
        status = child.wait()
        if stopping:
            break
        _say(f"supervise: {' '.join(argv[-3:])} exited with {status}; starting it again", file=sys.stderr)
        time.sleep(RESTART_SECONDS)
    return child.wait() if child is not None else 0


PORTS = {
    "bankid": BANKID_APP_PORT,
    "minpension": MINPENSION_PORT,
    "saml-idp": SAML_IDP_PORT,
    "mail": MAIL_HTTP_PORT,
    "backoffice-api": BACKOFFICE_PORT,
    "portal-a": PORTALS["a"],
    "portal-b": PORTALS["b"],
    "nginx": NGINX_PORT,
}


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), 0.3).close()
    except OSError:
        return False
    return True


def _group_alive(pgid: int) -> bool:
    """Whether a process of group ``pgid`` still runs (a zombie does not; one of ours is reaped here)."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pgid, os.WNOHANG)  # when this process started it (the journey's test), reap it
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _pid(name: str) -> int | None:
    path = PIDS / f"{name}.pid"
    if not path.exists():
        return None
    pid = int(path.read_text())
    if not _group_alive(pid):
        path.unlink()
        return None
    return pid


def _start(name: str, argv: list[str], env: dict[str, str]) -> None:
    if _pid(name) is not None:
        return
    PIDS.mkdir(parents=True, exist_ok=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    extra = {}
    if name.startswith("portal-"):
        extra["PROMETHEUS_MULTIPROC_DIR"] = str(VAR / "run" / f"metrics-{name}")
    with (LOGS / f"{name}.log").open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own commands
            argv, cwd=ROOT, env={**env, **extra}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    (PIDS / f"{name}.pid").write_text(str(process.pid))


def _wait(name: str, seconds: float = 180) -> None:
    """Until ``name`` listens: a portal instance only once a worker is ready (uvicorn's workers listen on the
    shared socket when their warm-up is done, decision 0210): 40-50 s on this shared machine under load."""
    port = PORTS.get(name)
    if port is None:
        return
    deadline = time.monotonic() + seconds
    while not _listening(port):
        if _pid(name) is None or time.monotonic() > deadline:
            log = LOGS / f"{name}.log"
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise SystemExit(f"{name} did not start (port {port}); its log ends:\n{tail}")
        time.sleep(0.2)


def _stop(name: str, grace: float = 30) -> None:
    pid = _pid(name)
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)  # the process group we started: the process and its children
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not _group_alive(pid):
            break
        time.sleep(0.1)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    (PIDS / f"{name}.pid").unlink(missing_ok=True)


def _run(argv: list[str], env: dict[str, str]) -> None:
    subprocess.run(argv, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own commands


def _databases_create() -> bool:
    """Create the stack's databases that are missing; whether any was."""
    import psycopg  # noqa: PLC0415

    created = False
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        for name in DATABASES.values():
            if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                connection.execute(f'CREATE DATABASE "{name}"')  # a fixed name of ours
                created = True
    return created


def databases_drop() -> None:
    """Drop the stack's databases (the stack must be down): the next `up` starts from nothing (the fault suite:
    a run must not inherit the tasks, cases or sessions of an earlier, perhaps broken, run)."""
    import psycopg  # noqa: PLC0415

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        for name in DATABASES.values():
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # a fixed name of ours


def prepare(env: dict[str, str]) -> None:
    """Databases, migrations, demo persons, static files and the test seal: once, and again when needed."""
    created = _databases_create()
    _run([*MANAGE, "migrate", "--verbosity", "0"], env)
    _run([*MANAGE, "migrate", "--database", "backoffice", "--verbosity", "0"], env)
    persons = VAR / "simulators" / "bankid" / "persons.json"
    if created or not persons.exists():
        persons.parent.mkdir(parents=True, exist_ok=True)
        _run([*MANAGE, "seed_demo", "--bankid-persons", str(persons)], env)
    _run([*MANAGE, "collectstatic", "--noinput", "--verbosity", "0"], env)
    _run([*MANAGE, "unavailable_pages", str(VAR / "errors"), "--verbosity", "0"], env)
    if not (VAR / "test-seal").exists():
        _run([PYTHON, "-m", "minasidor.signing.development_seal", str(VAR / "test-seal")], env)


def up() -> None:
    env = environment()
    prepare(env)
    components = _components()
    order = [
        "bankid",
        "minpension",
        "mail",
        "backoffice-api",
        "portal-a",
        "portal-b",
        "saml-idp",
        "worker-portal",
        "worker-backoffice",
        "scheduler",
        "nginx",
    ]
    for name in order:
        _start(name, components[name], env)
    for name in order:
        _wait(name)
    _say(f"""
  The production stack is up (test-only: simulators and test certificates).
  Mina sidor through nginx   {BASE_URL}   (test certificate: accept it, or curl -k)
  Portal instances           http://127.0.0.1:{PORTALS["a"]}/ and :{PORTALS["b"]}/  ({WORKERS_PER_INSTANCE} workers)
  Back office API            http://127.0.0.1:{BACKOFFICE_PORT}/internal/v1/
  Virtual BankID app         http://127.0.0.1:{BANKID_APP_PORT}/
  Metrics (operators)        http://127.0.0.1:{PORTALS["a"]}/-/metrics and :{BACKOFFICE_PORT}/internal/metrics
  Logs                       var/prod/logs/     Stop it all: make prod-down
""")


def down() -> int:
    names = [path.stem for path in PIDS.glob("*.pid")] if PIDS.exists() else []
    for name in sorted(names, key=lambda n: n != "nginx"):  # nginx first: no new requests
        _stop(name)
    busy = [f"{name}:{port}" for name, port in PORTS.items() if _listening(port)]
    left = [path.stem for path in PIDS.glob("*.pid")] if PIDS.exists() else []
    if busy or left:
        _say(f"still running: {left} ports in use: {busy}", file=sys.stderr)
        return 1
    _say("The production stack is down: no process of it left, every port free.")
    return 0


def status() -> int:
    for name in [*_components()]:
        pid = _pid(name)
        port = PORTS.get(name)
        state = "running" if pid else "stopped"
        listening = "" if port is None else (" listening" if _listening(port) else " not listening")
        _say(f"{name:18} {state}{listening}")
    return 0


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "status"
    if command == "up":
        up()
        return 0
    if command == "down":
        return down()
    if command in ("stop", "start") and len(argv) == 2 and argv[1] in PORTALS:
        name = f"portal-{argv[1]}"
        if command == "stop":
            _stop(name)
        else:
            _start(name, _components()[name], environment())
            _wait(name)
        return 0
    if command == "status":
        return status()
    if command == "supervise" and argv[1:2] == ["--"] and len(argv) > 2:
        return supervise(argv[2:])
    _say(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
