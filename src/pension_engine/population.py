"""The population API: a struct of arrays with one row per person.

A single person is a population of one and goes through the same code path (``Population.of_one``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from pension_engine.arrays import BoolArray, FloatArray, IntArray, as_float, as_int


class PopulationError(ValueError):
    """The arrays of a population do not fit together or hold impossible values."""


@dataclass(frozen=True)
class Population:
    """Persons as parallel arrays.

    ``income_history`` is persons × years of gross earned income in nominal kronor, column 0 being
    ``history_first_year``. ``future_income`` (optional) is persons × years from the forecast year on, in
    today's money; NaN means "today's level". ``municipal_tax_rate`` NaN means the national average.
    """

    birth_year: IntArray
    income_history: FloatArray
    history_first_year: int
    residence_years: FloatArray
    married: BoolArray
    withdrawal_share: FloatArray
    municipal_tax_rate: FloatArray
    future_income: FloatArray | None = field(default=None)

    def __post_init__(self) -> None:
        size = self.birth_year.shape[0]
        if self.income_history.ndim != 2 or self.income_history.shape[0] != size:
            raise PopulationError("income_history must be persons × years")
        for name in ("residence_years", "married", "withdrawal_share", "municipal_tax_rate"):
            if getattr(self, name).shape != (size,):
                raise PopulationError(f"{name} must have one value per person")
        if self.future_income is not None and self.future_income.shape[0] != size:
            raise PopulationError("future_income must be persons × years")
        if np.any(self.income_history < 0) or (self.future_income is not None and np.any(self.future_income < 0)):
            raise PopulationError("income must not be negative")

    @property
    def size(self) -> int:
        """Number of persons."""
        return int(self.birth_year.shape[0])

    @property
    def history_years(self) -> IntArray:
        """Calendar year of each income-history column."""
        return np.arange(self.history_first_year, self.history_first_year + self.income_history.shape[1])

    def take(self, rows: npt.ArrayLike) -> Population:
        """The sub-population of the given rows (indices or a boolean mask)."""
        index = np.asarray(rows)
        return Population(
            birth_year=self.birth_year[index],
            income_history=self.income_history[index],
            history_first_year=self.history_first_year,
            residence_years=self.residence_years[index],
            married=self.married[index],
            withdrawal_share=self.withdrawal_share[index],
            municipal_tax_rate=self.municipal_tax_rate[index],
            future_income=None if self.future_income is None else self.future_income[index],
        )

    @classmethod
    def of_one(
        cls,
        *,
        birth_year: int,
        income_by_year: dict[int, float],
        residence_years: float = 40.0,
        married: bool = False,
        withdrawal_share: float = 1.0,
        municipal_tax_rate: float | None = None,
        future_income: list[float] | None = None,
    ) -> Population:
        """A population of one person from a year → income mapping."""
        first = min(income_by_year) if income_by_year else birth_year + 16
        last = max(income_by_year) if income_by_year else first - 1
        history = np.zeros((1, last - first + 1))
        for year, income in income_by_year.items():
            history[0, year - first] = income
        return cls(
            birth_year=as_int(birth_year),
            income_history=history,
            history_first_year=first,
            residence_years=as_float(residence_years),
            married=np.array([married]),
            withdrawal_share=as_float(withdrawal_share),
            municipal_tax_rate=as_float(np.nan if municipal_tax_rate is None else municipal_tax_rate),
            future_income=None if future_income is None else np.array([future_income], dtype=np.float64),
        )
