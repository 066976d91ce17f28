from django.apps import AppConfig


class BankIdConfig(AppConfig):
    name = "minasidor.identity.contrib.bankid"
    label = "bankid"
    verbose_name = "BankID"

    def ready(self) -> None:
        from minasidor.core.handler import lean_path_add  # noqa: PLC0415 - once the apps are loaded
        from minasidor.identity.contrib.bankid import lean  # noqa: PLC0415

        lean_path_add(lean.ROUTE, lean.status)
        lean_path_add(lean.QR_ROUTE, lean.qr)
