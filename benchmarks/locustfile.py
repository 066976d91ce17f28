"""The login peak as citizens make it, against the production stack (`make load`; headless, bounded, loopback).

Each simulated citizen, with an address of their own (sent as X-Forwarded-For, as the load balancer in front
of nginx would: the stack runs with MINASIDOR_TRUSTED_PROXY_HOPS=2 for this), opens the login page, chooses
BankID on this device, lets the BankID test server's virtual app open and approve the order (the phone: not
counted among the portal's requests), polls `status/` once a second as the page does (honouring Retry-After,
doubling its wait after errors), then opens the overview, the forecast and the statement PDF, and logs out.
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
        started = self.client.post(
            "/logga-in/",
            data={"csrfmiddlewaretoken": token.group(1), "method": "bankid-this-device"},
            headers=self._referer("/logga-in/"),
            name="login start",
        )
        autostart = AUTOSTART.search(started.text)
        if autostart is None:
            return
        order = self.phone.post(
            f"{BANKID_APP}/app/open",
            json={"autoStartToken": autostart.group(1), "personalNumber": self.personal_number},
        ).json()
        self.phone.post(f"{BANKID_APP}/app/confirm", json={"orderRef": order["orderRef"], "action": "approve"})
        wait, state = 1.0, "pending"
        for _ in range(MAX_POLLS):
            time.sleep(wait)
            with self.client.get("/logga-in/bankid/status/", name="status poll", catch_response=True) as poll:
                if poll.status_code == 503:  # shed or deferred: the page waits as told
                    poll.success()
                    wait = min(float(poll.headers.get("Retry-After", "2")), 10.0)
                    continue
                if poll.status_code != 200:
                    wait = min(wait * 2, 10.0)
                    continue
                state = poll.json().get("state", "")
                wait = 1.0
            if state != "pending":
                break
        if state != "complete":
            return
        self.client.get("/mina-sidor/", name="overview after login")
        self.client.get("/mina-sidor/pension/prognos/", name="forecast")
        self.client.get("/mina-sidor/pension/pensionsbesked.pdf", name="statement PDF")
        overview = self.client.get("/mina-sidor/", name="overview again")
        token = CSRF.search(overview.text)
        if token is not None:
            self.client.post(
                "/logga-ut/",
                data={"csrfmiddlewaretoken": token.group(1)},
                headers=self._referer("/mina-sidor/"),
                name="logout",
            )
