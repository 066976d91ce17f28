"""The login peak as citizens make it, against the production stack (`make load`; headless, bounded, loopback).

Each simulated citizen, with an address of their own (sent as X-Forwarded-For, as the load balancer in front
of nginx would: the stack runs with MINASIDOR_TRUSTED_PROXY_HOPS=2 for this), opens the login page, chooses
BankID on this device, lets the BankID test server's virtual app open and approve the order (the phone: not
counted among the portal's requests), polls `status/` once a second as the page does (honouring Retry-After,
doubling its wait after errors), then opens the overview, the forecast and the statement PDF; a person whom
the application for old-age pension is open to (of the demo persons: Karin Lindqvist) then applies — every
question answered, the application signed with BankID on this device (the phone approves, the signing page
polls its status as the login page does) and sent — and everyone opens the overview again and logs out.
The demo persons take turns (test personal numbers only).
"""

from __future__ import annotations

import itertools
import re
import time

import httpx
import urllib3
from locust import HttpUser, between, task

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # the stack's test certificate, on loopback

BANKID_APP = "http://127.0.0.1:18444"
PERSONS = itertools.cycle(
    ["196201082697", "199101012384", "195801082743", "195901022995", "198001139297", "198501139995", "191212121212"]
)
ADDRESSES = (f"10.{a}.{b}.{c}" for a in range(1, 250) for b in range(256) for c in range(1, 255))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
AUTOSTART = re.compile(r"autostarttoken=([0-9a-f-]+)")
FIRST_MONTH = re.compile(r'<option value="(\d{4}-\d{2})"')
APPLY = "/mina-sidor/ansok/"
MAX_POLLS = 60


class Citizen(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.verify = False  # the stack's test certificate
        self.client.headers["X-Forwarded-For"] = next(ADDRESSES)
        self.personal_number = next(PERSONS)
        self.phone = httpx.Client(timeout=10)

    def _referer(self, path: str) -> dict[str, str]:
        return {"Referer": (self.host or "").rstrip("/") + path}

    @task
    def log_in_and_look(self) -> None:
        page = self.client.get("/logga-in/", name="login page")
        token = CSRF.search(page.text)
        if token is None:
            return
        logged_in = self._bankid_on_this_device(
            ("/logga-in/", "login start"),
            {"csrfmiddlewaretoken": token.group(1), "method": "bankid-this-device"},
            referer="/logga-in/",
            status=("/logga-in/bankid/status/", "status poll"),
        )
        if logged_in is None:
            return
        self.client.get("/mina-sidor/", name="overview after login")
        self.client.get("/mina-sidor/pension/prognos/", name="forecast")
        self.client.get("/mina-sidor/pension/pensionsbesked.pdf", name="statement PDF")
        self._apply_and_sign()
        overview = self.client.get("/mina-sidor/", name="overview again")
        token = CSRF.search(overview.text)
        if token is not None:
            self.client.post(
                "/logga-ut/",
                data={"csrfmiddlewaretoken": token.group(1)},
                headers=self._referer("/mina-sidor/"),
                name="logout",
            )

    def _bankid_on_this_device(
        self, start: tuple[str, str], data: dict[str, str], *, referer: str, status: tuple[str, str]
    ) -> str | None:
        """A BankID order on this device, for a login or a signature alike: ``data`` posted to the ``start`` path
        (from the ``referer`` page), the order approved on the phone, its ``status`` path polled until it is done;
        where to go on, or None (no order started, or it failed). Each path with the name it is counted under."""
        started = self.client.post(start[0], data=data, headers=self._referer(referer), name=start[1])
        autostart = AUTOSTART.search(started.text)
        if autostart is None:
            return None
        self._approve_on_the_phone(autostart.group(1))
        return self._poll(*status)

    def _approve_on_the_phone(self, autostart_token: str) -> None:
        """The virtual BankID app opens the order and the person approves it (not the portal's requests)."""
        order = self.phone.post(
            f"{BANKID_APP}/app/open", json={"autoStartToken": autostart_token, "personalNumber": self.personal_number}
        ).json()
        self.phone.post(f"{BANKID_APP}/app/confirm", json={"orderRef": order["orderRef"], "action": "approve"})

    def _poll(self, path: str, name: str) -> str | None:
        """Ask ``path`` as the page's script does until the order is no longer pending; where to go on, if done."""
        wait = 1.0
        for _ in range(MAX_POLLS):
            time.sleep(wait)
            with self.client.get(path, name=name, catch_response=True) as poll:
                if poll.status_code == 503:  # shed or deferred: the page waits as told
                    poll.success()
                    wait = min(float(poll.headers.get("Retry-After", "2")), 10.0)
                    continue
                if poll.status_code != 200:
                    wait = min(wait * 2, 10.0)
                    continue
                answer = poll.json()
                wait = 1.0
            if answer.get("state") == "complete":
                return str(answer.get("next") or "/mina-sidor/")
            if answer.get("state") != "pending":
                return None
        return None

    def _apply_and_sign(self) -> None:
        """The application for old-age pension, where it is open to the person: each question, then signed with
        BankID on this device and sent (the back office gets one case)."""
        page = self.client.get(APPLY, name="application start")
        if f'href="{APPLY}delar/' not in page.text:
            return  # not open to this person (too young, already drawing a pension), or one in progress
        page = self.client.get(APPLY + "delar/", name="application question")
        answers: list[tuple[str, dict[str, object]]] = [
            ("delar/", {"parts": ["income_pension", "premium_pension"]}),
            ("inkomstpension/", {"share": "100"}),
            ("premiepension/", {"share": "100"}),
            ("civilstand/", {"civil_status": "married"}),
            ("efterlevandeskydd/", {"survivor_protection": "no"}),
            ("bosattning/", {"living_abroad": "no"}),
            ("skatt/", {"tax_kind": "table"}),
            ("konto/", {"clearing_number": "5000", "account_number": "1000004"}),
        ]
        for path, data in answers:
            token, month = CSRF.search(page.text), FIRST_MONTH.search(page.text)
            if token is None:
                return
            first_month = {"start_month": month.group(1)} if "share" in data and month is not None else {}
            page = self.client.post(
                APPLY + path,
                data={"csrfmiddlewaretoken": token.group(1), **data, **first_month},  # the first month offered
                headers=self._referer(APPLY + path),
                name="application question",
            )
        token = CSRF.search(page.text)
        if token is None or "/sammanfattning/" not in page.url:
            return
        choice = self.client.post(
            APPLY + "skriv-under/",
            data={"csrfmiddlewaretoken": token.group(1)},
            headers=self._referer(APPLY + "sammanfattning/"),
            name="application to signing",
        )
        token = CSRF.search(choice.text)
        if token is None:
            return
        signed = self._bankid_on_this_device(
            ("/sign/bankid/starta/", "signing start"),
            {"csrfmiddlewaretoken": token.group(1), "flow": "this_device"},
            referer="/sign/",
            status=("/sign/bankid/status/", "signing status poll"),
        )
        if signed is not None:
            self.client.get(signed, name="application signed and sent")
