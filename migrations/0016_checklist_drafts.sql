-- 16: unfinished self-checks. Each answer given at the prompt is kept as it is given, so a
-- run stopped part-way (Ctrl-C, a closed terminal) continues with `checklist run --resume`.
-- A draft is never deleted: it ends as the run it became, or set aside by `--restart`.

CREATE TABLE checklist_drafts (
    id                INTEGER PRIMARY KEY,
    company_id        INTEGER NOT NULL REFERENCES companies (id),
    template          TEXT NOT NULL,            -- the template's id
    template_version  INTEGER NOT NULL,
    skip              TEXT NOT NULL,            -- JSON: the item ids left out of the score
    started_at        TEXT NOT NULL,
    actor             TEXT NOT NULL,
    run_id            INTEGER REFERENCES checklist_runs (id),  -- the run it became
    discarded_at      TEXT,                     -- set aside by `checklist run --restart`
    CHECK (run_id IS NULL OR discarded_at IS NULL)
) STRICT;

CREATE UNIQUE INDEX checklist_drafts_open ON checklist_drafts (company_id)
    WHERE run_id IS NULL AND discarded_at IS NULL;

CREATE TABLE checklist_draft_answers (
    draft_id  INTEGER NOT NULL REFERENCES checklist_drafts (id),
    item      TEXT NOT NULL,
    answer    TEXT NOT NULL CHECK (answer IN ('yes', 'partial', 'no', 'n/a')),
    note      TEXT,
    at        TEXT NOT NULL,
    PRIMARY KEY (draft_id, item)
) STRICT;
