"""The customer-service console: the authority's side of the phone (issue 19, decisions 0130, 0131).

A part of the site for staff with its own templates and URL prefix (``/kundservice/``): staff log in with
OpenID Connect and a second factor, and see a citizen's data only through a live temporary permission the
citizen gave them (``minasidor.temporary_access``), read-only and within its scope. Never the citizen pages.
"""
