from django.urls import path

from minasidor.privacy import permission_views, views

app_name = "privacy"

urlpatterns = [
    path("vem-har-sett-mina-uppgifter/", views.access_log, name="access-log"),
    path("tillfallig-behorighet/", permission_views.permission, name="permission"),
    path("tillfallig-behorighet/avsluta/", permission_views.permission_end_now, name="permission-end"),
]
