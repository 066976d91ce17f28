"""Requirement: a personal number never appears in a log line, whatever shape it is logged in."""

import io
import json
import logging
import logging.config

import pytest
import structlog

from kernel.logging import REDACTED, configure_structlog, formatter_config, redact_text


@pytest.mark.parametrize(
    "text",
    ["191212121212", "19121212-1212", "121212-1212", "121212+1212", "person 121212 1212 logged in"],
)
def test_personal_number_shapes_are_redacted(text: str) -> None:
    redacted = redact_text(text)
    assert REDACTED in redacted
    assert "1212121212" not in redacted.replace("-", "").replace(" ", "").replace("+", "")


@pytest.mark.parametrize(
    "text",
    ["order 42", "amount 12345 kr", "2026-11-28T12:00:00Z", "id 1234567", "request ca6a1a6108241212aee865d374019033"],
)
def test_other_numbers_are_kept(text: str) -> None:
    assert redact_text(text) == text


def test_structlog_and_stdlib_lines_are_redacted() -> None:
    stream = io.StringIO()
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"json": formatter_config(json=True)},
            "handlers": {"mem": {"class": "logging.StreamHandler", "stream": stream, "formatter": "json"}},
            "loggers": {"redaction-test": {"handlers": ["mem"], "level": "INFO", "propagate": False}},
        }
    )
    configure_structlog()
    structlog.get_logger("redaction-test").info("login", subject="191212121212", nested={"pnr": 191212121212})
    logging.getLogger("redaction-test").info("plain line about 19121212-1212")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(lines) == 2
    assert lines[0]["subject"] == REDACTED
    assert lines[0]["nested"] == {"pnr": REDACTED}
    assert "1212" not in lines[1]["event"]
