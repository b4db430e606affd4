"""Shared fixtures: a CLI runner, small registers, campaign folders."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from campaign_helpers import make_campaign
from dates import TODAY
from kansen_cli.cli import app
from kansen_cli.clock import TODAY_ENV

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_AS_OF = "2026-10-01"


@pytest.fixture(autouse=True, scope="session")
def fixed_today():
    """Every command the tests run, here or in a subprocess, takes TODAY as today."""
    previous = os.environ.get(TODAY_ENV)
    os.environ[TODAY_ENV] = TODAY.isoformat()
    yield TODAY
    if previous is None:
        os.environ.pop(TODAY_ENV, None)
    else:
        os.environ[TODAY_ENV] = previous


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory):
    """The notes of checked ledgers (kansen_cli.ledger.verified) go to the session's own folder."""
    from kansen_cli.ledger.verified import CACHE_ENV

    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("kansen-cache"))
    yield
    if previous is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = previous


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner):
    """Run `kansen ARGS` in-process; returns the typer Result."""

    def run(*args: str | os.PathLike[str], input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input)

    return run


@pytest.fixture(scope="session")
def small_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 600-person synthetic register CSV, written once per test session."""
    from kansen_cli.sample_files import write_sample

    folder = tmp_path_factory.mktemp("register")
    path = folder / "register.csv"
    write_sample(path, rows=600, seed=7)
    return path


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    """A campaign folder: kansen.toml with every default, no ledger yet (the first select makes it)."""
    return make_campaign(tmp_path / "campaign")


DEMO_ROWS = 1500  # a smaller register than the 10,000 of `kansen demo`: the same cycle, sooner


@dataclass(frozen=True)
class DemoOutput:
    """What `kansen demo` printed and how it ended (the parts of a CliRunner result tests read)."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoOutput]:
    """`kansen demo` run once per test run: (campaign folder, what it printed).

    Shared by the demo, privacy and purge tests; a test that changes the campaign copies it
    first. Under `make test` (pytest-xdist, a process per core) the workers share one demo: the
    first to get here makes it under a lock, in the run's common temporary folder, and the
    others read it.
    """
    import fcntl
    import json

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the folder all workers' temporary folders live in
    shared = root / "shared-demo"
    with open(root / "shared-demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        printed = shared / "printed.json"
        if not printed.exists():
            result = CliRunner().invoke(app, ["demo", str(shared / "campaign"), "--rows", str(DEMO_ROWS)])
            record = {"exit_code": result.exit_code, "stdout": result.stdout, "stderr": result.stderr}
            printed.write_text(json.dumps(record))
        output = DemoOutput(**json.loads(printed.read_text()))
    return shared / "campaign", output


@pytest.fixture
def nijmegen(invoke, tmp_path: Path) -> tuple[Path, str]:
    """`kansen init --preset nijmegen` (conversations at a location), its own sample register
    selected and batched (about 50); returns the campaign and its first batch, not planned yet."""
    import sqlite3

    from registration_helpers import AS_OF

    campaign = tmp_path / "doe-je-mee"
    assert invoke("init", campaign, "--preset", "nijmegen").exit_code == 0
    register = tmp_path / "register.csv"
    result = invoke("sample", register, "--rows", "600", "--seed", "7", "-c", campaign)
    assert result.exit_code == 0, result.stderr
    for args in (("select", register, "--as-of", AS_OF), ("batch", "--size", "50")):
        result = invoke(*args, "-c", campaign)
        assert result.exit_code == 0, result.stderr
    with sqlite3.connect(campaign / "kansen.sqlite") as db:
        batch = db.execute("SELECT batch_id FROM batches ORDER BY neighbourhood, seq LIMIT 1").fetchone()[0]
    return campaign, batch


@pytest.fixture
def english_messages(monkeypatch: pytest.MonkeyPatch):
    """Errors and problems in English (`KANSEN_LANG=en`), for modules that still assert the
    English texts; the Dutch ones are asserted in test_errors_language.py and the check tests."""
    from kansen_cli import i18n

    monkeypatch.setenv(i18n.LANG_ENV, "en")
    i18n.set_language(None)
    yield
    i18n.set_language(None)


@pytest.fixture(autouse=True)
def _language_of_the_environment():
    """Each test starts in the language of the environment (Dutch unless KANSEN_LANG says
    otherwise): a `--lang` given to an earlier command in this process does not carry over."""
    from kansen_cli.i18n import set_language

    set_language(None)
    yield
    set_language(None)
