"""Text messages: the provider interface, and the development backends that write instead of sending.

A backend is a class with ``send(to, text, *, reference)``, named by ``settings.SMS_BACKEND`` and made with no
arguments (it reads its own settings). ``reference`` is the notice's public id, the same on every attempt:
pass it to the provider as its idempotency or client reference where it has one, so a retried send is not
delivered twice. Raise :class:`SmsError` on failure (``permanent=True`` when trying again cannot help, e.g.
the number does not exist).

To plug in a real provider: write a class in the back office (e.g. ``backoffice.notices.providers.Acme``)
that posts to the provider's API over TLS with httpx and a timeout, reads its URL and secret from settings
added in ``minasidor/conf/settings.py``, and maps the provider's answers to ``SmsError``; set
``MINASIDOR_SMS_BACKEND`` to its dotted path. The production profile refuses the development backends; a
deployment without text messages names ``DisabledSmsBackend``.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from kernel import clock

DEVELOPMENT_BACKENDS = ("backoffice.notices.sms.FileSmsBackend", "backoffice.notices.sms.ConsoleSmsBackend")


class SmsError(Exception):
    """The provider did not take the message; ``permanent`` when trying again cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class SmsBackend(Protocol):
    def send(self, to: str, text: str, *, reference: str) -> None:
        """Send ``text`` to the phone number ``to``; raises :class:`SmsError`."""
        ...


_lock = threading.Lock()


class FileSmsBackend:
    """Development and tests: appends each message as a JSON line to ``settings.SMS_FILE``."""

    def send(self, to: str, text: str, *, reference: str) -> None:
        path = Path(settings.SMS_FILE)
        line = json.dumps(
            {"at": clock.now().isoformat(), "to": to, "text": text, "reference": reference}, ensure_ascii=False
        )
        with _lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as file:
                file.write(line + "\n")


class ConsoleSmsBackend:
    """Development: writes each message to standard output."""

    def send(self, to: str, text: str, *, reference: str) -> None:
        sys.stdout.write(f"SMS to {to} ({reference}): {text}\n")
        sys.stdout.flush()


class DisabledSmsBackend:
    """A deployment without text messages: every send is refused for good (the notice is given up, logged).

    Pages that let a person choose notices should then not offer text messages.
    """

    def send(self, to: str, text: str, *, reference: str) -> None:
        raise SmsError("this deployment sends no text messages", permanent=True)


def sms_backend() -> SmsBackend:
    """The configured backend."""
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


def sms_file_messages(path: Path | None = None) -> list[dict[str, str]]:
    """The messages the file backend has written (tests and browser journeys read them)."""
    source = Path(settings.SMS_FILE) if path is None else path
    if not source.exists():
        return []
    return [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
