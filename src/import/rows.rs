//! Rows read on this thread (the objects of a JSON file, the rows of a sheet) on their way
//! to the entity: routed to their company, then applied one by one, or staged and inserted
//! [`BATCH`] at a time for its bulk load ([`write_rows`]).

use std::mem::take;

use anyhow::Result;
use rusqlite::Connection;

use super::tally::Tally;
use super::{Bulk, Column, Entity, Outcome, Position, Row, Stage, Staged, BATCH};
use crate::error::Failure;

/// Starts the rejects file with `header`, begins the entity, hands `read` the [`Rows`] to
/// write each row to, then inserts what is still staged and finishes the entity.
pub(super) fn write_rows<'h>(
    conn: &Connection,
    entity: &mut dyn Entity,
    tally: &mut Tally<'_, '_>,
    header: impl Iterator<Item = &'h str>,
    read: impl FnOnce(&mut Rows<'_, '_, '_, '_>) -> Result<()>,
) -> Result<()> {
    let columns = entity.columns();
    tally.open_rejects(header)?;
    entity.begin(conn)?;
    let mut target = match entity.bulk_load() {
        Some((bulk, stager)) => Target::Stage(Staging {
            bulk,
            stager,
            staged: Staged::default(),
            held: Vec::new(),
        }),
        None => Target::Apply(entity),
    };
    read(&mut Rows {
        conn,
        columns,
        target: &mut target,
        tally,
    })?;
    if let Target::Stage(staging) = &mut target {
        staging.insert(tally)?;
    }
    drop(target);
    entity.finish(conn)
}

/// Where the rows go: one by one to the entity, or staged for its bulk load.
enum Target<'e> {
    Apply(&'e mut dyn Entity),
    Stage(Staging<'e>),
}

/// The rows of a bulk load staged on this thread, and their original fields (reused:
/// `staged.len()` in use), until [`BATCH`] of them are inserted.
struct Staging<'e> {
    bulk: &'e mut dyn Bulk,
    stager: Box<dyn Stage>,
    staged: Staged,
    held: Vec<csv::ByteRecord>,
}

impl Staging<'_> {
    /// Stages a row, keeping its fields until the rows are inserted.
    fn stage<'c>(
        &mut self,
        tally: &mut Tally<'_, '_>,
        row: &Row<'_>,
        original: impl Iterator<Item = &'c [u8]> + Clone,
    ) -> Result<()> {
        let result = self.staged.stage(self.stager.as_ref(), row);
        if result.is_ok() {
            let at = self.staged.len() - 1;
            if at == self.held.len() {
                self.held.push(csv::ByteRecord::new());
            }
            self.held[at].clear();
            for field in original.clone() {
                self.held[at].push_field(field);
            }
        }
        tally.count(result.map(|()| Outcome::Staged), row, original)?;
        if self.staged.len() >= BATCH {
            self.insert(tally)?;
        }
        Ok(())
    }

    /// Inserts the rows staged so far.
    fn insert(&mut self, tally: &mut Tally<'_, '_>) -> Result<()> {
        let held = take(&mut self.held);
        let inserted = tally.insert(self.bulk, &self.staged, |i| &held[i]);
        self.staged.clear();
        self.held = held;
        inserted
    }
}

/// Everything a row needs to be written.
pub(super) struct Rows<'a, 'e, 'p, 'c> {
    conn: &'a Connection,
    pub(super) columns: &'static [Column],
    target: &'a mut Target<'e>,
    pub(super) tally: &'a mut Tally<'p, 'c>,
}

impl Rows<'_, '_, '_, '_> {
    /// Routes a row (its cells by the entity's column index) and applies or stages it; a
    /// row with a `problem` (found reading it) is only counted as bad. `original` is its
    /// fields as the file has them, for the rejects file (and, when staged, the error).
    pub(super) fn write<'o>(
        &mut self,
        cells: &[Option<&str>],
        original: impl Iterator<Item = &'o [u8]> + Clone,
        mut problem: Option<Failure>,
        position: Position,
    ) -> Result<()> {
        let routes = self.tally.routes.clone();
        let company = match problem {
            Some(_) => None,
            None => routes.route(cells).unwrap_or_else(|failure| {
                problem = Some(failure);
                None
            }),
        };
        let row = Row {
            cells,
            columns: self.columns,
            position,
            company,
        };
        match (problem, &mut *self.target) {
            (Some(problem), _) => self.tally.count(Err(problem.into()), &row, original),
            (None, Target::Stage(staging)) => staging.stage(self.tally, &row, original),
            (None, Target::Apply(entity)) => {
                let result = entity.apply(self.conn, &row);
                self.tally.count(result, &row, original)
            }
        }
    }
}
