"""The yearly batch on the pension register: the statement run (årsbesked) and fund valuation.

It reads what the register holds and writes each year's statements and fund holdings back to it, in bulk
(``bulk``: COPY on PostgreSQL). It knows nothing of where the register's people came from: the synthetic
population is one source of them, a real register would be another (docs/decisions/0038).
"""
