"""Animated QR data: the reference's test vectors, and whole seconds floored from the order start."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minasidor.identity.contrib.bankid.rp.qr import qr_data, qr_data_at, qr_seconds

TOKEN = "67df3917-fa0d-44e5-b327-edcc928297f8"
SECRET = "d28db9a7-4cde-429e-a983-359be676944c"
VECTORS = {
    0: f"bankid.{TOKEN}.0.dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8",
    1: f"bankid.{TOKEN}.1.949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2",
    2: f"bankid.{TOKEN}.2.a9e5ec59cb4eee4ef4117150abc58fad7a85439a6a96ccbecc3668b41795b3f3",
}
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("seconds", "expected"), VECTORS.items())
def test_reference_vectors(seconds: int, expected: str) -> None:
    assert qr_data(qr_start_token=TOKEN, qr_start_secret=SECRET, seconds=seconds) == expected


@pytest.mark.parametrize(("elapsed", "seconds"), [(0.0, 0), (0.999, 0), (1.0, 1), (2.5, 2), (-0.2, 0)])
def test_seconds_are_floored(elapsed: float, seconds: int) -> None:
    now = START + dt.timedelta(seconds=elapsed)
    assert qr_seconds(started_at=START, now=now) == seconds
    assert qr_data_at(qr_start_token=TOKEN, qr_start_secret=SECRET, started_at=START, now=now) == VECTORS.get(
        seconds, qr_data(qr_start_token=TOKEN, qr_start_secret=SECRET, seconds=seconds)
    )


@given(st.integers(min_value=0, max_value=10_000))
def test_shape(seconds: int) -> None:
    prefix, token, time_text, code = qr_data(qr_start_token=TOKEN, qr_start_secret=SECRET, seconds=seconds).split(".")
    assert (prefix, token, time_text) == ("bankid", TOKEN, str(seconds))
    assert len(code) == 64
    assert code == code.lower()


def test_negative_seconds_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        qr_data(qr_start_token=TOKEN, qr_start_secret=SECRET, seconds=-1)
