"""The funnel from register to active: the latest selection, then one cohort, the people
approached in the period, followed through whenever they were spoken to, referred or became
active (the outcome tables count conversations in the period instead)."""

from __future__ import annotations

from kansen_cli.i18n import _
from kansen_cli.report.cells import Builder, Count, Key, Table, label
from kansen_cli.report.context import Context, Part
from kansen_cli.report.frames import clean, isin, latest_calls

# (JSON step name, Dutch label, count key, value or None when the ledger has no figure)
Step = tuple[str, str, Key, int | None]


def section(ctx: Context, b: Builder) -> Part:
    table = Table("trechter", _("From register to active"), [_("Step"), _("People")])
    steps = _selection_steps(ctx) + _cohort_steps(ctx)
    funnel_json = []
    for step, name, step_key, step_value in steps:
        if step_value is None:
            continue
        table.rows.append([label(name), b.count(step_key, step_value, table.name, name)])
        funnel_json.append({"step": step, "count": Count(step_key)})
    ever = " (ooit geselecteerd: alle selecties samen)" if any(s[0] == "selected_ever" for s in steps) else ""
    table.notes.append(
        f"Register en selectie: de laatste selectie{ever}. Vanaf "
        "'benaderd' één groep: wie in de periode benaderd is, gevolgd tot nu (gesprek, verwijzing "
        "en actief worden ook als die na de periode vielen). De tabellen met uitkomsten tellen "
        "gesprekken in de periode en kunnen daarom afwijken."
    )
    return Part(
        tables=[table],
        summary={"funnel": funnel_json},
        # Without a period, the cohort's referred and active people are the conversations' ones.
        same_people=[
            (("funnel", "referred"), ("funnel", "cohort_referred")),
            (("funnel", "active"), ("funnel", "cohort_active")),
        ],
    )


def _selection_steps(ctx: Context) -> list[Step]:
    data = ctx.data
    steps: list[Step] = [
        (
            "register",
            _("Rows in the register export (latest selection)"),
            ("funnel", "register"),
            data.register_rows,
        ),
        (
            "selected",
            _("Selected (latest selection)") if ctx.batch is None else _("In the batch"),
            ("funnel", "selected"),
            data.selected,
        ),
    ]
    if data.selected_ever is not None and data.selected_ever != data.selected:
        # Letters can go to people an earlier selection run chose: without this row the funnel
        # could narrow and widen again.
        steps.append(
            (
                "selected_ever",
                _("Ever selected (all selections)"),
                ("funnel", "selected_ever"),
                data.selected_ever,
            )
        )
    return steps


def _cohort_steps(ctx: Context) -> list[Step]:
    data, roles, letters = ctx.data, ctx.roles, ctx.letters
    cohort = set(letters["client_id"])
    cohort_refs = data.referrals[isin(data.referrals["client_id"], cohort)]
    cohort_calls = data.followups[isin(data.followups["client_id"], cohort)]
    cohort_latest = latest_calls(cohort_calls)
    cohort_via = {
        cid
        for cid, dest, result in zip(
            cohort_refs["client_id"], cohort_refs["destination"], clean(cohort_refs["result"]), strict=True
        )
        if ctx.counts_as_active(dest, result)
    }
    cohort_own = set(cohort_latest.loc[cohort_latest["result"] == roles.followup_became_active, "client_id"])
    return [
        (
            "approached",
            _("Approached (in the period)"),
            ("reach", "all", "_approached"),
            len(letters),
        ),
        (
            "spoken",
            _("Of them spoken"),
            ("reach", "all", roles.spoken),
            int((letters["contact_result"] == roles.spoken).sum()),
        ),
        (
            "referred",
            _("Of them referred"),
            ("funnel", "cohort_referred"),
            int(cohort_refs["client_id"].nunique()),
        ),
        ("active", _("Of them became active"), ("funnel", "cohort_active"), len(cohort_via | cohort_own)),
    ]
