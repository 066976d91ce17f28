from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    """No models of its own (it writes the register's): the app that holds ``seed_population`` and ``seed_demo``."""

    name = "backoffice.synthetic"
    label = "synthetic"
