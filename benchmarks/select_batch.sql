-- The reference: kansen's funnel and batch assignment in DuckDB, on the same register CSV.
-- Placeholders: {csv} register file, {as_of} reference date, {cutoff} = as_of minus the window.
CREATE TEMP TABLE register AS
SELECT row_number() OVER () + 1 AS row, *
FROM read_csv('{csv}', delim = ';', header = true, all_varchar = true);

CREATE TEMP TABLE parsed AS
SELECT
    row,
    trim("Klantnummer") AS client_id,
    "BSN" AS bsn, "Voorletters" AS initials, "Tussenvoegsel" AS prefix, "Achternaam" AS surname,
    "Straat" AS street,
    try_cast(regexp_extract("Huisnummer", '^(\d+)', 1) AS INTEGER) AS house_number,
    "Toevoeging" AS addition,
    regexp_replace(upper("Postcode"), '\s+', '', 'g') AS postcode,
    "Woonplaats" AS city, "Wijk" AS wijk,
    coalesce(try_strptime("Geboortedatum", '%d-%m-%Y'), try_strptime("Geboortedatum", '%Y-%m-%d')) AS birth,
    "Datum laatste gesprek" AS last_contact_raw,
    coalesce(try_strptime("Datum laatste gesprek", '%d-%m-%Y'),
             try_strptime("Datum laatste gesprek", '%Y-%m-%d')) AS last_contact,
    "Einddatum laatste traject" AS last_guidance_raw,
    coalesce(try_strptime("Einddatum laatste traject", '%d-%m-%Y'),
             try_strptime("Einddatum laatste traject", '%Y-%m-%d')) AS last_guidance,
    lower(trim("Actieve begeleiding")) IN ('ja', 'j', 'yes', 'y', '1', 'true') AS active,
    lower(trim("Bekend bij WIJ-team")) IN ('ja', 'j', 'yes', 'y', '1', 'true') AS care,
    "Telefoonnummer" AS phone, "E-mailadres" AS email, "Taal" AS language,
    count(*) OVER (PARTITION BY trim("Klantnummer")) AS id_count
FROM register;

CREATE TABLE run_rows AS
SELECT row, client_id, wijk,
    CASE
        WHEN NOT regexp_full_match(postcode, '[1-9][0-9]{{3}}[A-Z]{{2}}') OR id_count > 1
             OR street IS NULL OR house_number IS NULL OR wijk IS NULL
             OR (last_contact_raw IS NOT NULL AND last_contact IS NULL)
             OR (last_guidance_raw IS NOT NULL AND last_guidance IS NULL) THEN 'invalid'
        WHEN active THEN 'active_guidance'
        WHEN care THEN 'care_team'
        WHEN last_contact >= DATE '{cutoff}' OR last_guidance >= DATE '{cutoff}' THEN 'recent_contact'
        WHEN birth IS NOT NULL AND date_sub('year', birth, DATE '{as_of}') >= 67 THEN 'pension_age'
        ELSE 'selected'
    END AS bucket
FROM parsed;

CREATE TABLE funnel AS SELECT bucket, count(*) AS people FROM run_rows GROUP BY bucket;

CREATE TABLE people AS
SELECT p.* EXCLUDE (id_count, last_contact_raw, last_guidance_raw)
FROM parsed p JOIN run_rows r USING (row) WHERE r.bucket = 'selected';

CREATE TABLE batch_members AS
WITH ordered AS (
    SELECT client_id, wijk,
        row_number() OVER (PARTITION BY wijk ORDER BY postcode, house_number, addition, client_id) - 1 AS i,
        count(*) OVER (PARTITION BY wijk) AS n
    FROM people
), shaped AS (
    SELECT *, greatest(1, floor(n / 250 + 0.5))::BIGINT AS k FROM ordered
), split AS (
    SELECT *, n // k AS q, n % k AS r FROM shaped
), numbered AS (
    SELECT client_id, wijk, i,
        CASE WHEN i < r * (q + 1) THEN i // (q + 1) ELSE r + (i - r * (q + 1)) // q END + 1 AS seq
    FROM split
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY wijk, seq ORDER BY hash(client_id, 2015)) AS rnk FROM numbered
)
SELECT client_id, lower(replace(wijk, ' ', '-')) || '-' || seq AS batch_id, seq,
    CASE WHEN rnk % 2 = 0 THEN 'A' ELSE 'B' END AS variant
FROM ranked;
