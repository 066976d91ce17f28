"""The web test's periodic job: records are kept 24 hours, then deleted (``PERIODIC_JOBS``)."""

from __future__ import annotations

from django_tasks import task

from minasidor.webtest.services import webtest_expired_delete as _delete


@task()
def webtest_expired_delete() -> int:
    return _delete()
