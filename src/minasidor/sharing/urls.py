"""The citizen's pages of consented sharing, in both languages, under My pages."""

from django.urls import path

from minasidor.sharing import views

app_name = "sharing"

urlpatterns = [
    path("", views.consents, name="consents"),
    path("godkann/", views.authorize, name="authorize"),
    path("aterkalla/", views.withdraw, name="withdraw"),
]
