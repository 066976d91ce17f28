"""The test signature service's fixtures (keys, portal_keys, connected) for the tests here that sign over SAML."""

from minasidor.signing_step.tests.signature_service import connected, keys, portal_keys

__all__ = ["connected", "keys", "portal_keys"]
