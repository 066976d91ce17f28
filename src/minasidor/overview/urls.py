from django.urls import path

from minasidor.overview import views

app_name = "overview"

urlpatterns = [
    path("", views.home, name="home"),
]
