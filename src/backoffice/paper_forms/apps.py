from django.apps import AppConfig


class PaperFormsConfig(AppConfig):
    """The paper forms' room of the back office: its tables live in the back office's database."""

    name = "backoffice.paper_forms"
    label = "paper_forms"
    verbose_name = "Paper forms"
