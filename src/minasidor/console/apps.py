from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "minasidor.console"
    label = "console"
