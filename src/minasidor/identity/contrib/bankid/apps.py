from django.apps import AppConfig


class BankIdConfig(AppConfig):
    name = "minasidor.identity.contrib.bankid"
    label = "bankid"
    verbose_name = "BankID"
