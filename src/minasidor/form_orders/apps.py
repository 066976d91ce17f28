from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minasidor.ui.menu import MenuEntry, menu_entry_add


class FormOrdersConfig(AppConfig):
    """The page app for ordering paper forms by post: no models (the orders are the back office's)."""

    name = "minasidor.form_orders"
    label = "form_orders"
    verbose_name = "Form orders"

    def ready(self) -> None:
        summary = _("order a paper form by post, for example to apply on paper or to give a power of attorney")
        menu_entry_add(MenuEntry("form_orders:order", _("Order a form"), summary, order=98))
