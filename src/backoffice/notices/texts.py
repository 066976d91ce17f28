"""What a notice says: that something waits on Mina sidor (or that details changed), and where to log in.

Nothing about the person or the case: no name, no number, no amount, no case type, no date — a notice may be
read by someone else on a shared phone or a lock screen. The one link with more than the portal's address is
the confirmation link of a new e-mail address: a one-time token, useless without logging in as its owner. The
text depends only on its kind, its language and the authority's settings (and that link); a test checks that two
people's notices are the same bytes.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from backoffice.notices.models import NoticeKind


@dataclasses.dataclass(frozen=True, slots=True)
class NoticeText:
    """An e-mail's subject and body, and the text message."""

    subject: str
    body: str
    sms: str


def notice_text(kind: str, language: str, *, link: str = "") -> NoticeText:
    """The text of a notice of ``kind`` in ``language`` (``sv`` or ``en``); ``link`` is the confirmation link of
    an e-mail address (a one-time token, nothing about the person)."""
    values = {"authority": settings.AUTHORITY_NAME, "url": settings.PORTAL_URL, "link": link}
    with translation.override(language):
        if kind == NoticeKind.EMAIL_CONFIRMATION:
            subject = gettext("Confirm your e-mail address for My pages")
            body = gettext(
                "Hello,\n\n"
                "Someone asked {authority} to send notices to this e-mail address. If it was you, confirm the "
                "address within 24 hours: open the link below and log in to My pages.\n\n"
                "{link}\n\n"
                "If it was not you, do nothing: we will not use this address.\n\n"
                "{authority}\n"
            )
            sms = ""
        elif kind == NoticeKind.DETAILS_CHANGED:
            subject = gettext("Your details on My pages have been changed")
            body = gettext(
                "Hello,\n\n"
                "Your details at {authority} have been changed. Log in at {url} to see what was changed.\n\n"
                "If it was not you who changed them, contact us at once.\n\n"
                "For your security this message says nothing more, and you cannot reply to it.\n\n"
                "{authority}\n"
            )
            sms = gettext(
                "{authority}: Your details have been changed. Log in at {url} to see what. Not you? Contact us."
            )
        elif kind == NoticeKind.NEW_DEVICE_LOGIN:
            # Against the QR relay (docs/security.md): the person hears of a login they may not have made.
            subject = gettext("A login to My pages from a new device")
            body = gettext(
                "Hello,\n\n"
                "Someone has logged in to My pages at {authority} with your e-ID, from a device or browser not "
                "used before. If it was you, you need do nothing.\n\n"
                "If it was not you, contact us at once, and never approve a login in your BankID app that you did "
                "not start yourself. Log in at {url} and see who has seen your data.\n\n"
                "For your security this message says nothing more, and you cannot reply to it.\n\n"
                "{authority}\n"
            )
            sms = gettext(
                "{authority}: A login to My pages from a new device. Not you? Call us. "
                "Never approve a BankID login you did not start. {url}"
            )
        elif kind == NoticeKind.DELEGATE_SESSION:
            # Decision 0180: the grantor hears of every new session of a delegate, never who or what.
            subject = gettext("Your power of attorney on My pages is being used")
            body = gettext(
                "Hello,\n\n"
                "Someone you gave a power of attorney has begun to use My pages at {authority} for you. Log in at "
                "{url} to see who and what under “Who has seen your data”; under “Powers of attorney” you can end "
                "the power of attorney at any time.\n\n"
                "For your security this message says nothing more, and you cannot reply to it.\n\n"
                "{authority}\n"
            )
            sms = gettext(
                "{authority}: Someone with your power of attorney is using My pages for you. See or end it at {url}"
            )
        else:
            subject = gettext("Something new is waiting for you on My pages")
            body = gettext(
                "Hello,\n\n"
                "There is something new for you on My pages at {authority}. Log in at {url} to read it.\n\n"
                "For your security this message says nothing more, and you cannot reply to it.\n\n"
                "{authority}\n"
            )
            sms = gettext("{authority}: Something new is waiting for you on My pages. Log in at {url}")
    return NoticeText(subject=subject, body=body.format(**values), sms=sms.format(**values))
