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
