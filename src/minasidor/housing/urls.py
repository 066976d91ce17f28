from django.urls import path

from minasidor.housing import views

app_name = "housing"

urlpatterns = [
    path("", views.calculator, name="calculator"),
]
