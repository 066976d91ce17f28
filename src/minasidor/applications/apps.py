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
        change = _("draw another share of your pension, pause your withdrawal or stop it, and sign the change")
        menu_entry_add(
            MenuEntry("applications:withdrawal", _("Change your withdrawal"), change, order=35, audience="drawing")
        )
