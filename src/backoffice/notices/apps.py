from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "backoffice.notices"
    label = "notices"
    verbose_name = "Notices"
