"""The typer application, the options every command shares, and error handling.

Commands live in sibling modules, one per user's job; they parse options, call the core,
render. Heavy libraries are imported inside commands so that `kansen --help` stays fast.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.exceptions import TyperException

from kansen_cli.cli.language import KansenCommand, KansenGroup, apply_language, json_error
from kansen_cli.errors import KansenError
from kansen_cli.i18n import LANG_ENV, UnknownLanguage, _, set_language

_STATE = {"debug": False}


def _guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The tool's own errors become one message and exit code 1; --debug re-raises them.

    With --json the message is a JSON object on stderr instead, with the same exit code.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = bool(kwargs.get("as_json"))
        try:
            return fn(*args, **kwargs)
        except (TyperException, typer.Exit, typer.Abort):
            raise
        except KansenError as exc:
            if _STATE["debug"]:
                raise
            _fail("error", str(exc), 1, as_json)
        except KeyboardInterrupt as exc:
            code = 143 if isinstance(exc, Terminated) else 130
            _fail("interrupted", _("interrupted; nothing was recorded"), code, as_json)
        except Exception as exc:
            if _STATE["debug"]:
                raise
            from kansen_cli.faults import explain

            # A full or read-only disk, a locked or damaged ledger: said in words.
            named = explain(exc)
            if named is not None:
                _fail("error", str(named), 1, as_json)
            # The message of an unexpected error may hold personal data: show its type only.
            _fail(
                "internal",
                _(
                    "internal error ({kind}). Run again with --debug to see the traceback, "
                    "and please report it."
                ).format(kind=type(exc).__name__),
                1,
                as_json,
            )

    return wrapper


def _fail(kind: str, message: str, code: int, as_json: bool) -> None:
    """Say what went wrong on stderr, as text or as the JSON object --json promises; exit."""
    if as_json:
        typer.echo(json_error(kind, message, code), err=True)
    else:
        typer.echo(_("kansen: error: {message}").format(message=message), err=True)
    raise typer.Exit(code) from None


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the command is, so it unwinds like Ctrl-C: transactions roll back,
    staged files go, the PDF workers are stopped; the exit code is then 143 (128 + 15)."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def handle_sigterm() -> None:
    """SIGTERM (`kill`, a service manager, a closing session) is handled like Ctrl-C.

    Installed once, when the command line is parsed; only the main thread may set a handler.
    """
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)


def wait_notice(seconds: float) -> None:
    """Said once when a command has to wait for another one to finish with the ledger."""
    typer.echo(
        _(
            "kansen: another kansen command is working in this campaign; waiting (at most {seconds} s) …"
        ).format(seconds=f"{seconds:g}"),
        err=True,
    )


app = typer.Typer(
    name="kansen",
    cls=KansenGroup,
    help=(
        "kansen: the outreach cycle for people on social assistance, from register export "
        "to council report.\n\n"
        "Commands work on the campaign in the current folder, or in the one --campaign DIR "
        "names. Dates (DATE) are written yyyy-mm-dd or dd-mm-yyyy; --lang en shows everything "
        "in English.\n\n"
        "Example: kansen select sample_data/register.csv --as-of 2026-10-01"
    ),
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


apply_language()


def _choose_language(value: str | None) -> str | None:
    try:
        set_language(value)
    except UnknownLanguage:
        set_language(None)
        apply_language()
        raise typer.BadParameter(
            _("{value!r} is no language kansen speaks; use nl or en").format(value=value)
        ) from None
    apply_language()
    return value


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"kansen {version('kansen_cli')}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an error (may hold personal data).")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            envvar=LANG_ENV,
            metavar="LANG",
            is_eager=True,
            callback=_choose_language,
            help="Language of everything kansen shows: nl (default) or en.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_show_version, help="Show kansen's version and stop."
        ),
    ] = False,
) -> None:
    """kansen: the outreach cycle for people on social assistance."""
    _STATE["debug"] = debug
    handle_sigterm()


def command(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`app.command` with the tool's error handling around the command."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        return app.command(*args, cls=KansenCommand, **kwargs)(_guarded(fn))

    return decorate


# Shared options, defined once.
CampaignOpt = Annotated[
    Path,
    typer.Option(
        "--campaign",
        "-c",
        help="Campaign folder holding kansen.toml and kansen.sqlite.",
        file_okay=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace output files that exist already.")]


def print_json(data: Any) -> None:
    """--json output: exactly what the core returned."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def console(stderr: bool = False) -> Any:
    """A rich console that prints text as it is: a cell holding `[/bold]` is data, not markup."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False, markup=False)


def date_option(value: str | None, name: str) -> Any:
    """A date typed by a user: yyyy-mm-dd or dd-mm-yyyy."""
    import datetime as dt

    if value is None:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise typer.BadParameter(
        _("{value!r} is no date; use yyyy-mm-dd or dd-mm-yyyy").format(value=value), param_hint=name
    )
