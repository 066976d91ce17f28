"""The authority's back office: its systems of record (the pension register and the customer records).

In a real deployment these are the authority's existing systems; the portal reaches them only through
``minasidor.registers``. Everything here lives on the ``backoffice`` database alias, in three rooms and a
doorway (docs/decisions/0038):

- ``register``: the system of record — models, reads (selectors), writes (services), its access record.
- ``statements``: the yearly batch on it — the statement run, fund valuation, bulk reads and writes.
- ``synthetic``: made-up people for development, tests and benchmarks — the population model, its seeding,
  the demo persons.
- ``api``: the register's internal JSON API for the portal.
"""
