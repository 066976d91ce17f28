from django.urls import path

from minasidor.identity import views

app_name = "identity"

urlpatterns = [
    path("logga-in/", views.login_choice, name="login"),
    path("logga-ut/", views.logout, name="logout"),
    path("utloggad/", views.logged_out, name="logged-out"),
    path("sessionen/", views.session_status, name="session-status"),
    path("sessionen/forlang/", views.session_extend, name="session-extend"),
    path("sessionen-har-upphort/", views.session_ended, name="session-ended"),
]
