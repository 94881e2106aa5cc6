-- 11: complaints and reports as the market-regulation rules have them (《市场监督管理投诉举报
-- 处理暂行办法》): the complainant's kind (art. 3, 38), a report's reporter kept confidential
-- (art. 33), WeChat as a channel, the clock each deadline was counted with (a hold moves a
-- working-day clock by the working days on hold, art. 20), the resolve clock that starts at
-- acceptance (art. 21(5)), the inform clock after mediation ends (art. 21) or after a report's
-- case decision (art. 31), the ground of a refusal (art. 15), the 调解书 / 调解记录 of an
-- agreement (art. 22), a report's extended check (art. 23), and each hold as a row.
-- A CHECK cannot be altered: both tables are rebuilt. Complaints filed before keep the
-- default clocks (24h / 48h / 45wd counted from receipt) they were most likely filed with.

CREATE TABLE complaints_rebuilt (
    id               INTEGER PRIMARY KEY,
    company_id       INTEGER NOT NULL REFERENCES companies (id),
    kind             TEXT NOT NULL DEFAULT 'complaint' CHECK (kind = 'complaint' OR kind = 'report'),
    customer_id      INTEGER REFERENCES customers (id),
    complainant      TEXT,                      -- a person who is not a customer
    complainant_kind TEXT NOT NULL DEFAULT 'consumer'
                     CHECK (complainant_kind = 'consumer' OR complainant_kind = 'business'
                            OR complainant_kind = 'other'),
    reporter         TEXT,                      -- a report's real-name reporter (NULL: anonymous)
    category         TEXT NOT NULL
                     CHECK (category IN ('service-gap', 'commitment', 'quality', 'billing', 'data', 'other')),
    channel          TEXT NOT NULL
                     CHECK (channel IN ('phone', 'online', 'visit', 'letter', 'platform', 'wechat')),
    summary          TEXT NOT NULL,
    handover_id      INTEGER REFERENCES handovers (id),  -- the departure that caused it
    status           TEXT NOT NULL DEFAULT 'received'
                     CHECK (status IN ('received', 'accepted', 'mediating', 'resolved', 'rejected')),
    received_at      TEXT NOT NULL,
    accept_clock     TEXT NOT NULL,             -- the durations the deadlines were counted with
    feedback_clock   TEXT,
    resolve_clock    TEXT,
    resolve_from     TEXT NOT NULL DEFAULT 'receipt'
                     CHECK (resolve_from = 'receipt' OR resolve_from = 'acceptance'),
    accept_due       TEXT NOT NULL,             -- a report's check; deadlines move with holds
    feedback_due     TEXT,
    resolve_due      TEXT,                      -- NULL until accepted when counted from acceptance
    inform_due       TEXT,                      -- set when mediation ends or a case is decided
    accepted_at      TEXT,
    rejected_at      TEXT,
    reject_ground    TEXT CHECK (reject_ground IN ('outside-remit', 'handled-elsewhere',
                                 'not-consumer', 'time-barred', 'missing-materials', 'other-rule')),
    extension_reason TEXT,                      -- a report's check extended by 15 working days
    feedback_at      TEXT,                      -- the first feedback
    resolved_at      TEXT,
    outcome          TEXT CHECK (outcome IN ('agreement', 'withdrawn', 'referred', 'failed')),
    paper            TEXT CHECK (paper = 'document' OR paper = 'record'),
    terms            TEXT,
    informed_at      TEXT,
    on_hold_since    TEXT,                      -- set while the clocks are paused
    held_seconds     INTEGER NOT NULL DEFAULT 0 CHECK (held_seconds >= 0),
    CHECK (customer_id IS NOT NULL OR complainant IS NOT NULL OR kind = 'report'),
    CHECK (kind = 'complaint' OR (customer_id IS NULL AND complainant IS NULL)),
    CHECK (kind = 'report' OR reporter IS NULL),
    CHECK ((status = 'resolved') = (resolved_at IS NOT NULL AND outcome IS NOT NULL)),
    CHECK ((status = 'rejected') = (rejected_at IS NOT NULL)),
    CHECK ((status = 'resolved') = (paper IS NOT NULL))
) STRICT;

INSERT INTO complaints_rebuilt (id, company_id, customer_id, complainant, category, channel,
                                summary, handover_id, status, received_at, accept_clock,
                                feedback_clock, resolve_clock, accept_due, feedback_due,
                                resolve_due, accepted_at, rejected_at, feedback_at, resolved_at,
                                outcome, paper, terms, on_hold_since, held_seconds)
SELECT id, company_id, customer_id, complainant, category, channel, summary, handover_id,
       status, received_at, '24h', '48h', '45wd', accept_due, feedback_due, resolve_due,
       accepted_at, rejected_at, feedback_at, resolved_at, outcome,
       CASE WHEN status = 'resolved' THEN 'record' END, terms, on_hold_since, held_seconds
FROM complaints;

CREATE TABLE complaint_events_rebuilt (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaints (id),
    action        TEXT NOT NULL CHECK (action IN ('file', 'accept', 'reject', 'feedback', 'mediate',
                                                  'hold', 'resume', 'resolve', 'evidence',
                                                  'extend', 'inform')),
    at            TEXT NOT NULL,
    actor         TEXT NOT NULL,
    note          TEXT
) STRICT;

INSERT INTO complaint_events_rebuilt (id, complaint_id, action, at, actor, note)
SELECT id, complaint_id, action, at, actor, note FROM complaint_events;

DROP TABLE complaint_events;
DROP TABLE complaints;
ALTER TABLE complaints_rebuilt RENAME TO complaints;
ALTER TABLE complaint_events_rebuilt RENAME TO complaint_events;

CREATE INDEX complaints_company_status ON complaints (company_id, status);
CREATE INDEX complaints_company_received ON complaints (company_id, received_at);
CREATE INDEX complaints_customer ON complaints (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX complaints_handover ON complaints (handover_id) WHERE handover_id IS NOT NULL;
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, at);

-- Each time a complaint's clocks were paused for testing or appraisal (art. 20); resumed_at is
-- NULL while it lasts.
CREATE TABLE complaint_holds (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaints (id),
    held_at       TEXT NOT NULL,
    resumed_at    TEXT CHECK (resumed_at IS NULL OR resumed_at >= held_at),
    reason        TEXT NOT NULL
) STRICT;

INSERT INTO complaint_holds (complaint_id, held_at, resumed_at, reason)
SELECT h.complaint_id, h.at,
       (SELECT min(r.at) FROM complaint_events r
        WHERE r.complaint_id = h.complaint_id AND r.action = 'resume' AND r.at >= h.at),
       coalesce(h.note, '')
FROM complaint_events h WHERE h.action = 'hold' ORDER BY h.id;

CREATE INDEX complaint_holds_complaint ON complaint_holds (complaint_id, held_at);
