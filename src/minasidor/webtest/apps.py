from django.apps import AppConfig


class WebtestConfig(AppConfig):
    name = "minasidor.webtest"
    label = "webtest"
