from django.urls import path

from minasidor.signing_step import views

app_name = "signing_step"

urlpatterns = [
    path("", views.start, name="start"),
    path("avbryt/", views.cancel, name="cancel"),
]
