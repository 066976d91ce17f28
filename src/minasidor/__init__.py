"""Mina sidor: the citizen portal and the customer-service console (the Django project)."""
