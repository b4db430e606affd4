"""The shape issue 11 gave the code, kept: SQL only in the ledger, workflows that neither print
nor read the clock, a CLI that calls workflows, and functions and modules of a readable size."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).parent.parent / "src" / "kansen_cli"
# A string that is an SQL statement: the verb and what it works on.
SQL = re.compile(r"\b(SELECT\b.*\bFROM|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", re.S)
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 500


def _modules(folder: Path = SRC) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def _strings(tree: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def test_the_sql_pattern_finds_sql() -> None:
    assert SQL.search("SELECT client_id FROM letters WHERE batch_id = ?")
    assert SQL.search("INSERT OR REPLACE INTO outcomes (client_id) VALUES (?)")
    assert SQL.search("UPDATE referrals SET result = ?")
    assert not SQL.search("Select the people nobody has spoken to, from the register")


def test_no_sql_outside_the_ledger() -> None:
    found = [
        f"{path.relative_to(SRC)}: {text[:50]!r}"
        for path in _modules()
        if "ledger" not in path.relative_to(SRC).parts
        for text in _strings(_tree(path))
        if SQL.search(text)
    ]
    assert found == []


@pytest.mark.parametrize("path", _modules(SRC / "workflows"), ids=lambda p: p.name)
def test_a_workflow_neither_prints_nor_reads_the_clock(path: Path) -> None:
    tree = _tree(path)
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
    }
    assert not imported & {"typer", "rich", "click"}
    calls = [ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert not [c for c in calls if c == "print" or c.endswith(("date.today", "datetime.now", "clock.today"))]


@pytest.mark.parametrize("path", _modules(SRC / "cli"), ids=lambda p: p.name)
def test_the_cli_leaves_the_ledger_to_the_workflows(path: Path) -> None:
    tree = _tree(path)
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {m for m in modules if m.startswith("kansen_cli.ledger")}, "open the ledger in a workflow"


def test_functions_and_modules_stay_readable() -> None:
    too_long = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(SRC)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(SRC)}:{node.lineno} {node.name}: {lines} lines")
    assert too_long == []
