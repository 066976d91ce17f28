"""The print files of ordered forms: each order goes to the printing house once (docs/print-files.md).

An order is first given to a print file by name (in the database), then the file is written, then the order
is marked printed. A run killed after the first step writes the same file again next time (the order is not
lost); killed after the file is complete, the next run finds it whole on disk and only marks its orders (the
file is not written, and the forms not printed, twice).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Min

from backoffice.paper_forms.catalogue import BY_CODE
from backoffice.paper_forms.models import FormOrder, OrderState
from backoffice.personal_codes.printing import letter_recipients, print_dir, print_file_complete, print_file_write
from backoffice.register.selectors import ALIAS
from kernel import clock

KIND = "form"
TIME = "%Y%m%dT%H%M%S%fZ"


def after_file_written(path: Path) -> None:
    """A seam for tests: called when a print file of forms is complete on disk, before its orders are marked."""


def _claim() -> None:
    """Give every waiting order not yet in a print file to a new one (by name; the file is written after)."""
    with transaction.atomic(using=ALIAS):
        unclaimed = FormOrder.objects.select_for_update().filter(state=OrderState.WAITING, print_file="")
        if unclaimed.exists():
            unclaimed.update(print_file=f"forms-{clock.now():{TIME}}-{secrets.token_hex(3)}.jsonl")


def _created_at(name: str) -> dt.datetime:
    """When the file was named (its name says): the same header each time the file is written."""
    return dt.datetime.strptime(name.split("-")[1], TIME).replace(tzinfo=dt.UTC)


def _letters(orders: list[FormOrder]) -> Iterator[dict[str, Any]]:
    """One letter per person, with every form they ordered, in the order of the catalogue."""
    forms: dict[int, list[str]] = defaultdict(list)
    for order in orders:
        forms[order.person_id].append(order.form_code)
    recipients = letter_recipients(list(forms))
    for person_id, codes in forms.items():
        yield {
            "kind": KIND,
            **recipients[person_id],
            "forms": [
                {"code": form.code, "number": form.number, "title_sv": form.title_sv, "title_en": form.title_en}
                for form in (BY_CODE[code] for code in sorted(codes, key=list(BY_CODE).index))
            ],
        }


def form_letters_print() -> list[Path]:
    """Write the print files of every order waiting for print, then mark their orders printed.

    Returns the files written or found whole now (usually one; more after a killed run), empty when there
    was nothing to print.
    """
    _claim()
    # In the order they were named (a file's first order), not by name: two runs in one instant of the clock
    # give names that differ only in their random part.
    files = (
        FormOrder.objects.filter(state=OrderState.WAITING)
        .exclude(print_file="")
        .values("print_file")
        .annotate(first=Min("id"))
        .order_by("first")
    )
    names = [row["print_file"] for row in files]
    done = []
    for name in names:
        path = print_dir() / name
        orders = list(FormOrder.objects.filter(state=OrderState.WAITING, print_file=name).order_by("person_id", "id"))
        if not print_file_complete(path):
            print_file_write(path, KIND, {"created_at": _created_at(name)}, _letters(orders))
        after_file_written(path)
        with transaction.atomic(using=ALIAS):
            FormOrder.objects.filter(id__in=[order.id for order in orders], state=OrderState.WAITING).update(
                state=OrderState.PRINTED, printed_at=clock.now()
            )
        done.append(path)
    return done
