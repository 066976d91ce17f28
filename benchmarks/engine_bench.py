"""Benchmark of the pension engine: forecasts per second, time for 7.5 million people, peak memory.

Run ``python benchmarks/engine_bench.py`` (``--persons N`` for a quicker run). The synthetic population has
full income histories (from age 18 or 1960 to the year before the forecast); the 7.5-million run is done for
real, in chunks of ``--chunk`` persons, unless ``--skip-full`` is given. Figures and ratios only: no timed
assertions (issue 3 target: 7.5 million within 60 s on one core, under 8 GiB).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import sys
import time

import numpy as np

from pension_engine.arrays import FloatArray
from pension_engine.forecast import forecast
from pension_engine.parameters import load_parameters
from pension_engine.population import Population

AS_OF_YEAR = 2026
HISTORY_FIRST_YEAR = 1960
WITHDRAWAL_AGES = range(61, 71)
REAL_POPULATION = 7_500_000
TARGET_SECONDS = 60.0
TARGET_MEMORY_GIB = 8.0


def synthetic_population(size: int, seed: int, *, ordered: bool = True) -> Population:
    """People born 1957–2007 with incomes around the average PGI of each year they were 18 or older.

    ``ordered``: persons come ordered by birth year, as a register extract ordered by personal identity
    number does (the engine then skips its internal sort).
    """
    rng = np.random.default_rng(seed)
    birth_year = rng.integers(1957, 2008, size=size, dtype=np.int64)
    if ordered:
        birth_year.sort()
    years = np.arange(HISTORY_FIRST_YEAR, AS_OF_YEAR)
    average = load_parameters().series("average_pgi")[years - HISTORY_FIRST_YEAR]
    level = rng.lognormal(mean=0.0, sigma=0.5, size=size)
    history = np.empty((size, years.size))
    for column, year in enumerate(years.tolist()):
        noise = rng.uniform(0.8, 1.2, size=size)
        working = (year - birth_year) >= 18
        history[:, column] = np.where(working, average[column] * level * noise, 0.0)
    return Population(
        birth_year=birth_year,
        income_history=history,
        history_first_year=HISTORY_FIRST_YEAR,
        residence_years=rng.choice(np.array([40.0, 40.0, 40.0, 30.0, 12.0]), size=size),
        married=rng.random(size) < 0.4,
        withdrawal_share=np.ones(size),
        municipal_tax_rate=np.full(size, np.nan),
    )


def keep_freed_memory() -> bool:
    """Ask glibc to reuse freed memory instead of returning it to the OS (fewer page faults between chunks).

    Allocator tuning of this benchmark process only; the engine itself is unchanged. Returns False where
    glibc is not available.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    mmap_threshold, trim_threshold = -3, -1  # M_MMAP_THRESHOLD, M_TRIM_THRESHOLD of malloc.h
    return bool(libc.mallopt(mmap_threshold, 32 * 1024 * 1024) and libc.mallopt(trim_threshold, 2**31 - 1))


def peak_memory_gib() -> float:
    """Peak resident memory of this process so far (Linux reports kibibytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def timed_forecast(population: Population) -> tuple[float, FloatArray]:
    """Seconds for one population forecast (with the uncertainty band) and the expected totals."""
    start = time.perf_counter()
    result = forecast(population, as_of_year=AS_OF_YEAR, withdrawal_ages=WITHDRAWAL_AGES)
    return time.perf_counter() - start, result.expected.total_before_tax


def write(line: str) -> None:
    """One line of the report on stdout."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def run(persons: int, chunk: int, full: bool) -> None:
    """Measure and print the figures."""
    tuned = keep_freed_memory()
    write(f"pension engine benchmark: as_of {AS_OF_YEAR}, withdrawal ages 61–70, band on, pid {os.getpid()}")
    write(f"one process, one core (NumPy element-wise work is single-threaded); glibc keeps freed memory: {tuned}")
    timed_forecast(synthetic_population(100, seed=0))  # loads parameters and tables once
    generation_start = time.perf_counter()
    population = synthetic_population(persons, seed=1)
    generation = time.perf_counter() - generation_start
    seconds, totals = timed_forecast(population)
    rate = persons / seconds
    write(f"persons: {persons:,} (synthetic population generated in {generation:.1f} s)")
    write(f"forecast time: {seconds:.2f} s -> {rate:,.0f} forecasts/second (first run: memory not yet reused)")
    write(f"median expected total before tax at 65: {np.nanmedian(totals[:, 4]):,.0f} kr/month")
    del population, totals
    seconds, _ = timed_forecast(synthetic_population(persons, seed=2, ordered=False))
    unordered_rate = persons / seconds
    write(f"same size, persons not ordered by birth year (the engine sorts and unsorts): {seconds:.2f} s")
    write(f"  -> {unordered_rate:,.0f} forecasts/second = {unordered_rate / rate:.2f} × the ordered rate")
    if full:
        done, elapsed = 0, 0.0
        while done < REAL_POPULATION:
            size = min(chunk, REAL_POPULATION - done)
            part = synthetic_population(size, seed=100 + done // chunk)
            seconds, _ = timed_forecast(part)
            elapsed += seconds
            done += size
            write(f"  chunk {done:,}/{REAL_POPULATION:,}: {seconds:.2f} s")
        write(f"7.5 million persons (measured, forecast time only, chunks of {chunk:,}): {elapsed:.1f} s "
              f"= {elapsed / TARGET_SECONDS:.2f} × the {TARGET_SECONDS:.0f} s target")  # fmt: skip
        write(f"  average over the 7.5 million: {REAL_POPULATION / elapsed:,.0f} forecasts/second")
    else:
        estimate = REAL_POPULATION / rate
        write(f"7.5 million persons (EXTRAPOLATED from {persons:,}, not measured): {estimate:.1f} s "
              f"= {estimate / TARGET_SECONDS:.2f} × the {TARGET_SECONDS:.0f} s target")  # fmt: skip
    peak = peak_memory_gib()
    share = peak / TARGET_MEMORY_GIB
    write(f"peak memory (max RSS): {peak:.2f} GiB = {share:.2f} × the {TARGET_MEMORY_GIB:.0f} GiB limit")


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000, help="persons in the timed population")
    parser.add_argument("--chunk", type=int, default=1_000_000, help="chunk size for the 7.5 million run")
    parser.add_argument("--skip-full", action="store_true", help="extrapolate 7.5 million instead of running it")
    args = parser.parse_args()
    run(args.persons, args.chunk, full=not args.skip_full)


if __name__ == "__main__":
    main()
