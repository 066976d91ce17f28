"""Requirement: when no instance answers, nginx shows the portal's own "not available right now" page in the
citizen's language (decision 0251): `manage.py unavailable_pages` writes it once per language for nginx."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command


def test_the_page_is_written_in_each_language_whole(tmp_path: Path) -> None:
    call_command("unavailable_pages", str(tmp_path), verbosity=0)

    swedish = (tmp_path / "unavailable.sv.html").read_text(encoding="utf-8")
    english = (tmp_path / "unavailable.en.html").read_text(encoding="utf-8")
    assert '<html lang="sv"' in swedish
    assert "Mina sidor är inte tillgängliga just nu" in swedish
    assert "Inget som du redan har skickat" in swedish
    assert '<html lang="en"' in english
    assert "My pages are not available right now" in english
    assert "Nothing you have already sent is lost" in english
    assert "Mina sidor är inte tillgängliga just nu" not in english
    assert sorted(path.name for path in tmp_path.iterdir()) == ["unavailable.en.html", "unavailable.sv.html"]


def test_writing_again_replaces_the_pages(tmp_path: Path) -> None:
    (tmp_path / "unavailable.sv.html").write_text("old", encoding="utf-8")
    call_command("unavailable_pages", str(tmp_path / "."), verbosity=0)
    assert (tmp_path / "unavailable.sv.html").read_text(encoding="utf-8") != "old"
