from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minasidor.ui.menu import MenuEntry, menu_entry_add


class PersonalCodeConfig(AppConfig):
    """The personal-code page app: no models (the code is the back office's)."""

    name = "minasidor.personal_code"
    label = "personal_code"
    verbose_name = "Personal code"

    def ready(self) -> None:
        summary = _("order a new personal code for customer service and the telephone service")
        menu_entry_add(MenuEntry("personal_code:order", _("Personal code for the phone"), summary, order=97))
