from django.urls import path

from minasidor.ui import views

app_name = "ui"

urlpatterns = [
    path("", views.start, name="start"),
    path("personuppgifter/", views.personal_data, name="personal-data"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("hjalp/", views.help_page, name="help"),
]
