from django.apps import AppConfig


class MyPensionConfig(AppConfig):
    name = "minasidor.mypension"
    label = "mypension"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from minasidor.identity.session import session_citizen_changing  # noqa: PLC0415 - apps are loaded
        from minasidor.mypension.session_data import forget_on_citizen_change  # noqa: PLC0415

        session_citizen_changing.connect(forget_on_citizen_change, dispatch_uid="mypension.forget")
