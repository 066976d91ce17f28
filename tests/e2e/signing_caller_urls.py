"""A test-only caller of the signing step (the URLconf of the signing journeys): one page asks for a signature
of a fixed document, another takes it back and shows what was signed. Never part of the portal's URLconf."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.utils.html import escape

from minasidor.identity.decorators import citizen_required
from minasidor.identity.types import Identity
from minasidor.signing.documents import DocumentKind, SignableDocument, signable_document
from minasidor.signing_step.flow import sign_begin, signature_take
from minasidor.urls import urlpatterns as portal_urlpatterns


def caller_document() -> SignableDocument:
    return signable_document(
        kind=DocumentKind.PENSION_APPLICATION,
        version=1,
        content={"parts": [{"part": "income-pension", "share": 100, "from": "2027-03"}]},
        summary="# Ansökan om ålderspension\n\nInkomstpension 100 % från mars 2027.",
    )


@citizen_required
def ask(request: HttpRequest, identity: Identity) -> HttpResponse:
    return sign_begin(
        request, document=caller_document(), return_url="/test-signing/done/", cancel_url="/test-signing/cancelled/"
    )


@citizen_required
def done(request: HttpRequest, identity: Identity) -> HttpResponse:
    signature = signature_take(request, hash_hex=caller_document().hash_hex)
    if signature is None:
        return HttpResponse("<h1 id='result'>No signature</h1>")
    return HttpResponse(
        f"<h1 id='result'>Signed</h1><p id='signer'>{escape(signature.signer)}</p>"
        f"<p id='hash'>{signature.document.hash_hex}</p><p id='method'>{signature.method}</p>"
    )


@citizen_required
def cancelled(request: HttpRequest, identity: Identity) -> HttpResponse:
    return HttpResponse("<h1 id='result'>Cancelled</h1>")


urlpatterns: list[URLPattern | URLResolver] = [
    path("test-signing/ask/", ask),
    path("test-signing/done/", done),
    path("test-signing/cancelled/", cancelled),
    *portal_urlpatterns,
]
