from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "minasidor.privacy"
    label = "privacy"
