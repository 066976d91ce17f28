"""Requirement (decision 0222): the ids of DPoP proofs are remembered as long as a proof could be accepted again
(so a replay is refused however late it comes within that time), and forgotten afterwards by a periodic job,
not by each request."""

from __future__ import annotations

import datetime as dt

import pytest

from kernel.clock import FrozenClock
from minasidor.background.scheduler import periodic_jobs
from minasidor.sharing.dpop import CLOCK_LEEWAY
from minasidor.sharing.models import ProofSeen
from minasidor.sharing.services import proof_seen_record
from minasidor.sharing.tasks import proofs_seen_forget
from minasidor.sharing.types import PROOF_MAX_AGE

pytestmark = pytest.mark.django_db


def test_a_replay_is_refused_until_no_proof_of_its_age_could_be_accepted(frozen_clock: FrozenClock) -> None:
    assert proof_seen_record(jkt="key-a", jti="j1")
    assert proof_seen_record(jkt="key-b", jti="j1"), "the same id under another key is another proof"
    frozen_clock.advance(PROOF_MAX_AGE + CLOCK_LEEWAY)  # the last moment such a proof is still accepted
    assert proofs_seen_forget.call() == 0
    assert not proof_seen_record(jkt="key-a", jti="j1")


def test_the_periodic_job_forgets_only_what_is_too_old_to_be_accepted(frozen_clock: FrozenClock) -> None:
    assert proof_seen_record(jkt="key-a", jti="old")
    frozen_clock.advance(2 * PROOF_MAX_AGE)
    assert proof_seen_record(jkt="key-a", jti="new")
    frozen_clock.advance(dt.timedelta(seconds=1))
    assert proof_seen_record(jkt="key-a", jti="newer"), "a request forgets nothing: the job does"
    assert ProofSeen.objects.count() == 3
    assert proofs_seen_forget.call() == 1
    assert ProofSeen.objects.count() == 2
    assert not proof_seen_record(jkt="key-a", jti="new")


def test_the_job_is_scheduled_every_minute() -> None:
    job = next(job for job in periodic_jobs() if job.task == "minasidor.sharing.tasks.proofs_seen_forget")
    assert job.every == dt.timedelta(minutes=1)
    assert job.at_start
