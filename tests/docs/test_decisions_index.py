"""Requirement: the decisions index lists every decision record once, and every line names a record that exists."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

DECISIONS = Path(__file__).resolve().parents[2] / "docs" / "decisions"


def test_every_decision_has_one_line_in_the_index_and_every_line_a_record() -> None:
    records = {path.name for path in DECISIONS.glob("[0-9][0-9][0-9][0-9]-*.md")}
    linked = re.findall(r"\]\(([0-9]{4}-[^)]+\.md)\)", (DECISIONS / "README.md").read_text())
    assert [name for name, count in Counter(linked).items() if count > 1] == []
    assert sorted(records - set(linked)) == [], "add a line for these to docs/decisions/README.md"
    assert sorted(set(linked) - records) == [], "these lines name no record"
