"""Benchmark of the application for old-age pension: server time from "signature approved" to the receipt, and
the case handler's grant.

Run ``python benchmarks/application_bench.py`` (``--repeat N``). It uses new SQLite files and a fresh
development seal in a temporary folder (never the development databases), the demo person Karin Lindqvist and
Django's test client (no network between browser and portal). Each round makes the demo persons anew
(untimed), fills in an application (a different extra tax each time, so each is its own document and case),
stands in for the signing step with a signature waiting in the session, and times, inside the portal: the
signing step's return page (the signed application kept in the outbox and sent to the back office: one
case), the received page, and the sealed receipt PDF; then the case handler taking the case up and granting
it (the engine's amounts written into the register). p50 and p95 after one warm-up round; figures only, no
assertions — the machine is shared, so compare ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

KARIN = "196201082697"
BASE = "/mina-sidor/ansok/"


def write(line: str) -> None:
    """One line of the report on stdout."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(name: str, seconds: list[float]) -> None:
    milliseconds = [s * 1000 for s in seconds]
    write(
        f"  {name:<52} n={len(milliseconds):>3}  p50 {statistics.median(milliseconds):7.1f} ms"
        f"  p95 {percentile(milliseconds, 0.95):7.1f} ms"
    )


def timed(action: Callable[[], Any]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def _round(extra_tax: int) -> dict[str, float]:
    """One application from the first question to the grant; the server time of each step that is timed."""
    from django.test import Client  # noqa: PLC0415

    from kernel import clock  # noqa: PLC0415
    from minasidor.applications.models import SignedApplication  # noqa: PLC0415
    from minasidor.audit.types import Principal, PrincipalKind  # noqa: PLC0415
    from minasidor.identity.tests.factories import log_in, make_identity  # noqa: PLC0415
    from minasidor.registers import registers  # noqa: PLC0415
    from minasidor.registers.types import CaseDecision, DecisionOutcome, SignatureEvidence, SignatureMethod  # noqa: PLC0415
    from minasidor.signing_step.flow import REQUEST_KEY, SIGNATURES_KEY, PendingRequest, Signature  # noqa: PLC0415

    client = Client()
    log_in(client, make_identity(KARIN, given_name="Karin", family_name="Lindqvist"))
    answers = [
        ("delar/", {"parts": ["income_pension", "premium_pension"]}),
        ("inkomstpension/", {"start_month": "2026-11", "share": "100"}),
        ("premiepension/", {"start_month": "2026-11", "share": "100"}),
        ("civilstand/", {"civil_status": "married"}),
        ("efterlevandeskydd/", {"survivor_protection": "no"}),
        ("bosattning/", {"living_abroad": "no"}),
        ("skatt/", {"tax_kind": "extra", "extra_per_month": str(extra_tax)}),
        ("konto/", {"clearing_number": "5000", "account_number": "1000004"}),
    ]
    for path, data in answers:
        response = client.post(BASE + path, data)
        assert response.status_code == 302, (path, response.status_code)  # noqa: S101 - a broken run is no figure
    client.post(BASE + "skriv-under/")
    session = client.session
    document = PendingRequest.from_session(session[REQUEST_KEY]).document
    now = clock.now()
    evidence = SignatureEvidence(SignatureMethod.BANKID, KARIN, now, "c2lnbmF0dXJl", "b2NzcA==")
    signature = Signature(method="bankid", document=document, evidence=evidence, signed_at=now, signer=KARIN)
    session[SIGNATURES_KEY] = {document.hash_hex: signature.to_session()}
    session.save()
    figures: dict[str, float] = {}
    began = time.perf_counter()
    location = client.get(BASE + "underskriven/")["Location"]
    figures["kept and sent (return page)"] = time.perf_counter() - began
    figures["received page"] = timed(lambda: client.get(location))
    figures["sealed receipt PDF"] = timed(lambda: client.get(location + "kvitto.pdf"))
    figures["sign approved → receipt (the three)"] = sum(figures.values())
    row = SignedApplication.objects.get(sha256=document.hash_hex)
    handler = Principal(kind=PrincipalKind.HANDLER, ref="staff-bench")
    assert row.case_id is not None  # noqa: S101
    case_id = row.case_id
    registers().case_handling_start(handler, case_id)
    figures["grant (case handler's decision)"] = timed(
        lambda: registers().case_decide(handler, case_id, CaseDecision(DecisionOutcome.GRANTED))
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30, help="applications timed (default 30)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["BACKOFFICE_DATABASE_URL"] = f"sqlite:///{Path(folder) / 'backoffice.sqlite3'}"
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'portal.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minasidor.conf.settings")
        import django  # noqa: PLC0415 - configured by the environment above

        django.setup()
        import logging  # noqa: PLC0415

        logging.disable(logging.WARNING)
        from django.conf import settings  # noqa: PLC0415
        from django.core.management import call_command  # noqa: PLC0415

        from backoffice.synthetic.demo import demo_persons_create  # noqa: PLC0415
        from kernel import clock  # noqa: PLC0415
        from minasidor.signing import configured  # noqa: PLC0415
        from minasidor.signing.development_seal import development_seal_files  # noqa: PLC0415

        call_command("migrate", verbosity=0)
        call_command("migrate", database="backoffice", verbosity=0)
        seal = development_seal_files(Path(folder) / "test-seal", now=dt.datetime.now(dt.UTC))
        settings.SEAL_CERT_FILE = str(seal.cert_file)
        settings.SEAL_KEY_FILE = str(seal.key_file)
        settings.SEAL_CHAIN_FILE = str(seal.root_file)
        settings.SEAL_ROOT_FILE = str(seal.root_file)
        settings.SEAL_TSA_URL = ""
        settings.MINPENSION_BASE_URL = "http://127.0.0.1:9/"  # Karin is no Min Pension user: never asked
        settings.ALLOWED_HOSTS = ["*"]
        configured.reset()
        with clock.frozen(dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)):
            demo_persons_create()
            _round(1)  # warm-up: the engine's parameters, the seal's key, the templates
            rounds = []
            for index in range(options.repeat):
                demo_persons_create()  # Karin again as not yet drawing her pension (untimed)
                rounds.append(_round(2 + index))
        write(f"Application benchmark: {options.repeat} applications by one demo person, back office in-process")
        for name in rounds[0]:
            report(name, [figures[name] for figures in rounds])
        ratio = statistics.median(r["sealed receipt PDF"] for r in rounds) / statistics.median(
            r["kept and sent (return page)"] for r in rounds
        )
        write(f"  receipt PDF / return page (p50): {ratio:.1f}")


if __name__ == "__main__":
    main()
