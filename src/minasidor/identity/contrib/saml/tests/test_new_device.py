"""Requirement (issue 12.8, left for SAML logins): a login with a Swedish e-ID or a foreign eID through SAML from
a browser the person has not used before is written in their access log and told to them by notice at every
contact point, as a BankID login is; the first login of all and a known browser tell nothing.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from backoffice.notices.models import Notice, NoticeKind
from backoffice.notices.services import email_confirm, email_confirmation_issue
from backoffice.register.access import Caller
from backoffice.synthetic.demo import demo_persons_create
from kernel.personal_number import PersonalNumber
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import citizen_principal
from minasidor.identity.contrib.saml.tests.support import Federation, pending_from, swedish_response
from minasidor.identity.contrib.saml.tests.test_views import _post_back, _start
from minasidor.registers import registers
from minasidor.registers.types import ContactDetailsChange

pytestmark = pytest.mark.django_db(databases=["default", "backoffice"])

KARIN = "196201082697"  # the Swedish e-ID test provider logs in Karin
NEW_DEVICE = "login.new_device_eid"


def _karin_reachable() -> None:
    demo_persons_create()  # not the frozen-clock fixture: the identity provider's answers carry today's time
    change = ContactDetailsChange("karin@example.se", "+46 70 000 00 01", None, notice_choice="none")
    registers().contact_details_update(citizen_principal(f"se:{KARIN}"), PersonalNumber(KARIN), change)
    caller = Caller(service="portal", channel="in_process", principal_kind="citizen", principal_ref="test")
    token = email_confirmation_issue(caller=caller, personal_number=KARIN)
    email_confirm(caller=caller, personal_number=KARIN, token=token)


def _log_in(client: Client, federation: Federation) -> None:
    pending = pending_from(federation.swedish_eid, _start(client, "other-swedish-eid"))
    back = _post_back(client, swedish_response(federation.swedish_eid, pending))
    assert back.startswith("/logga-in/saml/klar/"), back
    response = client.get(back)
    assert response["Location"] == "/mina-sidor/"
    assert settings.DEVICE_COOKIE_NAME in response.cookies, "the browser is given its id"


def test_a_saml_login_from_a_browser_not_used_before_is_logged_and_told(saml_federation: Federation) -> None:
    _karin_reachable()
    own = Client()
    _log_in(own, saml_federation)
    own.post("/logga-ut/")
    _log_in(own, saml_federation)
    own.post("/logga-ut/")
    assert not AccessRecord.objects.filter(action=NEW_DEVICE).exists(), "the first and a known browser"
    assert not Notice.objects.filter(kind=NoticeKind.NEW_DEVICE_LOGIN).exists()

    _log_in(Client(), saml_federation)
    assert AccessRecord.objects.filter(action=NEW_DEVICE).count() == 1
    told = Notice.objects.filter(kind=NoticeKind.NEW_DEVICE_LOGIN, person__personal_number=KARIN)
    assert sorted(told.values_list("channel", flat=True)) == ["email", "sms"], "every contact point, whatever chosen"
