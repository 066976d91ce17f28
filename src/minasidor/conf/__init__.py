"""Settings of the Django project: ``settings`` (every environment) and ``production`` (its stricter profile)."""
