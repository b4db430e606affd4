"""Timing and peak memory of whole commands, alternating kansen and its reference.

The machines are shared and noisy, so every figure is a median over several alternating
runs, and the verdict is a ratio measured in the same run, never an absolute time.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PYTHON = sys.executable
# Generated registers and ledgers are kept between runs; the smoke test points this elsewhere.
DATA = Path(os.environ.get("KANSEN_BENCH_DATA") or Path(__file__).parent / ".data")


def child_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured command: Python's bytecode cached (under DATA), as an
    installed tool has it. Some machines set PYTHONDONTWRITEBYTECODE, which made every run
    compile kansen's sources again, a cost no user pays."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("PYTHONPYCACHEPREFIX", str(DATA / "pycache"))
    env.setdefault("KANSEN_CACHE_DIR", str(DATA / "cache"))
    return {**env, **(extra or {})}


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mb)


def run(
    cmd: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, float]:
    """Wall-clock seconds and peak resident memory (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=child_environment(env),
        cwd=cwd,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def compare(
    name: str,
    kansen: Sequence[Sequence[str]],
    reference: Sequence[Sequence[str]],
    repeat: int,
    prepare: Callable[[], None] | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> tuple[Runs, Runs]:
    """Alternate kansen and reference `repeat` times; each side may be several commands
    (their times add up, their peak memory is the largest). `prepare` runs before each
    measured run and is not timed (e.g. a fresh campaign folder)."""
    ours, theirs = Runs(), Runs()
    for _ in range(repeat):
        for side, commands in ((ours, kansen), (theirs, reference)):
            if prepare:
                prepare()
            total, peak = 0.0, 0.0
            for cmd in commands:
                seconds, mb = run(cmd, env=env, cwd=cwd)
                total += seconds
                peak = max(peak, mb)
            side.seconds.append(total)
            side.peak_mb.append(peak)
    report(name, ours, theirs)
    return ours, theirs


def report(name: str, ours: Runs, theirs: Runs, reference_name: str = "reference") -> None:
    ratio = ours.median / theirs.median
    print(
        f"{name}: kansen {ours.median:.2f} s (peak {ours.peak:.0f} MB) | "
        f"{reference_name} {theirs.median:.2f} s (peak {theirs.peak:.0f} MB) | "
        f"ratio kansen/reference {ratio:.2f}  [median of {len(ours.seconds)}]",
        flush=True,
    )


def sample_register(rows: int, suffix: str = ".csv", seed: int = 2015) -> Path:
    """A seeded synthetic register, made once and kept under benchmarks/.data."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"register-{rows}-{seed}{suffix}"
    if not path.exists():
        from kansen_cli.sample_files import write_sample

        write_sample(path, rows=rows, seed=seed)
    return path
