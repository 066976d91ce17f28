"""The authority's back office: its systems of record (the pension register, customer records, cases).

In a real deployment these are the authority's existing systems; the portal reaches them only through
``minasidor.registers``. Everything here lives on the ``backoffice`` database alias.
"""
