"""The tool's own errors. The CLI turns each into one message on stderr and exit code 1.

Messages never contain a BSN or a name: they name files, rows, columns and settings.
"""

from __future__ import annotations


class KansenError(Exception):
    """Base class: a problem the user can fix; shown without traceback."""


class SettingsError(KansenError):
    """kansen.toml is missing a value, has an unknown key or a wrong type."""


class InputFileError(KansenError):
    """An input file cannot be read as what it should be (encoding, delimiter, format)."""


class MissingColumnsError(KansenError):
    """A required column is not in the register export."""


class LedgerError(KansenError):
    """The campaign ledger is missing, from a newer version, or lacks what the command needs."""


class NotFoundError(KansenError):
    """A batch, selection or other named thing does not exist in the ledger."""


class OutputExistsError(KansenError):
    """An output file exists already and --force was not given."""


class TemplateFieldError(KansenError):
    """A letter template uses a field that some people's data lacks."""


class ReportInconsistent(KansenError):
    """Figures in the report that must agree do not: the ledger holds contradicting records."""


class LetterTemplateError(KansenError):
    """A letter template leaves its sandbox or its folders, or asks for more than a letter needs."""


class UnsafeFolderError(KansenError):
    """An output folder is a symbolic link: kansen writes and cleans up only in real folders."""


class LedgerBusyError(LedgerError):
    """Another kansen command held the campaign's ledger for longer than the bounded wait."""


class LedgerDamagedError(LedgerError):
    """The ledger file fails SQLite's check (random bytes, a cut-off copy) or is empty."""


class StorageError(KansenError):
    """The disk refused: full, read-only, no permission, or an I/O error; nothing was recorded."""


class PersonalDataError(KansenError):
    """Personal data would go where it must not: a BSN as the client id, which names files."""
