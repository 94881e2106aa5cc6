//! What the rows did: counted, the bad ones listed and written to the rejects file, the
//! staged ones inserted ([`Tally`]).

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{bail, Context as _, Result};
use rusqlite::Connection;

use super::csv_reader::decode_cells;
use super::routes::Routes;
use super::{
    Bulk, Column, Entity, Insert, OnError, Outcome, Position, Refresh, Row, Staged, Summary, BATCH,
    LISTED_ERRORS, MAX_COLUMNS,
};
use crate::error::Failure;
use crate::i18n::{self, Lang};
use crate::limits::quoted;
use crate::outfile::OutFile;
use crate::output::{neutralise_formula, unneutralise_formula};

/// Counts rows, keeps the errors, writes the rejects and moves the progress.
pub(super) struct Tally<'p, 'c> {
    pub(super) conn: &'c Connection,
    pub(super) lang: Lang,
    pub(super) file: String,
    pub(super) on_error: OnError,
    pub(super) rejects: Option<csv::Writer<OutFile>>,
    pub(super) rejects_path: Option<PathBuf>,
    pub(super) summary: Summary,
    pub(super) errors: Vec<String>,
    pub(super) failed: u64,
    pub(super) progress: &'p mut dyn FnMut(u64),
    pub(super) columns: &'static [Column],
    /// The file's field of each column, and how many fields a row has.
    pub(super) map: Vec<Option<usize>>,
    pub(super) width: usize,
    /// The entity's `INSERT` of [`BATCH`] staged rows, once prepared.
    pub(super) insert: Option<Insert<'c>>,
    /// The entity's comparison of [`BATCH`] staged rows (a refresh), once prepared.
    pub(super) compare: Option<Insert<'c>>,
    /// The company of each row.
    pub(super) routes: Arc<Routes>,
    /// The sheet being read, for a workbook: a row error names its cell.
    pub(super) sheet: Option<SheetAt>,
}

/// The sheet a workbook's rows come from: its name, and the column of the file's first
/// field (0 for A).
pub(super) struct SheetAt {
    pub(super) name: String,
    pub(super) first_column: u32,
}

/// The letters of a column: 0 is A, 25 is Z, 26 is AA.
pub(super) fn column_letters(column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(column) + 1;
    while n > 0 {
        n -= 1;
        letters.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    letters.iter().rev().map(|&b| char::from(b)).collect()
}

impl Tally<'_, '_> {
    /// Inserts staged rows with the entity's bulk load, and counts them; `original(i)`
    /// gives the fields of staged row `i`, for its error.
    pub(super) fn insert<'r>(
        &mut self,
        bulk: &mut dyn Bulk,
        staged: &Staged,
        original: impl Fn(usize) -> &'r csv::ByteRecord,
    ) -> Result<()> {
        let mut failures = Vec::new();
        for start in (0..staged.len()).step_by(BATCH) {
            let rows = start..staged.len().min(start + BATCH);
            bulk.before_insert(self.conn, staged, rows.clone())?;
            let mut partial;
            let insert = match &mut self.insert {
                Some(insert) if rows.len() == BATCH => insert,
                full if rows.len() == BATCH => {
                    full.insert(Insert::new(self.conn, &bulk.insert_sql(BATCH))?)
                }
                _ => {
                    partial = Insert::new(self.conn, &bulk.insert_sql(rows.len()))?;
                    &mut partial
                }
            };
            insert
                .execute(staged, rows.clone())
                .with_context(|| format!("cannot add the {}", self.summary.entity))?;
            failures.extend(bulk.refused(self.conn, staged, rows)?);
        }
        self.summary.inserted += (staged.len() - failures.len()) as u64;
        for (i, failure) in failures {
            let fields = original(i);
            let mut cells: [Option<&str>; MAX_COLUMNS] = [None; MAX_COLUMNS];
            if let Err(other) =
                decode_cells(fields, self.columns, &self.map, &mut cells, self.width)
            {
                bail!("a staged row no longer decodes: {other}");
            }
            let row = Row {
                cells: &cells[..self.columns.len()],
                columns: self.columns,
                position: staged.position(i),
                company: None,
            };
            let reason = describe(&failure, &row, self.lang);
            self.bad(row.position, failure.field, reason, fields.iter())?;
        }
        Ok(())
    }

    /// Compares staged rows with the stored ones through the entity's [`super::Refresh`]:
    /// a new or changed row goes to `apply`, an unchanged one is only noted; counts them
    /// (`counted` already). `original(i)` gives the fields of staged row `i`.
    pub(super) fn refresh<'r>(
        &mut self,
        entity: &mut dyn Entity,
        staged: &Staged,
        original: impl Fn(usize) -> &'r csv::ByteRecord,
    ) -> Result<()> {
        let conn = self.conn;
        let routes = self.routes.clone();
        let mut found = Vec::with_capacity(BATCH);
        for start in (0..staged.len()).step_by(BATCH) {
            let rows = start..staged.len().min(start + BATCH);
            let mut partial;
            let compare = match &mut self.compare {
                Some(compare) if rows.len() == BATCH => compare,
                full if rows.len() == BATCH => {
                    full.insert(Insert::new(conn, &refresh_of(entity)?.compare_sql(BATCH))?)
                }
                _ => {
                    let sql = refresh_of(entity)?.compare_sql(rows.len());
                    partial = Insert::new(conn, &sql)?;
                    &mut partial
                }
            };
            found.clear();
            compare
                .query(staged, rows, |[i, rowid, differs]| {
                    found.push((i, rowid, differs.map(|d| d != 0)))
                })
                .context("cannot compare the rows with the stored ones")?;
            found.sort_unstable_by_key(|&(i, ..)| i);
            for &(i, rowid, differs) in &found {
                let i = i
                    .and_then(|i| usize::try_from(i).ok())
                    .context("a compared row has no index")?;
                let position = staged.position(i);
                let result = match (rowid, differs) {
                    (Some(rowid), Some(false)) => {
                        match refresh_of(entity)?.unchanged(conn, rowid, position)? {
                            None => continue,
                            Some(failure) => Err(failure.into()),
                        }
                    }
                    _ => Ok(()),
                };
                let fields = original(i);
                let mut cells: [Option<&str>; MAX_COLUMNS] = [None; MAX_COLUMNS];
                if let Err(other) =
                    decode_cells(fields, self.columns, &self.map, &mut cells, self.width)
                {
                    bail!("a staged row no longer decodes: {other}");
                }
                let cells = &cells[..self.columns.len()];
                let row = Row {
                    cells,
                    columns: self.columns,
                    position,
                    company: routes.route(cells)?,
                };
                let result = result.and_then(|()| entity.apply(conn, &row));
                self.outcome(result, &row, fields.iter())?;
            }
        }
        Ok(())
    }

    /// Starts the rejects file with the input's header and an `error` column.
    pub(super) fn open_rejects<'h>(&mut self, header: impl Iterator<Item = &'h str>) -> Result<()> {
        let Some(path) = &self.rejects_path else {
            return Ok(());
        };
        let mut file = OutFile::create(path)?;
        file.write_all("\u{feff}".as_bytes())?;
        // A ragged row keeps all its fields (see `bad`).
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(file);
        writer.write_record(header.chain(["error"]))?;
        self.rejects = Some(writer);
        Ok(())
    }

    /// Records what `apply` (or the row's decoding) said about the row.
    pub(super) fn count<'c>(
        &mut self,
        result: Result<Outcome>,
        row: &Row<'_>,
        original: impl Iterator<Item = &'c [u8]>,
    ) -> Result<()> {
        self.counted();
        self.outcome(result, row, original)
    }

    /// Records what `apply` said about a row already counted.
    pub(super) fn outcome<'c>(
        &mut self,
        result: Result<Outcome>,
        row: &Row<'_>,
        original: impl Iterator<Item = &'c [u8]>,
    ) -> Result<()> {
        match result {
            Ok(Outcome::Inserted) => self.summary.inserted += 1,
            Ok(Outcome::Updated) => self.summary.updated += 1,
            Ok(Outcome::Unchanged | Outcome::Staged) => {}
            Err(err) => {
                let Some(failure) = err.chain().find_map(|e| e.downcast_ref::<Failure>()) else {
                    let place = self.place(row.position, None);
                    return Err(err.context(place));
                };
                let reason = describe(failure, row, self.lang);
                self.bad(row.position, failure.field, reason, original)?;
            }
        }
        Ok(())
    }

    /// Counts a row and moves the progress.
    pub(super) fn counted(&mut self) {
        self.summary.rows += 1;
        if self.summary.rows % 4096 == 0 {
            (self.progress)(self.summary.rows);
        }
    }

    /// Where a row is in messages: `file:line`, `file:record 3`; in a sheet
    /// `file:Sheet1!C12`, the cell of `field` (the column's name), or `file:Sheet1!12`.
    pub(super) fn place(&self, position: Position, field: Option<&str>) -> String {
        let Some(sheet) = &self.sheet else {
            return format!("{}:{}", self.file, position);
        };
        let column = field
            .and_then(|field| self.columns.iter().position(|c| c.name == field))
            .and_then(|col| self.map.get(col).copied().flatten())
            .and_then(|at| u32::try_from(at).ok())
            .map(|at| column_letters(sheet.first_column.saturating_add(at)))
            .unwrap_or_default();
        format!("{}:{}!{column}{}", self.file, sheet.name, position.number)
    }

    /// Counts a bad row, lists its error (at the cell of `field`, in a sheet) and writes it
    /// to the rejects file.
    pub(super) fn bad<'c>(
        &mut self,
        position: Position,
        field: Option<&str>,
        reason: String,
        original: impl Iterator<Item = &'c [u8]>,
    ) -> Result<()> {
        self.failed += 1;
        if self.on_error == OnError::Skip {
            self.summary.rejected += 1;
        }
        if self.errors.len() < LISTED_ERRORS {
            let place = self.place(position, field);
            self.errors.push(format!("{place}: {reason}"));
        }
        if let Some(rejects) = self.rejects.as_mut() {
            let mut cells: Vec<String> = original
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            // A short row is padded, so that its error stands in the `error` column.
            if cells.len() < self.width {
                cells.resize(self.width, String::new());
            }
            cells.push(reason);
            // Cells as the file meant them, neutralised again: no formula runs, and the
            // rejects import back as they were.
            rejects.write_record(
                cells
                    .iter()
                    .map(|c| neutralise_formula(unneutralise_formula(c)).into_owned()),
            )?;
        }
        Ok(())
    }
}

/// The refresh of an entity that handed out its refresh stager.
fn refresh_of(entity: &mut dyn Entity) -> Result<&mut dyn Refresh> {
    entity
        .refresh()
        .context("the entity has no refresh any more")
}

/// `column "x": value "y": reason`, or the reason alone when no column is known.
pub(super) fn describe(failure: &Failure, row: &Row<'_>, lang: Lang) -> String {
    let message = failure.message_in(lang);
    let column = failure
        .field
        .and_then(|f| row.columns.iter().position(|c| c.name == f));
    let Some(col) = column else {
        return message.to_string();
    };
    let name = i18n::label(row.name(col), lang);
    match (row.get(col), lang) {
        (Some(value), Lang::En) => format!("column \"{name}\": value {}: {message}", quoted(value)),
        (None, Lang::En) => format!("column \"{name}\": {message}"),
        (Some(value), Lang::Zh) => format!("列 \"{name}\"：值 {}：{message}", quoted(value)),
        (None, Lang::Zh) => format!("列 \"{name}\"：{message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::column_letters;

    #[test]
    fn columns_are_lettered_as_in_a_spreadsheet() {
        let letters: Vec<String> = [0, 2, 25, 26, 27, 51, 52, 701, 702, 16383]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(
            letters,
            ["A", "C", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA", "XFD"]
        );
    }
}
