from django.urls import path

from minasidor.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.my_access_log, name="my-access-log"),
]
