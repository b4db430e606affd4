"""The command line in the user's language: help texts, typer's own words, usage errors.

Help texts stay English in the source (docstrings and `help=`), because they are also the
catalogue's message ids; they are translated when help is shown, by the command classes
below, so `--lang en` and `KANSEN_LANG` work whatever was imported first. Typer's words
("Options", "[default: …]") and the usage errors of its vendored click are English constants;
`apply_language` swaps them for the catalogue's.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from typing import Any

import typer.core
import typer.rich_utils as rich_utils
from rich.markup import escape

from kansen_cli.i18n import N_, _, language

# typer.rich_utils's module constants, with their English text as the message id.
_TYPER_WORDS = {
    "DEPRECATED_STRING": N_("(deprecated) "),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}

# Usage errors of click, as it words them, and how they are said in the user's language.
_USAGE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Missing argument (?P<name>.+)\.$"), N_("Missing argument {name}.")),
    (re.compile(r"^Missing option (?P<name>.+)\.$"), N_("Missing option {name}.")),
    (re.compile(r"^Missing parameter (?P<name>.+)\.$"), N_("Missing parameter {name}.")),
    (re.compile(r"^No such option: (?P<name>\S+)$"), N_("No such option: {name}")),
    (
        re.compile(r"^No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)$"),
        N_("No such option: {name} (did you mean: {options}?)"),
    ),
    (re.compile(r"^No such command '(?P<name>.+)'\.$"), N_("No such command '{name}'.")),
    (
        re.compile(r"^Option '(?P<name>.+)' requires an argument\.$"),
        N_("Option '{name}' requires a value."),
    ),
    (
        re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$"),
        N_("Unexpected extra argument(s): {args}"),
    ),
    (
        re.compile(r"^'(?P<value>.*)' is not a valid integer\.$"),
        N_("'{value}' is not a whole number."),
    ),
    (
        re.compile(r"^(?P<value>.*) is not in the range (?P<range>.+)\.$"),
        N_("{value} is not in the range {range}."),
    ),
    (
        re.compile(r"^'(?P<value>.*)' is not one of (?P<choices>.+)\.$"),
        N_("'{value}' is not one of {choices}."),
    ),
    (re.compile(r"^Missing command\.$"), N_("Missing command.")),
    # typer 0.29 checks numbers with pydantic, which words its errors this way.
    (re.compile(r"^Input should be a valid integer\b.*$"), N_("Use a whole number.")),
    (re.compile(r"^Input should be a valid number\b.*$"), N_("Use a number.")),
    (
        re.compile(r"^Input should be greater than or equal to (?P<limit>\S+)$"),
        N_("Use a number of at least {limit}."),
    ),
    (
        re.compile(r"^Input should be less than or equal to (?P<limit>\S+)$"),
        N_("Use a number of at most {limit}."),
    ),
)
_INVALID_VALUE = re.compile(r"^Invalid value for (?P<hint>.+?): (?P<message>.*)$", re.DOTALL)


def apply_language() -> None:
    """Typer's own words in the current language (called whenever the language is chosen)."""
    for name, message in _TYPER_WORDS.items():
        setattr(rich_utils, name, _(message))
    rich_utils.rich_format_error = show_usage_error  # type: ignore[assignment]


def usage_error_text(message: str) -> str:
    """A click usage error in the user's language (as it was, where no pattern knows it)."""
    invalid = _INVALID_VALUE.match(message)
    if invalid:
        inner = usage_error_text(invalid["message"])
        return _("Invalid value for {hint}: {message}").format(hint=invalid["hint"], message=inner)
    for pattern, template in _USAGE_ERRORS:
        found = pattern.match(message)
        if found:
            return _(template).format(**found.groupdict())
    return message


JSON_ASKED = "kansen.json_asked"  # ctx.meta: --json was on the line, even if parsing failed before it


def _note_json(ctx: Any, args: list[str]) -> None:
    if "--json" in args:
        ctx.meta[JSON_ASKED] = True


def _wants_json(ctx: Any) -> bool:
    if ctx is not None and ctx.meta.get(JSON_ASKED):
        return True
    while ctx is not None:
        if ctx.params.get("as_json"):
            return True
        ctx = ctx.parent
    return "--json" in sys.argv[1:]


def show_usage_error(error: Any) -> None:
    """Typer's error panel, in the user's language; with --json, a JSON object on stderr."""
    if error.__class__.__name__ == "NoArgsIsHelpError":
        return
    text = usage_error_text(error.format_message())
    ctx = getattr(error, "ctx", None)
    if _wants_json(ctx):
        sys.stderr.write(json_error("usage", text, error.exit_code) + "\n")
        return
    console = rich_utils._get_rich_console(stderr=True)
    if ctx is not None:
        console.print(rich_utils.highlighter(ctx.get_usage()), style=rich_utils.STYLE_USAGE_COMMAND)
        if ctx.command.get_help_option(ctx) is not None:
            console.print(
                rich_utils.RICH_HELP.format(
                    command_path=escape(ctx.command_path), help_option=ctx.help_option_names[0]
                ),
                style=rich_utils.STYLE_ERRORS_SUGGESTION,
            )
    from rich.panel import Panel

    console.print(
        Panel(
            rich_utils.highlighter(escape(text)),
            border_style=rich_utils.STYLE_ERRORS_PANEL_BORDER,
            title=rich_utils.ERRORS_PANEL_TITLE,
            title_align=rich_utils.ALIGN_ERRORS_PANEL,
        )
    )


def json_error(kind: str, message: str, exit_code: int) -> str:
    """The error object `--json` promises on stderr (stable keys)."""
    return json.dumps(
        {"error": {"kind": kind, "message": message}, "exit_code": exit_code}, ensure_ascii=False
    )


def _translated(text: str | None) -> str | None:
    # Rich markup is on for the help panels, so a translated `[letters]` must stay text.
    return None if text is None else escape(_(text))


def reflowed(text: str | None) -> str | None:
    """Help with its paragraphs as whole lines, which rich wraps to the terminal: the line
    breaks of a docstring (or of a translation) would otherwise break lines at 80 columns
    half-way."""
    if text is None:
        return None
    paragraphs = text.strip().split("\n\n")
    return "\n\n".join(" ".join(part.split()) for part in paragraphs)


def help_texts(command: Any) -> Iterator[str]:
    """Every text of a command's help that the catalogue translates (for the catalogue)."""
    for text in (command.help, getattr(command, "rich_help_panel", None)):
        if text:
            yield text
    for param in command.params:
        for text in (getattr(param, "help", None), getattr(param, "rich_help_panel", None)):
            if text:
                yield text


# The help of the options typer and click add themselves (not in a command's params).
_BUILT_IN_HELP = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


def translate_help(command: Any, ctx: Any = None) -> None:
    """A command's help texts in the current language, in place (the click objects are built
    afresh for every run of the app, and help is shown once); with `ctx`, also the help of the
    options click adds (--help, shell completion)."""
    if getattr(command, "_kansen_language", None) != language():
        command.help = reflowed(_translated(command.help))
        command.short_help = reflowed(_translated(command.short_help))
        if getattr(command, "rich_help_panel", None):
            command.rich_help_panel = _(command.rich_help_panel)
        command._kansen_language = language()
    for param in command.params if ctx is None else command.get_params(ctx):
        if getattr(param, "_kansen_language", None) == language():
            continue
        if getattr(param, "help", None):
            param.help = _translated(param.help)
        if getattr(param, "rich_help_panel", None):
            param.rich_help_panel = _(param.rich_help_panel)
        param._kansen_language = language()


def _usage(line: str) -> str:
    """The usage line in the user's language, its placeholders for options and commands too."""
    line = line.replace("Usage:", _("Usage:"), 1)
    line = line.replace("[OPTIONS]", _("[OPTIONS]"), 1)
    return line.replace("COMMAND [ARGS]...", _("COMMAND [ARGS]..."), 1)


# Placeholders of options that declare none, by the kind of value they take.
_PLACEHOLDERS = {"int": "N", "float": "NUMBER"}


def placeholder(param: Any) -> str | None:
    """The one placeholder style of the help: an argument by its name in capitals (BATCH,
    REGISTER), an option by its value (FILE, DIR, N, TEXT; dates say DATE where declared), a
    flag by nothing at all (typer would show `<bool>`)."""
    if param.metavar is not None:
        return str(param.metavar)
    if param.param_type_name == "argument":
        return str(param.name).upper()
    if getattr(param, "is_flag", False):
        return ""
    kind = param.type_descriptor
    if kind.is_path:
        return "DIR" if kind.path_type == "dir" else "FILE"
    if kind.is_ranged:
        return "N"
    return _PLACEHOLDERS.get(param.bare_type(), "TEXT")


def _no_type(ctx: Any) -> None:
    return None


def use_placeholders(params: Any) -> None:
    """Every parameter's placeholder in the one style; an argument's name says its type."""
    for param in params:
        param.metavar = placeholder(param)
        if param.param_type_name == "argument":
            param.display_type_rich = _no_type


def _plain_required(pieces: list[str]) -> list[str]:
    # typer writes a required argument as `{BATCH}`; a capitalised name says enough.
    return [piece.replace("{", "").replace("}", "") for piece in pieces]


class KansenCommand(typer.core.TyperCommand):
    """A command whose help is shown in the user's language, with one placeholder style."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_placeholders(self.params)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return _plain_required(super().collect_usage_pieces(ctx))

    def format_help(self, ctx: Any, formatter: Any) -> None:
        translate_help(self, ctx)
        use_placeholders(self.get_params(ctx))
        super().format_help(ctx, formatter)

    def get_usage(self, ctx: Any) -> str:
        return _usage(super().get_usage(ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _note_json(ctx, args)  # a usage error met before --json is parsed still answers in JSON
        return list(super().parse_args(ctx, args))


class KansenGroup(typer.core.TyperGroup):
    """The `kansen` group: its own help and the list of commands in the user's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_placeholders(self.params)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        translate_help(self, ctx)
        use_placeholders(self.get_params(ctx))
        for name in self.list_commands(ctx):
            sub = self.get_command(ctx, name)
            if sub is not None:
                translate_help(sub)
        super().format_help(ctx, formatter)

    def get_usage(self, ctx: Any) -> str:
        return _usage(super().get_usage(ctx))

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _note_json(ctx, args)  # a usage error met before --json is parsed still answers in JSON
        return list(super().parse_args(ctx, args))
