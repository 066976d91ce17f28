from django.apps import AppConfig


class StatementsConfig(AppConfig):
    """No models of its own (the run's tables are the register's): the app that holds ``run_statements``."""

    name = "backoffice.statements"
    label = "statements"
