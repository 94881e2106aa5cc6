-- 17: the audit log anchored and the rows that matter sealed (#20.11), and the log's
-- indexes for paging (#18.4).
--
-- `audit_anchor` (one row) holds the number of events, the hash of the last one and the
-- digest of the row seals; every event is written with it, so removing the last events (or
-- all of them) no longer passes `baton log --verify`. `row_seals` holds a fingerprint of
-- the columns that decide clocks, scores and statuses of the sealed tables (src/audit/seal.rs
-- lists them), written by the triggers below. The triggers call `baton_seal` and
-- `baton_mix`, functions baton registers on its connections: in another SQLite client,
-- writing to a sealed table fails while the triggers stand.

CREATE TABLE audit_anchor (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    events  INTEGER NOT NULL,                   -- the id of the last event (0: none yet)
    head    TEXT NOT NULL,                      -- the hash of the last event (64 zeros: none yet)
    seals   TEXT NOT NULL                       -- XOR of the SHA-256 of every row seal
) STRICT;

INSERT INTO audit_anchor (id, events, head, seals)
SELECT 1, coalesce(max(id), 0),
       coalesce((SELECT hash FROM events ORDER BY id DESC LIMIT 1),
                '0000000000000000000000000000000000000000000000000000000000000000'),
       '0000000000000000000000000000000000000000000000000000000000000000'
FROM events;

CREATE TABLE row_seals (
    tbl     TEXT NOT NULL,                      -- the sealed table
    row_id  INTEGER NOT NULL,                   -- the row's id
    seal    TEXT NOT NULL,                      -- 16 hex digits per sealed column
    PRIMARY KEY (tbl, row_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER row_seals_insert AFTER INSERT ON row_seals BEGIN
    UPDATE audit_anchor SET seals = baton_mix(seals, NEW.tbl, NEW.row_id, NEW.seal);
END;

CREATE TRIGGER row_seals_update AFTER UPDATE ON row_seals BEGIN
    UPDATE audit_anchor SET seals = baton_mix(baton_mix(seals, OLD.tbl, OLD.row_id, OLD.seal),
        NEW.tbl, NEW.row_id, NEW.seal);
END;

CREATE TRIGGER row_seals_delete AFTER DELETE ON row_seals BEGIN
    UPDATE audit_anchor SET seals = baton_mix(seals, OLD.tbl, OLD.row_id, OLD.seal);
END;

INSERT INTO row_seals (tbl, row_id, seal)
SELECT 'complaints', id, baton_seal('complaints', id, company_id, customer_id, handover_id,
    status, received_at, accept_due, feedback_due, resolve_due, accepted_at, rejected_at,
    feedback_at, resolved_at, outcome, on_hold_since, held_seconds, inform_due, informed_at)
    FROM complaints;

CREATE TRIGGER seal_complaints_insert AFTER INSERT ON complaints BEGIN
    INSERT INTO row_seals (tbl, row_id, seal) VALUES ('complaints', NEW.id,
        baton_seal('complaints', NEW.id, NEW.company_id, NEW.customer_id, NEW.handover_id,
        NEW.status, NEW.received_at, NEW.accept_due, NEW.feedback_due, NEW.resolve_due,
        NEW.accepted_at, NEW.rejected_at, NEW.feedback_at, NEW.resolved_at, NEW.outcome,
        NEW.on_hold_since, NEW.held_seconds, NEW.inform_due, NEW.informed_at));
END;

CREATE TRIGGER seal_complaints_update AFTER UPDATE OF id, company_id, customer_id, handover_id,
    status, received_at, accept_due, feedback_due, resolve_due, accepted_at, rejected_at,
    feedback_at, resolved_at, outcome, on_hold_since, held_seconds, inform_due, informed_at
    ON complaints BEGIN
    UPDATE row_seals SET row_id = NEW.id, seal = baton_seal('complaints', NEW.id,
        NEW.company_id, NEW.customer_id, NEW.handover_id, NEW.status, NEW.received_at,
        NEW.accept_due, NEW.feedback_due, NEW.resolve_due, NEW.accepted_at, NEW.rejected_at,
        NEW.feedback_at, NEW.resolved_at, NEW.outcome, NEW.on_hold_since, NEW.held_seconds,
        NEW.inform_due, NEW.informed_at)
    WHERE tbl = 'complaints' AND row_id = OLD.id;
END;

INSERT INTO row_seals (tbl, row_id, seal)
SELECT 'credit_events', id, baton_seal('credit_events', id, subject_id, company_id, code, kind,
    severity, points, occurred_on, expires_on, status, closed_at, official, decided_on)
FROM credit_events;

CREATE TRIGGER seal_credit_events_insert AFTER INSERT ON credit_events BEGIN
    INSERT INTO row_seals (tbl, row_id, seal) VALUES ('credit_events', NEW.id,
        baton_seal('credit_events', NEW.id, NEW.subject_id, NEW.company_id, NEW.code, NEW.kind,
        NEW.severity, NEW.points, NEW.occurred_on, NEW.expires_on, NEW.status, NEW.closed_at,
        NEW.official, NEW.decided_on));
END;

CREATE TRIGGER seal_credit_events_update AFTER UPDATE OF id, subject_id, company_id, code, kind,
    severity, points, occurred_on, expires_on, status, closed_at, official, decided_on
    ON credit_events BEGIN
    UPDATE row_seals SET row_id = NEW.id, seal = baton_seal('credit_events', NEW.id,
        NEW.subject_id, NEW.company_id, NEW.code, NEW.kind, NEW.severity, NEW.points,
        NEW.occurred_on, NEW.expires_on, NEW.status, NEW.closed_at, NEW.official, NEW.decided_on)
    WHERE tbl = 'credit_events' AND row_id = OLD.id;
END;

INSERT INTO row_seals (tbl, row_id, seal)
SELECT 'handovers', id, baton_seal('handovers', id, company_id, employee_id, successor_id,
    leaving_on, status, closed_at) FROM handovers;

CREATE TRIGGER seal_handovers_insert AFTER INSERT ON handovers BEGIN
    INSERT INTO row_seals (tbl, row_id, seal) VALUES ('handovers', NEW.id,
        baton_seal('handovers', NEW.id, NEW.company_id, NEW.employee_id, NEW.successor_id,
        NEW.leaving_on, NEW.status, NEW.closed_at));
END;

CREATE TRIGGER seal_handovers_update AFTER UPDATE OF id, company_id, employee_id, successor_id,
    leaving_on, status, closed_at ON handovers BEGIN
    UPDATE row_seals SET row_id = NEW.id, seal = baton_seal('handovers', NEW.id, NEW.company_id,
        NEW.employee_id, NEW.successor_id, NEW.leaving_on, NEW.status, NEW.closed_at)
    WHERE tbl = 'handovers' AND row_id = OLD.id;
END;

INSERT INTO row_seals (tbl, row_id, seal)
SELECT 'handover_items', id, baton_seal('handover_items', id, handover_id, kind, customer_id,
    assignee_id, due_on, status, done_at) FROM handover_items;

CREATE TRIGGER seal_handover_items_insert AFTER INSERT ON handover_items BEGIN
    INSERT INTO row_seals (tbl, row_id, seal) VALUES ('handover_items', NEW.id,
        baton_seal('handover_items', NEW.id, NEW.handover_id, NEW.kind, NEW.customer_id,
        NEW.assignee_id, NEW.due_on, NEW.status, NEW.done_at));
END;

CREATE TRIGGER seal_handover_items_update AFTER UPDATE OF id, handover_id, kind, customer_id,
    assignee_id, due_on, status, done_at ON handover_items BEGIN
    UPDATE row_seals SET row_id = NEW.id, seal = baton_seal('handover_items', NEW.id,
        NEW.handover_id, NEW.kind, NEW.customer_id, NEW.assignee_id, NEW.due_on, NEW.status,
        NEW.done_at)
    WHERE tbl = 'handover_items' AND row_id = OLD.id;
END;

INSERT INTO row_seals (tbl, row_id, seal)
SELECT 'notices', id, baton_seal('notices', id, item_id, customer_id, new_contact_id,
    effective_on, send_by, status, sent_at, sent_on, ack_at) FROM notices;

CREATE TRIGGER seal_notices_insert AFTER INSERT ON notices BEGIN
    INSERT INTO row_seals (tbl, row_id, seal) VALUES ('notices', NEW.id, baton_seal('notices',
        NEW.id, NEW.item_id, NEW.customer_id, NEW.new_contact_id, NEW.effective_on, NEW.send_by,
        NEW.status, NEW.sent_at, NEW.sent_on, NEW.ack_at));
END;

CREATE TRIGGER seal_notices_update AFTER UPDATE OF id, item_id, customer_id, new_contact_id,
    effective_on, send_by, status, sent_at, sent_on, ack_at ON notices BEGIN
    UPDATE row_seals SET row_id = NEW.id, seal = baton_seal('notices', NEW.id, NEW.item_id,
        NEW.customer_id, NEW.new_contact_id, NEW.effective_on, NEW.send_by, NEW.status, NEW.sent_at,
        NEW.sent_on, NEW.ack_at)
    WHERE tbl = 'notices' AND row_id = OLD.id;
END;

-- Events are appended, never changed or deleted.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- The log's pages: the newest events first, by time, by actor, by kind of record, by record.
DROP INDEX events_entity;
CREATE INDEX events_at ON events (at);
CREATE INDEX events_actor ON events (actor, at);
CREATE INDEX events_entity ON events (entity, at);
CREATE INDEX events_entity_id ON events (entity_id, at);
