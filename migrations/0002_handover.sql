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
