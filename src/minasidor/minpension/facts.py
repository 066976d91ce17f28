"""What the pension register says that decides whether Min Pension may be asked: draws pension, still works.

Read through ``minasidor.registers`` (the portal's only doorway to the back office). When the register
cannot be read the answer is None and the page says Min Pension could not be fetched right now.
"""

from __future__ import annotations

import dataclasses

from kernel.personal_number import PersonalNumber
from minasidor.audit.types import Principal
from minasidor.registers import registers
from minasidor.registers.types import RegistersError


@dataclasses.dataclass(frozen=True, slots=True)
class WorkingLife:
    """Whether the person already draws old-age pension, and whether they still work."""

    drawing_pension: bool
    still_working: bool


def working_life_get(*, principal: Principal, personal_number: PersonalNumber) -> WorkingLife | None:
    """The two facts from the pension register, or None when the register cannot answer."""
    try:
        person = registers().person_snapshot(principal, personal_number).person
    except RegistersError:
        return None
    return WorkingLife(drawing_pension=person.drawing_pension, still_working=person.still_working)
