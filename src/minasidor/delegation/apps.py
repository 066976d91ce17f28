from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minasidor.ui.menu import MenuEntry, menu_entry_add


class DelegationConfig(AppConfig):
    name = "minasidor.delegation"
    label = "delegation"
    verbose_name = _("Powers of attorney")

    def ready(self) -> None:
        from minasidor.audit.selectors import principal_namer_register  # noqa: PLC0415
        from minasidor.audit.types import PrincipalKind  # noqa: PLC0415
        from minasidor.delegation.guard import acting_guard  # noqa: PLC0415
        from minasidor.delegation.selectors import delegate_names, power_document_live  # noqa: PLC0415
        from minasidor.identity.session import acting_guard_register, acting_power_document_register  # noqa: PLC0415

        acting_guard_register(acting_guard)
        acting_power_document_register(power_document_live)
        principal_namer_register(PrincipalKind.DELEGATE, delegate_names)
        summary = _(
            "let someone you trust see your pension, make forecasts or answer your cases for you, with their own e-ID"
        )
        menu_entry_add(MenuEntry("delegation:list", _("Powers of attorney"), summary, order=96))
