"""Requirement (issue 12.6): one-time SAML and BankID return tokens do not reach the server's access log."""

from __future__ import annotations

import logging

import pytest


@pytest.mark.parametrize("logger_name", ["uvicorn.access", "django.server"])
def test_one_time_tokens_are_kept_out_of_the_access_log(logger_name: str, caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger(logger_name)
    with caplog.at_level(logging.INFO, logger=logger_name):
        logger.info(
            '%s - "%s %s HTTP/%s" %d',
            "192.0.2.1:5000",
            "GET",
            "/logga-in/saml/klar/?token=s3cr3t-one-time&x=1",
            "1.1",
            302,
        )
        logger.info('"GET /logga-in/bankid/retur/?nonce=n0nce-value HTTP/1.1" 302 0')
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert not any("s3cr3t-one-time" in message or "n0nce-value" in message for message in messages)
    assert "/logga-in/saml/klar/?token=…&x=1" in messages[0]
