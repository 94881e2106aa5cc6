-- 7: checklist runs and their answers. Each answer keeps the item's texts as they were,
-- so a report reads the same after its template has changed or moved.

CREATE TABLE checklist_runs (
    id                INTEGER PRIMARY KEY,
    company_id        INTEGER NOT NULL REFERENCES companies (id),
    template          TEXT NOT NULL,            -- the template's id, e.g. core-departure
    template_version  INTEGER NOT NULL,
    title_en          TEXT NOT NULL,
    title_zh          TEXT NOT NULL,
    dimensions        TEXT NOT NULL,            -- JSON: [{"id", "en", "zh"}] in template order
    score             REAL,                     -- 0-100, one decimal; NULL when nothing was answered
    risk              TEXT CHECK (risk IN ('high', 'medium', 'low')),
    answered          INTEGER NOT NULL,
    skipped           INTEGER NOT NULL,
    started_at        TEXT NOT NULL,
    actor             TEXT NOT NULL
) STRICT;

CREATE INDEX checklist_runs_company ON checklist_runs (company_id, id);

CREATE TABLE checklist_answers (
    run_id       INTEGER NOT NULL REFERENCES checklist_runs (id),
    position     INTEGER NOT NULL,              -- order in the template
    item         TEXT NOT NULL,                 -- e.g. P1
    dimension    TEXT NOT NULL,                 -- a dimension id of the run
    weight       INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 5),
    answer       TEXT NOT NULL CHECK (answer IN ('yes', 'partial', 'no', 'n/a')),
    source       TEXT NOT NULL CHECK (source IN ('manual', 'probe')),
    probe        TEXT,                          -- the probe that answered, if any
    note         TEXT,
    question_en  TEXT NOT NULL,
    question_zh  TEXT NOT NULL,
    advice_en    TEXT NOT NULL,
    advice_zh    TEXT NOT NULL,
    PRIMARY KEY (run_id, item)
) STRICT, WITHOUT ROWID;
