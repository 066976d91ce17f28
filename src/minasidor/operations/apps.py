from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "minasidor.operations"
    label = "operations"
    verbose_name = "Operations"
