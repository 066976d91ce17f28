"""Fixtures of casework's tests: the notices' people with contact details and the SMTP test server."""

from backoffice.notices.tests.conftest import mail, mail_server, person

__all__ = ["mail", "mail_server", "person"]
