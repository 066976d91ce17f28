from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "minasidor.background"
    label = "background"
    verbose_name = "Background work"
