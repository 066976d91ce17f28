"""BankID RP API v6.0 for a relying party: a Django-free async client, animated QR data and recommended user
messages. Nothing here imports Django or the portal (an import contract keeps it so).

Public API: :class:`BankIdClient` and :class:`BankIdSettings` (``client``), the request and response
types (``types``), :class:`BankIdError` and its kinds (``errors``), ``qr_data``/``qr_data_at``
(``qr``), ``Rfa``/``text``/``message_for_*`` (``messages``), and the TLS contexts (``tls``). ``verify``
checks a completed order's XML signature and OCSP response against BankID's signing root.
"""

from minasidor.identity.contrib.bankid.rp.client import (
    PRODUCTION_BASE_URL,
    TEST_BASE_URL,
    BankIdClient,
    BankIdSettings,
)
from minasidor.identity.contrib.bankid.rp.errors import (
    BankIdApiError,
    BankIdCircuitOpenError,
    BankIdError,
    BankIdProtocolError,
    BankIdTransportError,
)
from minasidor.identity.contrib.bankid.rp.messages import (
    Rfa,
    message_for_error,
    message_for_failed,
    message_for_pending,
    text,
)
from minasidor.identity.contrib.bankid.rp.qr import qr_data, qr_data_at, qr_seconds
from minasidor.identity.contrib.bankid.rp.tls import rp_ssl_context, rp_ssl_context_from_pkcs12
from minasidor.identity.contrib.bankid.rp.types import (
    AppDevice,
    AuthRequest,
    CollectResponse,
    CollectStatus,
    CompletionData,
    HintCode,
    OrderResponse,
    PhoneAuthRequest,
    PhoneOrderResponse,
    PhoneSignRequest,
    Requirement,
    SignRequest,
    WebDevice,
)

__all__ = [
    "PRODUCTION_BASE_URL",
    "TEST_BASE_URL",
    "AppDevice",
    "AuthRequest",
    "BankIdApiError",
    "BankIdCircuitOpenError",
    "BankIdClient",
    "BankIdError",
    "BankIdProtocolError",
    "BankIdSettings",
    "BankIdTransportError",
    "CollectResponse",
    "CollectStatus",
    "CompletionData",
    "HintCode",
    "OrderResponse",
    "PhoneAuthRequest",
    "PhoneOrderResponse",
    "PhoneSignRequest",
    "Requirement",
    "Rfa",
    "SignRequest",
    "WebDevice",
    "message_for_error",
    "message_for_failed",
    "message_for_pending",
    "qr_data",
    "qr_data_at",
    "qr_seconds",
    "rp_ssl_context",
    "rp_ssl_context_from_pkcs12",
    "text",
]
