"""The catalogue of paper forms people can order by post: a stable code, the form's number, its title.

The forms are the Pensions Agency's paper forms named in shared/reference/services.md (decision 0200 says
which facts are confirmed there and which are not). The list changes when a form is printed anew or
withdrawn, which is a change of code reviewed with the letters, so it is kept here rather than in a table.
A code is never reused for another form: orders and access records name forms by it.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True, slots=True)
class PaperForm:
    """One paper form: ``code`` (lower case, stable), the authority's form number (empty where the reference
    does not give one) and the title in Swedish and English."""

    code: str
    number: str
    title_sv: str
    title_en: str

    def as_data(self) -> dict[str, str]:
        """The form as the registers boundary carries it."""
        return dataclasses.asdict(self)


CATALOGUE: tuple[PaperForm, ...] = (
    PaperForm("old_age_pension", "", "Ansökan om allmän ålderspension", "Application for old-age pension"),
    PaperForm("housing_supplement", "", "Ansökan om bostadstillägg", "Application for housing supplement"),
    PaperForm("payment_account", "PM8612", "Uppgift om kontonummer", "Details of your payment account"),
    PaperForm("power_of_attorney", "", "Fullmakt", "Power of attorney"),
)
BY_CODE: dict[str, PaperForm] = {form.code: form for form in CATALOGUE}


def form_catalogue() -> list[dict[str, str]]:
    """Every form that can be ordered, in the order a caller hears them."""
    return [form.as_data() for form in CATALOGUE]
