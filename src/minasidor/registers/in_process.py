"""The embedded implementation: calls the back office's services directly, in this process.

The back office still writes its own access record for each call (channel ``in_process``), in its own
database, just as it does when called over HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from backoffice.register import selectors, services
from backoffice.register.access import Caller
from kernel.personal_number import PersonalNumber
from minasidor.audit.types import Principal
from minasidor.core import request_id
from minasidor.registers import codec
from minasidor.registers.types import (
    SERVICE_NAME,
    ContactDetails,
    ContactDetailsChange,
    InvalidChangeError,
    PaymentAccount,
    PaymentAccountChange,
    PersonNotFoundError,
    PersonSnapshot,
    TaxSettings,
    TaxSettingsChange,
)


class InProcessRegisters:
    """:class:`~minasidor.registers.types.Registers` on top of the back office's services."""

    def _call(
        self, function: Callable[..., Any], principal: Principal, personal_number: PersonalNumber, **kw: Any
    ) -> Any:
        caller = Caller(
            service=SERVICE_NAME,
            channel="in_process",
            principal_kind=str(principal.kind),
            principal_ref=principal.ref,
            request_id=request_id.current(),
        )
        try:
            return function(caller=caller, personal_number=personal_number.value, **kw)
        except services.PersonNotFoundError as error:
            raise PersonNotFoundError(str(error)) from None
        except services.InvalidChangeError as error:
            raise InvalidChangeError(error.errors) from None

    def person_snapshot(self, principal: Principal, personal_number: PersonalNumber) -> PersonSnapshot:
        return codec.person_snapshot(self._call(selectors.person_snapshot, principal, personal_number))

    def contact_details_update(
        self, principal: Principal, personal_number: PersonalNumber, change: ContactDetailsChange
    ) -> ContactDetails:
        data = self._call(services.contact_details_update, principal, personal_number, change=codec.change_data(change))
        return codec.contact_details(data)

    def payment_account_update(
        self, principal: Principal, personal_number: PersonalNumber, change: PaymentAccountChange
    ) -> PaymentAccount:
        data = self._call(services.payment_account_update, principal, personal_number, change=codec.change_data(change))
        return codec.payment_account(data)

    def tax_settings_update(
        self, principal: Principal, personal_number: PersonalNumber, change: TaxSettingsChange
    ) -> TaxSettings:
        data = self._call(services.tax_settings_update, principal, personal_number, change=codec.change_data(change))
        return codec.tax_settings(data)
