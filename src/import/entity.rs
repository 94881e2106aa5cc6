//! What an entity plugs into the importer ([`Entity`], optionally [`Bulk`]), and the row it
//! is handed ([`Row`], its [`Column`]s and [`Position`]).

use std::ops::Range;

use anyhow::Result;
use rusqlite::Connection;

use super::{Stage, Staged};
use crate::domain::company::CompanyRef;
use crate::domain::Patch;
use crate::error::Failure;
use crate::{bad_input, limits, text};

/// One column an entity reads.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

impl Column {
    pub const fn required(name: &'static str) -> Column {
        Column {
            name,
            required: true,
        }
    }

    pub const fn optional(name: &'static str) -> Column {
        Column {
            name,
            required: false,
        }
    }
}

/// The entity's column for a header cell (or a JSON key), in English or Chinese.
pub(super) fn column_index(columns: &[Column], header: &str) -> Option<usize> {
    let field = crate::i18n::field_of(header.trim());
    columns.iter().position(|c| c.name == field)
}

/// The names of the columns, for a hint: `id, name, tier`.
pub(super) fn known(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Inserted,
    Updated,
    Unchanged,
    /// Staged by the entity's [`Stage`], to be inserted with others ([`super::Insert`]).
    Staged,
}

/// An entity that `baton import` loads: see "Plugging in an entity" in [`crate::import`].
pub trait Entity {
    /// What the rows are, in messages and in the audit event (`"customers"`).
    fn nouns(&self) -> &'static str;
    /// The columns a row may have, by the export field names.
    fn columns(&self) -> &'static [Column];
    /// Runs inside the transaction before the first row.
    fn begin(&mut self, conn: &Connection) -> Result<()>;
    /// Validates and writes one row; a refusal is a [`Failure`].
    fn apply(&mut self, conn: &Connection, row: &Row<'_>) -> Result<Outcome>;
    /// Runs after the last row.
    fn finish(&mut self, conn: &Connection) -> Result<()>;
    /// Whether every reference the entity writes comes from rows it read inside the
    /// import's transaction (which no other writer can change), so that SQLite's foreign
    /// key checks cannot fail: the importer then turns them off for the import (a B-tree
    /// search per reference per row, a tenth of a million-row import).
    fn references_resolved(&self) -> bool {
        false
    }
    /// Whether every row needs a company (its `company` cell, or the command's): a file
    /// without the column is then refused at once when the command has no company.
    fn company_required(&self) -> bool {
        true
    }
    /// What the entity has to say about the rows it wrote, for the command to print when
    /// the import is committed (e.g. `handover open`'s warnings); taken once, at the end.
    fn warnings(&mut self) -> Vec<String> {
        Vec::new()
    }
    /// The entity's bulk load into an empty table, when it has one.
    fn bulk(&mut self) -> Option<&mut dyn Bulk> {
        None
    }
    /// The entity's refresh of a table that is not empty from a CSV file, when it has one.
    fn refresh(&mut self) -> Option<&mut dyn Refresh> {
        None
    }
}

impl dyn Entity + '_ {
    /// The bulk load of this file and the stage of its rows, when the entity has a bulk
    /// load and `begin` found its table empty. Called once, after `begin`.
    pub(super) fn bulk_load(&mut self) -> Option<(&mut dyn Bulk, Box<dyn Stage>)> {
        let bulk = self.bulk()?;
        let stager = bulk.stager()?;
        Some((bulk, stager))
    }
}

/// The load of an empty table in bulk (see [`crate::import`]): every row is new,
/// and its rules need no database, so a [`Stage`] validates the rows and writes the values
/// of their `INSERT` (for a CSV file on a staging thread, ahead of this one); the
/// importer runs the entity's multi-row `INSERT` and asks it which rows it refuses.
/// [`Entity::apply`] is not called.
pub trait Bulk {
    /// The table loaded in bulk when it is empty ([`super::DeferredIndexes`]): the
    /// importer then writes it through a rollback journal ([`crate::db::bulk_journal`]).
    fn table(&self) -> &'static str;
    /// The rules of a new row when `begin` found the table empty; `None` otherwise, and
    /// the rows go to [`Entity::apply`]. Called once after `begin`.
    fn stager(&mut self) -> Option<Box<dyn Stage>>;
    /// The `INSERT` of `rows` staged rows (their values, in order). Rows go [`super::BATCH`] to a statement: each
    /// execution has a fixed cost (a million customers took 3.4 s one row to a statement,
    /// 1.8 s with 256).
    fn insert_sql(&self, rows: usize) -> String;
    /// Called with the staged `rows` about to be inserted, in order (an index the rows
    /// would slow down may be dropped now: [`super::DeferredIndexes::follow`]).
    fn before_insert(
        &mut self,
        conn: &Connection,
        staged: &Staged,
        rows: Range<usize>,
    ) -> Result<()>;
    /// Which of the staged `rows`, just inserted, the load refuses, and why (a key seen
    /// twice, whose unique index waits for the end of the load): the entity has removed
    /// them again.
    fn refused(
        &mut self,
        conn: &Connection,
        staged: &Staged,
        rows: Range<usize>,
    ) -> Result<Vec<(usize, Failure)>>;
}

/// The refresh of a table that is not empty (a nightly re-import of a CSV file, where most
/// rows are as stored): a [`Stage`] validates each row on the staging thread as if it were
/// new and writes the values to compare; the importer asks the database, [`super::BATCH`]
/// rows to a query ([`Refresh::compare_sql`]), which rows are new or differ from what is
/// stored, and hands only those to [`Entity::apply`]; an unchanged row is only noted
/// ([`Refresh::unchanged`]). Every row the stage refuses, `apply` refuses too.
pub trait Refresh {
    /// The rules of a row to compare, for a file with the columns `present[col]` (by the
    /// entity's column index); `None`: the rows go to [`Entity::apply`]. Called once, after
    /// `begin`.
    fn stager(&mut self, present: &[bool]) -> Option<Box<dyn Stage>>;
    /// A query over `rows` staged rows (their values, in order, are its parameters) that
    /// gives for each: the index of the staged row (its first value), the id of the stored
    /// row with its key (NULL: none), and whether a compared value differs.
    fn compare_sql(&self, rows: usize) -> String;
    /// Notes that the row at `position` names the stored row `rowid` and changes nothing;
    /// the refusal when an earlier row of the file named it too.
    fn unchanged(
        &mut self,
        conn: &Connection,
        rowid: i64,
        position: Position,
    ) -> Result<Option<Failure>>;
}

/// Where a row is: its line (CSV, JSON Lines), its number in a JSON array, or its row in
/// a sheet (whose name and columns the importer knows: `file:Sheet1!C12` in messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub number: u64,
    pub unit: Unit,
}

/// What [`Position::number`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    #[default]
    Line,
    /// An element of a JSON array.
    Record,
    /// A row of a sheet of a workbook.
    Row,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.unit {
            Unit::Line => write!(f, "{}", self.number),
            Unit::Record => write!(f, "record {}", self.number),
            Unit::Row => write!(f, "row {}", self.number),
        }
    }
}

/// The cells of one row, by the entity's column index, and the company it goes to.
pub struct Row<'a> {
    pub(super) cells: &'a [Option<&'a str>],
    pub(super) columns: &'static [Column],
    pub position: Position,
    /// The company its `company` cell names, else the command's (see `routes`).
    pub(super) company: Option<&'a CompanyRef>,
}

impl<'a> Row<'a> {
    /// The company the row goes to, if any: named by its `company` cell, else the
    /// command's company.
    pub fn company_or_none(&self) -> Option<&'a CompanyRef> {
        self.company
    }

    /// The company the row goes to; a row error when it has none.
    pub fn company(&self) -> Result<&'a CompanyRef, Failure> {
        self.company.ok_or_else(|| {
            bad_input!(
                "the row names no company, and the command has none",
                "该行没有指明公司，命令也没有指定公司"
            )
            .hint(text!(
                "fill the company column (统一社会信用代码), or give --company CODE",
                "请填写公司列（统一社会信用代码），或使用 --company 代码"
            ))
            .field("company")
        })
    }

    /// The cell as written; `None` when the file has no such column.
    pub fn get(&self, col: usize) -> Option<&'a str> {
        self.cells.get(col).copied().flatten()
    }

    /// The field name of a column.
    pub(super) fn name(&self, col: usize) -> &'static str {
        self.columns[col].name
    }

    /// A cell that must hold text; trimmed.
    pub fn required(&self, col: usize) -> Result<&'a str, Failure> {
        match self.get(col).map(str::trim) {
            Some(text) if !text.is_empty() => Ok(text),
            Some(_) => Err(bad_input!("must not be empty", "不能为空").field(self.name(col))),
            None => Err(bad_input!("the column is missing", "缺少此列").field(self.name(col))),
        }
    }

    /// A required cell, parsed.
    pub fn parse_required<T>(
        &self,
        col: usize,
        parse: impl FnOnce(&str) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        parse(self.required(col)?).map_err(|e| e.field(self.name(col)))
    }

    /// An optional cell, parsed; `None` when absent or empty.
    pub fn parse<T>(
        &self,
        col: usize,
        parse: impl FnOnce(&str) -> Result<T, Failure>,
    ) -> Result<Option<T>, Failure> {
        match self.get(col).map(str::trim).filter(|s| !s.is_empty()) {
            Some(text) => parse(text).map(Some).map_err(|e| e.field(self.name(col))),
            None => Ok(None),
        }
    }

    /// A change to an optional field: an absent column keeps it, an empty cell clears it.
    pub fn patch<T>(
        &self,
        col: usize,
        parse: impl FnOnce(&str) -> Result<T, Failure>,
    ) -> Result<Patch<T>, Failure> {
        match self.get(col).map(str::trim) {
            None => Ok(None),
            Some("") => Ok(Some(None)),
            Some(text) => parse(text)
                .map(|v| Some(Some(v)))
                .map_err(|e| e.field(self.name(col))),
        }
    }

    /// A change to an optional text field.
    pub fn text_patch(&self, col: usize) -> Patch<String> {
        self.get(col)
            .map(|s| Some(s.trim().to_string()).filter(|s| !s.is_empty()))
    }

    /// The error for a row whose key an earlier row of the same file had.
    pub fn duplicate(&self, col: usize, first: u64) -> Failure {
        duplicate(self.name(col), self.position, first)
    }
}

/// Refuses a cell longer than its column takes ([`limits::check`]), naming the column.
pub(super) fn check_length(column: &Column, cell: &str) -> Result<(), Failure> {
    limits::check(column.name, "", cell).map_err(|failure| failure.field(column.name))
}

/// The error for a cell holding NUL, which no field may hold (CSV and JSON alike).
pub(super) fn holds_nul(cell: &str) -> Failure {
    let cell = limits::quoted(cell);
    bad_input!(
        "value {cell} holds a NUL character, which no field may hold",
        "值 {cell} 含有 NUL 字符，任何字段都不能含有"
    )
    .hint(text!(
        "remove the NUL characters from the file",
        "请删除文件中的 NUL 字符"
    ))
}

/// The error for the row at `position` whose key (`field`) the row at `first` had.
pub fn duplicate(field: &'static str, position: Position, first: u64) -> Failure {
    let first = Position {
        number: first,
        ..position
    };
    let number = first.number;
    let message = match first.unit {
        Unit::Record => text!(
            "the same key is on {first} of this file",
            "与本文件第 {number} 条记录的键相同"
        ),
        Unit::Line => text!(
            "the same key is on line {first} of this file",
            "与本文件第 {number} 行的键相同"
        ),
        Unit::Row => text!(
            "the same key is on {first} of this sheet",
            "与本工作表第 {number} 行的键相同"
        ),
    };
    Failure::bad_input(message).field(field)
}

/// `true`/`false` as exports write them; also `1`/`0`, `yes`/`no` and the zh table's `是`/`否`.
pub fn parse_bool(s: &str) -> Result<bool, Failure> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "y" | "是" => Ok(true),
        "false" | "0" | "no" | "n" | "否" => Ok(false),
        _ => Err(bad_input!(
            "invalid yes/no value {s:?}: expected true or false",
            "是/否值 {s:?} 无效：应为 true 或 false"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans() {
        assert_eq!(parse_bool(" TRUE "), Ok(true));
        assert_eq!(parse_bool("否"), Ok(false));
        assert!(parse_bool("maybe").is_err());
    }

    #[test]
    fn a_duplicate_names_the_first_line_record_or_row_in_both_languages() {
        let line = Position {
            number: 7,
            unit: Unit::Line,
        };
        let failure = duplicate("id", line, 3);
        assert_eq!(failure.message.en, "the same key is on line 3 of this file");
        assert_eq!(failure.message.zh, "与本文件第 3 行的键相同");
        assert_eq!(failure.field, Some("id"));
        let record = Position {
            number: 7,
            unit: Unit::Record,
        };
        let failure = duplicate("id", record, 3);
        assert_eq!(
            failure.message.en,
            "the same key is on record 3 of this file"
        );
        assert_eq!(failure.message.zh, "与本文件第 3 条记录的键相同");
        let row = Position {
            number: 7,
            unit: Unit::Row,
        };
        let failure = duplicate("id", row, 3);
        assert_eq!(failure.message.en, "the same key is on row 3 of this sheet");
        assert_eq!(failure.message.zh, "与本工作表第 3 行的键相同");
    }
}
