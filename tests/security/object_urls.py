"""The registry of URLs that carry an identifier of a person's object, for the IDOR tests (ASVS 4.2.1).

Every route of the URLconf with a parameter must be listed here: either in :data:`OBJECT_URLS`, with a
function that creates such an object for a person and returns the URL's parameters, or in
:data:`NOT_OBJECT_URLS` with the reason its parameter identifies nothing of a person's. A route in
neither fails ``test_asvs_4_2_1_every_url_with_a_parameter_is_classified``: when you add a URL such as
``cases:detail`` with ``<uuid:case_id>``, add a line here and the IDOR test tries another person's id on it.
"""

from __future__ import annotations

from collections.abc import Callable

from minasidor.identity.types import Identity

# URL name -> a function that creates an object owned by ``identity`` and returns the URL's kwargs.
ObjectFactory = Callable[[Identity], dict[str, object]]


def _question(identity: Identity) -> dict[str, object]:
    """A question case of the person with a PDF (the person put in the register first when the test has no
    demo persons): its case id and its file's id."""
    from backoffice.register.models import Person  # noqa: PLC0415 - tests only
    from backoffice.synthetic.demo import demo_persons_create  # noqa: PLC0415
    from kernel.tests.sample_files import pdf_bytes  # noqa: PLC0415
    from minasidor.cases.tests.factories import question_open  # noqa: PLC0415
    from minasidor.registers import registers  # noqa: PLC0415
    from minasidor.registers.types import Upload  # noqa: PLC0415

    assert identity.personal_number is not None
    if not Person.objects.filter(personal_number=identity.personal_number.value).exists():
        demo_persons_create()
    case = question_open(identity, attachments=(Upload("intyg.pdf", pdf_bytes()),))
    detail = registers().case(identity.principal, identity.personal_number, case.case_id)
    return {"case_id": case.case_id, "attachment_id": detail.messages[0].attachments[0].attachment_id}


def _signed_application(identity: Identity) -> dict[str, object]:
    from minasidor.applications.tests.factories import make_signed_application  # noqa: PLC0415 - needs the apps

    return {"submission_id": make_signed_application(identity).pk}


def _power_of_attorney(identity: Identity) -> dict[str, object]:
    """A power of attorney the person gave (to a demo person, never to the IDOR test's intruder)."""
    from minasidor.delegation.tests.helpers import grant  # noqa: PLC0415 - needs the apps

    return {"reference": grant(identity).reference}


OBJECT_URLS: dict[str, ObjectFactory] = {
    "delegation:detail": _power_of_attorney,
    "cases:detail": _question,
    "applications:submitted": _signed_application,
    "cases:attachment": _question,
}

NOT_OBJECT_URLS: dict[str, str] = {
    "details:email-confirm": (
        "a one-time token from the link sent to a new e-mail address (decision 0160): a GET confirms nothing (it "
        "shows a button, or asks a visitor to log in first); the POST confirms only the logged-in owner's token, "
        "another person's is refused with 404 as an unknown one (minasidor/details/tests/test_contact.py)"
    ),
    "casehandling:case": (
        "case handlers only (staff login with a TOTP code, the case handlers' group): a handler may open any case "
        "of the queue; everyone else is sent to the staff login or refused (minasidor/casehandling/tests)"
    ),
    "casehandling:attachment": "case handlers only, as casehandling:case (minasidor/casehandling/tests)",
    "talsvar:answer": (
        "the telephony platform's documents: the parameter names a question; the person is the call's, kept on "
        "the server and identified by personal code (minasidor/talsvar/tests)"
    ),
    "talsvar:form-order": (
        "the telephony platform's documents: the parameter names a form of the catalogue; the person is the "
        "call's, kept on the server and identified by personal code (minasidor/talsvar/tests)"
    ),
    "staff:view_on_site": "staff administration only (own login with a TOTP code); redirects, shows nothing itself",
    "applications:receipt": (
        "the sealed receipt of the person's own received application; another person's id gives 404 like a "
        "missing one (minasidor/applications/tests/test_receipt.py)"
    ),
    "applications:case-receipt": (
        "redirects to the receipt of the person's own application that opened the case; another person's case "
        "gives 404 (minasidor/applications/tests/test_receipt.py)"
    ),
    "cases:decision-letter": (
        "the sealed decision letter of the person's own decided application; another person's case gives 404 like "
        "a missing one, and no letter is made (minasidor/cases/tests/test_decision_letter.py)"
    ),
    "applications:submitted-retry": (
        "POST only (sends the person's own signed application again); another person's id gives 404 like a "
        "missing one (minasidor/applications/tests/test_submission.py)"
    ),
    # The console's pages are staff pages: the reference is a temporary permission that must be live, held by
    # the asking agent in this console session and cover the page's scope, else 404 (decision 0130);
    # minasidor/console/tests/test_console_access.py tries each of these without one, expired, ended, another
    # agent's, after logout and outside the scope, and fails when a console URL with a parameter is missing.
    "console:permission": "console (staff): a temporary permission held by the agent, scope overview",
    "console:forecast": "console (staff): a temporary permission held by the agent, scope forecast",
    "console:cases": "console (staff): a temporary permission held by the agent, scope cases",
    "console:case": "console (staff): a permission held by the agent, scope cases, and a case of that citizen's",
}

# Routes another site's form posts to by design, so they cannot carry our CSRF token; each says what
# protects it instead. Tested in their own modules.
_TALSVAR = (
    "the telephony platform's VoiceXML documents (decision 0141): fetched server to server with the platform's "
    "bearer token and no cookie or session, so a browser's cross-site request carries nothing that is "
    "trusted; without the token every one answers 401 (minasidor/talsvar/tests)"
)
CROSS_SITE_POST_URLS: dict[str, str] = {
    "talsvar:start": _TALSVAR,
    "talsvar:identify": _TALSVAR,
    "talsvar:menu": _TALSVAR,
    "talsvar:answer": _TALSVAR,
    "talsvar:forms": _TALSVAR,
    "talsvar:form-order": _TALSVAR,
    "talsvar:end": _TALSVAR,
    "signing_step:sigservice-response": (
        "the signature service's HTTP-POST binding: its page posts the signed SignResponse here; the service's "
        "signature, our one-time request id kept in the requesting session and the one-time token protect it "
        "(minasidor/signing_step/tests/test_sigservice.py)"
    ),
    "sharing_api:token": (
        "OAuth's token endpoint (decision 0185): called server to server by a registered client with its "
        "credentials, the code's PKCE verifier and a DPoP proof of its key; no cookie or session is read, so a "
        "browser's cross-site request carries nothing that is trusted (minasidor/sharing/tests)"
    ),
    "saml_protocol:acs": (
        "SAML HTTP-POST binding: the identity provider's page posts the signed response here; the signature, "
        "the one-time InResponseTo and the completion in the requesting session protect it "
        "(minasidor/identity/contrib/saml/tests/test_views.py)"
    ),
}
