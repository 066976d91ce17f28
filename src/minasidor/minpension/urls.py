from django.urls import path

from minasidor.minpension import views

app_name = "minpension"

urlpatterns = [
    path("", views.pensions, name="pensions"),
    path("anslut/", views.consent, name="consent"),
]
