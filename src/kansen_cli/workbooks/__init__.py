"""The consultants' workbooks: one module per kind, shared machinery beside them.

A workbook kind (the registration sheet per batch, the follow-up sheet, …) is declared in
one module that subclasses `kind.WorkbookKind`: its name (the `kind` in the hidden marker),
its data sheets with the column keys `ingest` cannot do without, its builder, how it reads
from the ledger what its rows are checked against, its row rules, and how a planned change
is written (through functions in `kansen_cli.ledger`). `registry.KINDS` lists the kinds;
`ingest` looks a file's kind up by its marker and calls that kind's parts, so adding a kind
is adding its module (and its ledger queries) and one entry in that list.

Shared by every kind:

- `layout`: the `Column` of a data sheet, the marker's and lists' sheet names, cell formats;
- `writing`: a workbook of data sheets with dropdowns, protection, explanation and marker;
- `reading`: reading a returned workbook back, its marker checked against the registry;
- `cells`: what a consultant may have typed (dates, labels, Ja/Nee, client numbers);
- `plan`: `IngestPlan`, the row checker and the loop over a file's rows.

Heavy libraries (openpyxl, pandas) are imported inside functions, never here.
"""
