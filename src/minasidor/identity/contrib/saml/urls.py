"""URLs of the SAML login. ``protocol_urlpatterns`` (metadata, ACS) have fixed addresses outside the
language prefix, since they are registered with the federation; the pages follow the citizen's language."""

from django.urls import path

from minasidor.identity.contrib.saml import views

app_name = "saml"

urlpatterns = [
    path("starta/", views.start, name="start"),
    path("valj-e-legitimation/", views.choose, name="choose"),
    path("klar/", views.complete, name="complete"),
    path("avbruten/", views.failed, name="failed"),
    path("utan-svenskt-nummer/", views.no_swedish_number, name="no-swedish-number"),
]

protocol_urlpatterns = [
    path("metadata/", views.metadata, name="metadata"),
    path("acs/", views.acs, name="acs"),
]
