"""A faithful BankID RP API v6.0 test server with a virtual BankID app (test use only).

Run ``python -m simulators.bankid serve``; see docs/simulators.md.
"""
