from django.urls import path

from minasidor.personal_code import views

app_name = "personal_code"

urlpatterns = [
    path("", views.order, name="order"),
    path("bestalld/", views.ordered, name="ordered"),
    path("pa-vag/", views.on_its_way, name="on-its-way"),
]
