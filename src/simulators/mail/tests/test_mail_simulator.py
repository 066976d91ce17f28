"""Requirement: the SMTP test server receives real SMTP, keeps each message for tests and people to read (JSON API,
page, files), and refuses on request with a temporary or permanent SMTP failure."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from simulators.mail.mailbox import Mailbox
from simulators.mail.server import MailSimulatorThread


@pytest.fixture(scope="module")
def server() -> Iterator[MailSimulatorThread]:
    with MailSimulatorThread() as thread:
        yield thread


@pytest.fixture
def mail(server: MailSimulatorThread) -> MailSimulatorThread:
    server.reset()
    return server


def _message(to: str = "anna@example.se", subject: str = "Hej", text: str = "Något väntar på dig.") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Pensionsportalen <no-reply@pensionsportalen.invalid>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = "<notice-1@pensionsportalen.invalid>"
    message.set_content(text)
    return message


def _send(mail: MailSimulatorThread, message: EmailMessage) -> None:
    with smtplib.SMTP("127.0.0.1", mail.smtp_port, timeout=5) as client:
        client.ehlo()
        client.send_message(message)


def test_a_message_sent_over_smtp_is_kept_and_listed(mail: MailSimulatorThread) -> None:
    _send(mail, _message())
    [listed] = mail.messages()
    assert listed["recipients"] == ["anna@example.se"]
    assert listed["mail_from"] == "no-reply@pensionsportalen.invalid"
    assert listed["subject"] == "Hej"
    assert listed["message_id"] == "<notice-1@pensionsportalen.invalid>"
    assert listed["text"].strip() == "Något väntar på dig."
    raw = httpx.get(f"{mail.http_url}/api/messages/{listed['number']}/raw", timeout=5)
    assert raw.headers["content-type"].startswith("message/rfc822")
    assert b"Subject: Hej" in raw.content


def test_messages_can_be_read_for_one_recipient(mail: MailSimulatorThread) -> None:
    _send(mail, _message(to="anna@example.se"))
    _send(mail, _message(to="bo@example.se"))
    assert [m["recipients"] for m in mail.messages(to="BO@example.se")] == [["bo@example.se"]]
    assert len(mail.messages()) == 2
    assert httpx.get(f"{mail.http_url}/api/messages/99", timeout=5).status_code == 404
    assert httpx.delete(f"{mail.http_url}/api/messages", timeout=5).status_code == 204
    assert mail.messages() == []


def test_a_refusal_is_a_temporary_smtp_failure_and_then_mail_flows_again(mail: MailSimulatorThread) -> None:
    mail.refuse(2)
    for _ in range(2):
        with pytest.raises(smtplib.SMTPDataError) as refused:
            _send(mail, _message())
        assert refused.value.smtp_code == 451
    _send(mail, _message())
    assert len(mail.messages()) == 1, "refused messages are not kept"


def test_a_permanent_refusal_is_a_554(mail: MailSimulatorThread) -> None:
    mail.refuse(1, code=554)
    with pytest.raises(smtplib.SMTPDataError) as refused:
        _send(mail, _message())
    assert refused.value.smtp_code == 554
    bad = httpx.post(f"{mail.http_url}/control/refuse", json={"count": 1, "code": 250}, timeout=5)
    assert bad.status_code == 400


def test_the_page_lists_messages_escaped(mail: MailSimulatorThread) -> None:
    _send(mail, _message(subject="<script>alert(1)</script>", text="a < b & c"))
    page = httpx.get(mail.http_url + "/", timeout=5).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page
    assert "a &lt; b &amp; c" in page


def test_messages_are_also_kept_as_files(tmp_path: Path) -> None:
    with MailSimulatorThread(Mailbox(tmp_path / "mail")) as mail:
        _send(mail, _message())
    [saved] = sorted((tmp_path / "mail").glob("*.eml"))
    assert b"Message-ID: <notice-1@pensionsportalen.invalid>" in saved.read_bytes()
