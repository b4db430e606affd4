"""The rules a returned coach's workbook is checked by (pure: the ledger's state comes in the
context). One row may plan several records (a contact, a rung and an end); `plan.plan_rows`
plans them all:

- every row belongs to a person in this coach's caseload: an open trajectory whose current
  coach is the workbook's coach. Once a trajectory has ended or moved to another coach, a row
  of it is still accepted when it is dated up to the coach's last day with it (the end, or the
  handover: a workbook filled in before `assign` moved one person loads whole) and ends
  nothing, or when it changes nothing (so the same file loads twice); otherwise refused. A new
  goal is dated by the day the workbook was written;
- Deelnemers: a contact moment is a date and a kind, both or neither; the rung and the end of
  the trajectory are recorded at that contact, so they need its date. Dates lie between the
  start of the trajectory and today; an end not before the current coach took over. An end
  reason on a trajectory that ended otherwise is refused;
- Doelen: a score (-2 … +2) with the date of the review, for a goal of this person, dated
  between the day the goal was set (or the trajectory started) and today;
- Nieuwe doelen: a life domain is required; a goal already held for the person (same domain
  and description) is recognised, not added again; an empty start level is the setting's.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from kansen_cli.i18n import _, day
from kansen_cli.workbooks import scales
from kansen_cli.workbooks.caseload import (
    GOAL_ANSWERS,
    GOALS_SHEET,
    NEW_GOAL_ANSWERS,
    NEW_GOALS_SHEET,
    PEOPLE_ANSWERS,
    PEOPLE_SHEET,
    CaseloadContext,
)
from kansen_cli.workbooks.cells import ClientIds, cell_text, is_blank, norm
from kansen_cli.workbooks.plan import IngestPlan, Planned, RowCheck, SheetRules, plan_rows, unchanged

if TYPE_CHECKING:
    from kansen_cli.settings import Settings
    from kansen_cli.workbooks.reading import FilledRow, FilledWorkbook


def plan_caseload(
    plan: IngestPlan, filled: FilledWorkbook, context: CaseloadContext, settings: Settings
) -> IngestPlan:
    """Check every filled row and plan its records; a blank row is counted, not checked."""
    plan.words = plan.words | scales.words()
    rules = CaseloadRules(context, settings)
    sheets = {
        PEOPLE_SHEET: SheetRules(PEOPLE_ANSWERS, rules.person),
        GOALS_SHEET: SheetRules(GOAL_ANSWERS, rules.goal_score),
        NEW_GOALS_SHEET: SheetRules(NEW_GOAL_ANSWERS, rules.new_goal),
    }
    return plan_rows(plan, filled, sheets, name_sheets=True)


class CaseloadRules:
    """The rules of one file's rows; remembers the keys seen, to catch doubles."""

    def __init__(self, context: CaseloadContext, settings: Settings) -> None:
        self.ctx = context
        self.cb = settings.codebook
        self.baseline = settings.trajectories.baseline
        self.ids = ClientIds(context.trajectories)
        self.seen: set[tuple[Any, ...]] = set()
        self.goal_keys = {
            (g["trajectory_id"], g["domain"], norm(g["description"] or "")): g for g in context.goals.values()
        }

    # ------------------------------------------------------------------ whose row

    def trajectory(self, check: RowCheck) -> tuple[str, dict[str, Any] | None]:
        """The client id of the row and the latest trajectory this coach coached for them."""
        client_id = check.known_id(self.ids)
        found = self.ctx.trajectories.get(client_id)
        if found is None:
            check.problem(
                "client_id",
                client_id,
                "not_in_caseload",
                _("this person is not in the caseload of coach '{coach}'").format(coach=self.ctx.coach),
            )
        return client_id, found

    def active(self, trajectory: dict[str, Any]) -> bool:
        return trajectory["ended_on"] is None and trajectory["current_coach"] == self.ctx.coach

    def still_coached(
        self,
        check: RowCheck,
        client_id: str,
        trajectory: dict[str, Any],
        planned: list[Planned],
        dated: tuple[str, str | None],
    ) -> list[Planned]:
        """A row of a trajectory no longer in the caseload (handed over, or ended) loads when it
        changes nothing, or when it ends nothing and is dated up to the coach's last day with it:
        a coach's workbook still holds the contacts and reviews from before the handover.
        `dated` is the row's date and the column it is in (None: the workbook's date)."""
        if check.failed or self.active(trajectory) or all(unchanged(p) for p in planned):
            return planned
        last, why = self.last_day(trajectory)
        on_date, date_key = dated
        ends = any("end_reason" in p.record and not unchanged(p) for p in planned)  # a new or other end
        if last is not None and not ends and _date(on_date) <= last:
            return planned
        coach = self.ctx.coach
        if ends:
            key, value = "client_id", client_id
            rest = _("coach '{coach}' can no longer end the trajectory").format(coach=coach)
        elif date_key is not None:
            key, value = date_key, check.cell(date_key)
            rest = _("coach '{coach}' records only up to that day").format(coach=coach)
        else:
            key, value = "client_id", client_id
            rest = _(
                "coach '{coach}' records only up to that day, and this workbook was written on {date}"
            ).format(coach=coach, date=_shown(on_date))
        check.problem(key, value, "not_in_caseload", _("{why}; {rest}").format(why=why, rest=rest))
        return []

    def last_day(self, trajectory: dict[str, Any]) -> tuple[dt.date | None, str]:
        """The last day this coach coached the trajectory (the handover or the end), and why."""
        until, ended = trajectory["coach_until"], trajectory["ended_on"]
        if ended is not None and (until is None or _date(ended) <= _date(until)):
            return _date(ended), _("this person's trajectory ended on {date}").format(date=_shown(ended))
        if until is None:  # not this coach's and never handed over by them: nothing to go by
            return None, _("this person is coached by coach '{coach}'").format(
                coach=trajectory["current_coach"]
            )
        if trajectory["current_coach"]:
            moved = _("this person moved to coach '{coach}' on {date}")
        else:
            moved = _("this person moved to another coach on {date}")
        return _date(until), moved.format(coach=trajectory["current_coach"], date=_shown(until))

    # ------------------------------------------------------------------ Deelnemers

    def person(self, check: RowCheck, row: FilledRow) -> list[Planned]:
        client_id, trajectory = self.trajectory(check)
        started = _date(trajectory["started_on"]) if trajectory else None
        on_date = check.date("contact_date", started, self.ctx.today, _("the trajectory started"))
        kind = check.coded("contact_kind", self.cb.contact_kind)
        rung = scales.rung(check, "rung")
        reason = check.coded("end_reason", self.cb.trajectory_end)
        if is_blank(check.cell("contact_date")):
            check.missing("contact_date", _("the date of the contact is required"))
        elif is_blank(check.cell("contact_kind")):
            check.required("contact_kind", self.cb.contact_kind)
        if ("contact", client_id, on_date) in self.seen and on_date is not None:
            check.problem(
                "contact_date",
                check.cell("contact_date"),
                "duplicate",
                _("this person and date appear twice"),
            )
        self.seen.add(("contact", client_id, on_date))
        if trajectory is None or on_date is None or check.failed:
            return []
        tid = int(trajectory["trajectory_id"])
        planned: list[Planned] = []
        if kind is not None:
            contact = {"trajectory_id": tid, "on_date": on_date, "kind": kind, "coach": self.ctx.coach}
            # One contact per person and date: another kind on a known date corrects it.
            known = self.ctx.contacts.get((tid, on_date))
            old_contact = None if known is None else {**contact, **known}
            planned.append(Planned("contact_moment", client_id, contact, old_contact))
        if rung is not None:
            step = {"trajectory_id": tid, "on_date": on_date, "rung": rung}
            old_rung = self.ctx.rungs.get((tid, on_date))
            old = None if old_rung is None else {**step, "rung": old_rung}
            planned.append(Planned("ladder_step", client_id, step, old))
        if reason is not None:
            end = self.end(check, client_id, trajectory, on_date, reason)
            planned.extend([end] if end else [])
        return self.still_coached(check, client_id, trajectory, planned, (on_date, "contact_date"))

    def end(
        self, check: RowCheck, client_id: str, trajectory: dict[str, Any], on_date: str, reason: str
    ) -> Planned | None:
        tid = int(trajectory["trajectory_id"])
        record = {"trajectory_id": tid, "ended_on": on_date, "end_reason": reason}
        if trajectory["ended_on"] is not None:
            old = {
                "trajectory_id": tid,
                "ended_on": trajectory["ended_on"],
                "end_reason": trajectory["end_reason"],
            }
            if old != record:
                label = self.cb.trajectory_end.get(trajectory["end_reason"], trajectory["end_reason"])
                check.problem(
                    "end_reason",
                    check.cell("end_reason"),
                    "already_ended",
                    _("this trajectory ended already on {shown} ('{label}')").format(
                        shown=_shown(trajectory["ended_on"]), label=label
                    ),
                )
                return None
            return Planned("trajectory_end", client_id, record, old)
        since = trajectory["coach_since"]
        if self.active(trajectory) and since and on_date < since:
            check.problem(
                "contact_date",
                check.cell("contact_date"),
                "date_too_early",
                _("an end lies on or after the day coach '{coach}' took over ({shown})").format(
                    coach=self.ctx.coach, shown=_shown(since)
                ),
            )
            return None
        return Planned("trajectory_end", client_id, record, None)

    # ------------------------------------------------------------------ Doelen

    def goal_score(self, check: RowCheck, row: FilledRow) -> list[Planned]:
        goal = self._goal(check)
        client_id, trajectory = self.trajectory(check)
        if (
            goal is not None
            and trajectory is not None
            and goal["trajectory_id"] != trajectory["trajectory_id"]
        ):
            check.problem(
                "goal_id", check.cell("goal_id"), "unknown_goal", _("not a goal of this client number")
            )
            goal = None
        not_before, what = (None, "")
        if goal is not None and trajectory is not None:
            not_before, what = max(
                (_date(trajectory["started_on"]), _("the trajectory started")),
                (_date(goal["set_on"]), _("the goal was set")),
            )
        reviewed_on = check.date("review_date", not_before, self.ctx.today, what)
        score = scales.gas(check, "score")
        if is_blank(check.cell("review_date")):
            check.missing("review_date", _("the date of the review is required"))
        elif is_blank(check.cell("score")):
            check.missing("score", scales.gas_allowed())
        if goal is None or trajectory is None or reviewed_on is None or score is None:
            return []
        key = (int(goal["goal_id"]), reviewed_on)
        if ("score", *key) in self.seen:
            check.problem(
                "goal_id", check.cell("goal_id"), "duplicate", _("this goal and review date appear twice")
            )
        self.seen.add(("score", *key))
        record = {"goal_id": key[0], "reviewed_on": reviewed_on, "score": score}
        old_score = self.ctx.scores.get(key)
        old = None if old_score is None else {**record, "score": old_score}
        return self.still_coached(
            check,
            client_id,
            trajectory,
            [Planned("goal_score", client_id, record, old)],
            (reviewed_on, "review_date"),
        )

    def _goal(self, check: RowCheck) -> dict[str, Any] | None:
        value = check.cell("goal_id")
        text = "" if is_blank(value) else cell_text(value)
        goal = self.ctx.goals.get(int(text)) if text.isdigit() else None
        if goal is None:
            check.problem(
                "goal_id",
                value,
                "unknown_goal",
                _("no goal with this number in the caseload of coach '{coach}'").format(coach=self.ctx.coach),
            )
        return goal

    # ------------------------------------------------------------------ Nieuwe doelen

    def new_goal(self, check: RowCheck, row: FilledRow) -> list[Planned]:
        client_id, trajectory = self.trajectory(check)
        domain = check.coded("domain", self.cb.life_domain)
        if is_blank(check.cell("domain")):
            check.required("domain", self.cb.life_domain)
        value = check.cell("description")
        description = None if is_blank(value) else " ".join(str(value).split())
        started = _date(trajectory["started_on"]) if trajectory else None
        target_on = check.date("target_on", started, None, _("the trajectory started"))  # may lie ahead
        baseline = scales.gas(check, "baseline")
        if trajectory is None or domain is None or check.failed:
            return []
        tid = int(trajectory["trajectory_id"])
        key = (tid, domain, norm(description or ""))
        if ("goal", *key) in self.seen:
            check.problem("description", value, "duplicate", _("this person has this goal twice in the file"))
        self.seen.add(("goal", *key))
        record: dict[str, Any] = {
            "trajectory_id": tid,
            "domain": domain,
            "target_on": target_on,
            "baseline": self.baseline if baseline is None else baseline,
        }
        known = self.goal_keys.get(key)
        written = (self.ctx.written_on or self.ctx.today).isoformat()  # the day a new goal is set
        if known is None:
            record.update(goal_id=None, description=description, set_on=written)
            return self.still_coached(
                check, client_id, trajectory, [Planned("goal", client_id, record, None)], (written, None)
            )
        # The description stays out of the record: the history keeps no personal text.
        record["goal_id"] = int(known["goal_id"])
        old = {k: known[k] for k in ("trajectory_id", "domain", "target_on", "baseline", "goal_id")}
        planned = [Planned("goal", client_id, record, old)]
        return self.still_coached(check, client_id, trajectory, planned, (written, None))


def _date(text: Any) -> dt.date:
    return dt.date.fromisoformat(str(text)[:10])


def _shown(text: Any) -> str:
    return day(_date(text))
