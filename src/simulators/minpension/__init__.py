"""A Min Pension test server: the contract of docs/minpension-contract.md, with demo data and fault injection."""
