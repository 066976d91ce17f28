"""Min Pension: occupational and private pensions fetched from Min Pension for the logged-in citizen.

The client (``client``, typed values in ``types``) speaks the contract of docs/minpension-contract.md;
``selectors.min_pension_get`` decides whether a fetch is allowed and reads; ``services`` records the
citizen's consent and registers them; ``income`` turns the fetched forecasts into monthly amounts per
withdrawal age for the total forecast. Nothing fetched is stored in the portal's database.
"""
