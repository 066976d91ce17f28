"""The SMTP side: aiosmtpd's server with a handler that keeps each message in the :class:`Mailbox`."""

from __future__ import annotations

import asyncio
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from simulators.mail.mailbox import PERMANENT, TEMPORARY, InjectedRefusalError, Mailbox

HOSTNAME = "mail-simulator.minasidor.invalid"
REPLIES = {
    TEMPORARY: "451 4.3.0 Temporary failure injected by the test server: try again later",
    PERMANENT: "554 5.7.1 Permanent failure injected by the test server",
}
MAX_MESSAGE_BYTES = 10 * 1024 * 1024


class KeepingHandler:
    """aiosmtpd's handler: every message accepted at DATA is kept (unless a refusal is pending)."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's name
        content = envelope.original_content or b""
        try:
            number = self.mailbox.receive(
                mail_from=envelope.mail_from or "", recipients=list(envelope.rcpt_tos), raw=content
            )
        except InjectedRefusalError as refusal:
            return REPLIES[refusal.code]
        return f"250 2.0.0 Message accepted as number {number}"


def smtp_factory(mailbox: Mailbox) -> Any:
    """A protocol factory for ``loop.create_server``: one aiosmtpd session per connection."""
    handler = KeepingHandler(mailbox)

    def factory() -> SMTP:
        return SMTP(
            handler,
            hostname=HOSTNAME,
            data_size_limit=MAX_MESSAGE_BYTES,
            enable_SMTPUTF8=True,
            loop=asyncio.get_running_loop(),
        )

    return factory
