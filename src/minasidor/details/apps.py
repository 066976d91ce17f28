from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minasidor.ui.menu import MenuEntry, menu_entry_add


class DetailsConfig(AppConfig):
    """My details (Mina uppgifter): no models of its own (the customer records are the register's)."""

    name = "minasidor.details"
    label = "details"
    verbose_name = "My details"

    def ready(self) -> None:
        summary = _("see and change your contact details, payment account and tax withholding")
        menu_entry_add(MenuEntry("details:overview", _("My details"), summary, order=60))
