"""Progress on long steps: the core calls `on_progress(done, total)` with `done` rising to
`total`; the command line draws a bar only on a terminal, never in --json or captured output."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from kansen_cli.cli import progress as cli_progress


def _recorder() -> tuple[list[tuple[int, int]], object]:
    calls: list[tuple[int, int]] = []
    return calls, lambda done, total: calls.append((done, total))


def _rises_to_the_end(calls: list[tuple[int, int]]) -> None:
    assert calls, "never called"
    totals = {t for _, t in calls}
    assert len(totals) == 1
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[0] == 0 and done[-1] == calls[0][1]


def test_reading_a_register_reports_progress(small_register: Path) -> None:
    from kansen_cli.register import read_register

    calls, record = _recorder()
    read_register(small_register, on_progress=record)  # type: ignore[arg-type]
    _rises_to_the_end(calls)
    assert len(calls) >= 3  # the file, then the checks of the rows one by one


def test_letters_advance_per_chunk_not_in_two_jumps(monkeypatch) -> None:
    # 283 letters on 2 workers used to be two chunks: 0 -> 142 -> 283. Now chunks are at most
    # CHUNK_LETTERS, and the bar moves after each.
    from kansen_cli import letter_render as render

    chunks = render._chunks(283, workers=2)
    sizes = [len(c) for c in chunks]
    assert sum(sizes) == 283 and max(sizes) <= 40 and len(sizes) >= 8


def test_letters_progress_rises_per_chunk(monkeypatch) -> None:
    from kansen_cli import letter_render as render
    from kansen_cli.workflows import letters as workflow

    monkeypatch.setattr(render, "render_document", lambda env, letters: str(len(letters)))
    monkeypatch.setattr(render, "template_name", lambda name: name, raising=False)
    monkeypatch.setattr(render, "pdf_from_html", lambda html, roots=(): (b"%PDF", int(html)))
    monkeypatch.setattr(render, "merge_pdfs", lambda parts: b"%PDF")
    monkeypatch.setattr("kansen_cli.letter_urls.template_roots", lambda env: [])
    fields = [{"client_id": f"c{i}"} for i in range(100)]
    calls, record = _recorder()
    workflow.render_contents(None, fields, {"pdf": Path("x.pdf")}, {"pdf"}, 1, record)  # type: ignore[arg-type]
    _rises_to_the_end(calls)
    assert [d for d, _ in calls] == [0, 40, 80, 100]  # chunks of 40, 40 and 20 on one worker


def test_ingest_reports_each_file(tmp_path: Path, monkeypatch) -> None:
    from kansen_cli.workflows import ingest as workflow

    monkeypatch.setattr(workflow, "ingest_file", lambda *args, **kwargs: object())
    (tmp_path / "c").mkdir()
    monkeypatch.setattr("kansen_cli.ledger.open_ledger", _no_ledger)
    calls, record = _recorder()
    files = [tmp_path / f"{i}.xlsx" for i in range(4)]
    workflow.run(tmp_path / "c", None, files, None, on_progress=record)  # type: ignore[arg-type]
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


class _no_ledger:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __enter__(self) -> object:
        return object()

    def __exit__(self, *exc: object) -> None:
        return None


def test_report_reports_its_steps(demo_run, tmp_path: Path) -> None:
    from kansen_cli.settings import load_settings
    from kansen_cli.workflows import report as workflow

    campaign = tmp_path / "campaign"
    shutil.copytree(demo_run[0], campaign)
    calls, record = _recorder()
    out = tmp_path / "raad.md"
    workflow.run(campaign, load_settings(campaign), fmt="md", out=out, publish=True, on_progress=record)  # type: ignore[arg-type]
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_a_bar_only_on_a_terminal_and_never_with_json(monkeypatch) -> None:
    terminal = io.StringIO()
    monkeypatch.setattr(terminal, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("sys.stderr", terminal)
    assert cli_progress.wanted(as_json=False)
    assert not cli_progress.wanted(as_json=True)
    monkeypatch.setattr(terminal, "isatty", lambda: False, raising=False)
    assert not cli_progress.wanted(as_json=False)


@pytest.mark.parametrize("json_flag", [(), ("--json",)])
def test_no_progress_output_when_not_a_terminal(invoke, small_register: Path, json_flag) -> None:
    result = invoke("check", small_register, *json_flag)
    assert result.exit_code == 0, result.stderr
    for text in ("Registerbestand lezen", "resterend", "\r", "\x1b["):
        assert text not in result.stderr


def test_on_a_terminal_the_bar_shows_count_and_time_left_in_dutch(monkeypatch) -> None:
    from kansen_cli.i18n import using

    terminal = io.StringIO()
    monkeypatch.setattr(terminal, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("sys.stderr", terminal)
    with using("nl"), cli_progress.progress_bar("Brieven") as progress:
        for done in range(4):
            progress(done, 3)
    drawn = terminal.getvalue()
    assert "Brieven" in drawn and "2/3" in drawn and "resterend" in drawn
