"""The application's pages (Swedish paths; the same under /en/)."""

from django.urls import path

from minasidor.applications import housing_views, views, withdrawal_views

app_name = "applications"
urlpatterns = [
    path("", views.start, name="start"),
    path("delar/", views.parts, name="parts"),
    path("inkomstpension/", views.income_pension, name="income-pension"),
    path("premiepension/", views.premium_pension, name="premium-pension"),
    path("civilstand/", views.civil_status, name="civil-status"),
    path("efterlevandeskydd/", views.survivor_protection, name="survivor-protection"),
    path("bosattning/", views.living_abroad, name="living-abroad"),
    path("skatt/", views.tax, name="tax"),
    path("konto/", views.account, name="account"),
    path("sammanfattning/", views.summary, name="summary"),
    path("skriv-under/", views.sign, name="sign"),
    path("underskriven/", views.signed, name="signed"),
    path("ansokan/<uuid:submission_id>/", views.submitted, name="submitted"),
    path("ansokan/<uuid:submission_id>/skicka-igen/", views.submitted_retry, name="submitted-retry"),
    path("ansokan/<uuid:submission_id>/kvitto.pdf", views.receipt, name="receipt"),
    path("arende/<uuid:case_id>/kvitto.pdf", views.case_receipt, name="case-receipt"),
    path("bostadstillagg/", housing_views.housing, name="housing"),
    path("bostadstillagg/sammanfattning/", housing_views.housing_summary, name="housing-summary"),
    path("bostadstillagg/skriv-under/", housing_views.housing_sign, name="housing-sign"),
    path("bostadstillagg/underskriven/", housing_views.housing_signed, name="housing-signed"),
    path("andra-uttag/", withdrawal_views.withdrawal, name="withdrawal"),
    path("andra-uttag/andring/", withdrawal_views.withdrawal_kind, name="withdrawal-kind"),
    path("andra-uttag/delar/", withdrawal_views.withdrawal_parts, name="withdrawal-parts"),
    path("andra-uttag/andel/", withdrawal_views.withdrawal_share, name="withdrawal-share"),
    path("andra-uttag/fran-manad/", withdrawal_views.withdrawal_month, name="withdrawal-month"),
    path("andra-uttag/sammanfattning/", withdrawal_views.withdrawal_summary, name="withdrawal-summary"),
    path("andra-uttag/skriv-under/", withdrawal_views.withdrawal_sign, name="withdrawal-sign"),
    path("andra-uttag/underskriven/", withdrawal_views.withdrawal_signed, name="withdrawal-signed"),
]
