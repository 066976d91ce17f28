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
    ``history_first_year``. ``credit_history`` (optional) holds the decided pension credits of the same years
    (pensionsgrundande belopp of every kind: child years, studies, military service, sickness and activity
    compensation), nominal kronor. ``future_income`` (optional) is persons × years from the forecast year on,
    in today's money; NaN means "today's level". ``youngest_child_birth_year`` (optional, 0 for none) gives
    the child-year credits of the years still to come. ``premium_pension_returns`` (optional, the same
    persons × years) is the return of each person's own funds in each year, net of fund fees; NaN, or no
    matrix, means the default alternative by age (docs/decisions/0123). ``municipal_tax_rate`` NaN means the
    national average.
    """

    birth_year: IntArray
    income_history: FloatArray
    history_first_year: int
    residence_years: FloatArray
    married: BoolArray
    withdrawal_share: FloatArray
    municipal_tax_rate: FloatArray
    future_income: FloatArray | None = field(default=None)
    credit_history: FloatArray | None = field(default=None)
    youngest_child_birth_year: IntArray | None = field(default=None)
    premium_pension_returns: FloatArray | None = field(default=None)

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
        if self.credit_history is not None:
            if self.credit_history.shape != self.income_history.shape:
                raise PopulationError("credit_history must have the shape of income_history")
            if np.any(self.credit_history < 0):
                raise PopulationError("pension credits must not be negative")
        if self.youngest_child_birth_year is not None and self.youngest_child_birth_year.shape != (size,):
            raise PopulationError("youngest_child_birth_year must have one value per person")
        if self.premium_pension_returns is not None and self.premium_pension_returns.shape != self.income_history.shape:
            raise PopulationError("premium_pension_returns must have the shape of income_history")

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
            credit_history=None if self.credit_history is None else self.credit_history[index],
            youngest_child_birth_year=(
                None if self.youngest_child_birth_year is None else self.youngest_child_birth_year[index]
            ),
            premium_pension_returns=(
                None if self.premium_pension_returns is None else self.premium_pension_returns[index]
            ),
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
        credits_by_year: dict[int, float] | None = None,
        youngest_child_birth_year: int | None = None,
    ) -> Population:
        """A population of one person from year → income (and year → pension credits) mappings."""
        years = set(income_by_year) | set(credits_by_year or {})
        first = min(years) if years else birth_year + 16
        last = max(years) if years else first - 1
        history = np.zeros((1, last - first + 1))
        credits = np.zeros((1, last - first + 1))
        for year, income in income_by_year.items():
            history[0, year - first] = income
        for year, amount in (credits_by_year or {}).items():
            credits[0, year - first] = amount
        return cls(
            birth_year=as_int(birth_year),
            income_history=history,
            history_first_year=first,
            residence_years=as_float(residence_years),
            married=np.array([married]),
            withdrawal_share=as_float(withdrawal_share),
            municipal_tax_rate=as_float(np.nan if municipal_tax_rate is None else municipal_tax_rate),
            future_income=None if future_income is None else np.array([future_income], dtype=np.float64),
            credit_history=credits if credits_by_year else None,
            youngest_child_birth_year=None if youngest_child_birth_year is None else as_int(youngest_child_birth_year),
        )
