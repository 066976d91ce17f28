from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minasidor.ui.menu import MenuEntry, menu_entry_add


class PrivacyConfig(AppConfig):
    name = "minasidor.privacy"
    label = "privacy"

    def ready(self) -> None:
        summary = _("see who has read or changed your details, and when")
        menu_entry_add(MenuEntry("privacy:access-log", _("Who has seen your data"), summary, order=90))
        summary = _("let customer service see your details during a call, for a limited time and only if you want")
        title = _("Temporary permission for customer service")
        menu_entry_add(MenuEntry("privacy:permission", title, summary, order=95))
