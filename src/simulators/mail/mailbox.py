"""What the SMTP test server has received, and the faults it is told to inject."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import threading
from email.message import EmailMessage
from pathlib import Path
from typing import Any

# SMTP replies for the refusals the control API can inject: a temporary failure (the sender should try
# again later) and a permanent one (it should not).
TEMPORARY = 451
PERMANENT = 554


@dataclasses.dataclass(frozen=True, slots=True)
class ReceivedMessage:
    """One message as received: the envelope, the time, and the raw bytes (parsed on demand)."""

    number: int
    received_at: dt.datetime
    mail_from: str
    recipients: tuple[str, ...]
    raw: bytes

    def parsed(self) -> EmailMessage:
        message = email.message_from_bytes(self.raw, policy=email.policy.default)
        if not isinstance(message, EmailMessage):  # the default policy always makes one
            raise TypeError("not an e-mail message")
        return message

    def summary(self) -> dict[str, Any]:
        """The JSON form: envelope, the main headers, and the plain-text body."""
        message = self.parsed()
        body = message.get_body(preferencelist=("plain",))
        return {
            "number": self.number,
            "received_at": self.received_at.isoformat(),
            "mail_from": self.mail_from,
            "recipients": list(self.recipients),
            "from": str(message.get("From", "")),
            "to": str(message.get("To", "")),
            "subject": str(message.get("Subject", "")),
            "message_id": str(message.get("Message-ID", "")),
            "content_language": str(message.get("Content-Language", "")),
            "headers": {key: str(value) for key, value in message.items()},
            "text": body.get_content() if body is not None else "",
        }


class InjectedRefusalError(Exception):
    """The control API asked for this message to be refused with SMTP reply ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(f"refused with {code}")
        self.code = code


@dataclasses.dataclass(frozen=True, slots=True)
class Refusal:
    """Refuse the next ``count`` messages with SMTP reply ``code``."""

    count: int
    code: int


class Mailbox:
    """Received messages in arrival order (and, with ``directory``, one ``.eml`` file each); thread-safe."""

    def __init__(self, directory: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._messages: list[ReceivedMessage] = []
        self._refusals: list[Refusal] = []
        self._next = 1
        self.directory = directory
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)

    def receive(self, *, mail_from: str, recipients: list[str], raw: bytes) -> int:
        """Keep a message and return its number; raises :class:`InjectedRefusalError` (nothing kept)."""
        with self._lock:
            if self._refusals:
                refusal = self._refusals[0]
                if refusal.count <= 1:
                    self._refusals.pop(0)
                else:
                    self._refusals[0] = Refusal(refusal.count - 1, refusal.code)
                raise InjectedRefusalError(refusal.code)
            message = ReceivedMessage(
                number=self._next,
                received_at=dt.datetime.now(dt.UTC),
                mail_from=mail_from,
                recipients=tuple(recipients),
                raw=raw,
            )
            self._next += 1
            self._messages.append(message)
        if self.directory is not None:
            (self.directory / f"{message.number:06d}.eml").write_bytes(raw)
        return message.number

    def refuse(self, count: int, code: int) -> None:
        """Refuse the next ``count`` messages with ``code`` (451: try later; 554: permanent)."""
        if count < 1 or code not in (TEMPORARY, PERMANENT):
            raise ValueError(f"count must be at least 1 and code {TEMPORARY} or {PERMANENT}")
        with self._lock:
            self._refusals.append(Refusal(count, code))

    def messages(self) -> list[ReceivedMessage]:
        with self._lock:
            return list(self._messages)

    def get(self, number: int) -> ReceivedMessage | None:
        with self._lock:
            return next((m for m in self._messages if m.number == number), None)

    def reset(self) -> None:
        """Forget every message and every pending refusal (the ``.eml`` files stay)."""
        with self._lock:
            self._messages.clear()
            self._refusals.clear()
