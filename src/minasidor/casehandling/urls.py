from django.urls import path

from minasidor.casehandling import views

app_name = "casehandling"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<uuid:case_id>/", views.case, name="case"),
    path("<uuid:case_id>/filer/<uuid:attachment_id>/", views.attachment, name="attachment"),
]
