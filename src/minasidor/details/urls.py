from django.urls import path

from minasidor.details import views

app_name = "details"

urlpatterns = [
    path("", views.overview, name="overview"),
]
