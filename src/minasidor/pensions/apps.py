from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minasidor.ui.menu import MenuEntry, menu_entry_add


class PensionsConfig(AppConfig):
    name = "minasidor.pensions"
    label = "pensions"
    verbose_name = _("My pension")

    def ready(self) -> None:
        earned = _("see the public pension you have earned and your latest annual statement (the orange envelope)")
        forecast = _("make a pension forecast and see how your pension depends on when you start drawing it")
        other = _("see your total pension, with occupational and private pensions from Min Pension, if you want")
        menu_entry_add(MenuEntry("pensions:home", _("My pension"), earned, order=10))
        menu_entry_add(MenuEntry("pensions:forecast", _("Pension forecast"), forecast, order=20, audience="saving"))
        menu_entry_add(MenuEntry("pensions:min-pension", _("Occupational and private pensions"), other, order=30))
