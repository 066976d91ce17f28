from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "minasidor.housing"
    label = "housing"
