"""The fault suite's shared verdicts (tests/test_fault_*.py): how a command may end under a fault.

Every fault case ends in one of two ways: it copes (exit 0, and what it promised is true) or it
stops cleanly. Stopping cleanly means: exit code 1 (130/143 for a signal), one "kansen: error:"
message, no "internal error", no traceback, no BSN and no name of the people involved in what
it printed, the ledger and the files as before, and no process of it left running.

A case declares its class with `@pytest.mark.fault("concurrency")` etc. so that
`pytest -m fault` runs the whole suite and its summary gives the counts per class.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from safety_helpers import bsns_in

# The classes of issue 17, in its order.
FAULT_CLASSES = (
    "concurrency",
    "storage",
    "register",
    "template",
    "files",
    "signals",
    "privacy",
)


@dataclass(frozen=True)
class Ended:
    """How a command ended: exit code and everything it printed."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def ended(result: object) -> Ended:
    """A CliRunner result or a CompletedProcess as an `Ended`."""
    code = getattr(result, "exit_code", None)
    if code is None:
        code = getattr(result, "returncode")  # noqa: B009 - CompletedProcess
    stdout = getattr(result, "stdout", "") or ""
    stderr = getattr(result, "stderr", "") or ""
    if isinstance(stdout, bytes):
        stdout = stdout.decode(errors="replace")
    if isinstance(stderr, bytes):
        stderr = stderr.decode(errors="replace")
    return Ended(int(code), stdout, stderr)


def assert_no_leak(printed: str, names: Iterable[str] = ()) -> None:
    """Nothing that looks like a BSN, and none of `names` (surnames, phone numbers …)."""
    assert not bsns_in(printed), f"a BSN in the output: {printed!r}"
    for name in names:
        if name:
            assert name not in printed, f"personal data {name!r} in the output"


def assert_stopped_cleanly(
    result: object, names: Iterable[str] = (), codes: Sequence[int] = (1,), says: str | None = None
) -> Ended:
    """Exit code in `codes`, a one-line 'kansen: error' message, no traceback, nothing personal."""
    end = ended(result)
    assert end.exit_code in codes, f"exit {end.exit_code}, not {codes}: {end.output!r}"
    assert "internal error" not in end.output and "interne fout" not in end.output, end.output
    assert "Traceback" not in end.output, end.output
    if 1 in codes and end.exit_code == 1:
        said = end.stderr + end.output
        assert "kansen: error:" in said or "kansen: fout:" in said, end.output
    if says is not None:
        assert says.lower() in end.output.lower(), f"{says!r} not in {end.output!r}"
    assert_no_leak(end.output, names)
    return end


def kansen_process(
    args: Sequence[str | os.PathLike[str]],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    log: Path | None = None,
) -> subprocess.Popen[bytes]:
    """`kansen ARGS` as a real process in its own session (so its children can be found)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env.setdefault("COLUMNS", "120")
    out = open(log.with_suffix(".out"), "wb") if log else subprocess.PIPE  # noqa: SIM115
    err = open(log.with_suffix(".err"), "wb") if log else subprocess.PIPE  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "kansen_cli", *map(str, args)],
        stdout=out,
        stderr=err,
        env=full_env,
        cwd=cwd,
        start_new_session=True,
    )


def run_kansen(
    args: Sequence[str | os.PathLike[str]],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 300,
) -> Ended:
    """Run `kansen ARGS` as a process to its end; a hang fails the test (and is killed)."""
    proc = kansen_process(args, env, cwd)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise AssertionError(f"kansen {' '.join(map(str, args))} hangs") from None
    return Ended(proc.returncode, stdout.decode(errors="replace"), stderr.decode(errors="replace"))


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL a process started by `kansen_process` and everything it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def group_alive(pgid: int) -> bool:
    """Whether any process of the process group `pgid` is still running (zombies excluded)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            return True
    return False


def assert_no_process_left(proc: subprocess.Popen[bytes], wait: float = 10.0) -> None:
    """After `proc` ended, no process of its group lives on (checked for up to `wait` seconds)."""
    deadline = time.monotonic() + wait
    while group_alive(proc.pid):
        if time.monotonic() > deadline:
            kill_group(proc)
            raise AssertionError("processes of the command are still running")
        time.sleep(0.1)


def children(pid: int) -> list[int]:
    """The running (not zombie) processes whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def wait_for_children(proc: subprocess.Popen[bytes], count: int, timeout: float = 60.0) -> bool:
    """Wait until `proc` has `count` child processes (e.g. its PDF workers); False if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if len(children(proc.pid)) >= count:
            return True
        time.sleep(0.05)
    return False


# ---------------------------------------------------------------- storage faults (tmpfs)


def can_mount() -> str | None:
    """Why a small tmpfs cannot be mounted here (None when it can): storage faults need root."""
    import shutil

    if os.geteuid() != 0:
        return "storage faults need a tmpfs mount, which needs root"
    if shutil.which("mount") is None or shutil.which("umount") is None:
        return "mount/umount are not installed"
    return None


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "16m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `folder` for the block; always unmounted afterwards."""
    import pytest

    reason = can_mount()
    if reason:
        pytest.skip(reason)
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(folder)], capture_output=True)
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@contextlib.contextmanager
def read_only(mountpoint: Path) -> Iterator[Path]:
    """The tmpfs at `mountpoint` read-only for the block, writable again afterwards."""
    import pytest

    done = subprocess.run(["mount", "-o", "remount,ro", str(mountpoint)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only here: {done.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mountpoint)], capture_output=True)


def fill_disk(mountpoint: Path, leave: int) -> Path:
    """Fill the file system of `mountpoint` with one file until about `leave` bytes are free."""
    stats = os.statvfs(mountpoint)
    free = stats.f_bavail * stats.f_frsize
    filler = mountpoint / "filler.bin"
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(0, free - leave))
    return filler


def wait_for_mark(err_path: Path, mark: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    """Wait until a process started with `log=` printed `mark` on stderr (or fail)."""
    deadline = time.monotonic() + timeout
    while mark not in err_path.read_text(errors="replace"):
        assert proc.poll() is None, f"the command ended before {mark!r}: {err_path.read_text()[-800:]}"
        assert time.monotonic() < deadline, f"no {mark!r} seen"
        time.sleep(0.02)
