"""One-time tokens stay out of the server's access log.

The SAML completion (``?token=``) and BankID's return (``?nonce=``) carry one-time values in their URLs, as
the protocols' redirects must; the access log of the server (uvicorn's ``uvicorn.access``, Django's
development ``django.server``) would write them down, where anyone who reads the log could replay one in its
short life. This filter, installed on those loggers when the app is ready, replaces such values with ``…``.
"""

from __future__ import annotations

import logging
import re

ACCESS_LOGGERS = ("uvicorn.access", "django.server")
_ONE_TIME = re.compile(r"(?i)\b(token|nonce|code|state|SAMLResponse|SAMLRequest|RelayState|Signature)=[^&\s\"']+")


def redact_one_time_values(text: str) -> str:
    """``text`` with the values of one-time query parameters replaced."""
    return _ONE_TIME.sub(lambda match: f"{match.group(1)}=…", text)


class OneTimeTokenFilter(logging.Filter):
    """Redacts one-time query values in a record's message and arguments; lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_one_time_values(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_one_time_values(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


def install() -> None:
    """Put the filter on the access loggers (idempotent)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, OneTimeTokenFilter) for existing in logger.filters):
            logger.addFilter(OneTimeTokenFilter())
