from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minasidor.ui.menu import MenuEntry, menu_entry_add


class ApplicationsConfig(AppConfig):
    name = "minasidor.applications"
    label = "applications"

    def ready(self) -> None:
        summary = _("apply for your old-age pension and sign the application")
        menu_entry_add(
            MenuEntry("applications:start", _("Apply for old-age pension"), summary, order=30, audience="saving")
        )
