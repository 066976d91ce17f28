from django.apps import AppConfig


class TemporaryAccessConfig(AppConfig):
    name = "minasidor.temporary_access"
    label = "temporary_access"

    def ready(self) -> None:
        from minasidor.identity.session import session_citizen_changing  # noqa: PLC0415
        from minasidor.temporary_access.services import end_on_citizen_change  # noqa: PLC0415

        session_citizen_changing.connect(end_on_citizen_change, dispatch_uid="temporary_access.end")
