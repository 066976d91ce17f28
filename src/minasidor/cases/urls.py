from django.urls import path

from minasidor.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("ny-fraga/", views.question, name="question"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/beslut.pdf", views.decision_letter, name="decision-letter"),
    path("<uuid:case_id>/filer/<uuid:attachment_id>/", views.attachment, name="attachment"),
]
