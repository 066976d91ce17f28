from django.apps import AppConfig


class MinPensionConfig(AppConfig):
    name = "minasidor.minpension"
    label = "minpension"
    default_auto_field = "django.db.models.BigAutoField"
