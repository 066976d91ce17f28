"""URLs of the portal. Pages are Swedish at the root and English under ``/en/``."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

urlpatterns = i18n_patterns(
    path("logga-in/bankid/", include("minasidor.identity.contrib.bankid.urls")),
    path("", include("minasidor.ui.urls")),
    path("", include("minasidor.identity.urls")),
    path("mina-sidor/", include("minasidor.overview.urls")),
    path("mina-sidor/vem-har-sett-mina-uppgifter/", include("minasidor.audit.urls")),
    prefix_default_language=False,
)
