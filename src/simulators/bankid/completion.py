"""``completionData`` with a real XML signature and OCSP response, per test person."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
import threading
from typing import Any

from cryptography import x509
from cryptography.x509.oid import NameOID

from simulators.bankid.ca import NAME_OID, CaBundle, Issued, issue
from simulators.bankid.ocsp import ocsp_response
from simulators.bankid.orders import Order
from simulators.bankid.persons import Person
from simulators.bankid.signature import SignedContent, b64, sign_xml


def user_subject(person: Person, *, issued: dt.datetime) -> x509.Name:
    """The subject of a BankID user certificate, in the shape of BankID's test certificates."""
    stamp = issued.strftime("%y%m%d %H.%M")
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.SURNAME, person.surname),
            x509.NameAttribute(NameOID.GIVEN_NAME, person.given_name),
            x509.NameAttribute(NAME_OID, f"({stamp}) {person.name} - BankID på fil"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, person.personal_number),
            x509.NameAttribute(NameOID.COMMON_NAME, person.name),
        ]
    )


def device_uhi(person: Person) -> str:
    """A stable 'unique hardware id' of the person's simulated device."""
    return base64.b64encode(hashlib.sha1(f"device:{person.personal_number}".encode()).digest()).decode()  # noqa: S324


class SignedCompletion:
    """Builds completionData; keeps one certificate per test person for the process's lifetime."""

    def __init__(self, *, ca: CaBundle) -> None:
        self.ca = ca
        self._users: dict[str, Issued] = {}
        self._lock = threading.Lock()

    def user_certificate(self, person: Person, *, now: dt.datetime) -> Issued:
        with self._lock:
            issued = self._users.get(person.personal_number)
            if issued is None:
                issued = issue(
                    subject=user_subject(person, issued=now),
                    issuer=self.ca.customer_ca,
                    now=now,
                    is_ca=False,
                    years=2,
                )
                self._users[person.personal_number] = issued
            return issued

    def __call__(self, order: Order, *, now: dt.datetime) -> dict[str, Any]:
        person = order.person
        if person is None:
            raise ValueError("An order completes only once a person has approved it")
        user = self.user_certificate(person, now=now)
        uhi = device_uhi(person)
        request = order.request
        content = SignedContent(
            user_visible_data=request.user_visible_data,
            user_non_visible_data=request.user_non_visible_data,
            rp_subject=request.rp_subject,
            rp_display_name=request.rp_display_name,
            func_id="Signing" if request.kind.is_sign else "Identification",
            uhi=uhi,
        )
        signature = b64(
            sign_xml(
                content=content,
                key=user.key,
                chain=[user.cert, self.ca.customer_ca.cert, self.ca.bank_ca.cert],
                nonce=secrets.token_bytes(16),
            )
        )
        ocsp = ocsp_response(
            user_cert=user.cert,
            issuer=self.ca.customer_ca.cert,
            responder=self.ca.ocsp_responder,
            signature_b64=signature,
            now=now,
        )
        data: dict[str, Any] = {
            "user": {
                "personalNumber": person.personal_number,
                "name": person.name,
                "givenName": person.given_name,
                "surname": person.surname,
            },
            "device": {"ipAddress": order.device_ip, "uhi": uhi},
            "bankIdIssueDate": person.bank_id_issue_date.isoformat(),
            "signature": signature,
            "ocspResponse": b64(ocsp),
        }
        if request.requirement.get("mrtd"):
            data["stepUp"] = {"mrtd": bool(order.mrtd_passed)}
        if (request.return_risk or request.risk_requirement) and order.risk:
            data["risk"] = order.risk
        return data
