"""Identity: who the citizen is, however they logged in.

Every login method (BankID now, SAML identity providers and the eIDAS connector next) produces the same
protocol-neutral :class:`~minasidor.identity.types.Identity`, which :mod:`minasidor.identity.session`
keeps in the server-side session. Methods live in ``contrib/<method>/``.
"""
