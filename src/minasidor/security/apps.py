from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "minasidor.security"
    label = "security"
    verbose_name = _("Security baseline")

    def ready(self) -> None:
        from minasidor.security import checks  # noqa: F401, PLC0415 - registers the system checks
        from minasidor.security.logfilters import install  # noqa: PLC0415 - after the app registry is ready

        install()
