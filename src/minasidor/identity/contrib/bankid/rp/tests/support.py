"""Helpers shared by the BankID client's tests."""

from __future__ import annotations

from minasidor.identity.contrib.bankid.rp.client import BankIdSettings
from simulators.bankid.ca import CaBundle


def settings_for(base_url: str, bundle: CaBundle, **overrides: object) -> BankIdSettings:
    """Client settings using the test server's RP certificate and pinned root."""
    values: dict[str, object] = {
        "base_url": base_url,
        "cert_file": bundle.rp_cert_file,
        "key_file": bundle.rp_key_file,
        "ca_file": bundle.ssl_root_file,
        "maintenance_retry_delay_seconds": 0.01,
        **overrides,
    }
    return BankIdSettings(**values)  # type: ignore[arg-type]
