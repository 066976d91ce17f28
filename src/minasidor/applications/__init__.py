"""The citizen's applications: the application for old-age pension, its signing and submission, and the
receipt (issue 16). A page app: it reads the session's pension data and talks to the back office through
``registers``."""
