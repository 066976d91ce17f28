from django.urls import path

from minasidor.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.access_log, name="access-log"),
]
