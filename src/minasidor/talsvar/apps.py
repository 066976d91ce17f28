from django.apps import AppConfig


class TalsvarConfig(AppConfig):
    """The telephone service: no models (a call's state is kept in the cache for the call's length)."""

    name = "minasidor.talsvar"
    label = "talsvar"
    verbose_name = "Telephone service"
