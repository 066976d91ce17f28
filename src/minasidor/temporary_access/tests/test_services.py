"""Requirement (issue 19, decision 0126): the temporary permission's rules — a few fixed lengths, a one-time
code bound to the agent who entered it, limited wrong codes that tell nothing, endings by time, by the
citizen, at the citizen's logout and with the agent's session, each in the access log."""

from __future__ import annotations

import datetime as dt

import pytest

from kernel import clock
from minasidor.audit.models import AccessRecord
from minasidor.audit.pseudonyms import pseudonym_for
from minasidor.identity.tests.factories import make_foreign_identity, make_identity
from minasidor.temporary_access.models import CodeAttempt, TemporaryPermission
from minasidor.temporary_access.selectors import permission_held, permission_live_for_citizen, permissions_held
from minasidor.temporary_access.services import (
    permission_end,
    permission_give,
    permission_take,
    permissions_end_for_agent,
    permissions_end_for_citizen,
)
from minasidor.temporary_access.types import CODE_ATTEMPT_LIMIT, Agent, EndReason, Scope

pytestmark = pytest.mark.django_db

AGENT = Agent(ref="K1001", name="Kim Agent", session_ref="session-a")
OTHER_AGENT = Agent(ref="K2002", name="Sam Other", session_ref="session-b")


def _actions(identity_key: str) -> list[tuple[str, str, str]]:
    records = AccessRecord.objects.filter(subject_ref=pseudonym_for(identity_key)).order_by("id")
    return [(r.action, r.principal_kind, r.principal_ref) for r in records]


def test_a_code_gives_the_agent_exactly_the_chosen_scope_until_the_chosen_time(frozen_clock: clock.FrozenClock) -> None:
    identity = make_identity()
    given = permission_give(identity=identity, scopes=["overview"], minutes=15)
    assert len(given.code) == 6
    assert given.code.isdigit()
    assert given.code not in TemporaryPermission.objects.get().code_hash, "the code is stored only hashed"

    taken = permission_take(agent=AGENT, code=f"{given.code[:3]} {given.code[3:]}")
    assert taken is not None
    assert taken.agent_ref == "K1001"
    reference = str(taken.reference)
    held = permission_held(agent=AGENT, reference=reference, scope=Scope.OVERVIEW)
    assert held is not None
    assert held.personal_number == identity.personal_number
    assert permission_held(agent=AGENT, reference=reference, scope=Scope.FORECAST) is None, "outside the scope"
    assert permission_held(agent=OTHER_AGENT, reference=reference, scope=Scope.OVERVIEW) is None
    same_agent_new_session = Agent(ref="K1001", name="Kim Agent", session_ref="session-c")
    assert permission_held(agent=same_agent_new_session, reference=reference, scope=Scope.OVERVIEW) is None

    frozen_clock.advance(dt.timedelta(minutes=14, seconds=59))
    assert permission_held(agent=AGENT, reference=reference, scope=Scope.OVERVIEW) is not None
    frozen_clock.advance(dt.timedelta(seconds=1))
    assert permission_held(agent=AGENT, reference=reference, scope=Scope.OVERVIEW) is None, "ended by time"
    assert permission_live_for_citizen(identity=identity) is None

    assert _actions(identity.subject_key) == [
        ("temporary_access.given", "citizen", identity.pseudonym),
        ("temporary_access.taken", "agent", "K1001"),
    ]


def test_a_code_is_single_use_and_bound_to_the_agent_who_entered_it(frozen_clock: clock.FrozenClock) -> None:
    given = permission_give(identity=make_identity(), scopes=["overview", "cases"], minutes=30)
    assert permission_take(agent=AGENT, code=given.code) is not None
    assert permission_take(agent=OTHER_AGENT, code=given.code) is None, "a used code tells nothing"
    assert [p.agent_ref for p in permissions_held(agent=AGENT)] == ["K1001"]
    assert permissions_held(agent=OTHER_AGENT) == []


def test_a_code_not_entered_in_time_is_worth_nothing(frozen_clock: clock.FrozenClock) -> None:
    given = permission_give(identity=make_identity(), scopes=["overview"], minutes=60)
    frozen_clock.advance(dt.timedelta(minutes=10))
    assert permission_take(agent=AGENT, code=given.code) is None


def test_only_the_fixed_lengths_and_known_scopes_can_be_given(frozen_clock: clock.FrozenClock) -> None:
    identity = make_identity()
    with pytest.raises(ValueError, match="minutes"):
        permission_give(identity=identity, scopes=["overview"], minutes=120)
    with pytest.raises(ValueError, match="everything"):
        permission_give(identity=identity, scopes=["everything"], minutes=15)
    with pytest.raises(ValueError, match="at least one"):
        permission_give(identity=identity, scopes=[], minutes=15)
    with pytest.raises(ValueError, match="personal"):
        permission_give(identity=make_foreign_identity(), scopes=["overview"], minutes=15)


def test_the_citizen_ends_it_at_once_and_a_new_one_replaces_the_old(frozen_clock: clock.FrozenClock) -> None:
    identity = make_identity()
    first = permission_give(identity=identity, scopes=["overview"], minutes=15)
    taken = permission_take(agent=AGENT, code=first.code)
    assert taken is not None
    second = permission_give(identity=identity, scopes=["forecast"], minutes=15)
    assert TemporaryPermission.objects.get(pk=first.permission.pk).end_reason == EndReason.REPLACED
    assert permission_held(agent=AGENT, reference=str(taken.reference), scope=Scope.OVERVIEW) is None

    other = make_identity("198501139995")
    assert not permission_end(identity=other, reference=str(second.permission.reference)), "not theirs"
    assert permission_end(identity=identity, reference=str(second.permission.reference))
    assert permission_live_for_citizen(identity=identity) is None
    assert permission_take(agent=AGENT, code=second.code) is None, "an ended permission's code is worth nothing"


def test_the_citizens_logout_and_the_agents_logout_end_it(frozen_clock: clock.FrozenClock) -> None:
    identity = make_identity()
    given = permission_give(identity=identity, scopes=["overview"], minutes=15)
    taken = permission_take(agent=AGENT, code=given.code)
    assert taken is not None
    assert permissions_end_for_agent(agent=AGENT) == 1
    assert TemporaryPermission.objects.get(pk=taken.pk).end_reason == EndReason.AGENT_LOGOUT
    assert _actions(identity.subject_key)[-1] == ("temporary_access.ended", "agent", "K1001")

    permission_give(identity=identity, scopes=["overview"], minutes=15)
    assert permissions_end_for_citizen(identity=identity) == 1
    assert permission_live_for_citizen(identity=identity) is None


def test_wrong_codes_are_counted_logged_and_limited_per_agent(frozen_clock: clock.FrozenClock) -> None:
    given = permission_give(identity=make_identity(), scopes=["overview"], minutes=60)
    wrong = "000000" if given.code != "000000" else "111111"
    for _ in range(CODE_ATTEMPT_LIMIT):
        assert permission_take(agent=AGENT, code=wrong) is None
    assert permission_take(agent=AGENT, code=given.code) is None, "over the limit even the right code is refused"
    assert CodeAttempt.objects.filter(agent_ref="K1001", refused=True).count() == 1
    assert CodeAttempt.objects.filter(agent_ref="K1001", succeeded=False).count() == CODE_ATTEMPT_LIMIT + 1
    assert permission_take(agent=OTHER_AGENT, code=given.code) is not None, "the code stayed unused for its citizen"


def test_the_limit_of_wrong_codes_lifts_after_its_window(frozen_clock: clock.FrozenClock) -> None:
    given = permission_give(identity=make_identity(), scopes=["overview"], minutes=60)
    for _ in range(CODE_ATTEMPT_LIMIT):
        permission_take(agent=AGENT, code="abc")
    frozen_clock.advance(dt.timedelta(minutes=9))
    assert permission_take(agent=AGENT, code=given.code) is None
    frozen_clock.advance(dt.timedelta(minutes=7))
    # The first five wrong ones are older than the window now, but the refused one of minute 9 is not.
    again = permission_give(identity=make_identity(), scopes=["overview"], minutes=60)
    assert permission_take(agent=AGENT, code=again.code) is not None
