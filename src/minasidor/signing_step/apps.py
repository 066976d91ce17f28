from django.apps import AppConfig


class SigningStepConfig(AppConfig):
    name = "minasidor.signing_step"
    label = "signing_step"
