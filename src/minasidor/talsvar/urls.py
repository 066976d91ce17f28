from django.urls import path

from minasidor.talsvar import views

app_name = "talsvar"

urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("start", views.start, name="start"),
    path("identify", views.identify, name="identify"),
    path("menu", views.menu, name="menu"),
    path("answer/<slug:question>", views.answer, name="answer"),
    path("forms", views.forms, name="forms"),
    path("forms/<slug:form>", views.form_order_view, name="form-order"),
    path("end", views.end, name="end"),
]
