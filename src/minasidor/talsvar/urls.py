from django.urls import path

from minasidor.talsvar import views

app_name = "talsvar"

urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("start", views.start, name="start"),
    path("identify", views.identify, name="identify"),
    path("menu", views.menu, name="menu"),
    path("answer/<slug:question>", views.answer, name="answer"),
    path("end", views.end, name="end"),
]
