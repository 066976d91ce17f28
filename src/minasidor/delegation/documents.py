"""The document a grantor signs: who may act for them, in what, from when until when (decision 0180)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from kernel.personal_number import PersonalNumber
from minasidor.delegation.types import Scope
from minasidor.identity.types import Identity
from minasidor.signing.documents import DocumentKind, SignableDocument, signable_document

DOCUMENT_VERSION = 1


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Terms:
    """What the grantor chose: the delegate, the scopes and the last day."""

    delegate: PersonalNumber
    scopes: tuple[Scope, ...]
    valid_from: dt.date
    valid_until: dt.date


def power_of_attorney_document(*, grantor: Identity, terms: Terms, language: str) -> SignableDocument:
    """The canonical document of the grant, with the text the grantor reads in their e-ID app.

    It carries the power's reference (a new UUID), so no two grants are the same document, even on the same
    terms on the same day: one signed document is one power of attorney.
    """
    if grantor.personal_number is None:
        raise ValueError("A power of attorney is given by a person with a Swedish number")
    content: dict[str, Any] = {
        "reference": str(uuid.uuid4()),
        "grantor": grantor.personal_number.value,
        "grantor_name": grantor.display_name,
        "delegate": terms.delegate.value,
        "scopes": [scope.value for scope in terms.scopes],
        "valid_from": terms.valid_from.isoformat(),
        "valid_until": terms.valid_until.isoformat(),
        "language": language,
    }
    with translation.override(language):
        summary = _summary(terms)
    return signable_document(
        kind=DocumentKind.POWER_OF_ATTORNEY, version=DOCUMENT_VERSION, content=content, summary=summary
    )


def _summary(terms: Terms) -> str:
    lines = [f"# {_('Power of attorney on My pages')}", ""]
    lines.append(_("I let %(number)s act for me on My pages:") % {"number": terms.delegate.formatted()})
    lines += [f"- {Scope(scope).label}" for scope in terms.scopes]
    lines += [
        "",
        _("From %(start)s until %(end)s. I can end it at any time.")
        % {"start": terms.valid_from.isoformat(), "end": terms.valid_until.isoformat()},
    ]
    return "\n".join(lines)
