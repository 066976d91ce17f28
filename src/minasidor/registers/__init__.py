"""The portal's one doorway to the back office (the systems of record).

Portal apps read and write the authority's registers only through this package; an import-linter contract
forbids every other portal module to import ``backoffice``. The typed interface and its in-process and
HTTP implementations are built here as the back office grows.
"""
