from django.apps import AppConfig


class CasehandlingConfig(AppConfig):
    name = "minasidor.casehandling"
    label = "casehandling"
