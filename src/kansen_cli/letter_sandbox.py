"""The fence around letter templates: what a campaign's template may read, compute and print.

A campaign's templates are written by its staff, but they run over every person's data, so
they get the limits of code from elsewhere:

- Jinja's sandbox (no attributes starting with `_`, no unsafe calls), with tighter limits on
  what a template may build: ranges of at most MAX_RANGE items, text and lists of at most
  MAX_TEXT items from `*`, `join`, `replace` or any call, small powers, and a letter of at
  most MAX_LETTER characters. A letter is one page; none of these limits comes near it.
- The templates, the logo and everything they include are read from the template folders
  only: a symbolic link there that leads elsewhere (to the pseudonym key, say) is refused.
  (What WeasyPrint may load for the PDF is fenced in `letter_urls`.)

Breaking any of these is a `LetterTemplateError` naming the template and the line.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kansen_cli.errors import KansenError, LetterTemplateError
from kansen_cli.i18n import _

if TYPE_CHECKING:
    from jinja2 import Template
    from jinja2.sandbox import SandboxedEnvironment

# A letter loops over a few lines at most; a range of thousands is a mistake or an attack.
MAX_RANGE = 1000
# Text (or a list) a single operation may make: a whole letter is some 5,000 characters.
MAX_TEXT = 200_000
# A whole letter, with an inline logo of a few hundred kilobytes.
MAX_LETTER = 5_000_000
MAX_EXPONENT = 64


def inside(path: Path | str, roots: Sequence[Path | str]) -> bool:
    """Whether `path`, with every symbolic link followed, lies in one of the (resolved) `roots`."""
    real = Path(os.path.realpath(path))
    return any(real.is_relative_to(os.path.realpath(root)) for root in roots)


def _refuse(what: str) -> None:
    from jinja2.sandbox import SecurityError

    raise SecurityError(what)


def _letter_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        _refuse(f"a range of {len(numbers)} items (a letter may loop over at most {MAX_RANGE})")
    return numbers


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple) else 0


def _check_counts(args: Sequence[Any], kwargs: dict[str, Any]) -> None:
    """A count or width beyond MAX_TEXT (`"x".ljust(10**9)`, `center(10**9)`) is refused."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
            _refuse(f"a number of {abs(value)} given to a function (at most {MAX_TEXT})")


def _guarded_filter(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)  # keeps jinja's pass_context/pass_eval_context marks
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _check_counts(args, kwargs)
        if name == "join":  # (eval_ctx, value, d="", attribute=None)
            items = list(args[1])
            sep = args[2] if len(args) > 2 else kwargs.get("d", "")
            if sum(_size(str(i)) for i in items) + _size(str(sep)) * len(items) > MAX_TEXT:
                _refuse(f"a joined text over {MAX_TEXT} characters")
            args = (args[0], items, *args[2:])
        elif name == "replace":  # (eval_ctx, s, old, new, count=None)
            text, old, new = (str(a) for a in args[1:4])
            if old and _size(text) + text.count(old) * _size(new) > MAX_TEXT:
                _refuse(f"a replaced text over {MAX_TEXT} characters")
        result = fn(*args, **kwargs)
        if _size(result) > MAX_TEXT:
            _refuse(f"a text over {MAX_TEXT} characters from the filter {name!r}")
        return result

    return wrapper


def _sandbox_class() -> type[SandboxedEnvironment]:
    from jinja2.sandbox import SandboxedEnvironment

    class LetterSandbox(SandboxedEnvironment):
        """Jinja's sandbox with the letter limits (module docstring)."""

        intercepted_binops = frozenset({"*", "**"})

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.globals["range"] = _letter_range
            self.filters = {name: _guarded_filter(name, fn) for name, fn in self.filters.items()}

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                _refuse(f"a power of {right} (at most {MAX_EXPONENT})")
            if operator == "*":
                count = right if _size(left) else left
                longest = max(_size(left), _size(right))
                if longest and isinstance(count, int) and longest * count > MAX_TEXT:
                    _refuse(f"a repeated text or list over {MAX_TEXT} items")
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            _check_counts(args, kwargs)
            result = super().call(__context, __obj, *args, **kwargs)
            if _size(result) > MAX_TEXT:
                _refuse(f"a text over {MAX_TEXT} characters from a call")
            return result

    return LetterSandbox


def _loader_class() -> type[Any]:
    from jinja2 import FileSystemLoader

    class FencedLoader(FileSystemLoader):
        """Reads a template only if it really lies in one of the template folders."""

        def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            if not inside(filename, list(self.searchpath)):
                raise LetterTemplateError(
                    _(
                        "letter template {template} is a symbolic link to a file outside the "
                        "template folders; a letter may use only files in templates/letters/; "
                        "nothing written"
                    ).format(template=template)
                )
            return source, filename, uptodate

    return FencedLoader


def sandbox(paths: Sequence[str]) -> SandboxedEnvironment:
    """The sandboxed environment reading templates from `paths` (first match wins)."""
    from jinja2 import StrictUndefined

    return _sandbox_class()(
        loader=_loader_class()(list(paths)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(template: Template, /, **values: Any) -> str:
    """Render one template, within MAX_LETTER characters; any failure names the template.

    `template` is positional only: a letter has a field of that name (the template it is made from).
    """
    try:
        parts: list[str] = []
        size = 0
        for part in template.generate(**values):
            size += len(part)
            if size > MAX_LETTER:
                _refuse(f"a letter over {MAX_LETTER} characters")
            parts.append(part)
        return "".join(parts)
    except KansenError:
        raise
    except Exception as exc:  # whatever a template does wrong is the template's error
        raise LetterTemplateError(_message(template, exc)) from None


def _where(template: Template, exc: BaseException) -> str:
    """The template and line where `exc` happened (Jinja puts template frames in the traceback)."""
    name, line = template.name or "?", None
    tb = exc.__traceback__
    while tb is not None:  # the innermost template frame wins: an included file's own line
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".css", ".html")):
            name, line = Path(filename).name, tb.tb_lineno
        tb = tb.tb_next
    return _("{name} line {line}").format(name=name, line=line) if line else name


def _message(template: Template, exc: BaseException) -> str:
    from jinja2 import TemplateError
    from jinja2.sandbox import SecurityError

    if isinstance(exc, SecurityError):
        why = _("leaves the sandbox or its limits ({error})").format(error=exc)
    elif isinstance(exc, RecursionError):
        why = _("calls itself too deeply")
    elif isinstance(exc, MemoryError):
        why = _("needs too much memory")
    elif isinstance(exc, OverflowError):
        why = _("makes a number or range too large")
    elif isinstance(exc, TemplateError):
        # Jinja's own messages name template constructs and fields, never their values.
        why = _("cannot be rendered ({error})").format(error=exc.message)
    else:
        # Other messages may quote a person's data: the kind of error only.
        why = _("cannot be rendered ({error})").format(error=type(exc).__name__)
    return _("letter template {where} {why}; nothing written, nothing recorded").format(
        where=_where(template, exc), why=why
    )
