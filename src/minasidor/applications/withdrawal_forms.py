"""The questions of the application to change one's withdrawal (ändrat uttag), one page each: what to change,
which parts, the new share and from which month (decision 0151)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minasidor.applications.draft import month_text
from minasidor.applications.forms import PART_LABELS, SHARES, month_label
from minasidor.pension_data.withdrawal import PartDrawn
from minasidor.registers.types import PensionPart, WithdrawalChangeKind
from minasidor.ui.forms import CheckboxSelectMultiple, RadioSelect


class ChangeKindForm(forms.Form):
    """What the person wants to do with their withdrawal."""

    question_as_heading = True
    change = forms.ChoiceField(
        label=_("What do you want to change?"),
        help_text=_(
            "Guarantee pension cannot be paused or changed on its own: it is paid only while you draw all of your "
            "income pension and premium pension, so drawing less of either, or pausing it, stops it."
        ),
        choices=[
            (str(WithdrawalChangeKind.SHARE), _("Draw another share (25, 50, 75 or 100 per cent)")),
            (str(WithdrawalChangeKind.PAUSE), _("Pause the withdrawal for a while")),
            (str(WithdrawalChangeKind.STOP), _("Stop the withdrawal")),
        ],
        widget=RadioSelect,
        error_messages={"required": _("Choose what you want to change")},
    )


class ChangePartsForm(forms.Form):
    """Which of the parts drawn (or paused) the change is for."""

    question_as_heading = True
    parts = forms.MultipleChoiceField(
        label=_("Which parts do you want to change?"),
        widget=CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one part"),
            "invalid_choice": _("Choose among the parts in the list"),
        },
    )

    def __init__(self, *args: Any, drawn: tuple[PartDrawn, ...], change: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = [p for p in drawn if change == WithdrawalChangeKind.SHARE or p.share > 0]
        field = self.fields["parts"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101 - declared above
        field.choices = [(p.part, PART_LABELS[PensionPart(p.part)]) for p in offered]
        field.help_text = _("You can change income pension and premium pension together or one at a time.")


class ChangeShareForm(forms.Form):
    """The new share of the parts chosen."""

    question_as_heading = True
    share = forms.TypedChoiceField(
        label=_("How much do you want to draw?"),
        help_text=_("Drawing a part means a lower amount now and a higher amount later."),
        choices=[(str(share), f"{share}\u00a0%") for share in SHARES],
        coerce=int,
        widget=RadioSelect,
        error_messages={
            "required": _("Choose how much you want to draw"),
            "invalid_choice": _("Choose how much you want to draw"),
        },
    )

    def __init__(self, *args: Any, current: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current

    def clean_share(self) -> int:
        share = int(self.cleaned_data["share"])
        if self.current and all(now == share for now in self.current.values()):
            raise forms.ValidationError(
                _("You already draw %(share)s per cent. Choose another share, or go back and choose other parts.")
                % {"share": share}
            )
        return share


class ChangeMonthForm(forms.Form):
    """From which month the change applies."""

    question_as_heading = True
    from_month = forms.ChoiceField(
        label=_("From which month do you want the change?"),
        error_messages={
            "required": _("Choose the month you want the change from"),
            "invalid_choice": _("Choose one of the months in the list"),
        },
    )

    def __init__(self, *args: Any, months: tuple[dt.date, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["from_month"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [(month_text(m), month_label(m)) for m in months]
        field.help_text = _(
            "The earliest month is %(first)s: a payment already made is not changed afterwards. If we decide after "
            "that month's payment day, the change applies from the month after. You can choose up to %(last)s."
        ) % {"first": month_label(months[0]), "last": month_label(months[-1])}
