-- baton's whole schema: db.rs builds a new database from this file and stamps it with
-- PRAGMA user_version = the number of steps in migrations/. Existing databases upgrade
-- through those steps; a test proves both paths give the same schema. Table and column
-- names are stable: users query them with sqlite3.

-- 1: the registry (companies, employees, customers, owner history) and the audit log.

CREATE TABLE companies (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,           -- 统一社会信用代码 (USCC), check digit verified
    name        TEXT NOT NULL,
    short_name  TEXT,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE employees (
    id                INTEGER PRIMARY KEY,
    company_id        INTEGER NOT NULL REFERENCES companies (id),
    code              TEXT NOT NULL,            -- the company's own code, e.g. E001
    name              TEXT NOT NULL,
    role              TEXT NOT NULL
                      CHECK (role IN ('sales', 'rnd', 'service', 'tech', 'finance', 'management', 'other')),
    core              INTEGER NOT NULL DEFAULT 0 CHECK (core IN (0, 1)),
    phone             TEXT,
    email             TEXT,
    nda               INTEGER NOT NULL DEFAULT 0 CHECK (nda IN (0, 1)),
    noncompete_until  TEXT,
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'leaving', 'left')),
    leaving_on        TEXT,
    left_on           TEXT,
    UNIQUE (company_id, code)
) STRICT;

CREATE TABLE customers (
    id            INTEGER PRIMARY KEY,
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    code          TEXT NOT NULL,                -- the company's own code, e.g. C001
    name          TEXT NOT NULL,
    tier          TEXT NOT NULL CHECK (tier IN ('core', 'key', 'normal')),
    owner_id      INTEGER NOT NULL REFERENCES employees (id),
    backup_id     INTEGER REFERENCES employees (id),
    contact       TEXT,
    phone         TEXT,
    email         TEXT,
    confidential  TEXT,                         -- 保密信息: only `customer show --reveal` prints it
    since         TEXT,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    UNIQUE (company_id, code)
) STRICT;

CREATE INDEX customers_owner ON customers (owner_id);
CREATE INDEX customers_backup ON customers (backup_id) WHERE backup_id IS NOT NULL;
CREATE INDEX customers_unbacked ON customers (company_id)
    WHERE tier IN ('core', 'key') AND backup_id IS NULL;

CREATE TABLE customer_owner_history (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    from_owner_id  INTEGER REFERENCES employees (id),
    to_owner_id    INTEGER NOT NULL REFERENCES employees (id),
    changed_at     TEXT NOT NULL,
    handover_id    INTEGER,                     -- the handover that moved the customer, if any
    note           TEXT
) STRICT;

CREATE INDEX customer_owner_history_customer ON customer_owner_history (customer_id);

CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,                   -- e.g. customer.add
    entity     TEXT NOT NULL,                   -- e.g. customer
    entity_id  TEXT,
    detail     TEXT NOT NULL,                   -- JSON: before/after and whatever else explains the change
    hash       TEXT NOT NULL                    -- SHA-256 over the previous event's hash and this event
) STRICT;

CREATE INDEX events_entity ON events (entity, entity_id);

-- 2: handovers (the departure ledger) and their items.

CREATE TABLE handovers (
    id            INTEGER PRIMARY KEY,
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    employee_id   INTEGER NOT NULL REFERENCES employees (id),
    successor_id  INTEGER REFERENCES employees (id),
    leaving_on    TEXT NOT NULL,
    reason        TEXT NOT NULL
                  CHECK (reason IN ('resign', 'dismissal', 'retire', 'transfer', 'other')),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_at     TEXT NOT NULL,
    closed_at     TEXT,
    close_reason  TEXT,                         -- why it was closed with --force, if it was
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
) STRICT;

CREATE UNIQUE INDEX handovers_one_open ON handovers (employee_id) WHERE status = 'open';
CREATE INDEX handovers_company ON handovers (company_id, leaving_on);
CREATE INDEX handovers_open ON handovers (company_id) WHERE status = 'open';

CREATE TABLE handover_items (
    id           INTEGER PRIMARY KEY,
    handover_id  INTEGER NOT NULL REFERENCES handovers (id),
    kind         TEXT NOT NULL CHECK (kind IN ('customer', 'contract', 'document', 'access', 'task')),
    customer_id  INTEGER REFERENCES customers (id),  -- the customer a customer item hands over
    ref          TEXT,                              -- customer code, contract number, ...
    title        TEXT NOT NULL,
    assignee_id  INTEGER REFERENCES employees (id),
    due_on       TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'waived')),
    note         TEXT,
    done_at      TEXT,
    CHECK ((kind = 'customer') = (customer_id IS NOT NULL)),
    CHECK ((status = 'open') = (done_at IS NULL))
) STRICT;

CREATE INDEX handover_items_handover ON handover_items (handover_id, status);
CREATE INDEX handover_items_customer ON handover_items (customer_id) WHERE customer_id IS NOT NULL;

-- 3: written notices to customers of a departure.

CREATE TABLE notices (
    id              INTEGER PRIMARY KEY,
    handover_id     INTEGER NOT NULL REFERENCES handovers (id),
    item_id         INTEGER NOT NULL UNIQUE REFERENCES handover_items (id),
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    old_contact_id  INTEGER NOT NULL REFERENCES employees (id),
    new_contact_id  INTEGER NOT NULL REFERENCES employees (id),
    effective_on    TEXT NOT NULL,
    send_by         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'planned'
                    CHECK (status IN ('planned', 'sent', 'acknowledged', 'cancelled')),
    channel         TEXT CHECK (channel IN ('letter', 'email', 'sms', 'wechat', 'phone', 'visit')),
    sent_at         TEXT,
    sent_on         TEXT,                       -- local date of sent_at: late when after send_by
    ack_at          TEXT,
    cancel_reason   TEXT,
    planned_at      TEXT NOT NULL,
    CHECK ((status IN ('sent', 'acknowledged')) = (sent_at IS NOT NULL AND sent_on IS NOT NULL)),
    CHECK ((status = 'acknowledged') = (ack_at IS NOT NULL)),
    CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL))
) STRICT;

CREATE INDEX notices_handover ON notices (handover_id, status);

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

-- 5: Complaints with service-level clocks, their event trail, and evidence files kept inside the
-- database as content-addressed blobs.

CREATE TABLE complaints (
    id              INTEGER PRIMARY KEY,
    company_id      INTEGER NOT NULL REFERENCES companies (id),
    customer_id     INTEGER REFERENCES customers (id),
    complainant     TEXT,                       -- a person who is not a customer
    category        TEXT NOT NULL
                    CHECK (category IN ('service-gap', 'commitment', 'quality', 'billing', 'data', 'other')),
    channel         TEXT NOT NULL CHECK (channel IN ('phone', 'online', 'visit', 'letter', 'platform')),
    summary         TEXT NOT NULL,
    handover_id     INTEGER REFERENCES handovers (id),  -- the departure that caused it
    status          TEXT NOT NULL DEFAULT 'received'
                    CHECK (status IN ('received', 'accepted', 'mediating', 'resolved', 'rejected')),
    received_at     TEXT NOT NULL,
    accept_due      TEXT NOT NULL,              -- deadlines: moved later by the time on hold
    feedback_due    TEXT NOT NULL,
    resolve_due     TEXT NOT NULL,
    accepted_at     TEXT,
    rejected_at     TEXT,
    feedback_at     TEXT,                       -- the first feedback
    resolved_at     TEXT,
    outcome         TEXT CHECK (outcome IN ('agreement', 'withdrawn', 'referred', 'failed')),
    terms           TEXT,
    on_hold_since   TEXT,                       -- set while the clocks are paused
    held_seconds    INTEGER NOT NULL DEFAULT 0 CHECK (held_seconds >= 0),
    CHECK (customer_id IS NOT NULL OR complainant IS NOT NULL),
    CHECK ((status = 'resolved') = (resolved_at IS NOT NULL AND outcome IS NOT NULL)),
    CHECK ((status = 'rejected') = (rejected_at IS NOT NULL))
) STRICT;

CREATE INDEX complaints_company_status ON complaints (company_id, status);
CREATE INDEX complaints_company_received ON complaints (company_id, received_at);
CREATE INDEX complaints_customer ON complaints (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX complaints_handover ON complaints (handover_id) WHERE handover_id IS NOT NULL;

CREATE TABLE complaint_events (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaints (id),
    action        TEXT NOT NULL CHECK (action IN ('file', 'accept', 'reject', 'feedback', 'mediate',
                                                  'hold', 'resume', 'resolve', 'evidence')),
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    note          TEXT
) STRICT;

CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, at);

-- One row per distinct file content; evidence rows (and other records) point at it.
CREATE TABLE evidence_blobs (
    id       INTEGER PRIMARY KEY,
    sha256   TEXT NOT NULL UNIQUE,              -- lower-case hex of the content as added
    bytes    INTEGER NOT NULL CHECK (bytes >= 0),
    content  BLOB NOT NULL
) STRICT;

CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaints (id),
    blob_id       INTEGER NOT NULL REFERENCES evidence_blobs (id),
    file_name     TEXT NOT NULL,
    description   TEXT,
    added_at      TEXT NOT NULL,
    actor         TEXT NOT NULL
) STRICT;

CREATE INDEX evidence_complaint ON evidence (complaint_id);
CREATE INDEX evidence_blob ON evidence (blob_id);

-- 6: evidence files of credit records, kept in the evidence store of complaints.

CREATE TABLE credit_evidence (
    id               INTEGER PRIMARY KEY,
    credit_event_id  INTEGER NOT NULL REFERENCES credit_events (id),
    blob_id          INTEGER NOT NULL REFERENCES evidence_blobs (id),
    file_name        TEXT NOT NULL,
    added_at         TEXT NOT NULL,
    actor            TEXT NOT NULL
) STRICT;

CREATE INDEX credit_evidence_event ON credit_evidence (credit_event_id);
CREATE INDEX credit_evidence_blob ON credit_evidence (blob_id);

-- 7: checklist runs and their answers. Each answer keeps the item's texts as they were,
-- so a report reads the same after its template has changed or moved.

CREATE TABLE checklist_runs (
    id                INTEGER PRIMARY KEY,
    company_id        INTEGER NOT NULL REFERENCES companies (id),
    template          TEXT NOT NULL,            -- the template's id, e.g. core-departure
    template_version  INTEGER NOT NULL,
    title_en          TEXT NOT NULL,
    title_zh          TEXT NOT NULL,
    dimensions        TEXT NOT NULL,            -- JSON: [{"id", "en", "zh"}] in template order
    score             REAL,                     -- 0-100, one decimal; NULL when nothing was answered
    risk              TEXT CHECK (risk IN ('high', 'medium', 'low')),
    answered          INTEGER NOT NULL,
    skipped           INTEGER NOT NULL,
    started_at        TEXT NOT NULL,
    actor             TEXT NOT NULL
) STRICT;

CREATE INDEX checklist_runs_company ON checklist_runs (company_id, id);

CREATE TABLE checklist_answers (
    run_id       INTEGER NOT NULL REFERENCES checklist_runs (id),
    position     INTEGER NOT NULL,              -- order in the template
    item         TEXT NOT NULL,                 -- e.g. P1
    dimension    TEXT NOT NULL,                 -- a dimension id of the run
    weight       INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 5),
    answer       TEXT NOT NULL CHECK (answer IN ('yes', 'partial', 'no', 'n/a')),
    source       TEXT NOT NULL CHECK (source IN ('manual', 'probe')),
    probe        TEXT,                          -- the probe that answered, if any
    note         TEXT,
    question_en  TEXT NOT NULL,
    question_zh  TEXT NOT NULL,
    advice_en    TEXT NOT NULL,
    advice_zh    TEXT NOT NULL,
    PRIMARY KEY (run_id, item)
) STRICT, WITHOUT ROWID;

-- 8: customers' tier and status checked with equalities. SQLite checks `x IN ('a', 'b')`
-- with a lookup in a temporary index for every row written: half a second of a
-- million-row import, against a twentieth for `x = 'a' OR x = 'b'`. A CHECK cannot be
-- altered: the table is rebuilt (SQLite's procedure; db.rs runs the steps with foreign
-- keys off and checks them before the commit).

CREATE TABLE customers_rebuilt (
    id            INTEGER PRIMARY KEY,
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    code          TEXT NOT NULL,                -- the company's own code, e.g. C001
    name          TEXT NOT NULL,
    tier          TEXT NOT NULL CHECK (tier = 'core' OR tier = 'key' OR tier = 'normal'),
    owner_id      INTEGER NOT NULL REFERENCES employees (id),
    backup_id     INTEGER REFERENCES employees (id),
    contact       TEXT,
    phone         TEXT,
    email         TEXT,
    confidential  TEXT,                         -- 保密信息: only `customer show --reveal` prints it
    since         TEXT,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status = 'active' OR status = 'inactive'),
    UNIQUE (company_id, code)
) STRICT;

INSERT INTO customers_rebuilt (id, company_id, code, name, tier, owner_id, backup_id, contact,
                               phone, email, confidential, since, status)
SELECT id, company_id, code, name, tier, owner_id, backup_id, contact,
       phone, email, confidential, since, status
FROM customers;

DROP TABLE customers;
ALTER TABLE customers_rebuilt RENAME TO customers;

CREATE INDEX customers_owner ON customers (owner_id);
CREATE INDEX customers_backup ON customers (backup_id) WHERE backup_id IS NOT NULL;
CREATE INDEX customers_unbacked ON customers (company_id)
    WHERE tier IN ('core', 'key') AND backup_id IS NULL;

-- 10: the official holiday arrangements imported by `baton calendar import`, one row per
-- import. A later import of the same year closes the earlier one (replaced_at) instead of
-- deleting it; the current arrangement of a year is the one not replaced.

CREATE TABLE calendar_years (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL CHECK (year BETWEEN 1 AND 9999),
    source       TEXT NOT NULL,                 -- the notice, or the file it came from
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,                 -- of the file as imported
    imported_at  TEXT NOT NULL,
    actor        TEXT NOT NULL,
    replaced_at  TEXT                           -- set when a later import of the year replaces it
) STRICT;

CREATE UNIQUE INDEX calendar_years_current ON calendar_years (year) WHERE replaced_at IS NULL;

CREATE TABLE calendar_days (
    calendar_id  INTEGER NOT NULL REFERENCES calendar_years (id),
    date         TEXT NOT NULL,                 -- YYYY-MM-DD
    name         TEXT NOT NULL,                 -- the holiday as the notice names it
    off          INTEGER NOT NULL CHECK (off IN (0, 1)),  -- 1 a day off, 0 a make-up working day
    PRIMARY KEY (calendar_id, date)
) STRICT;

-- The open complaints of every company, whose clocks an import moves.
CREATE INDEX complaints_open ON complaints (status)
    WHERE status IN ('received', 'accepted', 'mediating');
