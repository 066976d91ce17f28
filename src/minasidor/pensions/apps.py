from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PensionsConfig(AppConfig):
    name = "minasidor.pensions"
    label = "pensions"
    verbose_name = _("My pension")
