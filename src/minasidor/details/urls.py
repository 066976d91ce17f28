from django.urls import path

from minasidor.details import views

app_name = "details"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("kontakt/", views.contact, name="contact"),
    path("sprak/", views.language, name="language"),
    path("postadress/", views.postal_address, name="postal-address"),
    path("skatt/", views.tax, name="tax"),
    path("e-post/ny-lank/", views.email_link, name="email-link"),
    path("e-post/bekrafta/", views.email_confirm_waiting, name="email-confirm-waiting"),
    path("e-post/bekrafta/<str:token>/", views.email_confirm, name="email-confirm"),
    path("konto/", views.account, name="account"),
    path("konto/granska/", views.account_summary, name="account-summary"),
    path("konto/signerat/", views.account_signed, name="account-signed"),
    path("konto/klart/", views.account_done, name="account-done"),
]
