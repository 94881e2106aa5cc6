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
