from django.urls import path

from minasidor.signing_step import views

app_name = "signing_step"

urlpatterns = [
    path("", views.start, name="start"),
    path("avbryt/", views.cancel, name="cancel"),
    path("bankid/starta/", views.bankid_start, name="bankid-start"),
    path("bankid/", views.bankid_progress, name="bankid-progress"),
    path("bankid/status/", views.bankid_status, name="bankid-status"),
    path("bankid/qr.svg", views.bankid_qr, name="bankid-qr"),
    path("bankid/retur/", views.bankid_returned, name="bankid-returned"),
    path("bankid/fortsatt/", views.bankid_proceed, name="bankid-proceed"),
    path("underskriftstjanst/", views.sigservice_start, name="sigservice-start"),
    path("underskriftstjanst/svar/", views.sigservice_response, name="sigservice-response"),
    path("underskriftstjanst/klar/", views.sigservice_complete, name="sigservice-complete"),
]
