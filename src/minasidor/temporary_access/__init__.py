"""Temporary permission (tillfällig behörighet): a citizen lets customer service see part of their data during
a call, for a short time, through a one-time code they read out (decision 0126).

The model, its writes (``services``) and reads (``selectors``) live here, in the portal's database; the
citizen's pages are in ``privacy`` and the agent's in ``console``. No views here.
"""
