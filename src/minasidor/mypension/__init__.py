"""Min pension: the citizen's earned pension, forecast and total forecast, fetched anew at every login.

Nothing here is written to the portal's database: the back office's snapshot and Min Pension's answer are
kept in a session-scoped cache (``session_data``) that ends with the session.
"""
