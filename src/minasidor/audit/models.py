"""The access log's one model."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from minasidor.audit.types import PrincipalKind, Purpose


class AppendOnlyError(RuntimeError):
    """Access records are never changed or deleted by the application."""


class AccessRecordQuerySet(models.QuerySet["AccessRecord"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Access records cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Access records cannot be deleted")


class AccessRecord(models.Model):
    """One read or change of a person's data: when, by whom, about whom, what, why, in which request.

    The person is stored as a keyed pseudonym of their identifier (see ``minasidor.audit.pseudonyms``), so
    the log can be searched by person without holding anyone's personal number. Rows are only ever added:
    the model refuses updates and deletes, and database triggers refuse them too.
    """

    occurred_at = models.DateTimeField(_("when"), db_index=True)
    principal_kind = models.CharField(_("who (kind)"), max_length=16, choices=PrincipalKind.choices)
    principal_ref = models.CharField(_("who"), max_length=128)
    subject_ref = models.CharField(_("whose data (pseudonym)"), max_length=64, db_index=True)
    action = models.CharField(_("what"), max_length=64)
    purpose = models.CharField(_("why"), max_length=32, choices=Purpose.choices)
    request_id = models.CharField(_("request id"), max_length=64)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ("-occurred_at", "-id")
        indexes = (models.Index(fields=("subject_ref", "-occurred_at"), name="audit_subject_time"),)

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Access records cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Access records cannot be deleted")
