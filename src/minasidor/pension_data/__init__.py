"""The citizen's pension data for one session, and the forecast made from it. Pages read it; none owns it.

Fetched anew at every login, at the first page that needs it: the back office's snapshot (through
``minasidor.registers``) and Min Pension's answer (through ``minasidor.minpension``), with the forecast the
citizen chose. Nothing of it is written to the portal's database: it is kept in the session's encrypted
cache entry (decision 0090) and ends with the session. ``session`` is the door pages use.
"""
