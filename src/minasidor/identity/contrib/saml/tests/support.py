"""Test helpers: the test identity providers in-process, and the SP pointed at their signed aggregate."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from saml2 import BINDING_HTTP_REDIRECT

from minasidor.identity.contrib.saml import config
from simulators.saml_idp.idp import Faults, PendingRequest, TestIdentityProvider
from simulators.saml_idp.keys import all_key_pairs
from simulators.saml_idp.persons import foreign_person, swedish_person
from simulators.saml_idp.responses import connector_attributes, swedish_eid_attributes
from simulators.saml_idp.web import IdentityProviders

BASE = "http://testserver"


@dataclasses.dataclass
class Federation:
    """The test IdPs (no HTTP server) and the files the SP is configured with."""

    providers: IdentityProviders
    directory: Path

    @property
    def connector(self) -> TestIdentityProvider:
        return self.providers.idps["eidas-connector"]

    @property
    def swedish_eid(self) -> TestIdentityProvider:
        return self.providers.idps["swedish-eid"]

    @property
    def metadata_file(self) -> Path:
        return self.directory / "federation-metadata.xml"

    @property
    def cert_file(self) -> Path:
        return self.directory / "federation.crt"

    def publish(self) -> None:
        self.metadata_file.write_bytes(self.providers.aggregate())

    def introduce_sp(self, base: str = BASE) -> None:
        """Register the SP's metadata with both IdPs, as the federation operator would."""
        xml = config.sp_metadata(base).decode()
        for idp in self.providers.idps.values():
            idp.load_sp_metadata(xml)


def make_federation(directory: Path) -> Federation:
    keys = all_key_pairs(directory, now=dt.datetime.now(dt.UTC))
    federation = Federation(IdentityProviders(keys=keys, base_url="http://idp.test"), directory)
    federation.publish()
    return federation


def pending_from(idp: TestIdentityProvider, location: str) -> PendingRequest:
    """What the IdP makes of the redirect the SP sent the browser to."""
    query = parse_qs(urlsplit(location).query)
    return idp.parse_request(query["SAMLRequest"][0], binding=BINDING_HTTP_REDIRECT)


def foreign_response(
    idp: TestIdentityProvider,
    pending: PendingRequest,
    *,
    person: str = "no-bound-pnr",
    share: bool = True,
    level: str | None = None,
    now: dt.datetime | None = None,
    faults: Faults | None = None,
    binding: str | None = None,
) -> str:
    attributes = connector_attributes(foreign_person(person), share_binding=share)
    if binding is not None:
        attributes["personalIdentityNumberBinding"] = [binding]
    return idp.respond(
        pending,
        attributes=attributes,
        level=level or idp.level_for(pending) or "",
        now=now or dt.datetime.now(dt.UTC),
        faults=faults,
    )


def swedish_response(
    idp: TestIdentityProvider, pending: PendingRequest, *, personal_number: str = "196201082697"
) -> str:
    return idp.respond(
        pending,
        attributes=swedish_eid_attributes(swedish_person(personal_number)),
        level=idp.level_for(pending) or "",
        now=dt.datetime.now(dt.UTC),
    )
