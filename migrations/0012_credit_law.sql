-- 12: credit records as the law has them (issue 16). An official record (经营异常名录,
-- 严重违法失信名单, a published administrative penalty) is an agency's decision: its number,
-- the authority and the decision date, from which every period counts. Everything else is an
-- internal risk record. `expires_on` is empty only for the list of abnormal operations, which
-- lasts until the agency removes the company. A repair keeps the conditions it was granted on;
-- a person's records are matched across companies only on a recorded legal basis.

CREATE TABLE credit_events_rebuilt (
    id              INTEGER PRIMARY KEY,
    subject_id      INTEGER NOT NULL REFERENCES credit_subjects (id),
    company_id      INTEGER NOT NULL REFERENCES companies (id),  -- the company in whose context it was recorded
    code            TEXT NOT NULL,                               -- catalogue code; the entry's terms are copied below
    kind            TEXT NOT NULL CHECK (kind IN ('violation', 'incentive')),
    severity        TEXT CHECK (severity IN ('minor', 'major', 'severe')),
    points          INTEGER NOT NULL,
    occurred_on     TEXT NOT NULL,
    expires_on      TEXT,                                        -- from occurred_on, or decided_on for an official record
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'repaired', 'revoked')),
    note            TEXT,
    reason          TEXT,                                        -- why it was repaired or revoked
    recorded_at     TEXT NOT NULL,
    closed_at       TEXT,                                        -- when it was repaired or revoked
    official        TEXT CHECK (official IN ('abnormal-operations-list', 'serious-illegal-list',
                                             'penalty-minor', 'penalty')),
    decision_no     TEXT,                                        -- the agency decision's number (决定书文号)
    authority       TEXT,                                        -- the agency that decided
    decided_on      TEXT,                                        -- the decision (publication) date
    penalty_no      TEXT,                                        -- the penalty decision behind a listing
    sector          TEXT CHECK (sector IN ('food', 'drugs', 'special-equipment', 'other')),
    conditions      TEXT,                                        -- repair conditions met, comma-separated
    CHECK ((kind = 'violation') = (severity IS NOT NULL)),
    CHECK ((status = 'active') = (reason IS NULL AND closed_at IS NULL)),
    CHECK ((official IS NULL) = (decision_no IS NULL)
           AND (official IS NULL) = (authority IS NULL)
           AND (official IS NULL) = (decided_on IS NULL)),
    CHECK (official IS NOT NULL OR (penalty_no IS NULL AND sector IS NULL)),
    CHECK (expires_on IS NOT NULL OR official = 'abnormal-operations-list')
) STRICT;

INSERT INTO credit_events_rebuilt (id, subject_id, company_id, code, kind, severity, points,
                                   occurred_on, expires_on, status, note, reason, recorded_at,
                                   closed_at)
SELECT id, subject_id, company_id, code, kind, severity, points, occurred_on, expires_on,
       status, note, reason, recorded_at, closed_at
FROM credit_events;

DROP TABLE credit_events;
ALTER TABLE credit_events_rebuilt RENAME TO credit_events;

CREATE INDEX credit_events_subject ON credit_events (subject_id, status, expires_on);

-- The legal basis on which a company's records of a person (by ID number) are matched with
-- other companies' records of the same person (个人信息保护法 arts. 13, 23).
CREATE TABLE credit_bases (
    id          INTEGER PRIMARY KEY,
    subject_id  INTEGER NOT NULL REFERENCES credit_subjects (id),
    company_id  INTEGER NOT NULL REFERENCES companies (id),
    basis       TEXT NOT NULL CHECK (basis IN ('consent', 'legal-duty', 'contract')),
    note        TEXT,
    recorded_at TEXT NOT NULL,
    actor       TEXT NOT NULL,
    UNIQUE (subject_id, company_id)
) STRICT;
