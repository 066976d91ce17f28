"""The portal's values of a BankID login: the order in flight for a browser session, and who asks to log in.

(The RP API's own requests and responses are in ``rp.types``.)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from typing import Any, Literal

from minasidor.identity.contrib.bankid.rp.messages import Rfa, message_for_failed, message_for_pending
from minasidor.identity.contrib.bankid.rp.types import HintCode

Flow = Literal["this_device", "other_device"]
State = Literal["pending", "failed", "complete"]


@dataclasses.dataclass(kw_only=True)
class LoginOrder:
    """One BankID order in flight for this browser session."""

    flow: Flow
    order_ref: str
    auto_start_token: str
    qr_start_token: str
    qr_start_secret: str = dataclasses.field(repr=False)
    started_at: dt.datetime
    start_ip: str
    return_nonce: str = dataclasses.field(repr=False)
    restarts: int = 0
    collected_at: dt.datetime | None = None
    state: State = "pending"
    hint_code: str | None = HintCode.OUTSTANDING_TRANSACTION.value

    @property
    def shows_qr(self) -> bool:
        """The QR is shown only on the other-device flow, until the app has picked the order up."""
        return (
            self.flow == "other_device"
            and self.state == "pending"
            and self.hint_code in (HintCode.OUTSTANDING_TRANSACTION.value, HintCode.NO_CLIENT.value)
        )

    def message(self, *, on_mobile: bool) -> Rfa:
        """BankID's recommended message for where the order stands."""
        autostarted = self.flow == "this_device"
        if self.state == "failed":
            return message_for_failed(self.hint_code, autostarted=autostarted)
        return message_for_pending(self.hint_code, autostarted=autostarted, on_mobile=on_mobile)

    def returns_with(self, nonce: str) -> bool:
        """Whether BankID's return to us (same device) carries this order's nonce."""
        return secrets.compare_digest(nonce, self.return_nonce)

    def to_session(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["started_at"] = self.started_at.isoformat()
        data["collected_at"] = self.collected_at.isoformat() if self.collected_at else None
        return data

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> LoginOrder:
        values = dict(data)
        values["started_at"] = dt.datetime.fromisoformat(data["started_at"])
        values["collected_at"] = dt.datetime.fromisoformat(data["collected_at"]) if data["collected_at"] else None
        return cls(**values)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Requester:
    """What we know of the browser that asks to log in (sent to BankID for its risk assessment)."""

    ip: str
    user_agent: str
    host: str
    device_id: str
    return_url: str
