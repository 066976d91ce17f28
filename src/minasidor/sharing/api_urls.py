"""The token endpoint and the read API of consented sharing: unprefixed, JSON, for registered clients."""

from django.urls import path

from minasidor.sharing import api_views

app_name = "sharing_api"

urlpatterns = [
    path("oauth/token/", api_views.token, name="token"),
    path("v1/statement/", api_views.statement, name="statement"),
    path("v1/forecast/", api_views.forecast, name="forecast"),
    path("v1/payments/", api_views.payments, name="payments"),
]
