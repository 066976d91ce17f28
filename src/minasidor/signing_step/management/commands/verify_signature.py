"""``manage.py verify_signature``: check a kept signature again, offline, from its evidence alone.

Either a case's signed documents, read from the back office through the registers doorway as a case
handler (the read is recorded in the person's records), or a JSON file of one kept signature (the back
office's form: ``document`` and ``evidence``). Prints the verdict per document; the exit status is 0 when
every signature holds, 1 when one does not, 2 when there is nothing to check.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from minasidor.audit.types import Principal, PrincipalKind
from minasidor.registers import registers
from minasidor.registers.types import RegistersError
from minasidor.signing.bankid_evidence import SignatureRefusedError
from minasidor.signing.sigservice import Service
from minasidor.signing_step.sigservice import service as configured_service
from minasidor.signing_step.verification import KeptSignature, kept_from_json, kept_signature_verify


def _service() -> Service | None:
    """The configured signature service, if any (its signatures are checked against it)."""
    if not (settings.SIGSERVICE_SIGNING_CERT_FILE and settings.SIGSERVICE_CA_ROOT_FILE):
        return None
    try:
        return configured_service()
    except OSError as error:
        raise CommandError(f"the signature service's files cannot be read: {error}", returncode=2) from error


class Command(BaseCommand):
    help = "Verify a kept signature offline, from its evidence alone (a case's documents, or a JSON file)."

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--case", type=uuid.UUID, help="the case whose signed documents to check")
        source.add_argument("--file", type=Path, help="a JSON file of one kept signature (document and evidence)")
        parser.add_argument("--handler", default="", help="the case handler's staff id (with --case): who reads it")
        parser.add_argument(
            "--root", default="", help="the signing root (PEM); by default MINASIDOR_BANKID_SIGNING_ROOT_FILE"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root_file: str = options["root"] or settings.BANKID_SIGNING_ROOT_FILE
        kept = (
            self._from_case(options["case"], options["handler"])
            if options["case"]
            else self._from_file(options["file"])
        )
        if not kept:
            raise CommandError("the case holds no signed document", returncode=2)
        failures = 0
        for label, signature in kept:
            try:
                document = kept_signature_verify(signature, root_file=root_file, service=_service())
            except SignatureRefusedError as refused:
                failures += 1
                self.stdout.write(f"{label}: signature does NOT hold: {refused.reason}")
                continue
            assert signature.evidence is not None  # noqa: S101 - checked by kept_signature_verify
            self.stdout.write(
                f"{label}: signature holds: {document.kind.value} v{document.version} sha256={document.hash_hex}, "
                f"signed by {signature.evidence.signer_identifier} with {signature.evidence.method} "
                f"at {signature.evidence.signed_at.isoformat()}"
            )
        if failures:
            raise CommandError(f"{failures} of {len(kept)} signatures do not hold", returncode=1)

    def _from_file(self, path: Path) -> list[tuple[str, KeptSignature]]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path} cannot be read as JSON: {error}", returncode=2) from error
        try:
            return [(str(path), kept_from_json(data))]
        except SignatureRefusedError as error:
            raise CommandError(f"{path}: {error.reason}", returncode=2) from error

    def _from_case(self, case_id: uuid.UUID, handler: str) -> list[tuple[str, KeptSignature]]:
        if not handler:
            raise CommandError("--case needs --handler: the case handler who reads the case", returncode=2)
        principal = Principal(kind=PrincipalKind.HANDLER, ref=handler)
        try:
            case = registers().case_for_handler(principal, case_id)
        except RegistersError as error:
            raise CommandError(f"the case cannot be read: {type(error).__name__}", returncode=2) from error
        return [
            (
                f"document {document.document_id}",
                KeptSignature(
                    kind=document.kind,
                    version=document.version,
                    canonical_bytes=document.canonical_bytes,
                    sha256=document.sha256,
                    summary=document.summary,
                    evidence=document.evidence,
                ),
            )
            for document in case.detail.documents
        ]
