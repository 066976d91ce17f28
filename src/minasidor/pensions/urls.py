from django.urls import path

from minasidor.pensions import views

app_name = "pensions"

urlpatterns = [
    path("", views.home, name="home"),
    path("pension/prognos/", views.forecast, name="forecast"),
    path("pension/hamta-igen/", views.refresh, name="refresh"),
    path("pension/prognos/pensionsprognos.pdf", views.forecast_pdf, name="forecast-pdf"),
    path("pension/pensionsbesked.pdf", views.statement_pdf, name="statement-pdf"),
    path("tjanste-och-privat-pension/", views.min_pension, name="min-pension"),
    path("tjanste-och-privat-pension/anslut/", views.min_pension_consent, name="min-pension-consent"),
]
