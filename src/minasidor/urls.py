"""URLs of the portal. Pages are Swedish at the root and English under ``/en/``."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path

from minasidor.identity.contrib.saml.urls import protocol_urlpatterns as saml_protocol_urlpatterns
from minasidor.staff.sites import staff_site

# SAML's metadata and assertion consumer service are registered with the federation: fixed, unprefixed.
urlpatterns: list[URLPattern | URLResolver] = [path("saml/", include((saml_protocol_urlpatterns, "saml_protocol")))]
# The case handlers' pages under the staff path, behind the staff login (before the administration's own
# URLs, which would take the path otherwise); Swedish only.
urlpatterns += [path(f"{settings.STAFF_ADMIN_PATH}arenden/", include("minasidor.casehandling.urls"))]
# The staff administration: own path (a setting), own login with a second factor, never under /en/.
urlpatterns += [path(settings.STAFF_ADMIN_PATH, staff_site.urls)]
# The operators' endpoints (liveness, readiness, metrics): fixed, unprefixed, nothing about persons.
urlpatterns += [path("-/", include("minasidor.operations.urls"))]
# The telephone service's VoiceXML documents for the telephony platform: fixed, unprefixed (decision 0141).
urlpatterns += [path("talsvar/v1/", include("minasidor.talsvar.urls"))]
# The customer-service console: staff only, Swedish only, never under /en/ (decision 0131).
urlpatterns += [path("kundservice/", include("minasidor.console.urls"))]
# Consented sharing: the token endpoint and the read API for registered third parties (decision 0185).
urlpatterns += [path("api/dela/", include("minasidor.sharing.api_urls"))]

urlpatterns += i18n_patterns(
    path("logga-in/bankid/", include("minasidor.identity.contrib.bankid.urls")),
    path("logga-in/saml/", include("minasidor.identity.contrib.saml.urls")),
    path("", include("minasidor.ui.urls")),
    path("webbtest/", include("minasidor.webtest.urls")),
    path("", include("minasidor.identity.urls")),
    path("mina-sidor/", include("minasidor.pensions.urls")),
    path("mina-sidor/", include("minasidor.privacy.urls")),
    path("sign/", include("minasidor.signing_step.urls")),
    path("mina-sidor/bostadstillagg/", include("minasidor.housing.urls")),
    path("mina-sidor/ansok/", include("minasidor.applications.urls")),
    path("mina-sidor/arenden/", include("minasidor.cases.urls")),
    path("mina-sidor/personlig-kod/", include("minasidor.personal_code.urls")),
    path("mina-sidor/blanketter/", include("minasidor.form_orders.urls")),
    path("mina-sidor/uppgifter/", include("minasidor.details.urls")),
    path("mina-sidor/fullmakter/", include("minasidor.delegation.urls")),
    path("mina-sidor/dela/", include("minasidor.sharing.urls")),
    prefix_default_language=False,
)

# An outage of the portal's own stores (PostgreSQL, Redis) is answered 503 "not available right now"; any
# other error keeps the 500 page (minasidor.operations.unavailable).
handler500 = "minasidor.operations.unavailable.server_error"
