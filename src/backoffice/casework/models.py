"""The tables of casework: cases, their append-only history, signed documents and evidence, messages.

A case's status is never a field: it is the status set by its newest status-setting event (``CaseEvent``
of kind ``status`` or ``decision``). History, documents, evidence, messages and attachments are only ever
added: the models refuse updates and deletes (an attachment's scan verdict is written once, after it), and
database triggers refuse them on the history (docs/decisions/0039). Swedish terms are in docs/glossary.md.
"""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.register.models import Person


class AppendOnlyError(RuntimeError):
    """Casework records are only ever added: the application never changes or deletes them."""


class CaseType(models.TextChoices):
    """The kinds of case (ärendetyp). Their ordered statuses and expected decision dates are in ``rules``."""

    OLD_AGE_PENSION = "old_age_pension", _("Application for old-age pension")
    WITHDRAWAL_CHANGE = "withdrawal_change", _("Change of pension withdrawal")
    PAYMENT_ACCOUNT_CHANGE = "payment_account_change", _("Change of payment account")
    TAX_WITHHOLDING_CHANGE = "tax_withholding_change", _("Change of tax withholding")
    HOUSING_SUPPLEMENT = "housing_supplement", _("Application for housing supplement")
    GENERAL_QUESTION = "general_question", _("Question to the authority")


class CaseStatus(models.TextChoices):
    """Where a case stands (ärendestatus)."""

    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Being handled")
    AWAITING_COMPLETION = "awaiting_completion", _("Waiting for your completion")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


class EventKind(models.TextChoices):
    """What an entry of a case's history records."""

    STATUS = "status", _("Status changed")
    MESSAGE_IN = "message_in", _("Message from you")
    MESSAGE_OUT = "message_out", _("Message from the authority")
    COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
    COMPLETION_ANSWERED = "completion_answered", _("Completion answered")
    NOTE = "note", _("Note")
    DOCUMENT = "document", _("Document received")
    DECISION = "decision", _("Decision")
    CALL_NOTE = "call_note", _("Telephone call with customer service")


class ActorKind(models.TextChoices):
    """Who made an entry: the same kinds as the principals of the access records."""

    CITIZEN = "citizen", _("You")
    HANDLER = "handler", _("Case handler")
    AGENT = "agent", _("Customer service")
    SYSTEM = "system", _("The authority's systems")
    DELEGATE = "delegate", _("Someone with the person's power of attorney")


class SignatureMethod(models.TextChoices):
    """How a document was signed."""

    BANKID = "bankid", _("BankID")
    SIGNATURE_SERVICE = "signature_service", _("Signature service")


class ScanVerdict(models.TextChoices):
    """What the malware scan said about an attachment."""

    PENDING = "pending", _("Not yet scanned")
    CLEAN = "clean", _("No malware found")
    INFECTED = "infected", _("Malware found")
    FAILED = "failed", _("Could not be scanned")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """A query set that refuses bulk updates and deletes."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be deleted")


class AppendOnlyModel(models.Model):
    """A row that is written once: saving it again or deleting it raises :class:`AppendOnlyError`."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"a {self._meta.verbose_name} cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"a {self._meta.verbose_name} cannot be deleted")


class Case(AppendOnlyModel):
    """A case (ärende): one person's application, change or question, from its arrival to its end.

    ``public_id`` is the only id ever in a URL. ``idempotency_key`` is made by the submitter when the
    document is signed (e.g. the document's hash and the person): the same submission twice is the same
    case. ``subject`` says in a line what the case is about (a question's subject, or empty for an
    application, whose content is its signed document). Nothing of a case is edited after it is opened;
    everything that happens is a :class:`CaseEvent`.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    case_type = models.CharField(_("case type"), max_length=32, choices=CaseType.choices)
    opened_at = models.DateTimeField(_("opened"), db_index=True)
    expected_decision_on = models.DateField(_("expected decision date"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = (models.Index(fields=("person", "-opened_at"), name="casework_case_person_time"),)

    def __str__(self) -> str:
        return f"{self.case_type} {self.public_id}"


class CaseEvent(AppendOnlyModel):
    """One entry of a case's history, numbered from 1 within the case; never changed or deleted.

    ``status`` is set for the kinds ``status`` and ``decision`` (the status the event gives the case);
    ``actor_kind`` and ``actor_ref`` say who (the citizen's pseudonym, a handler's or agent's staff id, a
    system's name); ``text`` is plain text, shown escaped; ``payload`` holds a few facts as JSON (a
    decision's outcome and amounts, a completion's due date).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField(_("number in the case"))
    occurred_at = models.DateTimeField(_("when"))
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    status = models.CharField(_("status set"), max_length=32, choices=CaseStatus.choices, blank=True)
    actor_kind = models.CharField(_("who (kind)"), max_length=16, choices=ActorKind.choices)
    actor_ref = models.CharField(_("who"), max_length=128)
    text = models.TextField(_("text"), blank=True)
    payload = models.JSONField(_("facts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ("case", "sequence")
        constraints = (models.UniqueConstraint(fields=("case", "sequence"), name="casework_event_sequence_once"),)

    def __str__(self) -> str:
        return f"{self.case_id}#{self.sequence} {self.kind}"


class SignedDocument(AppendOnlyModel):
    """What a person signed: the canonical bytes (UTF-8 JSON), their SHA-256, kind and version, and the plain
    summary shown to the signer (BankID's userVisibleData)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="document")
    kind = models.CharField(_("kind"), max_length=64)
    version = models.PositiveSmallIntegerField(_("version"))
    canonical_bytes = models.BinaryField(_("canonical bytes"))
    sha256 = models.CharField(_("SHA-256 (hex)"), max_length=64)
    summary = models.TextField(_("summary shown to the signer"))
    received_at = models.DateTimeField(_("received"))

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")

    def __str__(self) -> str:
        return f"{self.kind} v{self.version} {self.sha256[:12]}"


class SignatureEvidence(AppendOnlyModel):
    """The evidence of a signature, enough to verify it offline later.

    For BankID: the signature (base64 XML signature of completionData) and the OCSP response (base64).
    For the signature service: also its SignResponse and the signer's certificate. ``signer_identifier``
    is the signer as the method names them (a personal number for BankID).
    """

    document = models.OneToOneField(SignedDocument, on_delete=models.PROTECT, related_name="evidence")
    method = models.CharField(_("method"), max_length=32, choices=SignatureMethod.choices)
    signer_identifier = models.CharField(_("signer"), max_length=256)
    signed_at = models.DateTimeField(_("signed"))
    signature = models.TextField(_("signature"))
    ocsp_response = models.TextField(_("OCSP response"), blank=True)
    sign_response = models.TextField(_("SignResponse"), blank=True)
    signer_certificate = models.TextField(_("signer certificate"), blank=True)

    class Meta:
        verbose_name = _("signature evidence")
        verbose_name_plural = _("signature evidence")

    def __str__(self) -> str:
        return f"{self.method} {self.signed_at:%Y-%m-%d %H:%M}"


class DelegateSignature(AppendOnlyModel):
    """The power of attorney a signed document was signed under by a delegate, not the person (decision 0216):
    who signed, the document the grantor signed (canonical bytes and SHA-256), what it covered and when, and
    the grantor's signature evidence, as checked when the case was opened."""

    document = models.OneToOneField(SignedDocument, on_delete=models.PROTECT, related_name="delegate_signature")
    delegate = models.CharField(_("delegate (personal number)"), max_length=12)
    delegate_name = models.CharField(_("delegate's name"), max_length=200)
    power_reference = models.UUIDField(_("power of attorney"))
    power_canonical_bytes = models.BinaryField(_("power of attorney (canonical bytes)"))
    power_sha256 = models.CharField(_("power of attorney (SHA-256)"), max_length=64)
    scopes = models.CharField(_("what it covers"), max_length=64)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    grantor_evidence = models.JSONField(_("the grantor's signature evidence"))

    class Meta:
        verbose_name = _("signature under a power of attorney")
        verbose_name_plural = _("signatures under a power of attorney")

    def __str__(self) -> str:
        return f"{self.power_reference} ({self.scopes})"


class Message(AppendOnlyModel):
    """A message in a case, from the person (in) or the authority (out); recorded by its history event."""

    class Direction(models.TextChoices):
        IN = "in", _("From the person")
        OUT = "out", _("From the authority")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="messages")
    event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="message")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    sent_at = models.DateTimeField(_("sent"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("sent_at", "id")

    def __str__(self) -> str:
        return f"{self.direction} {self.sent_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    """A file sent with a message, stored only here: its bytes, the content type found by looking at them
    (never the name's), size, SHA-256 and the malware scan's verdict.

    The bytes never change; the verdict is the one field written after the row, once the scan has run.
    """

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type (detected)"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256 (hex)"), max_length=64)
    content = models.BinaryField(_("content"))
    scan_verdict = models.CharField(
        _("scan verdict"), max_length=16, choices=ScanVerdict.choices, default=ScanVerdict.PENDING
    )
    scanned_at = models.DateTimeField(_("scanned"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename
