-- 10: the official holiday arrangements imported by `baton calendar import`, one row per
-- import. A later import of the same year closes the earlier one (replaced_at) instead of
-- deleting it; the current arrangement of a year is the one not replaced.

CREATE TABLE calendar_years (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL CHECK (year BETWEEN 1 AND 9999),
    source       TEXT NOT NULL,                 -- the notice, or the file it came from
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,                 -- of the file as imported
    imported_at  TEXT NOT NULL,
    actor        TEXT NOT NULL,
    replaced_at  TEXT                           -- set when a later import of the year replaces it
) STRICT;

CREATE UNIQUE INDEX calendar_years_current ON calendar_years (year) WHERE replaced_at IS NULL;

CREATE TABLE calendar_days (
    calendar_id  INTEGER NOT NULL REFERENCES calendar_years (id),
    date         TEXT NOT NULL,                 -- YYYY-MM-DD
    name         TEXT NOT NULL,                 -- the holiday as the notice names it
    off          INTEGER NOT NULL CHECK (off IN (0, 1)),  -- 1 a day off, 0 a make-up working day
    PRIMARY KEY (calendar_id, date)
) STRICT;
