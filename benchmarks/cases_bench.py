"""Benchmark of My cases: server time of the case list and of one case with 50 history events and 28
messages (issue 18).

Run ``python benchmarks/cases_bench.py`` (``--requests N``). It uses new SQLite files in a temporary folder
(never the development databases) and the demo persons; the back office is reached in-process. A question of
one demo person is worked through ten completion requests and answers and seven more messages (50 events,
28 messages); each page is fetched once untimed (warm-up), then N times inside the portal (Django's test
client). Figures only, no assertions; the machine is shared, so compare ratios rather than absolute times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

KARIN = "196201082697"


def write(line: str) -> None:
    """One line of the report on stdout."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(name: str, seconds: list[float]) -> None:
    milliseconds = [s * 1000 for s in seconds]
    write(
        f"  {name:<44} n={len(milliseconds):>4}  p50 {statistics.median(milliseconds):7.1f} ms"
        f"  p95 {percentile(milliseconds, 0.95):7.1f} ms  max {max(milliseconds):7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100, help="requests per page (default 100)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["BACKOFFICE_DATABASE_URL"] = f"sqlite:///{Path(folder) / 'backoffice.sqlite3'}"
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'portal.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minasidor.conf.settings")
        import django  # noqa: PLC0415 - configured by the environment above

        django.setup()
        import logging  # noqa: PLC0415

        logging.disable(logging.INFO)
        from django.conf import settings  # noqa: PLC0415
        from django.core.management import call_command  # noqa: PLC0415
        from django.test import Client  # noqa: PLC0415

        from backoffice.synthetic.demo import demo_persons_create  # noqa: PLC0415
        from kernel import clock  # noqa: PLC0415
        from minasidor.cases.tests.factories import HANDLER, question_open  # noqa: PLC0415
        from minasidor.identity.tests.factories import log_in, make_identity  # noqa: PLC0415
        from minasidor.registers import registers  # noqa: PLC0415

        settings.ALLOWED_HOSTS = ["*"]  # the test client's host
        call_command("migrate", verbosity=0)
        call_command("migrate", database="backoffice", verbosity=0)
        with clock.frozen(dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)):
            demo_persons_create()
            karin = make_identity(KARIN, given_name="Karin", family_name="Bench")
            assert karin.personal_number is not None  # noqa: S101
            case = question_open(karin, subject="Bänk", text="Första frågan.")
            doorway = registers()
            doorway.case_handling_start(HANDLER, case.case_id)
            for cycle in range(10):
                doorway.case_completion_request(HANDLER, case.case_id, f"Begäran {cycle}", dt.date(2026, 12, 20))
                doorway.case_completion_answer(karin.principal, karin.personal_number, case.case_id, f"Svar {cycle}")
            for number in range(7):
                doorway.case_message_answer(HANDLER, case.case_id, f"Meddelande {number}")
            detail = doorway.case(karin.principal, karin.personal_number, case.case_id)
            for extra in range(4):  # the list shows several cases
                question_open(karin, subject=f"Fråga {extra}")
            client = Client()
            log_in(client, karin)
            write(f"cases (in-process, SQLite): {len(detail.history)} events, {len(detail.messages)} messages")
            for name, path in (
                ("case list (5 cases)", "/mina-sidor/arenden/"),
                ("one case (50 events, 28 messages)", f"/mina-sidor/arenden/{case.case_id}/"),
            ):
                client.get(path)  # warm-up: templates and the session's first read
                seconds = []
                for _ in range(options.requests):
                    began = time.perf_counter()
                    response = client.get(path)
                    seconds.append(time.perf_counter() - began)
                    assert response.status_code == 200, response.status_code  # noqa: S101 - a broken run is no figure
                report(name, seconds)


if __name__ == "__main__":
    main()
