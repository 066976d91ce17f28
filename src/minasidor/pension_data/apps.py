from django.apps import AppConfig


class PensionDataConfig(AppConfig):
    name = "minasidor.pension_data"
    label = "pension_data"

    def ready(self) -> None:
        from minasidor.identity.session import session_citizen_changing  # noqa: PLC0415 - apps are loaded
        from minasidor.pension_data.session import forget_on_citizen_change  # noqa: PLC0415

        session_citizen_changing.connect(forget_on_citizen_change, dispatch_uid="pension_data.forget")
