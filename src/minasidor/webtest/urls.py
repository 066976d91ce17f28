from django.urls import path

from minasidor.webtest import views

app_name = "webtest"

urlpatterns = [
    path("", views.webtest, name="webtest"),
    path("resultat/", views.result, name="result"),
]
