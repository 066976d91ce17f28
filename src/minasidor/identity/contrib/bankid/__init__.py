"""BankID login: the flow (``flow``), the process's connection to BankID (``connection``), abuse limits
(``abuse``) and the pages (``views``). The RP API v6 itself — client, request and response types, parsing,
errors, recommended user messages, animated QR data, TLS and the check of a completed order's signature —
is the Django-free package ``rp`` (an import contract keeps it so).
"""
