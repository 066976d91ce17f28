from django.urls import path

from minasidor.delegation import views

app_name = "delegation"

urlpatterns = [
    path("", views.grants, name="list"),
    path("<uuid:reference>/", views.detail, name="detail"),
    path("ny/vem/", views.who, name="who"),
    path("ny/vad/", views.what, name="what"),
    path("ny/hur-lange/", views.until, name="until"),
    path("ny/sammanfattning/", views.summary, name="summary"),
    path("ny/signera/", views.sign, name="sign"),
    path("ny/signerad/", views.signed, name="signed"),
    path("avsluta/", views.end, name="end"),
    path("agera/", views.act, name="act"),
    path("sluta-agera/", views.acting_stop, name="acting-stop"),
]
