"""The demo case handler of ``make demo-data``: a staff account with a known password and authenticator secret,
so that whoever runs the simulators can log in to the case handlers' pages (README, "The case handler").

Both secrets are TEST ONLY and published: the account is made only while the simulators are enabled (which
the production profile refuses), and the staff login refuses the demo secret's codes whenever they are not.
"""

from __future__ import annotations

DEMO_HANDLER_USERNAME = "handlaggare"
DEMO_HANDLER_PASSWORD = "demo-handlaggare-test-only"  # noqa: S105  # nosec B105 - test-only, published, refused in production
DEMO_HANDLER_TOTP_SECRET = "DEMOHANDLERTESTONLYDEMOHANDLER22"  # noqa: S105  # nosec B105 - test-only, published, refused in production
# The group the case handlers' pages require (minasidor.casehandling.decorators.CASE_HANDLERS_GROUP; a test
# keeps the two the same, as page apps do not import each other).
CASE_HANDLERS_GROUP = "case_handlers"
