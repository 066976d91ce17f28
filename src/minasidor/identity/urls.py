from django.urls import path

from minasidor.identity import views

app_name = "identity"

urlpatterns = [
    path("logga-ut/", views.logout, name="logout"),
    path("utloggad/", views.logged_out, name="logged-out"),
]
