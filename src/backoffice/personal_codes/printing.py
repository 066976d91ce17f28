"""Print files for the printing house: the statement run's letters and the letters of ordered codes.

A print file is JSON Lines (one JSON object per line, UTF-8), described in docs/print-files.md: a header,
one ``letter`` per person, and a trailer with the count, so a truncated file is seen at once. Files are
written to a temporary name and renamed when complete. Codes are derived again when a file is written
(``codes.code_derive``), so writing a file again gives the same letters and the same codes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from backoffice.personal_codes.codes import code_derive
from backoffice.personal_codes.models import PersonalCode
from backoffice.personal_codes.services import statement_issue
from backoffice.register.models import AccountStatement, ContactDetails, Person
from backoffice.register.selectors import ALIAS
from kernel import clock

FORMAT = "minasidor-print-file"
VERSION = 1
CHUNK = 2000
STATEMENT_ITEMS = (
    "opening_value", "new_rights", "inheritance_gains", "value_change", "fees", "paid_out", "closing_value",
)  # fmt: skip


def print_dir() -> Path:
    """Where print files go (``BACKOFFICE_PRINT_DIR``)."""
    return Path(settings.PRINT_DIR)


def _json_default(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def print_file_write(path: Path, kind: str, meta: dict[str, Any], letters: Iterable[dict[str, Any]]) -> int:
    """Write a print file of ``kind`` at ``path``: complete under a temporary name, then renamed; the letter count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.partial")
    count = 0
    try:
        with temporary.open("w", encoding="utf-8") as out:
            header = {"record": "header", "format": FORMAT, "version": VERSION, "kind": kind, **meta}
            out.write(json.dumps(header, default=_json_default, ensure_ascii=False) + "\n")
            for letter in letters:
                out.write(json.dumps({"record": "letter", **letter}, default=_json_default, ensure_ascii=False) + "\n")
                count += 1
            out.write(json.dumps({"record": "trailer", "letters": count}) + "\n")
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        # A full disk (or any failure) leaves no half-written file behind to fill it further (decision 0252).
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, path)
    return count


def print_file_complete(path: Path) -> bool:
    """Whether ``path`` is a whole print file: a header, and a trailer whose count matches the letters."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        header, trailer = json.loads(lines[0]), json.loads(lines[-1])
    except (OSError, IndexError, ValueError):
        return False
    return bool(
        header.get("record") == "header"
        and trailer.get("record") == "trailer"
        and trailer.get("letters") == len(lines) - 2
    )


def letter_recipients(person_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Name, postal address and language of each person; no address for a protected identity."""
    details = {row.person_id: row for row in ContactDetails.objects.filter(person_id__in=person_ids)}
    recipients: dict[int, dict[str, Any]] = {}
    for person in Person.objects.filter(id__in=person_ids).only(
        "id", "personal_number", "given_name", "family_name", "protected_identity"
    ):
        contact = details.get(person.id)
        address: dict[str, str] | None = None
        if not person.protected_identity and contact is not None:
            if contact.special_street_address:
                address = {
                    "street": contact.special_street_address,
                    "postal_code": contact.special_postal_code,
                    "city": contact.special_city,
                    "country": contact.special_country or "SE",
                }
            elif contact.street_address:
                address = {
                    "street": contact.street_address,
                    "postal_code": contact.postal_code,
                    "city": contact.city,
                    "country": "SE",
                }
        recipients[person.id] = {
            "personal_number": person.personal_number,
            "name": f"{person.given_name} {person.family_name}",
            "address": address,
            "forward_through_tax_agency": person.protected_identity,
            "language": contact.language if contact is not None else "sv",
        }
    return recipients


def _statement_letters(year: int) -> Iterator[dict[str, Any]]:
    issue = statement_issue(year)
    stated = AccountStatement.objects.filter(year=year).order_by("person_id").values_list("person_id", flat=True)
    all_ids = list(dict.fromkeys(stated))
    for start in range(0, len(all_ids), CHUNK):
        ids = all_ids[start : start + CHUNK]
        accounts: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(dict)
        for row in AccountStatement.objects.filter(year=year, person_id__in=ids).values(
            "person_id", "account", *STATEMENT_ITEMS
        ):
            accounts[row["person_id"]][row["account"]] = {name: row[name] for name in STATEMENT_ITEMS}
        in_force = set(
            PersonalCode.objects.filter(person_id__in=ids, issue=issue, voided_at=None).values_list(
                "person_id", flat=True
            )
        )
        recipients = letter_recipients(ids)
        for person_id in ids:
            recipient = recipients[person_id]
            total = sum((account["closing_value"] for account in accounts[person_id].values()), Decimal(0))
            yield {
                "kind": "statement",
                **recipient,
                "year": year,
                "accounts": accounts[person_id],
                "total": total,
                "personal_code": code_derive(recipient["personal_number"], issue) if person_id in in_force else None,
            }


def statement_print_file_write(year: int) -> Path:
    """Write (or write again) the print file of the statement run of ``year``; its codes are marked printed."""
    path = print_dir() / f"statements-{year}.jsonl"
    now = clock.now()
    print_file_write(path, "statement", {"year": year, "created_at": now}, _statement_letters(year))
    PersonalCode.objects.filter(issue=statement_issue(year), voided_at=None, printed_at=None).update(
        printed_at=now, print_file=path.name
    )
    return path


def code_letters_print() -> Path | None:
    """Write the letters of every ordered code not yet printed to a new print file, then mark them printed.

    The file is complete on disk before the codes are marked, so a crash in between prints the same letters
    (with the same codes) again next time rather than losing one. None when there is nothing to print.
    """
    pending = list(
        PersonalCode.objects.filter(issue__startswith="order-", voided_at=None, printed_at=None)
        .order_by("id")
        .values_list("id", "person_id", "issue")
    )
    if not pending:
        return None
    now = clock.now()
    path = print_dir() / f"personal-codes-{now:%Y%m%dT%H%M%S%fZ}.jsonl"
    recipients = letter_recipients([person_id for _, person_id, _ in pending])

    def letters() -> Iterator[dict[str, Any]]:
        for _, person_id, issue in pending:
            recipient = recipients[person_id]
            yield {
                "kind": "personal_code",
                **recipient,
                "personal_code": code_derive(recipient["personal_number"], issue),
            }

    print_file_write(path, "personal_code", {"created_at": now}, letters())
    with transaction.atomic(using=ALIAS):
        PersonalCode.objects.filter(id__in=[code_id for code_id, _, _ in pending], printed_at=None).update(
            printed_at=now, print_file=path.name
        )
    return path
