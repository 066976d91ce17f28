"""The document a person signs to apply for housing supplement: its canonical content (``registers.codec``,
read back by the back office's casework) and the plain summary the e-ID app shows (simpleMarkdownV1)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from minasidor.applications.documents import OnBehalf, on_behalf_heading, with_on_behalf
from minasidor.applications.forms import month_label
from minasidor.registers.codec import application_content
from minasidor.registers.types import CivilStatusAnswer, HousingKind, HousingSupplementApplication
from minasidor.signing.documents import DocumentKind, SignableDocument, signable_document
from minasidor.ui.formatting import money

DOCUMENT_VERSION = 1


def _kronor(amount: int) -> str:
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr"


def _summary(application: HousingSupplementApplication, on_behalf: OnBehalf | None) -> str:
    statuses, homes = dict(CivilStatusAnswer.choices), dict(HousingKind.choices)
    lines = [
        f"# {_('Application for housing supplement')}",
        "",
        *on_behalf_heading(on_behalf),
        _("From %(month)s") % {"month": month_label(application.from_month)},
        _("Civil status: %(status)s") % {"status": statuses[application.civil_status]},
        _("Home: %(home)s") % {"home": homes[application.housing_kind]},
        _("Housing cost: %(amount)s a month") % {"amount": _kronor(application.housing_cost_per_month)},
        _("Occupational and private pension: %(amount)s a month")
        % {"amount": _kronor(application.occupational_pension_per_month)},
        _("Income from work: %(amount)s a month") % {"amount": _kronor(application.earned_income_per_month)},
        _("Interest and dividends: %(amount)s a year") % {"amount": _kronor(application.capital_income_per_year)},
        _("Savings and assets: %(amount)s") % {"amount": _kronor(application.assets)},
        "",
    ]
    if on_behalf is None:
        lines.append(_("I apply for housing supplement as above and confirm that my answers are true."))
    else:
        lines.append(
            _(
                "I apply for housing supplement as above on behalf of %(grantor)s, with the power of attorney "
                "they gave me, and confirm that the answers are true."
            )
            % {"grantor": on_behalf.grantor_name}
        )
    return "\n".join(lines)


def housing_answers(application: HousingSupplementApplication) -> list[tuple[str, str]]:
    """The application's answers as (question, answer) in the active language: the summary page and the
    receipt say the same."""
    statuses, homes = dict(CivilStatusAnswer.choices), dict(HousingKind.choices)
    return [
        (_("From which month"), month_label(application.from_month)),
        (_("Civil status"), str(statuses[application.civil_status])),
        (_("Home"), str(homes[application.housing_kind])),
        (_("Housing cost per month"), money(application.housing_cost_per_month)),
        (_("Occupational and private pension per month"), money(application.occupational_pension_per_month)),
        (_("Income from work per month"), money(application.earned_income_per_month)),
        (_("Interest and dividends per year"), money(application.capital_income_per_year)),
        (_("Savings and assets"), money(application.assets)),
    ]


def housing_supplement_document(
    application: HousingSupplementApplication, *, language: str, on_behalf: OnBehalf | None = None
) -> SignableDocument:
    """The document to sign for ``application``, its summary in ``language`` ("sv" or "en"); ``on_behalf``:
    signed by a delegate under the applicant's power of attorney (decision 0217)."""
    with translation.override(language):
        summary = _summary(application, on_behalf)
    return signable_document(
        kind=DocumentKind.HOUSING_SUPPLEMENT_APPLICATION,
        version=DOCUMENT_VERSION,
        content=with_on_behalf(application_content(application), on_behalf),
        summary=summary,
    )
