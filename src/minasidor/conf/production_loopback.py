"""Test-only: the production profile for the production stack on this machine (``make prod-up``).

Exactly ``minasidor.conf.production``, except that the refusals about the outside systems' test servers and
test certificates are let through while the portal answers on loopback alone (``minasidor.conf.loopback``).
Never a deployment's profile: it serves nobody but this machine.
"""

from minasidor.conf import loopback

loopback.ACTIVE = True

from minasidor.conf.production import *  # noqa: E402, F403 - the production profile, wholesale
