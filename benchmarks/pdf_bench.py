"""Benchmark: the time to render each PDF document of Min pension (the statement and the forecast).

Renders the example documents of the tests (a saver's statement, a pensioner's statement, a forecast with
Min Pension's pensions) in Swedish and English: the first rendering in the process (fonts not yet loaded)
and then ``--repeat`` more, reporting the median and the slowest. Figures only, no timed assertions.

    python benchmarks/pdf_bench.py [--repeat 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def write(line: str) -> None:
    """One line of the report on stdout."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _milliseconds(render: Callable[[], bytes]) -> tuple[float, float, int]:
    """Wall-clock and CPU milliseconds of one rendering, and the size of the document."""
    start, cpu_start = time.perf_counter(), time.process_time()
    document = render()
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu_start) * 1000, len(document)


def main() -> None:
    """Time every document in both languages."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10, help="renderings per document after the first")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minasidor.conf.settings")
    import django  # noqa: PLC0415 - configured by the environment above

    django.setup()
    from minasidor.pensions.pdf import forecast_pdf, statement_pdf  # noqa: PLC0415
    from minasidor.pensions.tests import pdf_examples  # noqa: PLC0415

    documents: dict[str, Callable[[str], bytes]] = {
        "statement (saver)": lambda language: statement_pdf(pdf_examples.saver_snapshot(), language=language),
        "statement (pensioner)": lambda language: statement_pdf(pdf_examples.pensioner_snapshot(), language=language),
        "forecast (with Min Pension)": lambda language: forecast_pdf(
            pdf_examples.forecast_example(other_pensions=True), name="Tolvan Tolvansson", language=language
        ),
    }
    write(f"PDF rendering, WeasyPrint, PDF/UA-1; {options.repeat} renderings per document after the first")
    header = f"{'document':<30} {'lang':<5} {'first ms':>9} {'median ms':>10} {'max ms':>8} {'median CPU ms':>14}"
    write(f"{header} {'bytes':>8}")
    for name, render in documents.items():
        for language in ("sv", "en"):
            first, _cpu, size = _milliseconds(lambda: render(language))  # noqa: B023 - called at once
            runs = [_milliseconds(lambda: render(language)) for _ in range(options.repeat)]  # noqa: B023
            wall = [run[0] for run in runs]
            cpu = [run[1] for run in runs]
            write(
                f"{name:<30} {language:<5} {first:>9.0f} {statistics.median(wall):>10.0f} {max(wall):>8.0f} "
                f"{statistics.median(cpu):>14.0f} {size:>8}"
            )
    write("(one process; the machine's other work makes these figures noisy)")


if __name__ == "__main__":
    main()
