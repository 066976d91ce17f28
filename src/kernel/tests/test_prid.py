"""Requirement: prid is computed with the framework's three algorithms, reproducing the specification's test vectors."""

from __future__ import annotations

import pytest

from kernel.prid import PridAlgorithm, PridError, is_prid, prid_for

DEFAULT = PridAlgorithm.DEFAULT
COLRESIST = PridAlgorithm.COLRESIST
SPECIAL = PridAlgorithm.SPECIAL_CHARACTERS


@pytest.mark.parametrize(
    ("person_identifier", "algorithm", "expected"),
    [
        ("NO/SE/05068907693", DEFAULT, "NO:05068907693"),
        ("DK/SE/09208-2002-2-194967071622", DEFAULT, "DK:09208-2002-2-194967071622"),
        ("DE/SE/#12345-3456//ABC", DEFAULT, "DE:12345-3456-abc"),
        ("DE/SE/aErf#(EAd9)", DEFAULT, "DE:0aerf-ead9"),
        ("DE/SE/(1952 12 14-1122)", DEFAULT, "DE:19521214-1122"),
        ("DE/SE/1234567890123456789012345678901", DEFAULT, "DE:3b7184c0ceaf76a9607a31e4e1f87f"),
        ("DE/SE/1234567890123456789012345678901", COLRESIST, "DE:1hc3tpoleczqu3t8jz2995k2rq7nt8"),
        ("AT/SE/Zk2ME2pjxwzQOjVeFGeqSIage34=", SPECIAL, "AT:50bwytdle2mzexopcolmdhmhznihms"),
    ],
)
def test_the_specifications_vectors(person_identifier: str, algorithm: PridAlgorithm, expected: str) -> None:
    prid = prid_for(person_identifier, algorithm)
    assert prid == expected
    assert is_prid(prid)


@pytest.mark.parametrize(
    ("person_identifier", "algorithm"),
    [
        ("de/se/aErf#(E)", DEFAULT),  # fewer than six letters or digits
        ("UK/DK/1234567890", DEFAULT),  # addressed to Denmark, not Sweden
        ("AT/SE/short=", SPECIAL),  # under 16 characters
    ],
)
def test_the_specifications_failures(person_identifier: str, algorithm: PridAlgorithm) -> None:
    with pytest.raises(PridError):
        prid_for(person_identifier, algorithm)


def test_colresist_equals_default_when_no_hash_is_needed() -> None:
    assert prid_for("NO/SE/05068907693", COLRESIST) == prid_for("NO/SE/05068907693", DEFAULT)


def test_the_format_check_refuses_what_is_no_prid() -> None:
    assert not is_prid("NO:123")
    assert not is_prid("no:05068907693")
    assert not is_prid("NO:-5068907693")
