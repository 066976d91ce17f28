"""The fault suite (issue 21.4): faults injected into the running production stack, nothing lost, nothing doubled.

    python scripts/fault_suite.py [--short] [--only NAME[,NAME...]] [--keep-up]

`make faults` runs the full form, `make faults-short` (part of `make test`) the shortened one: each fault once,
for a few seconds, bounded in time. It starts the stack (scripts/prod_stack.py) with PostgreSQL, Redis and the
back office's API reached through fault proxies of its own (scripts/fault_proxy.py: the machine's PostgreSQL
and Redis are shared, so they are cut off from the stack, never stopped), logs a citizen in through nginx over
TLS (on databases of its own, made afresh: it stops unless the stack starts with 0 failed tasks, decision
0250), and for each fault of issue 21's list and the brief's additions (a POST in flight on a killed worker,
a full disk, clock skew; decisions 0251-0253):

- counts what must neither vanish nor double (sessions in Redis, cases, messages, notices, signed applications
  in the outbox, tasks by state) straight from PostgreSQL and Redis, not through the stack;
- injects the fault, and meanwhile the citizen opens the overview and sends a question (with a background load
  of overview requests by another citizen where the fault is about the portal's processes);
- removes the fault; the citizen sends the same form again if it was not sent (as a person would: the same
  submission id), and checks that they are still logged in;
- counts again, and prints a table: fault, what the citizen saw (status and the page's heading or message),
  the slowest answer, logged in after, the counts before → after, and the verdict.

A fault passes when the citizen never saw a server error (500) or no answer at all, every 200 overview was
theirs (their name in it), they are still logged in where the design allows, exactly one case and one message
came of each question they sent, and no task failed. Exit status 0 only when every fault passed.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PG_PROXY, REDIS_PROXY, REGISTERS_PROXY, SMTP_PROXY = 15432, 16379, 18011, 18035
os.environ.setdefault("PROD_POSTGRES", f"postgres://postgres@127.0.0.1:{PG_PROXY}")
os.environ.setdefault("PROD_REDIS_URL", f"redis://127.0.0.1:{REDIS_PROXY}/7")
os.environ.setdefault("PROD_REGISTERS_URL", f"http://127.0.0.1:{REGISTERS_PROXY}/internal/v1/")
os.environ.setdefault("PROD_EMAIL_PORT", str(SMTP_PROXY))
# Databases of the suite's own, dropped and made afresh at each run: a run starts with nothing failed or left
# over from an earlier one (which, run on the stack's databases, counted the nine failed tasks of a broken run).
os.environ.setdefault("PROD_DATABASE_PREFIX", "minasidor_faults")
# Attachments over 1 MB are written here while a request is read: a small filesystem of the suite's own
# (tmpfs), filled up for the disk-full fault (decision 0252).
UPLOAD_TMP = Path(__file__).resolve().parent.parent / "var" / "prod" / "upload-tmp"
UPLOAD_TMP_SIZE = "4m"
os.environ.setdefault("MINASIDOR_FILE_UPLOAD_TEMP_DIR", str(UPLOAD_TMP))
# A task whose worker died is run again after this lease (600 s in production): short, so that the suite sees it.
os.environ.setdefault("MINASIDOR_TASKS_LEASE_SECONDS", "15")

import httpx  # noqa: E402
import prod_stack as stack  # noqa: E402
from fault_proxy import FaultProxy  # noqa: E402

DIRECT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
DIRECT_REDIS = "redis://127.0.0.1:6379/7"
CITIZEN, CITIZEN_NAME = "191212121212", "Tolvan Tolvansson"
LOAD_CITIZEN, LOAD_CITIZEN_NAME = "196201082697", "Karin Lindqvist"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission_id" value="([0-9a-f]{32})"')
AUTOSTART = re.compile(r"autostarttoken=([0-9a-f-]+)")
HEADING = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
ERROR_ITEM = re.compile(r'govuk-error-summary__list">\s*<li>\s*(?:<a[^>]*>)?(.*?)<', re.S)
QUESTION_PATH = "/mina-sidor/arenden/ny-fraga/"
WRONG = ("not logged in", "someone else's page")


@dataclass
class Seen:
    """One answer the citizen got: what for, its status (0: none), what the page said, how long it took."""

    what: str
    status: int
    said: str
    seconds: float

    def __str__(self) -> str:
        said = f" «{self.said[:60]}»" if self.said else ""
        return f"{self.what} {self.status or 'no answer'}{said}"


def _said(response: httpx.Response) -> str:
    text = response.text if "html" in response.headers.get("content-type", "") else ""
    for pattern in (ERROR_ITEM, HEADING):
        found = pattern.search(text)
        if found:
            return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())
    return ""


def _served(seen: Seen) -> bool:
    """Whether an answer is the one the citizen gets when nothing is wrong."""
    if seen.what == "overview":
        return seen.status == 200 and seen.said not in WRONG
    if seen.what == "question":
        return seen.said == "sent"
    return seen.status == 200


class Citizen:
    """A person with a browser's cookies, talking to the stack through nginx, and their phone's BankID app."""

    def __init__(self, personal_number: str, name: str) -> None:
        self.personal_number, self.name = personal_number, name
        self.http = httpx.Client(base_url=stack.BASE_URL, verify=False, timeout=15)  # noqa: S501 - test certificate
        self.phone = httpx.Client(timeout=10)

    def request(self, what: str, method: str, path: str, **kwargs: object) -> tuple[Seen, httpx.Response | None]:
        headers = {"Referer": stack.BASE_URL.rstrip("/") + path}
        started = time.monotonic()
        try:
            try:
                response = self.http.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]
            except httpx.RemoteProtocolError:
                # A kept-open connection that the server closed (an nginx reload closes idle ones) just as the
                # request went out: nothing was answered, and a browser sends a GET again on a new connection
                # (RFC 9110 9.2.2, RFC 9112 9.3.1). Only that case, only for a GET, once; any answer stands.
                if method != "GET":
                    raise
                response = self.http.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError:
            return Seen(what, 0, "", time.monotonic() - started), None
        return Seen(what, response.status_code, _said(response), time.monotonic() - started), response

    def log_in(self) -> list[Seen]:
        """BankID on this device, as the page does it; the answers seen on the way."""
        seen: list[Seen] = []
        answer, page = self.request("login page", "GET", "/logga-in/")
        seen.append(answer)
        token = CSRF.search(page.text) if page is not None else None
        if token is None:
            return seen
        answer, started = self.request(
            "login start",
            "POST",
            "/logga-in/",
            data={"csrfmiddlewaretoken": token.group(1), "method": "bankid-this-device"},
            follow_redirects=True,
        )
        seen.append(answer)
        autostart = AUTOSTART.search(started.text) if started is not None else None
        if autostart is None:
            return seen
        order = self.phone.post(
            f"http://127.0.0.1:{stack.BANKID_APP_PORT}/app/open",
            json={"autoStartToken": autostart.group(1), "personalNumber": self.personal_number},
        ).json()
        self.phone.post(
            f"http://127.0.0.1:{stack.BANKID_APP_PORT}/app/confirm",
            json={"orderRef": order["orderRef"], "action": "approve"},
        )
        for _ in range(20):
            time.sleep(1)
            answer, poll = self.request("status poll", "GET", "/logga-in/bankid/status/")
            if poll is None or poll.status_code != 200:
                seen.append(answer)
                continue
            state = poll.json().get("state")
            if state != "pending":
                answer.said = str(state)
                seen.append(answer)
                break
        return seen

    def overview(self) -> Seen:
        answer, response = self.request("overview", "GET", "/mina-sidor/")
        if response is not None and response.status_code == 200 and self.name not in response.text:
            answer.said = "not logged in" if 'id="greeting"' not in response.text else "someone else's page"
        return answer

    def logged_in(self) -> bool:
        _answer, response = self.request("overview", "GET", "/mina-sidor/")
        return response is not None and response.status_code == 200 and self.name in response.text


@dataclass
class Question:
    """A question the citizen writes once and sends until it is sent (the same form: the same submission id)."""

    citizen: Citizen
    label: str
    form: dict[str, str] | None = None
    sent: bool = False
    path: str = QUESTION_PATH
    attachment: bytes | None = None  # a PDF sent with it

    def write(self) -> Seen | None:
        """Open the form and fill it in (once); the answer seen when the form could not be had."""
        if self.form is not None:
            return None
        answer, page = self.citizen.request("question form", "GET", self.path)
        token = CSRF.search(page.text) if page is not None else None
        submission = SUBMISSION.search(page.text) if page is not None else None
        if token is None or submission is None:
            return answer
        self.form = {
            "csrfmiddlewaretoken": token.group(1),
            "submission_id": submission.group(1),
            "subject": f"Fault suite {self.label}",
            "message": "Has my pension been paid this month?",
        }
        return None

    def send(self) -> Seen:
        failed = self.write()
        if failed is not None:
            return failed
        files = {"attachment": ("intyg.pdf", self.attachment, "application/pdf")} if self.attachment else None
        answer, response = self.citizen.request("question", "POST", self.path, data=self.form, files=files)
        if response is not None and response.status_code == 302 and "/arenden/" in response.headers["location"]:
            self.sent = True
            answer.said = "sent"
        return answer


def counts() -> dict[str, int]:
    """What must neither vanish nor double, read straight from PostgreSQL and Redis (not through the stack)."""
    import psycopg  # noqa: PLC0415
    import redis  # noqa: PLC0415

    queries = {
        "portal": {
            "outbox": "SELECT count(*) FROM applications_signedapplication",
            "tasks ready": "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'",
            "tasks running": "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'",
            "tasks failed": "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'",
        },
        "backoffice": {
            "cases": "SELECT count(*) FROM casework_case",
            "messages": "SELECT count(*) FROM casework_message",
            "notices": "SELECT count(*) FROM notices_notice",
            "notices sent": "SELECT count(*) FROM notices_notice WHERE status = 'sent'",
            "notices failed": "SELECT count(*) FROM notices_notice WHERE status = 'failed'",
            "bo tasks ready": "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'",
            "bo tasks running": "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'",
            "bo tasks failed": "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'",
        },
    }
    found: dict[str, int] = {}
    for database, named in queries.items():
        with psycopg.connect(f"{DIRECT_POSTGRES}/{stack.DATABASES[database]}") as connection:
            for name, sql in named.items():
                row = connection.execute(sql).fetchone()  # type: ignore[arg-type]
                found[name] = int(row[0]) if row else 0
    mails = httpx.get(f"http://127.0.0.1:{stack.MAIL_HTTP_PORT}/api/messages", timeout=10).json()
    found["mails"] = len(mails["messages"] if isinstance(mails, dict) else mails)
    client = redis.Redis.from_url(DIRECT_REDIS)
    found["sessions"] = sum(1 for _ in client.scan_iter(match="*django.contrib.sessions.cache*", count=1000))
    return found


def failed_tasks() -> list[str]:
    """Every failed task of both queues: database, task, exception and its message (the last traceback line)."""
    import psycopg  # noqa: PLC0415

    found = []
    sql = (
        "SELECT task_path, exception_class_path, traceback FROM django_tasks_database_dbtaskresult "
        "WHERE status = 'FAILED' ORDER BY enqueued_at"
    )
    for database, name in stack.DATABASES.items():
        with psycopg.connect(f"{DIRECT_POSTGRES}/{name}") as connection:
            for path, exception, traceback in connection.execute(sql).fetchall():  # type: ignore[arg-type]
                last = (traceback or "").strip().splitlines()[-1:] or [""]
                found.append(f"{database}: {path} {exception}: {last[0][:160]}")
    return found


class Load:
    """Another citizen opening the overview again and again from a few threads (the fault happens under load)."""

    def __init__(self, citizen: Citizen, threads: int) -> None:
        self.citizen, self.threads = citizen, threads
        self.seen: list[Seen] = []
        self._stop = threading.Event()
        self._workers: list[threading.Thread] = []

    def __enter__(self) -> Load:
        for _ in range(self.threads):
            worker = threading.Thread(target=self._run, daemon=True)
            worker.start()
            self._workers.append(worker)
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.seen.append(self.citizen.overview())
            time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(30)

    def summary(self) -> str:
        bad = [s for s in self.seen if s.status != 200 or s.said in WRONG]
        statuses = sorted({s.status for s in bad})
        return f"load: {len(self.seen)} overviews, {len(bad)} not 200 {statuses if bad else ''}".rstrip()


@dataclass
class Outcome:
    fault: str
    seen: list[Seen]
    logged_in_after: bool | None
    before: dict[str, int]
    after: dict[str, int]
    questions: int
    load: str = ""
    notes: list[str] = field(default_factory=list)
    expect_notices: int = 0
    # A process of the portal or nginx is what fails, and a live instance is there to answer: then every page
    # must come as without the fault (overview 200, the question sent at once), not even a 503 passes.
    served: bool = False
    own_problems: list[str] = field(default_factory=list)  # what a fault checks beyond the frame's checks

    def unserved(self) -> list[str]:
        if not self.served:
            return []
        unserved = sorted({f"{s.what} {s.status or 'no answer'}" for s in self.seen if not _served(s)})
        return ["not served though an instance was up: " + ", ".join(unserved)] if unserved else []

    def problems(self) -> list[str]:
        found = self.unserved() + self.own_problems
        if any(s.status >= 500 and s.status != 503 for s in self.seen):
            found.append("a server error reached the citizen")
        if any(s.status == 0 for s in self.seen):
            found.append("no answer")
        if any(s.what == "overview" and s.status == 200 and s.said == "not logged in" for s in self.seen):
            found.append("logged out by the fault")
        if any(s.said == "someone else's page" for s in self.seen):
            found.append("WRONG DATA: another person's page")
        if self.logged_in_after is False:
            found.append("not logged in after")
        for name in ("cases", "messages"):
            if self.after[name] - self.before[name] != self.questions:
                found.append(f"{name} {self.before[name]}→{self.after[name]}, {self.questions} sent")
        for name in ("notices", "notices sent", "mails"):
            if self.after[name] - self.before[name] != self.expect_notices:
                found.append(f"{name} {self.before[name]}→{self.after[name]}, {self.expect_notices} expected")
        for name in ("tasks failed", "bo tasks failed"):
            if self.after[name] > self.before[name]:
                found.append(f"{name} {self.before[name]}→{self.after[name]}")
        return found


def _restarts() -> dict[str, int]:
    """How often the stack's service manager restarted each supervised process (from their logs)."""
    found = {}
    for log in stack.LOGS.glob("*.log"):
        found[log.stem] = log.read_text(errors="replace").count("supervise: ")
    return found


def _wait_ready(seconds: float = 45) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(stack.BASE_URL + "-/ready", verify=False, timeout=5).status_code == 200:  # noqa: S501
                return True
        time.sleep(0.5)
    return False


def _workers_of(name: str) -> list[int]:
    """The worker processes of a component: its process group, less the supervisor and helpers."""
    group = int((stack.PIDS / f"{name}.pid").read_text())
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid_text, rest = stat.read_text().split(" (", 1)
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        fields = rest.rsplit(")", 1)[1].split()
        if (
            int(fields[2]) == group
            and int(pid_text) != group
            and fields[0] != "Z"
            and b"resource_tracker" not in command
        ):
            workers.append(int(pid_text))
    return sorted(workers)


def _large_pdf() -> bytes:
    """A PDF of 1.2 MB: over the 1 MB a request keeps in memory, so it is written to a temporary file."""
    import io  # noqa: PLC0415

    from pypdf import PdfWriter  # noqa: PLC0415

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Subject": "x" * 1_200_000})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


FAKETIME_LIBRARY = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"  # Debian's libfaketime
SKEW = {"a": "+5m", "b": "-5m"}
NGINX_FAIL_TIMEOUT = 5  # deploy/nginx/minasidor.conf: max_fails=5 fail_timeout=5s
UNAVAILABLE = {"sv": "Mina sidor är inte tillgängliga just nu", "en": "My pages are not available right now"}


def _serving_workers() -> dict[int, int]:
    """The portal workers holding a connection from nginx, and their instance's port: one per request in flight
    (nginx keeps no pool to the instances, decision 0210)."""
    ports = " or ".join(f"sport = :{port}" for port in stack.PORTALS.values())
    listed = subprocess.run(  # noqa: S603 - ss(8) of iproute2
        ["/usr/bin/ss", "-Htnp", "state", "established", f"( {ports} )"], capture_output=True, text=True, check=False
    ).stdout
    return {int(pid): int(port) for port, pid in re.findall(r"127\.0\.0\.1:(\d+)\s.*?pid=(\d+)", listed)}


def _instance_serves(port: int, seconds: float = 90) -> bool:
    """Wait (bounded) until the instance on ``port`` answers again: with every worker of an instance dead, its
    listening socket still takes connections, which wait until a restarted worker has warmed up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}/-/live", timeout=5).status_code == 200:
                return True
        time.sleep(0.5)
    return False


class _Killer(threading.Thread):
    """Kills -9 the portal worker that holds the one request in flight, once ``ready()`` says it is time."""

    def __init__(self, ready: Callable[[], bool], seconds: float = 10) -> None:
        super().__init__(daemon=True)
        self.ready, self.seconds = ready, seconds
        self.killed: int | None = None
        self.port = 0
        self.cases_at_kill = 0

    def run(self) -> None:
        deadline = time.monotonic() + self.seconds
        while time.monotonic() < deadline:
            workers = _serving_workers()
            if len(workers) == 1 and self.ready():
                time.sleep(0.3)  # the request is with the back office (held there, or its answer held back)
                self.cases_at_kill = counts()["cases"]
                [(pid, self.port)] = workers.items()
                os.kill(pid, signal.SIGKILL)
                self.killed = pid
                return
            time.sleep(0.05)


MOUNT, UMOUNT = "/usr/bin/mount", "/usr/bin/umount"


def _tmpfs_mount(directory: Path, size: str) -> bool:
    """A small filesystem of its own at ``directory`` (to be filled); whether it could be mounted (needs root)."""
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run([UMOUNT, str(directory)], capture_output=True, check=False)  # noqa: S603 - an earlier run's
    mounted = subprocess.run(  # noqa: S603 - util-linux
        [MOUNT, "-t", "tmpfs", "-o", f"size={size},mode=1777", "tmpfs", str(directory)],
        capture_output=True,
        check=False,
    )
    return mounted.returncode == 0


def _restart(name: str) -> None:
    stack._stop(name, grace=10)
    stack._start(name, stack._components()[name], stack.environment())
    stack._wait(name)


NOTICE = """
from backoffice.notices.services import notice_enqueue
from backoffice.register.access import Caller
from backoffice.register.models import ContactDetails, Person
from django.db import transaction
person = Person.objects.get(personal_number="{person}")
ContactDetails.objects.update_or_create(
    person=person, defaults={{"email": "tolvan@example.test", "email_confirmed": True, "notice_choice": "email"}}
)
with transaction.atomic(using="backoffice"):
    notice_enqueue(
        person=person, kind="message", key="{key}",
        caller=Caller(service="fault-suite", channel="in_process", principal_kind="handler", principal_ref="H1"),
    )
"""


def _notice_enqueue(key: str) -> None:
    """A notice for the citizen, as a case handler's message makes one (in the back office, by its shell)."""
    code = NOTICE.format(person=CITIZEN, key=key)
    subprocess.run([*stack.MANAGE, "shell", "-c", code], cwd=stack.ROOT, env=stack.environment(), check=True)  # noqa: S603


def _bankid_control(method: str, body: dict[str, object] | None = None) -> None:
    url = f"http://127.0.0.1:{stack.BANKID_APP_PORT}/control/faults"
    httpx.request(method, url, json=body, timeout=10).raise_for_status()


class Suite:
    def __init__(self, *, short: bool) -> None:
        self.short = short
        self.hold = 3.0 if short else 10.0  # how long a fault lasts
        self.proxies = {
            "postgres": FaultProxy("postgres", PG_PROXY, 5432),
            "redis": FaultProxy("redis", REDIS_PROXY, 6379),
            "backoffice-api": FaultProxy("backoffice-api", REGISTERS_PROXY, stack.BACKOFFICE_PORT),
            "smtp": FaultProxy("smtp", SMTP_PROXY, stack.MAIL_SMTP_PORT),
        }
        self.citizen = Citizen(CITIZEN, CITIZEN_NAME)
        self.load_citizen = Citizen(LOAD_CITIZEN, LOAD_CITIZEN_NAME)
        self.outcomes: list[Outcome] = []
        self.questions: list[Question] = []
        self.upload_tmp_mounted = False

    # --- the frame every fault shares --------------------------------------------------------------------

    def fault(
        self,
        name: str,
        inject: Callable[[], None],
        remove: Callable[[], None],
        *,
        under_load: bool = False,
        during: Callable[[], list[Seen]] | None = None,
        notices: int = 0,
        served: bool = False,
        quiet: bool = False,
    ) -> None:
        _say(f"fault: {name}")
        restarts_before = _restarts()
        before = counts()
        question = Question(self.citizen, name)
        self.questions = [question]  # a fault's `during` may add questions of its own
        seen: list[Seen] = []
        load_summary = ""
        with contextlib.ExitStack() as scope:
            loaded = (under_load or not self.short) and not quiet
            load = scope.enter_context(Load(self.load_citizen, 3)) if loaded else None
            time.sleep(0.5 if load else 0)
            inject()
            started = time.monotonic()
            if during is not None:
                seen.extend(during())
            seen.append(self.citizen.overview())
            seen.append(question.send())
            time.sleep(max(0.0, self.hold - (time.monotonic() - started)))
            remove()
            if load is not None:
                time.sleep(1)
                scope.close()
                load_summary = load.summary()
                seen.extend(s for s in load.seen if s.status != 200 or s.said in WRONG)
        ready = _wait_ready()
        seen.extend(self._send_again())
        logged_in = self.citizen.logged_in()
        self._settle()
        after = counts()
        if notices:
            self._settle_notices()
            after = counts()
        sent = sum(1 for q in self.questions if q.sent)
        outcome = Outcome(name, seen, logged_in, before, after, sent, load_summary)
        outcome.expect_notices = notices
        outcome.served = served
        if sent < len(self.questions):
            outcome.notes.append(f"{len(self.questions) - sent} question(s) could not be sent after the fault")
        if after["tasks failed"] > before["tasks failed"] or after["bo tasks failed"] > before["bo tasks failed"]:
            outcome.notes.append("failed tasks so far: " + " | ".join(failed_tasks()))
        if not ready:
            outcome.notes.append("the stack was not ready again within 45 s")
        restarted = {k: v - restarts_before.get(k, 0) for k, v in _restarts().items() if v > restarts_before.get(k, 0)}
        if restarted:
            outcome.notes.append(
                "restarted by the service manager: " + ", ".join(f"{k} ×{v}" for k, v in sorted(restarted.items()))
            )
        self.outcomes.append(outcome)
        _say(f"  {'; '.join(map(str, seen[:6]))} -> {outcome.problems() or 'ok'}")

    def _send_again(self) -> list[Seen]:
        """The citizen sends each question not yet sent again (the same form) until it is sent; what they saw."""
        seen: list[Seen] = []
        for _ in range(10):
            unsent = [q for q in self.questions if not q.sent]
            if not unsent:
                break
            seen.extend(q.send() for q in unsent)
            if any(not q.sent for q in unsent):
                time.sleep(2)
        return seen

    def _settle(self, seconds: float = 20) -> None:
        """Wait (bounded) until the task queues hold nothing ready, so that the counts after are settled."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            now = counts()
            if now["tasks ready"] == 0 and now["bo tasks ready"] == 0:
                return
            time.sleep(1)

    # --- the faults of issue 21 ----------------------------------------------------------------------------

    def worker_killed(self) -> None:
        def inject() -> None:
            # Both chosen first, then killed together: looking one up in /proc takes a tenth of a second here,
            # and a request retried from A's dead worker could land on B's worker just before its own kill
            # (two faults, one after the other, not this one; each request has one try per instance).
            doomed = [workers[0] for workers in map(_workers_of, ("portal-a", "portal-b")) if workers]
            for pid in doomed:
                os.kill(pid, signal.SIGKILL)

        name = "a portal worker killed (kill -9, one per instance)"
        self.fault(name, inject, lambda: None, under_load=True, served=True)

    def instance_killed(self) -> None:
        def inject() -> None:
            group = int((stack.PIDS / "portal-a.pid").read_text())
            os.killpg(group, signal.SIGKILL)

        def remove() -> None:
            stack._pid("portal-a")  # reaps and forgets the dead group
            stack._start("portal-a", stack._components()["portal-a"], stack.environment())
            stack._wait("portal-a")

        self.fault(
            "a whole portal instance killed (kill -9 of A's group)", inject, remove, under_load=True, served=True
        )

    def postgres_restarted(self) -> None:
        proxy = self.proxies["postgres"]
        self.fault("PostgreSQL restarted (every connection cut, refused meanwhile)", proxy.cut, proxy.restore)

    def redis_stopped(self) -> None:
        proxy = self.proxies["redis"]
        self.fault("Redis stopped (cut off, then back)", proxy.cut, proxy.restore)

    def bankid_slow_and_503(self) -> None:
        newcomer = Citizen(LOAD_CITIZEN, LOAD_CITIZEN_NAME)

        def inject() -> None:
            _bankid_control("POST", {"status": 503, "count": 3})
            _bankid_control("POST", {"delaySeconds": 6, "count": 2})

        def during() -> list[Seen]:
            return newcomer.log_in()

        def remove() -> None:
            _bankid_control("DELETE")

        self.fault("BankID answering 503, then slow (6 s)", inject, remove, during=during)
        after = newcomer.log_in()
        logged_in = newcomer.logged_in()
        self.outcomes[-1].seen.extend(after)
        self.outcomes[-1].notes.append(f"a new login after the fault: {'logged in' if logged_in else 'FAILED'}")
        if not logged_in:
            self.outcomes[-1].logged_in_after = False

    def minpension_down(self) -> None:
        def remove() -> None:
            stack._start("minpension", stack._components()["minpension"], stack.environment())
            stack._wait("minpension")

        self.fault("Min Pension down", lambda: stack._stop("minpension", grace=5), remove)

    def backoffice_slow(self) -> None:
        proxy = self.proxies["backoffice-api"]
        self.fault("the back office API slow (4 s per request)", lambda: proxy.slow(4.0), proxy.restore)

    def backoffice_down(self) -> None:
        def remove() -> None:
            stack._start("backoffice-api", stack._components()["backoffice-api"], stack.environment())
            stack._wait("backoffice-api")

        self.fault("the back office API down", lambda: stack._stop("backoffice-api", grace=5), remove)

    def post_killed(self) -> None:
        """A question's POST in flight on a portal worker killed -9: once before the back office stored it
        (requests to the back office held back), once after (its answer held back: the case is made, the
        worker never tells the citizen). nginx does not send a POST again; the citizen sees nginx's page in
        their language, sends the same form again (the same submission id), and gets one case of each."""
        proxy = self.proxies["backoffice-api"]
        name = "a POST in flight on a killed worker (kill -9; before and after the back office stored it)"
        own: list[str] = []

        def during() -> list[Seen]:
            # Before: the request waits at the back office's door and reaches it after the worker died.
            seen = [self._post_killed_once("before", QUESTION_PATH, "sv", hold=proxy.slow, ready=lambda: True, own=own)]
            time.sleep(2.5)  # the held request reaches the back office (no one waits for its answer)
            # After: the case is made, its answer held back, and the worker killed before it hears of it.
            cases = counts()["cases"]
            seen.append(
                self._post_killed_once(
                    "after",
                    "/en" + QUESTION_PATH,
                    "en",
                    hold=proxy.slow_answers,
                    ready=lambda: counts()["cases"] > cases,
                    own=own,
                )
            )
            return seen

        # No load: the worker to kill is found as the one holding a request from nginx, the citizen's POST.
        self.fault(name, lambda: None, lambda: None, during=during, quiet=True)
        self.outcomes[-1].own_problems.extend(own)

    def _post_killed_once(
        self,
        when: str,
        path: str,
        language: str,
        *,
        hold: Callable[[float], None],
        ready: Callable[[], bool],
        own: list[str],
    ) -> Seen:
        """The citizen sends a new question; the worker holding it is killed once ``ready()``; what they saw."""
        question = Question(self.citizen, f"POST killed {when} stored", path=path)
        self.questions.append(question)
        failed = question.write()
        if failed is not None:
            own.append(f"{when}: the form could not be had")
            return failed
        cases = counts()["cases"]
        hold(2.0)  # the portal waits up to 3 s for the back office
        killer = _Killer(ready)
        killer.start()
        answer = question.send()
        killer.join(15)
        self.proxies["backoffice-api"].restore()
        if killer.killed is None:
            own.append(f"{when}: no worker was seen with the POST (not killed): {answer}")
            return answer
        if (when == "after") != (killer.cases_at_kill > cases):
            own.append(f"{when}: killed with {killer.cases_at_kill - cases} new case(s), not {when} the store")
        heading = UNAVAILABLE[language]
        if answer.status != 503 or answer.said != heading:
            own.append(f"{when}: the citizen saw {answer} (expected 503 «{heading}»)")
        # One fault at a time: the next starts once the instance is whole again (see _instance_serves).
        if not _instance_serves(killer.port):
            own.append(f"{when}: the instance on port {killer.port} did not answer again within 90 s")
        return answer

    def disk_full(self) -> None:
        """The disk the portal writes large attachments to is full: the citizen sending one is told "not
        available right now" in their language, nothing half-written is kept, and the same form is sent once
        there is room again. A question without attachment is sent meanwhile (it is read in memory)."""
        name = f"the disk full (attachments' temporary directory, tmpfs {UPLOAD_TMP_SIZE}) "
        own: list[str] = []
        filler = UPLOAD_TMP / "filler"
        if not self.upload_tmp_mounted:
            self.fault(name + "NOT INJECTED: no tmpfs could be mounted here", lambda: None, lambda: None)
            self.outcomes[-1].notes.append("mount -t tmpfs needs root; the fault was not injected")
            return

        def inject() -> None:
            with filler.open("wb") as out, contextlib.suppress(OSError):
                while True:  # until the filesystem is full (ENOSPC)
                    out.write(b"\0" * 65536)
                    out.flush()

        def during() -> list[Seen]:
            question = Question(self.citizen, "disk full", attachment=_large_pdf())
            self.questions.append(question)
            cases = counts()["cases"]
            answer = question.send()
            if answer.status != 503 or answer.said != UNAVAILABLE["sv"]:
                own.append(f"with an attachment: the citizen saw {answer} (expected 503 «{UNAVAILABLE['sv']}»)")
            if counts()["cases"] != cases:
                own.append("a case was opened though the attachment could not be read")
            left = sorted(path.name for path in UPLOAD_TMP.iterdir() if path != filler)
            if left:
                own.append(f"half-written files kept: {left}")
            return [answer]

        self.fault(name, inject, lambda: filler.unlink(missing_ok=True), during=during)
        self.outcomes[-1].own_problems.extend(own)

    def clock_skew(self) -> None:
        """The instances' clocks wrong by minutes (NTP lost): A 5 minutes ahead, B 5 minutes behind (libfaketime;
        the short form: A alone), so that a citizen's requests, shared between them, see time jump back and
        forth. A logged-in citizen goes on, a new one logs in with BankID (the order placed on one instance and
        collected on either), and sends a question. SAML, the signature service and DPoP compare the portal's
        clock with another party's; the suite drives none of them (decision 0253)."""
        # The short form skews A alone (two restarts of an instance instead of four; 40-50 s each here).
        instances = ("a",) if self.short else ("a", "b")
        name = "clock skew: " + ", ".join(f"instance {i.upper()} {SKEW[i]}" for i in instances) + " (libfaketime)"
        if not Path(FAKETIME_LIBRARY).exists():
            self.fault(name + " NOT INJECTED: libfaketime is not installed", lambda: None, lambda: None)
            self.outcomes[-1].notes.append("apt-get install faketime; the fault was not injected")
            return
        newcomer = Citizen(LOAD_CITIZEN, LOAD_CITIZEN_NAME)
        own: list[str] = []

        def skewed(skew: dict[str, str]) -> None:
            for instance in instances:  # one at a time: the other instance serves meanwhile
                env = stack.environment()
                if skew:
                    env |= {"LD_PRELOAD": FAKETIME_LIBRARY, "FAKETIME": skew[instance], "DONT_FAKE_MONOTONIC": "1"}
                stack._stop(f"portal-{instance}", grace=10)
                stack._start(f"portal-{instance}", stack._components()[f"portal-{instance}"], env)
                stack._wait(f"portal-{instance}")
                # As a rolling restart: nginx counts the refusals of the restart against the instance for 5 s
                # (max_fails=5 fail_timeout=5s); stopping the other one sooner left it with none to send to.
                time.sleep(NGINX_FAIL_TIMEOUT + 1)

        def during() -> list[Seen]:
            seen = newcomer.log_in()
            if not newcomer.logged_in():
                own.append("a new BankID login failed with the clocks skewed")
            seen.extend(self.citizen.overview() for _ in range(4))  # both instances, twice
            return seen

        self.fault(name, lambda: skewed(SKEW), lambda: skewed({}), during=during)
        self.outcomes[-1].own_problems.extend(own)

    def task_worker_killed(self) -> None:
        smtp = self.proxies["smtp"]
        held: dict[str, int] = {}

        def during() -> list[Seen]:
            smtp.slow(30)  # the notice's delivery hangs at the mail relay: the kill comes mid-task
            _notice_enqueue(f"fault-suite:worker:{time.time_ns()}")
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and counts()["bo tasks running"] == 0:
                time.sleep(0.3)
            held.update(counts())
            for worker in _workers_of("worker-backoffice"):  # the worker, not its service manager
                os.kill(worker, signal.SIGKILL)
            return []

        def remove() -> None:
            smtp.restore()  # the service manager (the stack's supervisor) starts the worker again by itself

        name = "a task worker killed mid-task (kill -9, a notice being sent)"
        self.fault(name, lambda: None, remove, during=during, notices=1)
        self.outcomes[-1].notes.append(
            f"at the kill: {held.get('bo tasks running', 0)} task running; it was made ready again after the lease "
            f"({os.environ['MINASIDOR_TASKS_LEASE_SECONDS']} s here) and run by the new worker"
        )

    def smtp_down(self) -> None:
        smtp = self.proxies["smtp"]

        def during() -> list[Seen]:
            _notice_enqueue(f"fault-suite:smtp:{time.time_ns()}")
            return []

        self.fault("the mail relay down (SMTP refused)", smtp.cut, smtp.restore, during=during, notices=1)

    def _settle_notices(self, seconds: float = 150) -> None:
        """Wait (bounded) until every notice is sent or failed: a retry or a requeue takes a while."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            now = counts()
            if now["notices"] == now["notices sent"] + now["notices failed"]:
                return
            time.sleep(2)

    def nginx_reloaded(self) -> None:
        def inject() -> None:
            config = stack.VAR / "nginx" / "nginx.conf"
            subprocess.run(  # noqa: S603 - our own nginx
                [stack._components()["nginx"][0], "-c", str(config), "-p", str(stack.VAR / "nginx"), "-s", "reload"],
                check=True,
                capture_output=True,
            )

        self.fault("nginx reloaded", inject, lambda: None, under_load=True, served=True)

    FAULTS = (
        "worker_killed",
        "instance_killed",
        "post_killed",
        "disk_full",
        "clock_skew",
        "postgres_restarted",
        "redis_stopped",
        "bankid_slow_and_503",
        "minpension_down",
        "backoffice_slow",
        "backoffice_down",
        "task_worker_killed",
        "smtp_down",
        "nginx_reloaded",
    )

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        for proxy in self.proxies.values():
            proxy.start()
        try:
            stack.down()
            stack.databases_drop()
            self.upload_tmp_mounted = _tmpfs_mount(UPLOAD_TMP, UPLOAD_TMP_SIZE)
            stack.up()
            yield
        finally:
            stack.down()
            if self.upload_tmp_mounted:
                subprocess.run([UMOUNT, str(UPLOAD_TMP)], check=False)  # noqa: S603 - util-linux
            for proxy in self.proxies.values():
                proxy.stop()

    def run(self, names: list[str]) -> int:
        for citizen in (self.citizen, self.load_citizen):
            steps = citizen.log_in()
            if not citizen.logged_in():
                _say(f"could not log in before the faults: {'; '.join(map(str, steps))}")
                return 2
        self._settle()
        failed = failed_tasks()
        if failed:
            _say("the stack started with failed tasks (a production stack must start with none):")
            for line in failed:
                _say(f"  {line}")
            return 2
        _say("the stack started with 0 failed tasks in either queue")
        for name in names:
            getattr(self, name)()
        self.table()
        return 0 if all(not outcome.problems() for outcome in self.outcomes) else 1

    def table(self) -> None:
        keys = ("sessions", "cases", "messages", "notices", "notices sent", "mails", "outbox")
        _say(
            "\n| fault | what the citizen saw | slowest | logged in after | "
            + " | ".join(keys)
            + " | tasks | verdict |"
        )
        _say("| --- " * (len(keys) + 6) + "|")
        for outcome in self.outcomes:
            distinct: dict[str, Seen] = {}
            for seen in outcome.seen:
                distinct.setdefault(f"{seen.what} {seen.status} {seen.said}", seen)
            saw = "; ".join(str(seen) for seen in distinct.values())
            if outcome.load:
                saw += f"; {outcome.load}"
            slowest = max((seen.seconds for seen in outcome.seen), default=0.0)
            numbers = " | ".join(f"{outcome.before[k]}→{outcome.after[k]}" for k in keys)
            tasks = ", ".join(
                f"{k} {outcome.before[k]}→{outcome.after[k]}"
                for k in ("tasks failed", "bo tasks failed", "bo tasks running")
            )
            problems = outcome.problems()
            verdict = "**FAIL**: " + "; ".join(problems) if problems else "ok"
            if outcome.notes:
                verdict += " (" + "; ".join(outcome.notes) + ")"
            logged = {True: "yes", False: "**no**", None: "–"}[outcome.logged_in_after]
            _say(f"| {outcome.fault} | {saw} | {slowest:.1f} s | {logged} | {numbers} | {tasks} | {verdict} |")


def _say(*parts: object) -> None:
    """What the suite tells its user, at once (a CI log shows it as it happens)."""
    sys.stdout.write(" ".join(map(str, parts)) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="each fault once, for a few seconds (CI)")
    parser.add_argument("--only", default="", help="comma-separated fault names (default: all)")
    arguments = parser.parse_args(argv)
    names = [name for name in arguments.only.split(",") if name] or list(Suite.FAULTS)
    unknown = set(names) - set(Suite.FAULTS)
    if unknown:
        parser.error(f"unknown faults {sorted(unknown)}; known: {', '.join(Suite.FAULTS)}")
    suite = Suite(short=arguments.short)
    started = time.monotonic()
    with suite.running():
        status = suite.run(names)
    _say(f"\nfault suite: {len(suite.outcomes)} faults in {time.monotonic() - started:.0f} s, exit {status}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
