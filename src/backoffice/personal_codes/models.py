"""The personal codes of the back office: one row per code issued, only its Argon2id hash kept."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.register.models import Person


class PersonalCode(models.Model):
    """One personal code issued to a person, in force until voided by the next one.

    ``issue`` names why it was issued and makes issuing idempotent: ``statement-2025`` for the statement run
    of 2025 (one per person and run, however often the run is restarted), ``order-<hex>`` for a code the
    person ordered. The clear code is derived from the back office's secret and ``issue`` when a letter is
    printed (``codes.code_derive``) and never stored; ``code_hash`` is its Argon2id hash. Wrong attempts in
    a row are counted and reset by a right one; at the limit the code is locked (``locked_at``).
    ``printed_at`` is set when the code has gone to the printing house in a print file.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="personal_codes")
    issue = models.CharField(_("issue"), max_length=40)
    code_hash = models.CharField(_("code hash (Argon2id)"), max_length=200)
    issued_at = models.DateTimeField(_("issued"))
    printed_at = models.DateTimeField(_("printed"), null=True, blank=True)
    print_file = models.CharField(_("print file"), max_length=120, blank=True)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong attempts in a row"), default=0)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal code")
        verbose_name_plural = _("personal codes")
        constraints = (
            models.UniqueConstraint(fields=("person", "issue"), name="personal_code_issued_once"),
            models.UniqueConstraint(
                fields=("person",), condition=models.Q(voided_at__isnull=True), name="personal_code_one_in_force"
            ),
        )

    def __str__(self) -> str:
        return f"{self.person_id}/{self.issue}"
