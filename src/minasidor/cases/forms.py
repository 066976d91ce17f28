"""The questions of the case pages: a new question to the authority, a message in a case, the answer to a
completion request, and withdrawing a case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from kernel.uploads import MAX_BYTES, Refusal, UploadRefusedError, upload_check
from minasidor.registers.types import Upload

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

MAX_SUBJECT = 200
MAX_TEXT = 10_000


class _TextField(forms.CharField):
    """Plain text of at most 10 000 characters, in a text area; stored as text and always shown escaped."""

    def __init__(self, *, label: StrPromise, required_message: StrPromise, **kwargs: object) -> None:
        super().__init__(
            label=label,
            max_length=MAX_TEXT,
            widget=forms.Textarea(attrs={"rows": 6}),
            error_messages={
                "required": required_message,
                "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)"),
            },
            **kwargs,  # type: ignore[arg-type]
        )

    def clean(self, value: object) -> str:
        text: str = super().clean(value)
        if "\x00" in text:
            raise forms.ValidationError(_("The text contains a character that cannot be stored"))
        return text


# What the citizen is told when a file is refused, by the refusal's code (kernel.uploads; the back office
# answers with the same codes, after its own check and the malware scan).
REFUSALS: dict[str, StrPromise] = {
    Refusal.EMPTY: _("The file is empty. Choose the file again."),
    Refusal.TOO_LARGE: _("The file is larger than 5 MB. Send a smaller file, or split it into several messages."),
    Refusal.NAME: _(
        "The file's name may only hold letters, digits, spaces and . _ - ( ) , + (and no path). "
        "Rename the file and try again."
    ),
    Refusal.TYPE: _("The file is not a PDF, JPEG or PNG file, whatever its name says. Send a PDF, JPEG or PNG file."),
    Refusal.EXTENSION: _("The file's name does not end as its type does: .pdf, .jpg, .jpeg or .png."),
    Refusal.DAMAGED: _("The file could not be read; it may be damaged. Save it again and try again."),
    Refusal.INFECTED: _("The file was refused: our virus check found harmful content in it. Nothing was sent."),
    Refusal.UNSCANNED: _(
        "The file could not be checked for viruses right now. Nothing was sent; please try again in a while."
    ),
}
FILE_REFUSED = _("The file was refused. Send a PDF, JPEG or PNG file of at most 5 MB.")


def refusal_message(code: str) -> StrPromise:
    """The sentence for a refusal code (a generic one for a code this portal does not know)."""
    return REFUSALS.get(code, FILE_REFUSED)


class AttachmentField(forms.FileField):
    """An optional file: PDF, JPEG or PNG by its content, at most 5 MB, with a plain name; cleaned into an
    :class:`~minasidor.registers.types.Upload`. The back office checks it again and scans it for malware."""

    def __init__(self) -> None:
        super().__init__(
            label=_("Attach a file (optional)"),
            help_text=_("A PDF, JPEG or PNG file of at most 5 MB, for example a certificate or a photo of one."),
            required=False,
            widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
            error_messages={"empty": REFUSALS[Refusal.EMPTY], "invalid": FILE_REFUSED},
        )

    def clean(self, data: object, initial: object = None) -> Upload | None:
        file = super().clean(data, initial)
        if not isinstance(file, UploadedFile):
            return None
        if file.size is None or file.size > MAX_BYTES:
            raise forms.ValidationError(REFUSALS[Refusal.TOO_LARGE], code=Refusal.TOO_LARGE.value)
        content = file.read(MAX_BYTES + 1)
        try:
            checked = upload_check(file.name or "", content)
        except UploadRefusedError as error:
            raise forms.ValidationError(refusal_message(error.refusal), code=error.refusal.value) from None
        return Upload(checked.filename, content)


class QuestionForm(forms.Form):
    """A new question to the authority: a subject line and the question."""

    subject = forms.CharField(
        label=_("What is your question about?"),
        help_text=_("A few words, for example “My payment in March”."),
        max_length=MAX_SUBJECT,
        error_messages={
            "required": _("Write what your question is about"),
            "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)"),
        },
    )
    message = _TextField(
        label=_("Your question"),
        required_message=_("Write your question"),
        help_text=_("Do not write your personal identity number: we know who you are."),
    )
    attachment = AttachmentField()
    submission_id = forms.CharField(
        widget=forms.HiddenInput, validators=[RegexValidator(r"^[0-9a-f]{32}$")], error_messages={"required": ""}
    )


class MessageForm(forms.Form):
    """A message in a case."""

    text = _TextField(label=_("Write to us about this case"), required_message=_("Write your message"))
    attachment = AttachmentField()


class CompletionForm(forms.Form):
    """The answer to a completion request."""

    text = _TextField(label=_("Your answer"), required_message=_("Write your answer"))
    attachment = AttachmentField()


class WithdrawForm(forms.Form):
    """Withdraw a case, optionally saying why."""

    reason = forms.CharField(
        label=_("Why do you withdraw it? (optional)"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d)")},
    )
