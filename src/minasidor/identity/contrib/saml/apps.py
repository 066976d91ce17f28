from django.apps import AppConfig


class SamlConfig(AppConfig):
    """Login over SAML with Sweden Connect: the eIDAS connector (foreign eID) and Swedish eID providers."""

    name = "minasidor.identity.contrib.saml"
    label = "saml"
    verbose_name = "SAML login"
