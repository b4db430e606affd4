"""The council figures: every table of `kansen report`, built from the ledger's frames.

Pure: takes the frames (`ledger.reporting.ReportData`) and the settings, returns a `Report` of
named tables with Dutch titles and labels plus the JSON dict. Rendering lives in
`report_render`, charts in `charts`.

The report is a list of sections (`build.SECTIONS`), one module each: `reach` (per
neighbourhood and per batch), `bases` (the advised base of the percentages), `routes` (reach per
channel and per round, the phone contact rate), `variants` (with the comparison and the
Cochran–Mantel–Haenszel table), `approaches` (letter against phone first, by the variants'
machinery), `outcomes` (and participation potential, also per neighbourhood), `locations`
(conversations per location), `activities` (and where conversations took place), `referrals`
(and their results), `followup`, `became_active`, `funnel`. A section
takes the `context.Context` and the shared `cells.Builder` and returns a `context.Part`; a new
programme adds a module and one entry in that list. Checks, `--publish` suppression and the
JSON assembly are shared (`build`).
"""

from kansen_cli.report.build import SECTIONS, build_report
from kansen_cli.report.cells import Builder, Cell, Report, Table

__all__ = ["SECTIONS", "Builder", "Cell", "Report", "Table", "build_report"]
