"""The fault suite (issue 21.4): faults injected into the running production stack, nothing lost, nothing doubled.

    python scripts/fault_suite.py [--short] [--only NAME[,NAME...]] [--keep-up]

`make faults` runs the full form, `make faults-short` (part of `make test`) the shortened one: each fault once,
for a few seconds, bounded in time. It starts the stack (scripts/prod_stack.py) with PostgreSQL, Redis and the
back office's API reached through fault proxies of its own (scripts/fault_proxy.py: the machine's PostgreSQL
and Redis are shared, so they are cut off from the stack, never stopped), logs a citizen in through nginx over
TLS, and for each fault of issue 21's list:

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

    def send(self) -> Seen:
        if self.form is None:
            answer, page = self.citizen.request("question form", "GET", QUESTION_PATH)
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
        answer, response = self.citizen.request("question", "POST", QUESTION_PATH, data=self.form)
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

    def unserved(self) -> list[str]:
        if not self.served:
            return []
        unserved = sorted({f"{s.what} {s.status or 'no answer'}" for s in self.seen if not _served(s)})
        return ["not served though an instance was up: " + ", ".join(unserved)] if unserved else []

    def problems(self) -> list[str]:
        found = self.unserved()
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
    ) -> None:
        _say(f"fault: {name}")
        restarts_before = _restarts()
        before = counts()
        question = Question(self.citizen, name)
        seen: list[Seen] = []
        load_summary = ""
        with contextlib.ExitStack() as scope:
            load = scope.enter_context(Load(self.load_citizen, 3)) if under_load or not self.short else None
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
        for _ in range(10):  # the citizen sends the same form again until it is sent
            if question.sent:
                break
            seen.append(question.send())
            if not question.sent:
                time.sleep(2)
        logged_in = self.citizen.logged_in()
        self._settle()
        after = counts()
        if notices:
            self._settle_notices()
            after = counts()
        outcome = Outcome(name, seen, logged_in, before, after, 1 if question.sent else 0, load_summary)
        outcome.expect_notices = notices
        outcome.served = served
        if not question.sent:
            outcome.notes.append("the question could not be sent after the fault")
        if not ready:
            outcome.notes.append("the stack was not ready again within 45 s")
        restarted = {k: v - restarts_before.get(k, 0) for k, v in _restarts().items() if v > restarts_before.get(k, 0)}
        if restarted:
            outcome.notes.append(
                "restarted by the service manager: " + ", ".join(f"{k} ×{v}" for k, v in sorted(restarted.items()))
            )
        self.outcomes.append(outcome)
        _say(f"  {'; '.join(map(str, seen[:6]))} -> {outcome.problems() or 'ok'}")

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
            stack.up()
            yield
        finally:
            stack.down()
            for proxy in self.proxies.values():
                proxy.stop()

    def run(self, names: list[str]) -> int:
        for citizen in (self.citizen, self.load_citizen):
            steps = citizen.log_in()
            if not citizen.logged_in():
                _say(f"could not log in before the faults: {'; '.join(map(str, steps))}")
                return 2
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
