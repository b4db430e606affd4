"""Approaches compared (issue 12): phone first against a letter first, fairly, because the
approach is a letter variant and variants are assigned at random within each batch. The same
tables as the letter variants (Wilson per approach, Newcombe difference, the comparison within
batches), built by `variants.compare`; left out unless both approaches were used."""

from __future__ import annotations

from kansen_cli.i18n import N_
from kansen_cli.report.cells import Builder
from kansen_cli.report.context import Context, Part
from kansen_cli.report.frames import codes
from kansen_cli.report.variants import Grouping, compare

APPROACHES = Grouping(
    column="approach",
    prefix="approach",
    name="benaderingen",
    title=N_("Approaches"),
    header=N_("Approach"),
    json_key="approach",
    labels={"letter": "Eerst een brief", "phone_first": "Eerst bellen"},
)


def section(ctx: Context, b: Builder) -> Part:
    found = codes(["letter", "phone_first"], ctx.letters["approach"].dropna())
    used = [code for code in found if (ctx.letters["approach"] == code).any()]
    if len(used) < 2:
        return Part()
    return compare(
        ctx, b, APPROACHES, used, {"comparison": "approach_comparison", "stratified": "approach_stratified"}
    )
