"""The citizen's pension data for one session: fetched at the first page after login, kept nowhere else.

Pages call :func:`pension_data_get` (which fetches what is missing), :func:`pension_data_refresh` when the
citizen asks to fetch again, and :func:`forecast_make` for the forecast of the citizen's choice, made once
per choice and kept with the data; the overview calls :func:`overview_get`, which makes only what it shows
and does it while Min Pension answers (decision 0246). The data is kept in the session's encrypted cache
entry (``store``, decision 0090) and deleted when the citizen logs out, times out, or another citizen logs
in on the same browser (:func:`forget_on_citizen_change`). A source that fails is asked again at the next
page view; what it gave when it answered is never replaced by zeros.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

from kernel import clock
from minasidor.identity.types import Identity
from minasidor.pension_data.forecast import (
    EngineForecast,
    ForecastUnavailableError,
    age_window,
    clamped_choice,
    default_choice,
    forecast_compute,
    forecast_engine_run,
    forecast_finish,
)
from minasidor.pension_data.sources import sources_ask
from minasidor.pension_data.store import entry_delete, entry_read, entry_write
from minasidor.pension_data.types import AgeWindow, ForecastChoice, PensionData, PensionForecast
from minasidor.registers.types import PersonSnapshot

T = TypeVar("T")


def pension_data_get(request: HttpRequest, identity: Identity) -> PensionData | None:
    """The citizen's pension data for this session, fetched now if missing or incomplete.

    None when the citizen has no Swedish personal or coordination number (nothing to fetch by).
    """
    if identity.personal_number is None:
        return None
    data = entry_read(request.session, identity.pseudonym)
    if data is not None and data.complete:
        return data
    data = sources_ask(identity, data)
    entry_write(request.session, data)
    return data


def pension_data_refresh(request: HttpRequest, identity: Identity) -> PensionData | None:
    """Fetch everything anew (the citizen asked to), keeping only their forecast choice."""
    if identity.personal_number is None:
        return None
    earlier = entry_read(request.session, identity.pseudonym)
    data = sources_ask(identity, None)
    if earlier is not None and earlier.choice is not None:
        data = dataclasses.replace(data, choice=earlier.choice)
    entry_write(request.session, data)
    return data


def min_pension_refresh(request: HttpRequest, identity: Identity) -> None:
    """Ask Min Pension again (the citizen has just registered there); the register's data is kept."""
    if identity.personal_number is None:
        return
    earlier = entry_read(request.session, identity.pseudonym)
    if earlier is not None:
        entry_write(request.session, sources_ask(identity, dataclasses.replace(earlier, min_pension=None)))


def pension_data_forget(session: SessionBase) -> None:
    """Delete the session's pension data from the cache (logout, time limit, another citizen)."""
    entry_delete(session)


def forget_on_citizen_change(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """Receiver of ``identity.session.session_citizen_changing``."""
    pension_data_forget(request.session)


def forecast_window(data: PensionData) -> AgeWindow | None:
    """The ages the citizen's forecast is made for today; None when there is nothing to forecast."""
    return age_window(data.snapshot, clock.today())


def forecast_make(
    request: HttpRequest,
    data: PensionData,
    *,
    choice: ForecastChoice | None = None,
    window: AgeWindow | None = None,
    chosen_only: bool = False,
) -> PensionForecast | None:
    """The forecast for ``choice`` (else the citizen's last choice, else the default), made once per choice.

    The forecast and its choice are kept with the session's data, so the next page shows them without
    computing again. ``window`` is the :func:`forecast_window`, when the caller has it already. With
    ``chosen_only`` (the overview) the forecast may be for the chosen age only, without the band, and is made
    so when none is kept for this choice; without it the forecast has every age of the window. None when
    there is nothing to forecast: no snapshot, already drawing pension, or no age left.
    """
    window = window or forecast_window(data)
    if data.snapshot is None or window is None:
        return None
    today = clock.today()
    wanted = clamped_choice(choice or data.choice or default_choice(data.snapshot, today), window)
    kept = data.forecast
    if kept is not None and kept.choice == wanted and (chosen_only or kept.covers(window)):
        return kept
    try:
        result = forecast_compute(
            data.snapshot,
            wanted,
            today=today,
            window=window,
            other_pensions=data.other_pensions,
            chosen_only=chosen_only,
        )
    except ForecastUnavailableError:
        return None
    entry_write(request.session, dataclasses.replace(data, choice=wanted, forecast=result))
    return result


@dataclasses.dataclass(frozen=True, slots=True)
class Overview(Generic[T]):
    """What the overview shows of the session's pension data: the data, the forecast at the chosen age, and
    what the page's ``alongside`` made of the register's snapshot (None without a snapshot)."""

    data: PensionData | None
    forecast: PensionForecast | None
    alongside: T | None


def overview_get(request: HttpRequest, identity: Identity, *, alongside: Callable[[PersonSnapshot], T]) -> Overview[T]:
    """The session's data for the overview (fetched now if missing or incomplete), the forecast at the chosen
    age, and ``alongside`` called with the register's snapshot.

    When the data is fetched, the engine's forecast (at the chosen age only, without the band the overview
    does not show) and ``alongside`` run while Min Pension is asked, and the session's entry is written once
    (decision 0246). The forecast page makes the rest of the forecast when it is first shown.
    """
    if identity.personal_number is None:
        return Overview(None, None, None)
    data = entry_read(request.session, identity.pseudonym)
    if data is not None and data.complete:
        made = alongside(data.snapshot) if data.snapshot is not None else None
        return Overview(data, forecast_make(request, data, chosen_only=True), made)
    earlier = data
    today = clock.today()
    prepared: dict[str, Any] = {}

    def meanwhile(snapshot: PersonSnapshot) -> None:
        prepared["alongside"] = alongside(snapshot)
        window = age_window(snapshot, today)
        if window is None:
            return
        choice = (earlier.choice if earlier is not None else None) or default_choice(snapshot, today)
        with contextlib.suppress(ForecastUnavailableError):
            prepared["engine"] = forecast_engine_run(snapshot, choice, today=today, window=window, chosen_only=True)

    data = sources_ask(identity, earlier, meanwhile=meanwhile)
    forecast: PensionForecast | None = None
    engine: EngineForecast | None = prepared.get("engine")
    if engine is not None:
        forecast = forecast_finish(engine, data.other_pensions)
        data = dataclasses.replace(data, choice=forecast.choice, forecast=forecast)
    entry_write(request.session, data)
    return Overview(data, forecast, prepared.get("alongside"))
