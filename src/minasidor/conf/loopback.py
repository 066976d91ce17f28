"""Test-only: what the production stack on one machine (``make prod-up``) may differ in from production.

The stack runs the production profile (``minasidor.conf.production_loopback`` is that profile, loaded with
:data:`ACTIVE` set) against the simulators of the outside systems, with test certificates. Of the
production profile's refusals it lets through only those about the outside systems' addresses, their test
certificates and the development seal — and only while the portal answers on loopback alone, so a
deployment that chose this profile by mistake serves nobody. Every other refusal (debug, keys, trusted
keys, Redis, ...) stands.
"""

from __future__ import annotations

from urllib.parse import urlsplit

ACTIVE = False

# The refusals the loopback stack expects, by the setting each names first.
EXPECTED = (
    "MINASIDOR_BANKID_BASE_URL",
    "MINASIDOR_BANKID_CERT_FILE",
    "MINASIDOR_BANKID_KEY_FILE",
    "MINASIDOR_BANKID_CA_FILE",
    "MINASIDOR_BANKID_SIGNING_ROOT_FILE",
    "MINASIDOR_SEAL_CERT_FILE",
    "MINASIDOR_SEAL_KEY_FILE",
    "MINASIDOR_SEAL_CHAIN_FILE",
    "MINASIDOR_SEAL_ROOT_FILE",
    "MINASIDOR_MINPENSION_BASE_URL",
    "MINASIDOR_SAML_METADATA_URL",
    "MINASIDOR_SAML_METADATA_CERT_FILE",
    "MINASIDOR_SAML_EIDAS_CONNECTOR",
    "MINASIDOR_EMAIL_HOST",
    "MINASIDOR_SMS_BACKEND",
    "MINASIDOR_PORTAL_URL",
    "MINASIDOR_SIMULATORS_ENABLED",
    "MINASIDOR_MALWARE_SCANNER",
    "MINASIDOR_CONSOLE_OIDC_CLIENT_SECRET",
    # On one machine the back office's API is on loopback, and the stack does not yet give it TLS.
    "MINASIDOR_REGISTERS_URL",
)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def remaining(problems: list[str], *, allowed_hosts: list[str], portal_url: str) -> list[str]:
    """The refusals that still stand on the loopback stack (all of them when it is not active)."""
    if not ACTIVE:
        return problems
    left = [problem for problem in problems if not problem.startswith(EXPECTED)]
    if not set(allowed_hosts) <= LOOPBACK_HOSTS or urlsplit(portal_url).hostname not in LOOPBACK_HOSTS:
        left.append(
            "the loopback stack's profile (test-only) serves loopback only: MINASIDOR_ALLOWED_HOSTS and "
            "MINASIDOR_PORTAL_URL must name 127.0.0.1 or localhost"
        )
    return left
