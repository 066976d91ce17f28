"""URLs of the back office's internal API (its own URL configuration; see ``backoffice.api.handler``)."""

from django.urls import path

from backoffice.api import metrics, views

CASE = "internal/v1/person/cases/<uuid:case_id>"
HANDLED = "internal/v1/casework/cases/<uuid:case_id>"

urlpatterns = [
    path("internal/live", metrics.live_view, name="live"),
    path("internal/metrics", metrics.metrics_view, name="metrics"),
    path("internal/v1/openapi.json", views.openapi, name="openapi"),
    path("internal/v1/person/snapshot", views.snapshot, name="snapshot"),
    path("internal/v1/person/customer-records", views.customer_records, name="customer-records"),
    path("internal/v1/person/contact-details", views.contact_details, name="contact-details"),
    path(
        "internal/v1/person/email-confirmation-links", views.email_confirmation_links, name="email-confirmation-links"
    ),
    path("internal/v1/person/email-confirmations", views.email_confirmations, name="email-confirmations"),
    path("internal/v1/person/payment-account", views.payment_account, name="payment-account"),
    path("internal/v1/person/payment-account-changes", views.payment_account_changes, name="account-changes"),
    path("internal/v1/person/tax-settings", views.tax_settings, name="tax-settings"),
    path("internal/v1/person/personal-code/orders", views.personal_code_orders, name="personal-code-orders"),
    path("internal/v1/person/login-notices", views.login_notices, name="login-notices"),
    path(
        "internal/v1/person/delegate-session-notices",
        views.delegate_session_notices,
        name="delegate-session-notices",
    ),
    path("internal/v1/person/personal-code/checks", views.personal_code_checks, name="personal-code-checks"),
    path("internal/v1/person/form-orders", views.form_orders, name="form-orders"),
    path("internal/v1/forms", views.forms, name="forms"),
    path("internal/v1/person/cases", views.cases, name="cases"),
    path(CASE, views.case, name="case"),
    path(f"{CASE}/withdrawal", views.case_withdrawal, name="case-withdrawal"),
    path(f"{CASE}/messages", views.case_messages, name="case-messages"),
    path(f"{CASE}/call-notes", views.case_call_notes, name="case-call-notes"),
    path(f"{CASE}/completion-answers", views.case_completion_answers, name="case-completion-answers"),
    path(f"{CASE}/attachments/<uuid:attachment_id>", views.case_attachment, name="case-attachment"),
    path("internal/v1/casework/queue", views.case_queue, name="case-queue"),
    path(HANDLED, views.handler_case, name="handler-case"),
    path(f"{HANDLED}/attachments/<uuid:attachment_id>", views.handler_attachment, name="handler-attachment"),
    path(f"{HANDLED}/handling", views.case_handling, name="case-handling"),
    path(f"{HANDLED}/completion-requests", views.case_completion_requests, name="case-completion-requests"),
    path(f"{HANDLED}/messages", views.handler_messages, name="handler-messages"),
    path(f"{HANDLED}/decision", views.case_decision, name="case-decision"),
    path(f"{HANDLED}/closure", views.case_closure, name="case-closure"),
]

handler404 = views.not_found
handler500 = views.server_error
