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
