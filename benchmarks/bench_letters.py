"""Letters to PDF: kansen's code path against bare WeasyPrint on the same HTML, in the same run.

kansen: letter fields from the ledger rows, the pre-flight, Jinja2 rendering, WeasyPrint on
worker processes in chunks, the pypdf merge and the page-count check.
reference: one `weasyprint.HTML(string=...).write_pdf()` of the already rendered combined HTML
(what a hand-written script would do, single process).

The two alternate, several repetitions; medians are printed with the ratio kansen/reference
and seconds per page, both wall-clock (what a user waits) and CPU (this process and its
workers: what the work costs, and steady on a machine shared with other jobs).
The data is generated here (seeded), not read from sample_data.

    python benchmarks/bench_letters.py                       # 5,000 letters, 3 repetitions
    python benchmarks/bench_letters.py --people 200 --repeat 1   # smoke run
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import statistics
import sys
import time

SENT_ON = dt.date(2026, 10, 26)
START = dt.date(2026, 11, 2)


def people_frame(n: int, seed: int):
    """n synthetic people with an appointment each, shaped like `ledger.letters.letter_people`."""
    from kansen_cli.sample import generate_register, letter_people
    from kansen_cli.settings import Settings

    register = generate_register(n + n // 10 + 10, seed=seed, invalid_rows=0).head(n)
    settings = Settings()
    return letter_people(register, START, settings.planning, batch_id="bench-1"), settings


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the PDF workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=5000, help="letters per run (default 5000)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="kansen's PDF worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=2015)
    args = parser.parse_args(argv)

    import warnings

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from pypdf import PdfReader
    from weasyprint import HTML

    from kansen_cli import letter_render, letter_templates, letters

    frame, settings = people_frame(args.people, args.seed)
    env = letter_templates.environment(None)

    def kansen() -> bytes:
        fields = letters.letter_fields(frame, settings, SENT_ON)
        letters.preflight(env, fields, "bench-1", SENT_ON)
        return letter_render.render_pdf(env, fields, workers=args.workers)

    html = letter_render.render_document(env, letters.letter_fields(frame, settings, SENT_ON))

    def reference() -> bytes:
        return HTML(string=html, base_url=str(letter_templates.packaged_template_dir())).write_pdf()

    timings: dict[str, list[float]] = {"kansen": [], "reference": []}
    cpu: dict[str, list[float]] = {"kansen": [], "reference": []}
    pages: dict[str, int] = {}
    sizes: dict[str, int] = {}
    load_before = os.getloadavg()[0]
    for rep in range(args.repeat):
        order = [("kansen", kansen), ("reference", reference)]
        if rep % 2:
            order.reverse()  # alternate, so neither always runs on a warm or cold machine
        for name, fn in order:
            began, began_cpu = time.perf_counter(), cpu_seconds()
            pdf = fn()
            timings[name].append(time.perf_counter() - began)
            cpu[name].append(cpu_seconds() - began_cpu)
            pages[name] = len(PdfReader(io.BytesIO(pdf)).pages)
            sizes[name] = len(pdf)
            print(
                f"  run {rep + 1} {name:<9} {timings[name][-1]:8.2f} s wall {cpu[name][-1]:8.2f} s CPU"
                f"  {pages[name]} pages",
                file=sys.stderr,
            )

    med = {name: statistics.median(values) for name, values in timings.items()}
    med_cpu = {name: statistics.median(values) for name, values in cpu.items()}
    print(f"letters: {args.people}, repetitions: {args.repeat}, kansen workers: {args.workers}")
    for name in ("kansen", "reference"):
        n = max(1, pages[name])
        print(
            f"{name:<10} median wall {med[name]:8.2f} s = {med[name] / n:.4f} s/page;"
            f" CPU {med_cpu[name]:8.2f} s = {med_cpu[name] / n:.4f} s/page   ({pages[name]} pages)"
        )
    print(
        f"ratio kansen/reference: wall {med['kansen'] / med['reference']:.2f},"
        f" CPU {med_cpu['kansen'] / med_cpu['reference']:.2f}"
    )
    # The machines are shared: the load says how much the absolute times mean.
    print(
        f"PDF size: kansen {sizes['kansen']:,} bytes, reference {sizes['reference']:,} bytes;"
        f" load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    if pages["kansen"] != args.people or pages["reference"] != args.people:
        print("page count differs from the number of letters", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
