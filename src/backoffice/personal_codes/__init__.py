"""The personal code (personlig kod): issued with the statement, ordered anew by post, checked by phone.

Kept only as an Argon2id hash; the clear code is derived from the back office's secret when a print file is
written and is never stored (docs/decisions/0140).
"""
