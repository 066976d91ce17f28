from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "minasidor.applications"
    label = "applications"
