from django.urls import path

from minasidor.form_orders import views

app_name = "form_orders"

urlpatterns = [
    path("", views.order, name="order"),
    path("bestalld/", views.ordered, name="ordered"),
    path("pa-vag/", views.on_its_way, name="on-its-way"),
]
