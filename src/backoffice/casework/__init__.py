"""Casework: the system of record for cases (ärenden) — applications, their signed documents, messages, decisions.

Its own room of the back office (docs/decisions/0039), on the ``backoffice`` database: ``models`` (every
table), ``rules`` (case types, their ordered statuses, expected decision dates), ``applications`` (the
typed, validated view of what a citizen signed), ``grant`` (what a granted old-age pension pays, by the
engine's rules), ``services`` (writes) and ``selectors`` (reads), each naming its caller and writing the
back office's access record.
"""
