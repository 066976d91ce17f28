"""Structured logging with structlog, and the guard that keeps personal numbers out of log lines.

Log events are key-value pairs, rendered as JSON in production and readable lines in development.
Every event passes :func:`redact_personal_numbers`, which replaces anything shaped like a personal or
coordination number (10 or 12 digits, with or without a separator) by a fixed marker. Code should
never log one in the first place; this is the safety net, not the method.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

REDACTED = "[personnummer]"
# Digits standing alone: not part of a longer word such as a hexadecimal request id.
_PERSONAL_NUMBER_SHAPE = re.compile(r"(?<!\w)(?:\d{2})?\d{6}[-+ ]?\d{4}(?!\w)")


def redact_text(text: str) -> str:
    """``text`` with every personal-number-shaped run of digits replaced by :data:`REDACTED`."""
    return _PERSONAL_NUMBER_SHAPE.sub(REDACTED, text)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, int) and not isinstance(value, bool):
        as_text = str(value)
        return REDACTED if _PERSONAL_NUMBER_SHAPE.fullmatch(as_text) else value
    if isinstance(value, Mapping):
        return {key: _redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redact_value(item) for item in value)
    return value


def redact_personal_numbers(
    logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: redact personal numbers in every value of the event."""
    for key, value in event_dict.items():
        event_dict[key] = _redact_value(value)
    return event_dict


def shared_processors() -> list[structlog.typing.Processor]:
    """Processors applied to structlog and standard-library records alike."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redact_personal_numbers,
    ]


def configure_structlog() -> None:
    """Route structlog through the standard library so one handler configuration serves both."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared_processors(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def formatter_config(*, json: bool) -> dict[str, Any]:
    """A ``logging.config`` formatter entry rendering events as JSON or as readable lines."""
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    return {
        "()": structlog.stdlib.ProcessorFormatter,
        "processors": [structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        "foreign_pre_chain": shared_processors(),
    }
