-- 4: credit records. A subject is a row of its own, keyed by what identifies it: a company by
-- its row, an employee by theirs, a person by their ID number (one subject across every
-- company) or, without one, by name within the company that recorded them.

CREATE TABLE credit_subjects (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('company', 'employee', 'person')),
    company_id  INTEGER REFERENCES companies (id),  -- the company; the employer; the recording company of a person without ID number
    employee_id INTEGER REFERENCES employees (id),
    name        TEXT,                               -- a person's name as recorded
    id_number   TEXT,                               -- a person's resident ID number (GB 11643), validated
    CHECK (CASE kind
        WHEN 'company' THEN company_id IS NOT NULL AND employee_id IS NULL AND name IS NULL AND id_number IS NULL
        WHEN 'employee' THEN company_id IS NOT NULL AND employee_id IS NOT NULL AND name IS NULL AND id_number IS NULL
        ELSE employee_id IS NULL AND name IS NOT NULL AND (id_number IS NULL) = (company_id IS NOT NULL)
    END)
) STRICT;

CREATE UNIQUE INDEX credit_subjects_company ON credit_subjects (company_id) WHERE kind = 'company';
CREATE UNIQUE INDEX credit_subjects_employee ON credit_subjects (employee_id) WHERE kind = 'employee';
CREATE UNIQUE INDEX credit_subjects_id_number ON credit_subjects (id_number) WHERE id_number IS NOT NULL;
CREATE UNIQUE INDEX credit_subjects_person ON credit_subjects (company_id, name)
    WHERE kind = 'person' AND id_number IS NULL;
CREATE INDEX credit_subjects_name ON credit_subjects (name) WHERE kind = 'person';

CREATE TABLE credit_events (
    id              INTEGER PRIMARY KEY,
    subject_id      INTEGER NOT NULL REFERENCES credit_subjects (id),
    company_id      INTEGER NOT NULL REFERENCES companies (id),  -- the company in whose context it was recorded
    code            TEXT NOT NULL,                               -- catalogue code; the entry's terms are copied below
    kind            TEXT NOT NULL CHECK (kind IN ('violation', 'incentive')),
    severity        TEXT CHECK (severity IN ('minor', 'major', 'severe')),
    points          INTEGER NOT NULL,
    occurred_on     TEXT NOT NULL,
    expires_on      TEXT NOT NULL,                               -- occurred_on + the entry's validity_years
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'repaired', 'revoked')),
    note            TEXT,
    reason          TEXT,                                        -- why it was repaired or revoked
    recorded_at     TEXT NOT NULL,
    closed_at       TEXT,                                        -- when it was repaired or revoked
    CHECK ((kind = 'violation') = (severity IS NOT NULL)),
    CHECK ((status = 'active') = (reason IS NULL AND closed_at IS NULL))
) STRICT;

CREATE INDEX credit_events_subject ON credit_events (subject_id, status, expires_on);
