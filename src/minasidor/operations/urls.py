"""The operators' endpoints: fixed paths, no language prefix (monitoring is configured once)."""

from django.urls import path

from minasidor.operations import views

app_name = "operations"

urlpatterns = [
    path("live", views.live, name="live"),
    path("ready", views.ready, name="ready"),
    path("metrics", views.metrics, name="metrics"),
]
