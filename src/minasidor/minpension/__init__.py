"""Min Pension: the portal's doorway to the industry's pension overview service (no pages here).

The client (``client``, typed values in ``types``, errors in ``errors``, JSON read by ``parsing``) speaks the
contract of docs/minpension-contract.md; ``connection`` is the process's one configured client.
``selectors.min_pension_get`` decides whether a fetch is allowed and reads; ``services`` records the
citizen's consent (``models``) and registers them; ``income`` turns the fetched forecasts into monthly
amounts per withdrawal age for the total forecast. Every call is recorded in the access log; nothing
fetched is stored in the portal's database. The pages that show it are in ``minasidor.pensions``.
"""
