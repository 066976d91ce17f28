"""The access log (åtkomstlogg): an append-only record of every read or change of a person's data."""
