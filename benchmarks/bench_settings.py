"""Settings for benchmarks that drive the portal from many simulated browsers on one machine.

All simulated browsers share the address 127.0.0.1, so the limits per client address (a defence against
one machine starting many logins) would stop the benchmark itself; they are raised here, and only here.
With Redis, every run's keys carry its own prefix, so the benchmark can remove what it left behind.
"""

from minasidor.conf import env
from minasidor.conf import settings as _base
from minasidor.conf.settings import *  # noqa: F403 - the benchmark runs the normal settings, limits aside
from minasidor.conf.settings import RATE_LIMITS

RATE_LIMITS = {endpoint: limit * 1000 for endpoint, limit in RATE_LIMITS.items()}
BANKID_STARTS_PER_IP = 1_000_000
SAML_STARTS_PER_ADDRESS = 1_000_000

if env.boolean("MINASIDOR_BENCH_CACHE_SESSIONS", False, "Benchmarks only: keep sessions in the cache, to compare."):
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
_PREFIX = env.string("MINASIDOR_BENCH_KEY_PREFIX", "", "Benchmarks only: prefix of every cache key of this run.")
if _PREFIX:
    CACHES = {alias: {**config, "KEY_PREFIX": f"{_PREFIX}:{alias}"} for alias, config in _base.CACHES.items()}
