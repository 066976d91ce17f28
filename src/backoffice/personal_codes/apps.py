from django.apps import AppConfig


class PersonalCodesConfig(AppConfig):
    """The personal codes' room of the back office: its tables live in the back office's database."""

    name = "backoffice.personal_codes"
    label = "personal_codes"
    verbose_name = "Personal codes"
