"""The ledger's schema: named migrations, in the order they are applied.

Never edit a released migration: add the next one to `MIGRATIONS`. A new table is declared
where it is created: its columns holding a person's data (`personal`, erased by `kansen
purge`) and how its rows date a person's events (`events`, for the purge's "last event").
Columns holding client ids need no declaration: the purge finds them in the schema (a column
named `client_id` or `*_client_id`, or a foreign key to one) and pseudonymises them all.
`ledger.migrations` applies and records them.
"""

from __future__ import annotations

from kansen_cli.ledger.migrations import Migration

WHOLE_CYCLE_SQL = """
    CREATE TABLE selection_runs (
        run_id          INTEGER PRIMARY KEY,
        created_at      TEXT NOT NULL,
        as_of           TEXT NOT NULL,
        years           INTEGER NOT NULL,
        register_name   TEXT NOT NULL,
        register_sha256 TEXT NOT NULL,
        settings_json   TEXT NOT NULL,
        rows            INTEGER NOT NULL,
        funnel_json     TEXT NOT NULL,
        selected        INTEGER NOT NULL
    );
    -- Every register row of every run with its funnel bucket: nobody lost.
    CREATE TABLE run_rows (
        run_id        INTEGER NOT NULL REFERENCES selection_runs(run_id),
        row           INTEGER NOT NULL,
        client_id     TEXT,
        neighbourhood TEXT,
        bucket        TEXT NOT NULL,
        PRIMARY KEY (run_id, row)
    ) WITHOUT ROWID;
    -- Personal data, only of people selected at least once, only what letters need.
    CREATE TABLE people (
        client_id             TEXT PRIMARY KEY,
        bsn                   TEXT,
        initials              TEXT,
        prefix                TEXT,
        surname               TEXT,
        street                TEXT,
        house_number          INTEGER,
        house_number_addition TEXT,
        postcode              TEXT,
        city                  TEXT,
        neighbourhood         TEXT NOT NULL,
        birth_date            TEXT,
        phone                 TEXT,
        email                 TEXT,
        language              TEXT,
        run_id                INTEGER NOT NULL REFERENCES selection_runs(run_id),
        purged_at             TEXT
    ) WITHOUT ROWID;
    CREATE TABLE batches (
        batch_id      TEXT PRIMARY KEY,
        neighbourhood TEXT NOT NULL,
        seq           INTEGER NOT NULL,
        run_id        INTEGER NOT NULL REFERENCES selection_runs(run_id),
        seed          INTEGER NOT NULL,
        created_at    TEXT NOT NULL,
        invited_on    TEXT
    );
    CREATE TABLE batch_members (
        client_id TEXT PRIMARY KEY REFERENCES people(client_id),
        batch_id  TEXT NOT NULL REFERENCES batches(batch_id),
        position  INTEGER NOT NULL,
        variant   TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX batch_members_batch ON batch_members(batch_id, position);
    CREATE TABLE appointments (
        client_id  TEXT PRIMARY KEY REFERENCES batch_members(client_id),
        batch_id   TEXT NOT NULL REFERENCES batches(batch_id),
        date       TEXT NOT NULL,
        start      TEXT NOT NULL,
        end        TEXT NOT NULL,
        consultant TEXT NOT NULL,
        planned_at TEXT NOT NULL
    ) WITHOUT ROWID;
    -- A letter sent = a person approached.
    CREATE TABLE letters (
        client_id   TEXT PRIMARY KEY REFERENCES batch_members(client_id),
        batch_id    TEXT NOT NULL REFERENCES batches(batch_id),
        variant     TEXT NOT NULL,
        sent_on     TEXT NOT NULL,
        recorded_at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE outcomes (
        client_id               TEXT PRIMARY KEY REFERENCES batch_members(client_id),
        batch_id                TEXT NOT NULL REFERENCES batches(batch_id),
        contact_result          TEXT NOT NULL,
        conversation_date       TEXT,
        location                TEXT,
        classification          TEXT,
        activity_types          TEXT NOT NULL DEFAULT '',
        participation_potential TEXT,
        referrals               TEXT NOT NULL DEFAULT '',
        consent                 TEXT,
        source_file             TEXT NOT NULL,
        source_sha256           TEXT NOT NULL,
        loaded_at               TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE referrals (
        client_id   TEXT NOT NULL REFERENCES batch_members(client_id),
        destination TEXT NOT NULL,
        referred_on TEXT,
        result      TEXT,
        result_date TEXT,
        source_file TEXT NOT NULL,
        loaded_at   TEXT NOT NULL,
        PRIMARY KEY (client_id, destination)
    ) WITHOUT ROWID;
    CREATE TABLE followups (
        client_id   TEXT NOT NULL REFERENCES batch_members(client_id),
        round       INTEGER NOT NULL,
        call_date   TEXT,
        result      TEXT NOT NULL,
        source_file TEXT NOT NULL,
        loaded_at   TEXT NOT NULL,
        PRIMARY KEY (client_id, round)
    ) WITHOUT ROWID;
    -- Old values replaced by a later ingest: what, when, from which file.
    CREATE TABLE history (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL,
        client_id   TEXT NOT NULL,
        old_json    TEXT NOT NULL,
        replaced_at TEXT NOT NULL,
        source_file TEXT NOT NULL
    );
    CREATE INDEX history_client ON history(client_id);
    CREATE TABLE loaded_files (
        id          INTEGER PRIMARY KEY,
        sha256      TEXT NOT NULL,
        name        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        batch_id    TEXT,
        loaded_at   TEXT NOT NULL,
        counts_json TEXT NOT NULL
    );
    """

SURVEY_SQL = """
    -- A survey: one seeded random sample of participants and non-participants.
    CREATE TABLE surveys (
        survey_id      INTEGER PRIMARY KEY,
        created_at     TEXT NOT NULL,
        drawn_on       TEXT NOT NULL,  -- the day the sample was drawn: no answer is older
        seed           INTEGER NOT NULL,
        size           INTEGER NOT NULL,
        strata         TEXT NOT NULL,  -- '' (none), 'wijk' or 'variant'
        questions_json TEXT NOT NULL   -- the yes/no questions asked: key -> text
    );
    CREATE TABLE survey_members (
        survey_id INTEGER NOT NULL REFERENCES surveys(survey_id),
        client_id TEXT NOT NULL REFERENCES batch_members(client_id),
        grp       TEXT NOT NULL CHECK (grp IN ('participant', 'non_participant')),
        stratum   TEXT NOT NULL,
        PRIMARY KEY (survey_id, client_id)
    ) WITHOUT ROWID;
    CREATE TABLE survey_answers (
        survey_id    INTEGER NOT NULL,
        client_id    TEXT NOT NULL,
        call_date    TEXT NOT NULL,
        result       TEXT NOT NULL,
        mark         INTEGER CHECK (mark BETWEEN 1 AND 10),  -- NULL: no mark given
        answers_json TEXT NOT NULL DEFAULT '{}',             -- question key -> true/false
        reason       TEXT,
        source_file  TEXT NOT NULL,
        loaded_at    TEXT NOT NULL,
        PRIMARY KEY (survey_id, client_id),
        FOREIGN KEY (survey_id, client_id) REFERENCES survey_members(survey_id, client_id)
    ) WITHOUT ROWID;
    -- The mark (1-10) a person may give in the follow-up call: satisfaction followed over time.
    ALTER TABLE followups ADD COLUMN mark INTEGER CHECK (mark BETWEEN 1 AND 10);
    """

# `kansen status` counts per batch over tables keyed by person: without these it reads every row
# of appointments, letters and outcomes (seconds at a million people); with them, only indexes.
STATUS_INDEXES_SQL = """
    CREATE INDEX appointments_batch ON appointments(batch_id, date);
    CREATE INDEX letters_batch ON letters(batch_id, sent_on);
    CREATE INDEX outcomes_batch ON outcomes(batch_id);
    -- Who may be due a follow-up call (spoken to, acting on their own), without reading the rest.
    CREATE INDEX outcomes_followup
        ON outcomes(participation_potential, contact_result, conversation_date, batch_id);
    """

TRAJECTORIES_SQL = """
    -- A person kept in view after the conversation: one open trajectory per person at a time.
    CREATE TABLE trajectories (
        trajectory_id INTEGER PRIMARY KEY,
        client_id     TEXT NOT NULL REFERENCES people(client_id),
        started_on    TEXT NOT NULL,
        source        TEXT NOT NULL,  -- 'referral:<destination>' or 'list'
        ended_on      TEXT,
        end_reason    TEXT,           -- a code of codebook.trajectory_end
        created_at    TEXT NOT NULL,
        CHECK ((ended_on IS NULL) = (end_reason IS NULL))
    );
    CREATE UNIQUE INDEX trajectories_open ON trajectories(client_id) WHERE ended_on IS NULL;
    -- Who coaches the trajectory, with dated history: the open row (until_on NULL) is the
    -- current coach. The coach's kind is kept as it was, so figures by kind reproduce.
    CREATE TABLE coach_assignments (
        id            INTEGER PRIMARY KEY,
        trajectory_id INTEGER NOT NULL REFERENCES trajectories(trajectory_id),
        client_id     TEXT NOT NULL REFERENCES people(client_id),
        coach         TEXT NOT NULL,  -- trajectories.coaches[].code
        coach_kind    TEXT NOT NULL,
        from_on       TEXT NOT NULL,
        until_on      TEXT,
        assigned_at   TEXT NOT NULL
    );
    CREATE UNIQUE INDEX coach_assignments_current ON coach_assignments(trajectory_id)
        WHERE until_on IS NULL;
    CREATE INDEX coach_assignments_coach ON coach_assignments(coach, until_on);
    -- A personal goal (Persoonlijk Ontwikkelplan): its description is personal, erased by purge.
    CREATE TABLE goals (
        goal_id       INTEGER PRIMARY KEY,
        trajectory_id INTEGER NOT NULL REFERENCES trajectories(trajectory_id),
        client_id     TEXT NOT NULL REFERENCES people(client_id),
        domain        TEXT NOT NULL,  -- a code of codebook.life_domain
        description   TEXT,
        set_on        TEXT NOT NULL,
        target_on     TEXT,
        baseline      INTEGER NOT NULL CHECK (baseline BETWEEN -2 AND 2),
        weight        INTEGER NOT NULL DEFAULT 1 CHECK (weight >= 1),
        source_file   TEXT NOT NULL,
        loaded_at     TEXT NOT NULL
    );
    CREATE INDEX goals_trajectory ON goals(trajectory_id);
    -- Goal Attainment Scaling at a review: -2 much less than expected ... +2 much more.
    CREATE TABLE goal_scores (
        goal_id     INTEGER NOT NULL REFERENCES goals(goal_id),
        client_id   TEXT NOT NULL REFERENCES people(client_id),
        reviewed_on TEXT NOT NULL,
        score       INTEGER NOT NULL CHECK (score BETWEEN -2 AND 2),
        source_file TEXT NOT NULL,
        loaded_at   TEXT NOT NULL,
        PRIMARY KEY (goal_id, reviewed_on)
    ) WITHOUT ROWID;
    -- The Participatieladder: 1 isolated ... 6 paid work without support; the first is the intake.
    CREATE TABLE ladder_steps (
        trajectory_id INTEGER NOT NULL REFERENCES trajectories(trajectory_id),
        client_id     TEXT NOT NULL REFERENCES people(client_id),
        on_date       TEXT NOT NULL,
        rung          INTEGER NOT NULL CHECK (rung BETWEEN 1 AND 6),
        source_file   TEXT NOT NULL,
        loaded_at     TEXT NOT NULL,
        PRIMARY KEY (trajectory_id, on_date)
    ) WITHOUT ROWID;
    -- A contact moment between coach and person; the note is personal, erased by purge.
    CREATE TABLE contact_moments (
        trajectory_id INTEGER NOT NULL REFERENCES trajectories(trajectory_id),
        client_id     TEXT NOT NULL REFERENCES people(client_id),
        on_date       TEXT NOT NULL,
        kind          TEXT NOT NULL,  -- a code of codebook.contact_kind
        coach         TEXT NOT NULL,
        note          TEXT,
        source_file   TEXT NOT NULL,
        loaded_at     TEXT NOT NULL,
        PRIMARY KEY (trajectory_id, on_date)
    ) WITHOUT ROWID;
    """

CONTACT_ROUTES_SQL = """
    -- Every attempt to reach a person (issue 12): a letter, a phone call, a doorstep visit, a
    -- re-invitation. "Approached" and "reached" are read from these rows; a corrected attempt
    -- (same person, batch, channel, day and part of the day) replaces its row, the old values
    -- going to `history` (kind 'attempt').
    CREATE TABLE contact_attempts (
        attempt_id  INTEGER PRIMARY KEY,
        client_id   TEXT NOT NULL REFERENCES people(client_id),
        batch_id    TEXT NOT NULL REFERENCES batches(batch_id),  -- the batch of the round
        round       INTEGER NOT NULL DEFAULT 1 CHECK (round >= 1),
        channel     TEXT NOT NULL CHECK (channel IN ('letter', 'phone', 'doorstep', 'reinvitation')),
        on_date     TEXT NOT NULL,
        part_of_day TEXT NOT NULL DEFAULT '' CHECK (part_of_day IN ('', 'ochtend', 'middag', 'avond')),
        by_whom     TEXT,           -- who made the call or visit (a staff member, not the person)
        outcome     TEXT,           -- phone: a code of codebook.phone_outcome; a letter: NULL
        callback_on TEXT,           -- phone 'terugbellen': the day agreed
        source_file TEXT NOT NULL,  -- the workbook it came from, or 'letters'
        loaded_at   TEXT NOT NULL
    );
    CREATE UNIQUE INDEX contact_attempts_one
        ON contact_attempts(client_id, batch_id, channel, on_date, part_of_day);
    CREATE INDEX contact_attempts_batch ON contact_attempts(batch_id, channel);
    -- The letters sent before attempts were recorded are the first attempts.
    INSERT INTO contact_attempts (client_id, batch_id, round, channel, on_date, source_file, loaded_at)
        SELECT client_id, batch_id, 1, 'letter', substr(sent_on, 1, 10), 'letters', recorded_at
        FROM letters;
    -- A later round of a batch (selwerd-1-r2) is a batch of its own, made of round-1 members
    -- whose contact result the codebook marks "invite again"; round 1 stays as it was.
    ALTER TABLE batches ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE batches ADD COLUMN parent_id TEXT REFERENCES batches(batch_id);
    CREATE TABLE round_members (
        batch_id  TEXT NOT NULL REFERENCES batches(batch_id),
        client_id TEXT NOT NULL REFERENCES batch_members(client_id),
        position  INTEGER NOT NULL,
        PRIMARY KEY (batch_id, client_id)
    ) WITHOUT ROWID;
    -- The people of any batch, round 1 or later, with the variant of their first round.
    CREATE VIEW batch_people AS
        SELECT m.batch_id, m.client_id, m.position, m.variant, 1 AS round FROM batch_members m
        UNION ALL
        SELECT r.batch_id, r.client_id, r.position, m.variant, b.round
        FROM round_members r JOIN batch_members m ON m.client_id = r.client_id
        JOIN batches b ON b.batch_id = r.batch_id;
    -- An appointment per person per batch (a later round plans a new one), and where it is:
    -- `location` is a planning.locations code (NULL: at home), `room` its room (1, 2, ...).
    CREATE TABLE appointments_by_round (
        client_id  TEXT NOT NULL REFERENCES batch_members(client_id),
        batch_id   TEXT NOT NULL REFERENCES batches(batch_id),
        date       TEXT NOT NULL,
        start      TEXT NOT NULL,
        end        TEXT NOT NULL,
        consultant TEXT NOT NULL,
        planned_at TEXT NOT NULL,
        location   TEXT,
        room       INTEGER,
        PRIMARY KEY (batch_id, client_id)
    ) WITHOUT ROWID;
    INSERT INTO appointments_by_round (client_id, batch_id, date, start, end, consultant, planned_at)
        SELECT client_id, batch_id, date, start, end, consultant, planned_at FROM appointments;
    DROP TABLE appointments;
    ALTER TABLE appointments_by_round RENAME TO appointments;
    CREATE INDEX appointments_batch ON appointments(batch_id, date);
    CREATE INDEX appointments_client ON appointments(client_id);
    """

# The "last event" of someone in an open trajectory: after any cutoff a purge can have.
ONGOING = "9999-12-31"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001_whole_cycle",
        WHOLE_CYCLE_SQL,
        # Everything the letters needed, except what the figures still count by (neighbourhood).
        personal={
            "people": (
                "bsn",
                "initials",
                "prefix",
                "surname",
                "street",
                "house_number",
                "house_number_addition",
                "postcode",
                "city",
                "birth_date",
                "phone",
                "email",
                "language",
            ),
        },
        # Timestamps are cut to their date so that dates and times compare as text.
        events={
            "run_rows": "SELECT r.client_id, s.as_of FROM run_rows r JOIN selection_runs s USING (run_id)"
            " WHERE r.client_id IS NOT NULL",
            "batch_members": "SELECT m.client_id, substr(b.created_at, 1, 10)"
            " FROM batch_members m JOIN batches b USING (batch_id)",
            "appointments": "SELECT client_id, date FROM appointments",
            "letters": "SELECT client_id, sent_on FROM letters",
            "outcomes": "SELECT client_id, coalesce(conversation_date, substr(loaded_at, 1, 10))"
            " FROM outcomes",
            "referrals": "SELECT client_id, coalesce(result_date, substr(loaded_at, 1, 10)) FROM referrals",
            "followups": "SELECT client_id, coalesce(call_date, substr(loaded_at, 1, 10)) FROM followups",
            # Dated by the selection that brought them (run_rows).
            "people": None,
            # An old value replaced: the row that replaced it is dated in its own table.
            "history": None,
        },
    ),
    # Marks and yes/no answers are opinions without a name: kept, so reports reproduce after a purge.
    Migration(
        "0002_survey",
        SURVEY_SQL,
        events={
            "survey_members": "SELECT m.client_id, s.drawn_on"
            " FROM survey_members m JOIN surveys s USING (survey_id)",
            "survey_answers": "SELECT client_id, call_date FROM survey_answers",
        },
    ),
    # Indexes only: no table, no personal column, no event.
    Migration("0003_status_indexes", STATUS_INDEXES_SQL),
    # Goal descriptions and contact notes are what coach and person said: personal, erased.
    # Scores, rungs, dates and codes stay, so the trajectory figures reproduce after a purge.
    Migration(
        "0004_trajectories",
        TRAJECTORIES_SQL,
        personal={"goals": ("description",), "contact_moments": ("note",)},
        events={
            # An open trajectory is ongoing: whoever is being coached is never purged.
            "trajectories": f"SELECT client_id, coalesce(ended_on, '{ONGOING}') FROM trajectories",
            "coach_assignments": "SELECT client_id, coalesce(until_on, from_on) FROM coach_assignments",
            "goals": "SELECT client_id, set_on FROM goals",
            "goal_scores": "SELECT client_id, reviewed_on FROM goal_scores",
            "ladder_steps": "SELECT client_id, on_date FROM ladder_steps",
            "contact_moments": "SELECT client_id, on_date FROM contact_moments",
        },
    ),
    # Attempts hold no personal data: who was called is the client id, who called is staff.
    Migration(
        "0005_contact_routes",
        CONTACT_ROUTES_SQL,
        events={
            "contact_attempts": "SELECT client_id, on_date FROM contact_attempts",
            "round_members": "SELECT r.client_id, substr(b.created_at, 1, 10)"
            " FROM round_members r JOIN batches b USING (batch_id)",
        },
    ),
)
