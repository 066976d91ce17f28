"""URLs of the back office's internal API (its own URL configuration; see ``backoffice.api.handler``)."""

from django.urls import path

from backoffice.api import views

urlpatterns = [
    path("internal/v1/openapi.json", views.openapi, name="openapi"),
    path("internal/v1/person/snapshot", views.snapshot, name="snapshot"),
    path("internal/v1/person/contact-details", views.contact_details, name="contact-details"),
    path("internal/v1/person/payment-account", views.payment_account, name="payment-account"),
    path("internal/v1/person/tax-settings", views.tax_settings, name="tax-settings"),
]

handler404 = views.not_found
handler500 = views.server_error
