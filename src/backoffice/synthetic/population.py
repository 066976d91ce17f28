"""A deterministic, realistic synthetic population for the pension register (``seed_population``).

Everything is drawn from one NumPy generator seeded with ``seed``, vectorised over persons, so the same
``(persons, seed)`` always gives the same people, incomes and records. Personal numbers are coordination
numbers (day of birth + 60) with birth numbers 900–999 (docs/decisions/0030). Pensionable income, fees,
pension credits for child years and pension rights come from the pension engine, year by year.

Income paths (docs/decisions/0031): men and women (the number's sex digit) with the gap of their cohort, a
working life from 19–22 (students from 25–29, with small incomes before), levels log-normal around the
year's average PGI shaped by age, part-time workers, high earners above the ceiling, parental-leave years
with child-year credits, unemployment years, people who moved to Sweden late (short residence), retirement
at 62–68 (most at 65) for the older cohorts, some still working, some deceased, a few with protected
identity.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import numpy as np

from pension_engine.arrays import BoolArray, FloatArray, IntArray
from pension_engine.parameters import load_parameters
from pension_engine.pension_credits import child_year_credit
from pension_engine.pension_rights import pension_rights
from pension_engine.pensionable_income import pensionable_income
from pension_engine.retirement_ages import earliest_withdrawal_age

FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR = 1938, 2008
HISTORY_FIRST_YEAR = 1960
LAST_INCOME_YEAR = 2025  # income years decided by the end of November 2026
TODAY = dt.date(2026, 11, 28)
WORKING_AGE = 16
SYNTHETIC_SERIAL_FIRST, SYNTHETIC_SERIALS = 900, 100
COORDINATION_DAY_OFFSET = 60

GIVEN_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Emma", "Elin", "Ida", "Lena", "Kerstin", "Ingrid", "Marie",
    "Lars", "Mikael", "Anders", "Johan", "Erik", "Per", "Karl", "Peter", "Jan", "Thomas", "Daniel", "Ali",
    "Fatima", "Mohammed", "Nora", "Oskar", "Hugo", "Alva",
)  # fmt: skip
FAMILY_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
    "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Lindberg", "Lindström",
    "Ahmed", "Hassan", "Virtanen", "Nowak", "Berg", "Holm", "Sandberg",
)  # fmt: skip
CITIES = (
    ("Stockholm", "11"), ("Göteborg", "41"), ("Malmö", "21"), ("Uppsala", "75"), ("Umeå", "90"),
    ("Luleå", "97"), ("Örebro", "70"), ("Linköping", "58"), ("Västerås", "72"), ("Visby", "62"),
)  # fmt: skip
STREETS = ("Storgatan", "Kyrkvägen", "Skolgatan", "Parkvägen", "Björkvägen", "Södra vägen", "Ringvägen")
CIVIL_STATUSES = np.array(["unmarried", "married", "divorced", "widowed", "partner"])


@dataclasses.dataclass(frozen=True)
class DecidedIncomes:
    """What the engine decides from incomes: persons × income years from 1960."""

    general_pension_fee: FloatArray
    pensionable_income: FloatArray
    child_year_credit: FloatArray
    income_pension_right: FloatArray
    premium_pension_right: FloatArray


def decide_incomes(income: FloatArray, birth_year: IntArray, child_years: IntArray) -> DecidedIncomes:
    """PGI, fee, child-year credits and rights for each income year, as the engine computes them.

    ``income`` is persons × years from 1960; ``child_years`` persons × children (birth years, 0 for none):
    the birth year and the three after it give barnår, compared with the PGI of the year before the birth.
    """
    params = load_parameters()
    persons = income.shape[0]
    fee, pgi, credit = np.zeros_like(income), np.zeros_like(income), np.zeros_like(income)
    ip_right, pp_right = np.zeros_like(income), np.zeros_like(income)
    for column in range(income.shape[1]):
        year = HISTORY_FIRST_YEAR + column
        counted = np.where(year - birth_year >= WORKING_AGE, income[:, column], 0.0)
        decided = pensionable_income(counted, year, parameters=params)
        fee[:, column] = decided.general_pension_fee
        pgi[:, column] = decided.pensionable_income
        latest_child = np.where((child_years > 0) & (child_years <= year), child_years, 0).max(axis=1, initial=0)
        in_child_years = (latest_child > 0) & (year - latest_child <= 3)
        if in_child_years.any():
            before = pgi[np.arange(persons), np.clip(latest_child - 1 - HISTORY_FIRST_YEAR, 0, column)]
            credit[:, column] = np.where(in_child_years, child_year_credit(pgi[:, column], before, year, params), 0.0)
        rights = pension_rights(pgi[:, column], year, credit[:, column], birth_year=birth_year, parameters=params)
        ip_right[:, column] = rights.income_pension_right
        pp_right[:, column] = rights.premium_pension_right
    return DecidedIncomes(fee, pgi, credit, ip_right, pp_right)


@dataclasses.dataclass(frozen=True)
class SyntheticPopulation:
    """Persons as parallel arrays and their income years as a persons × years matrix (from 1960)."""

    personal_number: list[str]
    birth_date: list[dt.date]
    given_name: list[str]
    family_name: list[str]
    civil_status: list[str]
    residence_years: FloatArray
    drawing_pension: BoolArray
    still_working: BoolArray
    protected_identity: BoolArray
    date_of_death: list[dt.date | None]
    retirement_year: IntArray
    birth_year: IntArray
    income: FloatArray
    decided: DecidedIncomes
    city: list[str]
    street: list[str]
    postal_code: list[str]
    municipal_tax_rate: FloatArray

    @property
    def size(self) -> int:
        """Number of persons."""
        return len(self.personal_number)

    @property
    def years(self) -> IntArray:
        """Calendar year of each income column."""
        return np.arange(HISTORY_FIRST_YEAR, LAST_INCOME_YEAR + 1)


def luhn_check_digits(nine_digits: IntArray) -> IntArray:
    """Luhn check digits for numbers YYMMDDNNN given as integers.

    The vectorised twin of ``kernel.personal_number.luhn_check_digit`` (a million numbers at once); the
    tests parse every generated number with ``PersonalNumber``, which checks the digit the kernel's way.
    """
    total = np.zeros(nine_digits.shape, dtype=np.int64)
    value = nine_digits.copy()
    for position in range(8, -1, -1):
        digit = value % 10
        value //= 10
        product = digit * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def synthetic_personal_numbers(
    birth_dates: np.ndarray, men: BoolArray, rng: np.random.Generator
) -> tuple[list[str], np.ndarray]:
    """Unique coordination numbers with birth numbers 900–999; a date that is full moves a day on.

    The birth number's last digit tells the sex, odd for men and even for women, as in every Swedish
    number, so each day holds 50 numbers for each. ``birth_dates`` is datetime64[D]; returns the numbers and
    the (possibly moved) birth dates.
    """
    days = birth_dates.astype("datetime64[D]").astype(np.int64)
    odd = men.astype(np.int64)
    per_sex = SYNTHETIC_SERIALS // 2
    rank_of = np.full(days.size, -1)
    pending = np.arange(days.size)
    while pending.size:
        keys = days[pending] * 2 + odd[pending]
        order = pending[np.argsort(keys, kind="stable")]
        sorted_keys = days[order] * 2 + odd[order]
        starts = np.r_[0, np.flatnonzero(np.diff(sorted_keys)) + 1]
        group_start = np.repeat(starts, np.diff(np.r_[starts, sorted_keys.size]))
        rank = np.arange(sorted_keys.size) - group_start
        taken = rank < per_sex
        rank_of[order[taken]] = rank[taken]
        overflow = order[~taken]
        days[overflow] += 1
        pending = overflow
    serial = SYNTHETIC_SERIAL_FIRST + 2 * rng.permutation(per_sex)[rank_of] + odd
    dates = days.astype("datetime64[D]")
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day_of_month = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    nine = ((years % 100) * 10000 + months * 100 + day_of_month + COORDINATION_DAY_OFFSET) * 1000 + serial
    check = luhn_check_digits(nine)
    numbers = [
        f"{y:04d}{m:02d}{d + COORDINATION_DAY_OFFSET:02d}{s:03d}{c}"
        for y, m, d, s, c in zip(
            years.tolist(), months.tolist(), day_of_month.tolist(), serial.tolist(), check.tolist(), strict=True
        )
    ]
    return numbers, dates


def is_woman(personal_number: str) -> bool:
    """Whether a 12-digit personal or coordination number is a woman's: its second-to-last digit is even."""
    return int(personal_number[10]) % 2 == 0


CHUNK = 50_000

# Income by age relative to a person's level: low while young, highest in the fifties (docs/decisions/0031).
AGE_PROFILE_AGES = (16, 20, 25, 30, 40, 50, 60, 66, 70)
AGE_PROFILE = (0.25, 0.45, 0.75, 0.95, 1.15, 1.2, 1.1, 0.9, 0.7)
# The gap between men's and women's levels by birth year (0.5: women at 0.75 of the average, men at 1.25),
# and the share of women who worked part-time besides those of the part-time kind, by birth year.
GENDER_GAP_COHORTS = (1938, 1950, 1965, 1985)
GENDER_GAP = (0.5, 0.4, 0.25, 0.12)
WOMEN_PART_TIME_COHORTS = (1938, 1960, 1985)
WOMEN_PART_TIME = (0.45, 0.3, 0.1)
# Scales every level so that the earners' mean PGI in a year is close to that year's average PGI (a test
# holds it within 7 %).
LEVEL_CALIBRATION = 1.14
# Most people left work at 65 in the years these cohorts retired; some earlier, some later.
RETIREMENT_AGES = np.arange(62, 69)
RETIREMENT_AGE_SHARES = (0.05, 0.07, 0.1, 0.45, 0.2, 0.08, 0.05)


def generate(persons: int, seed: int) -> Iterator[SyntheticPopulation]:
    """The synthetic population of ``persons`` people for ``seed``, in chunks ordered by personal number.

    Numbers are drawn for everyone first (so they are unique); each chunk then draws its people's lives
    from its own generator (seed, chunk index), so memory stays bounded at a million persons.
    """
    rng = np.random.default_rng(seed)
    start = np.datetime64(f"{FIRST_BIRTH_YEAR}-01-01")
    span = (np.datetime64(f"{LAST_BIRTH_YEAR}-12-31") - start).astype(np.int64) + 1
    wanted_dates = start + rng.integers(0, span, size=persons)
    numbers, dates = synthetic_personal_numbers(wanted_dates, rng.random(persons) < 0.5, rng)
    order = np.argsort(np.array(numbers), kind="stable")
    numbers = [numbers[i] for i in order.tolist()]
    dates = dates[order]
    for index, first in enumerate(range(0, persons, CHUNK)):
        chunk_rng = np.random.default_rng([seed, index])
        yield _lives(numbers[first : first + CHUNK], dates[first : first + CHUNK], chunk_rng)


def _lives(numbers: list[str], dates: np.ndarray, rng: np.random.Generator) -> SyntheticPopulation:  # noqa: PLR0915
    """The lives of the persons with these numbers: one story, told in order."""
    persons = len(numbers)
    years = np.arange(HISTORY_FIRST_YEAR, LAST_INCOME_YEAR + 1)
    params = load_parameters()
    birth_year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    age_now = TODAY.year - birth_year

    # Kinds of working life; women of the older cohorts worked part-time more often and earned less.
    woman = np.array([is_woman(number) for number in numbers], dtype=np.bool_)
    kind = rng.choice(5, size=persons, p=[0.68, 0.06, 0.08, 0.08, 0.10])
    _regular, part_time, high, student, immigrant = (kind == k for k in range(5))
    part_time |= woman & (rng.random(persons) < np.interp(birth_year, WOMEN_PART_TIME_COHORTS, WOMEN_PART_TIME))
    start_age = np.where(student, rng.integers(25, 30, persons), rng.integers(19, 23, persons))
    arrival_age = rng.integers(25, 51, persons)
    arrival_year = np.where(immigrant, birth_year + arrival_age, birth_year)
    residence = np.clip(np.where(immigrant, TODAY.year - arrival_year, 40), 0, 40).astype(np.float64)
    start_year = np.maximum(birth_year + start_age, np.where(immigrant, arrival_year + 1, 0))
    level = rng.lognormal(-0.045, 0.3, persons) * LEVEL_CALIBRATION
    gap = np.interp(birth_year, GENDER_GAP_COHORTS, GENDER_GAP)
    level = level * np.where(woman, 1.0 - gap / 2, 1.0 + gap / 2)
    level = np.where(part_time, level * rng.uniform(0.5, 0.75, persons), level)
    level = np.where(high, rng.uniform(2.0, 4.0, persons), level)
    level = np.where(immigrant, level * 0.8, level)

    # Retirement, work after it, death, protected identity. Nobody starts to draw before the lowest
    # withdrawal age of their cohort and of the year they would start (docs/decisions/0120).
    retirement_age = rng.choice(RETIREMENT_AGES, size=persons, p=RETIREMENT_AGE_SHARES)
    retirement_age = np.maximum(retirement_age, earliest_withdrawal_age(birth_year))
    retirement_year = birth_year + retirement_age
    drawing = retirement_year <= TODAY.year - 1
    still_working = drawing & (rng.random(persons) < 0.15) & (age_now <= 75)
    working_now = ~drawing
    death_risk = np.where(age_now >= 80, 0.12, np.where(age_now >= 65, 0.03, 0.003))
    dead = rng.random(persons) < death_risk
    death_year = np.where(dead, rng.integers(2016, TODAY.year + 1, persons), 9999)
    protected = rng.random(persons) < 0.002

    # Children: birth years of up to three children for about half of those born before 1996.
    has_children = (birth_year <= 1995) & (rng.random(persons) < 0.55)
    child_count = np.where(has_children, rng.integers(1, 4, persons), 0)
    first_child = birth_year + rng.integers(26, 35, persons)
    child_years = np.stack([first_child + 3 * i for i in range(3)], axis=1)
    child_years = np.where(np.arange(3)[None, :] < child_count[:, None], child_years, 0)

    income = np.zeros((persons, years.size))
    average = params.series("average_pgi")[years - HISTORY_FIRST_YEAR]
    for column, year in enumerate(years.tolist()):
        age = year - birth_year
        shape = np.interp(age, AGE_PROFILE_AGES, AGE_PROFILE)
        noise = rng.uniform(0.88, 1.12, persons)
        earning = (year >= start_year) & (year < np.where(still_working, 9999, retirement_year)) & (year <= death_year)
        value = average[column] * level * shape * noise
        value = np.where(still_working & (year >= retirement_year), value * 0.45, value)
        studying = student & (age >= 18) & (year < start_year)
        value = np.where(studying, rng.uniform(20000, 60000, persons) * average[column] / average[-1], value)
        unemployed = rng.random(persons) < 0.03
        value = np.where(unemployed, value * rng.choice([0.0, 0.3], persons), value)
        is_child_year = (child_years == year).any(axis=1)
        value = np.where(is_child_year, value * rng.uniform(0.3, 0.7, persons), value)
        value = np.where((earning | studying) & (age >= WORKING_AGE), value, 0.0)
        income[:, column] = np.round(value, -2)
    decided = decide_incomes(income, birth_year, child_years)

    municipal = rng.choice(np.array([0.3055, 0.3241, 0.3300, 0.3190, 0.3412]), persons)
    city_index = rng.integers(0, len(CITIES), persons)
    status = np.where(
        age_now < 25,
        0,
        rng.choice(5, size=persons, p=[0.38, 0.42, 0.12, 0.05, 0.03]),
    )
    status = np.where((status == 3) & (age_now < 55), 1, status)
    given = rng.integers(0, len(GIVEN_NAMES), persons)
    family = rng.integers(0, len(FAMILY_NAMES), persons)
    street = rng.integers(0, len(STREETS), persons)
    house = rng.integers(1, 120, persons)
    postal_tail = rng.integers(100, 999, persons)
    death_day = rng.integers(0, 365, persons)
    date_of_death: list[dt.date | None] = []
    for is_dead, year_of_death, day in zip(dead.tolist(), death_year.tolist(), death_day.tolist(), strict=True):
        if not is_dead:
            date_of_death.append(None)
            continue
        when = dt.date(year_of_death, 1, 1) + dt.timedelta(days=day)
        date_of_death.append(min(when, TODAY - dt.timedelta(days=1)))
    return SyntheticPopulation(
        personal_number=numbers,
        birth_date=[d.item() for d in dates],
        given_name=[GIVEN_NAMES[i] for i in given.tolist()],
        family_name=[FAMILY_NAMES[i] for i in family.tolist()],
        civil_status=CIVIL_STATUSES[status].tolist(),
        residence_years=residence,
        drawing_pension=drawing & ~dead,
        still_working=(working_now | still_working) & ~dead,
        protected_identity=protected,
        date_of_death=date_of_death,
        retirement_year=retirement_year,
        birth_year=birth_year,
        income=income,
        decided=decided,
        city=[CITIES[i][0] for i in city_index.tolist()],
        postal_code=[f"{CITIES[i][1]}{t:03d}" for i, t in zip(city_index.tolist(), postal_tail.tolist(), strict=True)],
        street=[f"{STREETS[s]} {h}" for s, h in zip(street.tolist(), house.tolist(), strict=True)],
        municipal_tax_rate=municipal,
    )
