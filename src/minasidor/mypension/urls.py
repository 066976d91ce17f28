from django.urls import path

from minasidor.mypension import views

app_name = "mypension"

urlpatterns = [
    path("prognos/", views.forecast, name="forecast"),
    path("hamta-igen/", views.refresh, name="refresh"),
    path("prognos/pensionsprognos.pdf", views.forecast_pdf, name="forecast-pdf"),
    path("pensionsbesked.pdf", views.statement_pdf, name="statement-pdf"),
]
