from django.urls import path

from minasidor.identity.contrib.bankid import views

app_name = "bankid"

urlpatterns = [
    path("starta/", views.start, name="start"),
    path("", views.progress, name="progress"),
    path("status/", views.status, name="status"),
    path("qr.svg", views.qr, name="qr"),
    path("avbryt/", views.cancel, name="cancel"),
    path("fortsatt/", views.proceed, name="proceed"),
    path("retur/", views.returned, name="returned"),
]
