"""Signing: the canonical documents a person signs, the checks of a BankID signature and the evidence kept
of it, and the authority's PAdES seal on the PDF receipt. Django-free except ``configured`` (settings)."""
