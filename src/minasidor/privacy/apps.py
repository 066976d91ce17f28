from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minasidor.ui.menu import MenuEntry, menu_entry_add


class PrivacyConfig(AppConfig):
    name = "minasidor.privacy"
    label = "privacy"

    def ready(self) -> None:
        from minasidor.identity.session import citizen_logged_in_from_new_device  # noqa: PLC0415 - apps loaded
        from minasidor.privacy.notices import login_notice_send  # noqa: PLC0415 - apps loaded

        citizen_logged_in_from_new_device.connect(login_notice_send, dispatch_uid="privacy.login_notice_send")
        summary = _("see who has read or changed your details, and when")
        menu_entry_add(MenuEntry("privacy:access-log", _("Who has seen your data"), summary, order=90))
        summary = _("let customer service see your details during a call, for a limited time and only if you want")
        title = _("Temporary permission for customer service")
        menu_entry_add(MenuEntry("privacy:permission", title, summary, order=95))
