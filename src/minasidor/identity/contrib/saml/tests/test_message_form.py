"""Requirement (issue 14.8): the message form for people without a Swedish number refuses a Swedish personal
identity number typed where it asks not to, and says why; other numbers (a phone number, a date) pass.
"""

from __future__ import annotations

import pytest

from kernel import clock
from minasidor.identity.contrib.saml.forms import MessageForm


@pytest.mark.parametrize("number", ["19121212-1212", "121212-1212", "191212121212", "196201082697"])
def test_a_personal_number_in_the_message_is_refused(frozen_clock: clock.FrozenClock, number: str) -> None:
    form = MessageForm({"text": f"Hello, my number is {number}, please help."})
    assert not form.is_valid()
    assert form.has_error("text", "personal_number")


@pytest.mark.parametrize("text", ["Call me on +33 6 12 34 56 78", "I moved on 2019-05-01", "Case 1234567890"])
def test_other_numbers_pass(frozen_clock: clock.FrozenClock, text: str) -> None:
    assert MessageForm({"text": text}).is_valid()
