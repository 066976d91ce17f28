"""People in the pension register."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    """A person the authority keeps pension records for, identified by a personal or coordination number.

    The number is stored in its canonical 12-digit form (see ``kernel.personal_number``).
    """

    personal_number = models.CharField(_("personal identity number"), max_length=12, unique=True)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    birth_date = models.DateField(_("date of birth"))

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"
