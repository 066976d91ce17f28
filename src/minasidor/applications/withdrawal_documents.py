"""The document a pensioner signs to change their withdrawal: its canonical content (``registers.codec``, read
back by the back office's casework) and the plain summary the e-ID app shows (simpleMarkdownV1)."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from minasidor.applications.documents import OnBehalf, on_behalf_heading, with_on_behalf
from minasidor.applications.forms import PART_LABELS, month_label
from minasidor.registers.codec import application_content
from minasidor.registers.types import WithdrawalChange, WithdrawalChangeKind
from minasidor.signing.documents import DocumentKind, SignableDocument, signable_document

DOCUMENT_VERSION = 1


def change_answers(change: WithdrawalChange) -> list[tuple[str, str]]:
    """The change's answers as (question, answer) in the active language: the summary signed, the summary page
    and the receipt say the same."""
    kinds = {
        WithdrawalChangeKind.SHARE: _("Draw %(share)s per cent") % {"share": change.share},
        WithdrawalChangeKind.PAUSE: _("Pause the withdrawal"),
        WithdrawalChangeKind.STOP: _("Stop the withdrawal"),
    }
    return [
        (_("Change"), kinds[change.change]),
        (_("Parts"), ", ".join(str(PART_LABELS[part]) for part in change.parts)),
        (_("From"), month_label(change.from_month)),
    ]


def _summary(change: WithdrawalChange, on_behalf: OnBehalf | None) -> str:
    lines = [f"# {_('Change of pension withdrawal')}", "", *on_behalf_heading(on_behalf)]
    lines += [f"{question}: {answer}" for question, answer in change_answers(change)]
    if on_behalf is None:
        lines += ["", _("I apply to change my withdrawal of old-age pension as above.")]
    else:
        lines += [
            "",
            _(
                "I apply to change the withdrawal of old-age pension of %(grantor)s as above, with the power of "
                "attorney they gave me."
            )
            % {"grantor": on_behalf.grantor_name},
        ]
    return "\n".join(lines)


def withdrawal_change_document(
    change: WithdrawalChange, *, language: str, on_behalf: OnBehalf | None = None
) -> SignableDocument:
    """The document to sign for ``change``, its summary in ``language`` ("sv" or "en"); ``on_behalf``: signed by
    a delegate under the pensioner's power of attorney (decision 0217)."""
    with translation.override(language):
        summary = _summary(change, on_behalf)
    return signable_document(
        kind=DocumentKind.WITHDRAWAL_CHANGE,
        version=DOCUMENT_VERSION,
        content=with_on_behalf(application_content(change), on_behalf),
        summary=summary,
    )
