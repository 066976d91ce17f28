from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "minasidor.cases"
    label = "cases"
