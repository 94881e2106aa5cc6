-- baton's whole schema: db.rs builds a new database from this file and stamps it with
-- PRAGMA user_version = the number of steps in migrations/. Existing databases upgrade
-- through those steps; a test proves both paths give the same schema. Table and column
-- names are stable: users query them with sqlite3.

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
