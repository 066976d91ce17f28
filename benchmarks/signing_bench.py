"""Benchmark: the signing blocks — sealing a receipt (PAdES B-B, and B-T with an in-process test time-stamping
authority), checking a sealed receipt, checking a BankID sign completion and a kept record, the canonical
form of an application, and the signature service's sign request, response check and offline check.

Uses a fresh development seal and BankID test CA in a scratch folder and a tagged receipt rendered by
WeasyPrint. Reports the median (p50) and p95 of ``--repeat`` runs after one warm-up. Figures only.

    python benchmarks/signing_bench.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


if TYPE_CHECKING:
    from minasidor.identity.contrib.bankid.rp.types import CompletionData


def write(line: str) -> None:
    """One line of the report on stdout."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _report(name: str, run: Callable[[], object], repeat: int) -> None:
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    write(f"{name:<44} p50 {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms")


def _bankid_completion(scratch: Path, *, now: dt.datetime, summary: str, hidden: bytes) -> tuple[CompletionData, str]:
    """A BankID sign completion of ``summary`` and ``hidden`` by the test person, from a fresh test CA."""
    from minasidor.identity.contrib.bankid.rp.types import CompletionData, Device, User  # noqa: PLC0415 - path set
    from simulators.bankid import persons  # noqa: PLC0415
    from simulators.bankid.completion import SignedCompletion  # noqa: PLC0415
    from simulators.bankid.ocsp import ocsp_response  # noqa: PLC0415
    from simulators.bankid.signature import SignedContent, b64, sign_xml  # noqa: PLC0415
    from simulators.bankid.testing import make_ca  # noqa: PLC0415

    bundle = make_ca(scratch / "bankid", now=now)
    person = persons.find_person("191212121212")
    if person is None:
        raise SystemExit("the BankID test person is missing")
    user = SignedCompletion(ca=bundle).user_certificate(person, now=now)
    signed_content = SignedContent(
        user_visible_data=b64(summary),
        user_non_visible_data=b64(hidden),
        rp_subject="CN=Mina sidor",
        rp_display_name="Mina sidor",
        func_id="Signing",
        uhi="device",
    )
    chain = [user.cert, bundle.customer_ca.cert, bundle.bank_ca.cert]
    signature = b64(sign_xml(content=signed_content, key=user.key, chain=chain, nonce=secrets.token_bytes(16)))
    ocsp = ocsp_response(
        user_cert=user.cert,
        issuer=bundle.customer_ca.cert,
        responder=bundle.ocsp_responder,
        signature_b64=signature,
        now=now,
    )
    completion = CompletionData(
        user=User(personal_number="191212121212", name="Tolvan Tolvansson", given_name="Tolvan", surname="Tolvansson"),
        device=Device(ip_address="192.0.2.1"),
        bank_id_issue_date="2020-01-01",
        signature=signature,
        ocsp_response=b64(ocsp),
    )
    root = str(bundle.signing_root_file)
    return completion, root


def main() -> None:
    """Time each block."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per block after one warm-up")
    options = parser.parse_args()

    from pyhanko.keys import load_private_key_from_pemder  # noqa: PLC0415 - after the path is set
    from pyhanko.sign.timestamps import DummyTimeStamper  # noqa: PLC0415
    from weasyprint import HTML  # noqa: PLC0415

    from minasidor.signing.bankid_evidence import evidence_verify, sign_completion_check  # noqa: PLC0415
    from minasidor.signing.development_seal import development_seal_files  # noqa: PLC0415
    from minasidor.signing.documents import DocumentKind, signable_document  # noqa: PLC0415
    from minasidor.signing.seal import (  # noqa: PLC0415
        Sealer,
        certificate_load,
        pdf_seal,
        pdf_seal_check,
        sealer_load,
        trust_roots_load,
    )

    now = dt.datetime.now(dt.UTC)
    scratch = Path(tempfile.mkdtemp())
    files = development_seal_files(scratch / "test-seal", now=now)
    sealer = sealer_load(cert_file=files.cert_file, key_file=files.key_file, chain_files=[files.root_file])
    tsa = DummyTimeStamper(
        tsa_cert=certificate_load(files.tsa_cert_file),
        tsa_key=load_private_key_from_pemder(str(files.tsa_key_file), None),
    )
    stamping = Sealer(signer=sealer.signer, timestamper=tsa)
    roots = trust_roots_load([files.root_file])
    html = (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Kvitto</title></head><body>'
        "<h1>Kvitto på din ansökan</h1><p>Vi tog emot din ansökan om allmän ålderspension.</p>"
        '<table><thead><tr><th scope="col">Del</th><th scope="col">Från</th></tr></thead>'
        '<tbody><tr><th scope="row">Inkomstpension</th><td>mars 2027</td></tr></tbody></table></body></html>'
    )
    receipt = bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
    sealed = pdf_seal(receipt, sealer=sealer, reason="Kvitto", location="Sverige")
    content = {"parts": [{"part": "income-pension", "share": 100, "from": "2027-03"}], "extraTaxKronor": 500}
    summary = "# Ansökan om ålderspension\n\nInkomstpension 100 % från mars 2027."

    def document() -> object:
        return signable_document(kind=DocumentKind.PENSION_APPLICATION, version=1, content=content, summary=summary)

    signed = signable_document(kind=DocumentKind.PENSION_APPLICATION, version=1, content=content, summary=summary)
    completion, root = _bankid_completion(scratch, now=now, summary=summary, hidden=signed.non_visible_data)

    def check_completion() -> object:
        return sign_completion_check(
            completion=completion,
            order_ref="o",
            document=signed,
            signer="191212121212",
            root_file=root,
            completed_at=now,
        )

    evidence = check_completion()

    write(f"receipt {len(receipt)} bytes, sealed {len(sealed)} bytes")
    _report("canonical application (RFC 8785 + SHA-256)", document, options.repeat)
    _report(
        "seal a receipt, PAdES B-B", lambda: pdf_seal(receipt, sealer=sealer, reason="K", location="S"), options.repeat
    )
    _report(
        "seal a receipt, PAdES B-T (in-process TSA)",
        lambda: pdf_seal(receipt, sealer=stamping, reason="K", location="S"),
        options.repeat,
    )
    _report(
        "check a sealed receipt (pyHanko validator)", lambda: pdf_seal_check(sealed, trust_roots=roots), options.repeat
    )
    _report("check a BankID sign completion", check_completion, options.repeat)
    _report(
        "verify a kept signature record offline",
        lambda: evidence_verify(evidence, root_file=root),  # type: ignore[arg-type]
        options.repeat,
    )
    _signature_service(signed, now=now, repeat=options.repeat)


def _signature_service(signed: object, *, now: dt.datetime, repeat: int) -> None:
    """The signature service's blocks: a signed sign request, the check of a response, the offline check."""
    import base64  # noqa: PLC0415

    from minasidor.signing import sigservice  # noqa: PLC0415 - after the path is set
    from simulators.sigservice.keys import ServiceKeys, key_pem, pem  # noqa: PLC0415
    from simulators.sigservice.service import Authenticated, respond  # noqa: PLC0415

    digest: bytes = signed.digest  # type: ignore[attr-defined]
    keys, portal = ServiceKeys.generate(now=now), ServiceKeys.generate(now=now)
    requester = sigservice.Requester(
        entity_id="https://portal.example/saml/metadata/",
        key_pem=key_pem(portal.signing_key),
        cert_pem=pem(portal.signing_cert),
    )
    service = sigservice.Service(
        entity_id="https://sigservice.example",
        url="https://sigservice.example/sign",
        signing_certs_pem=(pem(keys.signing_cert),),
        ca_root_pem=pem(keys.ca_cert),
    )
    loa3 = "http://id.elegnamnden.se/loa/1.0/loa3"
    idp = "https://idp.example"
    signer = sigservice.Signer(
        personal_number="191212121212", prid=None, identity_provider=idp, level_of_assurance=loa3
    )

    def request() -> sigservice.SentRequest:
        return sigservice.sign_request_build(
            requester=requester,
            service=service,
            signer=signer,
            document_digest=digest,
            sign_message="# Ansökan om ålderspension",
            return_url="https://portal.example/sign/underskriftstjanst/svar/",
            now=now,
        )

    sent = request()
    person = Authenticated(
        attributes={sigservice.PERSONAL_NUMBER: "191212121212"},
        identifier="191212121212",
        given_name="Tolvan",
        surname="Tolvansson",
        identity_provider=idp,
        level_of_assurance=loa3,
    )
    answer = base64.b64encode(
        respond(sent.xml, keys=keys, requester_cert_pem=requester.cert_pem, person=person, now=now)
    ).decode("ascii")

    def check() -> object:
        return sigservice.sign_response_check(
            answer, sent=sent, service=service, signer=signer, accepted_levels=(loa3,), now=now
        )

    _report("build and sign a DSS sign request", request, repeat)
    _report("check a signature service's SignResponse", check, repeat)
    _report(
        "verify a kept SignResponse offline",
        lambda: sigservice.kept_response_verify(
            sign_response=answer, signer_identifier="191212121212", document_digest=digest, service=service
        ),
        repeat,
    )


if __name__ == "__main__":
    main()
