"""The trajectory cohort as the report's trajectory tables count it (`report.trajectories`,
`report.trajectory_goals`): each trajectory with its coach kind and its length in weeks, and each
person with the kind of their coach.

The unit of the first tables is the trajectory (started = open + ended); goals, the goal
reached and the Participatieladder are figures of people, over the goals and rungs of their
trajectories in the cohort. A person's coach kind is that of their latest trajectory in the
cohort: the current coach's kind, or for an ended trajectory the kind of the coach at its end.
The ladder pairs the first and last rung of one trajectory: a person's latest trajectory with at
least two rungs, with that trajectory's coach kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kansen_cli.report.frames import NONE, clean
from kansen_cli.settings_trajectories import COACH_KIND_LABELS, COACH_KINDS

if TYPE_CHECKING:
    import pandas as pd

    from kansen_cli.ledger.trajectory_report import TrajectoryData
    from kansen_cli.report.context import Context

ALL = "_all"  # the key part of a total over every coach kind
KIND_LABELS = {**COACH_KIND_LABELS, NONE: "Zonder coach", ALL: "Totaal"}
DAYS_PER_WEEK = 7


@dataclass
class Cohort:
    """The cohort's frames with the columns the tables count by."""

    trajectories: pd.DataFrame  # + kind, weeks (open ones up to `as_of`)
    people: pd.DataFrame  # client_id, kind
    goals: pd.DataFrame  # + kind (of the person)
    ladder: pd.DataFrame  # per person with two rungs: client_id, kind, intake, latest, rungs
    kinds: list[str]  # coach kinds in the report's order (without ALL)
    as_of: dt.date | None  # open trajectories are counted up to this day
    rule: str  # goal_reached: "any" or "all" scored goals reached

    def of_kind(self, frame: pd.DataFrame, kind: str) -> pd.DataFrame:
        """The rows of this coach kind; every row for ALL."""
        return frame if kind == ALL else frame[frame["kind"] == kind]


def reference_date(data: TrajectoryData, end: dt.date | None) -> dt.date | None:
    """The day open trajectories are counted up to: the report's day, or the period's end when
    that is earlier; without a day given, the latest date in the trajectory tables (so that
    the same ledger always gives the same report)."""
    day = data.today or data.last_recorded
    if end is not None and (day is None or end < day):
        return end
    return day


def cohort(ctx: Context, data: TrajectoryData) -> Cohort:
    as_of = reference_date(data, ctx.end)
    trajectories = data.trajectories.copy()
    trajectories["kind"] = clean(trajectories["coach_kind"])
    trajectories["weeks"] = [
        _weeks(started, ended, as_of)
        for started, ended in zip(trajectories["started_on"], trajectories["ended_on"], strict=True)
    ]
    latest = trajectories.sort_values(["started_on", "trajectory_id"]).groupby("client_id").tail(1)
    people = latest[["client_id", "kind"]].reset_index(drop=True)
    kind_of = dict(zip(people["client_id"], people["kind"], strict=True))
    goals = data.goals.copy()
    goals["kind"] = [kind_of.get(c, NONE) for c in goals["client_id"]]
    ladder = _ladder(data.ladder, trajectories)
    rule = ctx.settings.trajectories.goal_reached
    return Cohort(trajectories, people, goals, ladder, _kinds(ctx, trajectories), as_of, rule)


def _ladder(steps: pd.DataFrame, trajectories: pd.DataFrame) -> pd.DataFrame:
    """One row per person: the intake and latest rung of their latest trajectory (by start) with
    at least two rungs, and that trajectory's coach kind. Rungs of different trajectories are
    never paired: a new trajectory's intake is not a step up from the last one's."""
    import pandas as pd

    ordered = steps.sort_values(["trajectory_id", "on_date"], kind="stable")
    by_trajectory = ordered.groupby("trajectory_id", sort=True)["rung"]
    per = pd.DataFrame(
        {
            "intake": by_trajectory.first().astype(int),
            "latest": by_trajectory.last().astype(int),
            "rungs": by_trajectory.size(),
        }
    ).reset_index()
    per = per[per["rungs"] >= 2]
    meta = trajectories[["trajectory_id", "client_id", "started_on", "kind"]]
    per = per.merge(meta, on="trajectory_id", how="inner")
    latest = per.sort_values(["started_on", "trajectory_id"]).groupby("client_id").tail(1)
    columns = ["client_id", "kind", "intake", "latest", "rungs"]
    return latest.sort_values("client_id")[columns].reset_index(drop=True)


def _weeks(started: str, ended: str | None, as_of: dt.date | None) -> float | None:
    start = dt.date.fromisoformat(str(started)[:10])
    if isinstance(ended, str) and ended:
        stop = dt.date.fromisoformat(ended[:10])
    elif as_of is not None:
        stop = as_of
    else:
        return None
    return max((stop - start).days, 0) / DAYS_PER_WEEK


def _kinds(ctx: Context, trajectories: pd.DataFrame) -> list[str]:
    """The kinds of the configured coaches and of the coaches in the data, in the settings' order."""
    seen = set(trajectories["kind"])
    wanted = {coach.kind for coach in ctx.settings.trajectories.coaches} | seen
    return [k for k in COACH_KINDS if k in wanted] + sorted(seen - set(COACH_KINDS))


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)
