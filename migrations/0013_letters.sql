-- 13: the public roster and the departure's legal items.
-- An employee is listed on the public roster only with a recorded consent to publish their
-- work contact (个人信息保护法 art. 25): the date it was given.
-- A handover's reason may be the end of a fixed-term contract (期满终止). A CHECK cannot be
-- altered: the table is rebuilt (SQLite's procedure; db.rs runs the steps with foreign keys
-- off and checks them before the commit).

ALTER TABLE employees ADD COLUMN publish_consent_on TEXT;

CREATE TABLE handovers_rebuilt (
    id            INTEGER PRIMARY KEY,
    company_id    INTEGER NOT NULL REFERENCES companies (id),
    employee_id   INTEGER NOT NULL REFERENCES employees (id),
    successor_id  INTEGER REFERENCES employees (id),
    leaving_on    TEXT NOT NULL,
    reason        TEXT NOT NULL
                  CHECK (reason IN ('resign', 'dismissal', 'expiry', 'retire', 'transfer', 'other')),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    opened_at     TEXT NOT NULL,
    closed_at     TEXT,
    close_reason  TEXT,                         -- why it was closed with --force, if it was
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
) STRICT;

INSERT INTO handovers_rebuilt (id, company_id, employee_id, successor_id, leaving_on, reason,
                               status, opened_at, closed_at, close_reason)
SELECT id, company_id, employee_id, successor_id, leaving_on, reason,
       status, opened_at, closed_at, close_reason
FROM handovers;

DROP TABLE handovers;
ALTER TABLE handovers_rebuilt RENAME TO handovers;

CREATE UNIQUE INDEX handovers_one_open ON handovers (employee_id) WHERE status = 'open';
CREATE INDEX handovers_company ON handovers (company_id, leaving_on);
CREATE INDEX handovers_open ON handovers (company_id) WHERE status = 'open';
