"""Requirement (issue 20.3, "ordering a form"): the back office keeps a catalogue of paper forms with stable
codes and titles in Swedish and English; a person's order of a form is kept (person, form, when, channel,
state) and goes by post to the registered address through a print file for the printing house; ordering the
same form again while it waits adds nothing; a killed print run neither loses an order nor prints it twice
(docs/decisions/0200, docs/print-files.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from backoffice.paper_forms import printing
from backoffice.paper_forms.catalogue import CATALOGUE, form_catalogue
from backoffice.paper_forms.models import FormOrder
from backoffice.paper_forms.services import form_order
from backoffice.personal_codes.printing import print_dir
from backoffice.register.access import Caller
from backoffice.register.models import Person, RegisterAccessRecord
from backoffice.register.selectors import PersonNotFoundError
from backoffice.register.services import InvalidChangeError
from backoffice.synthetic.demo import demo_persons_create

pytestmark = [pytest.mark.django_db(databases=["default", "backoffice"]), pytest.mark.usefixtures("frozen_clock")]
PHONE = Caller(service="portal", channel="in_process", principal_kind="citizen", principal_ref="pseudonym-1")
KARIN = "196201082697"
ABROAD = "195801082743"  # has a special postal address in Marbella


@pytest.fixture(autouse=True)
def _own_print_dir(settings: Any, tmp_path: Path) -> None:
    settings.PRINT_DIR = str(tmp_path / "print")


class KilledError(Exception):
    """Stands in for the process being killed."""


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def letters(path: Path) -> list[dict[str, Any]]:
    records = lines(path)
    assert records[0]["record"] == "header"
    assert records[0]["kind"] == "form"
    assert records[-1] == {"record": "trailer", "letters": len(records) - 2}
    return records[1:-1]


def order(number: str, code: str, channel: str = "phone") -> bool:
    return bool(form_order(caller=PHONE, personal_number=number, form_code=code, channel=channel)["ordered"])


def test_the_catalogue_has_stable_codes_and_titles_in_both_languages() -> None:
    codes = [form["code"] for form in form_catalogue()]
    assert codes == ["old_age_pension", "housing_supplement", "payment_account", "power_of_attorney"]
    for form in CATALOGUE:
        assert re.fullmatch(r"[a-z][a-z_]{2,30}", form.code)
        assert form.title_sv
        assert form.title_en != form.title_sv
    assert {form["title_sv"] for form in form_catalogue()} >= {"Ansökan om bostadstillägg", "Fullmakt"}


def test_an_order_is_kept_once_while_it_waits_and_recorded() -> None:
    demo_persons_create()
    assert order(KARIN, "housing_supplement") is True
    assert order(KARIN, "housing_supplement", channel="web") is False  # one on its way
    assert order(KARIN, "power_of_attorney", channel="web") is True
    rows = FormOrder.objects.filter(person__personal_number=KARIN).order_by("id")
    assert [(r.form_code, r.channel, r.state, r.print_file) for r in rows] == [
        ("housing_supplement", "phone", "waiting", ""),
        ("power_of_attorney", "web", "waiting", ""),
    ]
    records = RegisterAccessRecord.objects.filter(personal_number=KARIN, action="paper_form.ordered")
    assert records.count() == 3


def test_an_unknown_form_channel_or_person_is_refused() -> None:
    demo_persons_create()
    with pytest.raises(InvalidChangeError) as refused:
        order(KARIN, "blankett_x", channel="fax")
    assert set(refused.value.errors) == {"form", "channel"}
    with pytest.raises(PersonNotFoundError):
        order("189001019802", "housing_supplement")
    assert not FormOrder.objects.exists()


def test_the_orders_go_to_the_registered_address_in_one_print_file() -> None:
    demo_persons_create()
    order(KARIN, "power_of_attorney")
    order(KARIN, "old_age_pension")
    order(ABROAD, "payment_account")
    Person.objects.filter(personal_number="198501139995").update(protected_identity=True)
    order("198501139995", "housing_supplement")
    (path,) = printing.form_letters_print()
    by_number = {letter["personal_number"]: letter for letter in letters(path)}
    assert set(by_number) == {KARIN, ABROAD, "198501139995"}
    karin = by_number[KARIN]
    assert [form["code"] for form in karin["forms"]] == ["old_age_pension", "power_of_attorney"]  # catalogue order
    assert karin["forms"][0]["title_sv"] == "Ansökan om allmän ålderspension"
    assert karin["address"]["street"]
    assert karin["forward_through_tax_agency"] is False
    assert by_number[ABROAD]["address"]["city"] == "Marbella"  # the special postal address
    assert by_number[ABROAD]["forms"][0]["number"] == "PM8612"
    assert by_number["198501139995"]["address"] is None  # a protected identity: through Skatteverket
    assert by_number["198501139995"]["forward_through_tax_agency"] is True
    assert set(FormOrder.objects.values_list("state", "print_file")) == {("printed", path.name)}
    assert printing.form_letters_print() == []  # nothing left to print
    assert order(KARIN, "power_of_attorney") is True  # printed: the form can be ordered again


def test_a_run_killed_before_its_file_is_written_loses_no_order() -> None:
    demo_persons_create()
    order(KARIN, "housing_supplement")
    printing._claim()  # the run names the file, then dies before writing it
    (name,) = set(FormOrder.objects.values_list("print_file", flat=True))
    assert not (print_dir() / name).exists()
    order(ABROAD, "payment_account")  # ordered between the runs: goes into a file of its own
    paths = printing.form_letters_print()
    assert paths[0].name == name
    assert [letter["personal_number"] for path in paths for letter in letters(path)] == [KARIN, ABROAD]
    assert set(FormOrder.objects.values_list("state", flat=True)) == {"printed"}


def test_a_run_killed_after_its_file_is_complete_prints_nothing_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    demo_persons_create()
    order(KARIN, "housing_supplement")

    def killed(path: Path) -> None:
        raise KilledError

    monkeypatch.setattr(printing, "after_file_written", killed)
    with pytest.raises(KilledError):
        printing.form_letters_print()
    (path,) = print_dir().glob("forms-*.jsonl")
    written = path.read_bytes()
    assert set(FormOrder.objects.values_list("state", flat=True)) == {"waiting"}
    monkeypatch.undo()
    assert printing.form_letters_print() == [path]  # found whole: only its orders are marked
    assert path.read_bytes() == written
    assert list(print_dir().glob("forms-*.jsonl")) == [path]
    assert set(FormOrder.objects.values_list("state", flat=True)) == {"printed"}
    assert printing.form_letters_print() == []


def test_a_file_cut_short_is_written_again() -> None:
    demo_persons_create()
    order(KARIN, "housing_supplement")
    printing._claim()
    (name,) = set(FormOrder.objects.values_list("print_file", flat=True))
    path = print_dir() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"record": "header"}\n', encoding="utf-8")  # no trailer: incomplete
    assert printing.form_letters_print() == [path]
    assert [letter["personal_number"] for letter in letters(path)] == [KARIN]
