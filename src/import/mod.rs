//! Streaming import of CSV, JSON and JSON Lines files, shared by every entity.
//!
//! [`run`] reads the file (or standard input) once, in bounded memory, inside the one
//! transaction of the command: it decodes the bytes (UTF-8 with or without BOM, GB18030 when
//! they are not UTF-8), maps the header (the field names of the exports, or their zh labels
//! from [`crate::i18n::ZH_LABELS`]) onto the entity's columns, hands every row to the entity,
//! collects the bad rows (`file:line: column "x": value "y": reason`), writes the rejects
//! file, hashes the input (SHA-256) for the one summary audit event, and commits or rolls
//! back: any bad row with `--on-error abort`, or `--dry-run`, means nothing is written.
//! A CSV file is hashed, decoded and split into records on a second thread, a few batches
//! of records ahead of the one that writes them (for a bulk load it validates them too).
//!
//! # Plugging in an entity
//!
//! An entity is a type implementing [`Entity`], next to its rules in `src/domain/<area>.rs`:
//!
//! - [`Entity::nouns`] names it in messages and in the audit event (`"customers"`),
//!   [`Entity::columns`] lists its [`Column`]s: the export field names, each required or not,
//!   in a `const` slice; index constants (`const OWNER: usize = 3`) name them in `apply`.
//! - [`Entity::begin`] runs once inside the transaction before the first row: load what
//!   rows refer to into memory (e.g. [`crate::domain::employee::Directory`]), note where
//!   this file's rows start ([`Keys`]), and drop the secondary indexes of an empty table
//!   ([`DeferredIndexes`]).
//! - [`Entity::apply`] validates one [`Row`] with the same functions the registry commands
//!   use and writes it: a new record without an audit event of its own (the import's
//!   summary event covers it), a changed one through the same change function as `update`
//!   (audited with before and after). It returns the [`Outcome`]. A rule that refuses the
//!   row is a [`Failure`] (set its `field` to name the column: the [`Row`] helpers do); the
//!   importer turns it into a row error. Any other error stops the import.
//! - [`Entity::stager`], [`Entity::insert_sql`] and [`Entity::refused`] (optional) load an
//!   empty table in bulk: when `begin` found the table empty, every row is new, and its
//!   rules need no database. The entity then hands out a [`Stage`], which validates a row
//!   and writes the values of its `INSERT` into [`Staged`] buffers; for a CSV file the
//!   reading thread runs it, ahead of this one. The importer runs the entity's multi-row
//!   `INSERT` ([`Insert`]) and asks it about rows left out (a key seen twice); `apply` is
//!   not called.
//! - [`Entity::finish`] runs after the last row: rebuild what `begin` dropped.
//!
//! Duplicates within one file: a new row gets the row id `Keys::rowid(position)` (the
//! table's largest id before the import plus its line number), so a later row with the same
//! key finds the earlier one, and its line, without any memory per row; the existing
//! records a file names are noted in a temporary table ([`Keys::seen`]).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read, Write};
use std::mem::take;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use rusqlite::{Connection, Transaction};
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::audit::{self, Stamp};
use crate::domain::Patch;
use crate::error::Failure;
use crate::i18n::{self, Lang};
use crate::tr;

mod staged;
pub use staged::{Insert, Stage, Staged};

/// At most this many errors are listed; all are counted.
pub const LISTED_ERRORS: usize = 50;
/// At most this many columns per entity.
const MAX_COLUMNS: usize = 32;
/// Bytes read at a time, and looked at to guess the encoding.
const CHUNK: usize = 64 * 1024;
/// SQLite's page cache during an import, in KiB: bounds the memory, big enough for the
/// right-hand edges of the B-trees being appended to.
const CACHE_KIB: i64 = 16 * 1024;
/// The page cache while indexes are rebuilt, in KiB (see [`DeferredIndexes::rebuild`]).
const SORT_KIB: i64 = 2 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    Csv,
    /// One JSON array of objects
    Json,
    /// One JSON object per line
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Encoding {
    /// UTF-8 (with or without BOM); GB18030 when the start of the file is not UTF-8
    #[default]
    Auto,
    #[value(name = "utf-8")]
    Utf8,
    /// GBK / GB18030, as Excel saves CSV on Chinese Windows
    Gbk,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OnError {
    /// Any bad row: nothing is imported
    #[default]
    Abort,
    /// Import the good rows; bad ones go to --rejects
    Skip,
}

/// How to read the file and what to do with bad rows.
#[derive(Debug, Clone)]
pub struct Options {
    /// `-` reads standard input.
    pub file: PathBuf,
    pub format: Option<InputFormat>,
    pub encoding: Encoding,
    pub on_error: OnError,
    pub rejects: Option<PathBuf>,
    pub dry_run: bool,
    /// The language of the row errors (listed, and in the rejects file).
    pub lang: Lang,
}

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

/// What a row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Inserted,
    Updated,
    Unchanged,
    /// Staged by the entity's [`Stage`], to be inserted with others ([`Insert`]).
    Staged,
}

/// Staged rows go this many to one `INSERT` (see [`Entity::insert_sql`]).
pub const BATCH: usize = 256;

/// An entity that `baton import` loads. See the module documentation.
pub trait Entity {
    fn nouns(&self) -> &'static str;
    fn columns(&self) -> &'static [Column];
    fn begin(&mut self, conn: &Connection) -> Result<()>;
    fn apply(&mut self, conn: &Connection, row: &Row<'_>) -> Result<Outcome>;
    /// For a bulk load (`begin` found the table empty): the rules of a new row, which need
    /// no database. Called once after `begin`; rows then go to `insert_sql`, never to `apply`.
    fn stager(&mut self) -> Option<Box<dyn Stage>> {
        None
    }
    /// The `INSERT` of `rows` staged rows (their values, in order), which skips a row whose
    /// key exists (`ON CONFLICT DO NOTHING`). Rows go [`BATCH`] to a statement: each
    /// execution has a fixed cost (a million customers took 3.4 s one row to a statement,
    /// 1.8 s with 256).
    fn insert_sql(&self, _rows: usize) -> Result<String> {
        bail!("{} are not loaded in bulk", self.nouns())
    }
    /// Which of the staged `rows` the insert left out, and why (a key seen twice).
    fn refused(
        &mut self,
        _conn: &Connection,
        _staged: &Staged,
        _rows: Range<usize>,
    ) -> Result<Vec<(usize, Failure)>> {
        bail!("{} are not loaded in bulk", self.nouns())
    }
    fn finish(&mut self, conn: &Connection) -> Result<()>;
    /// Whether every reference the entity writes comes from rows it read inside the
    /// import's transaction (which no other writer can change), so that SQLite's foreign
    /// key checks cannot fail: the importer then turns them off for the import (a B-tree
    /// search per reference per row, a tenth of a million-row import).
    fn references_resolved(&self) -> bool {
        false
    }
    /// What the entity has to say about the rows it wrote, for the command to print when
    /// the import is committed (e.g. `handover open`'s warnings); taken once, at the end.
    fn warnings(&mut self) -> Vec<String> {
        Vec::new()
    }
    /// The table the entity loads in bulk when it is empty ([`DeferredIndexes`]): the
    /// importer then writes it through a rollback journal ([`crate::db::bulk_journal`]).
    fn bulk_table(&self) -> Option<&'static str> {
        None
    }
}

/// Where a row is: its line (CSV, JSON Lines) or its number in a JSON array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub number: u64,
    pub in_array: bool,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.in_array {
            write!(f, "record {}", self.number)
        } else {
            write!(f, "{}", self.number)
        }
    }
}

/// The cells of one row, by the entity's column index.
pub struct Row<'a> {
    cells: &'a [Option<&'a str>],
    columns: &'static [Column],
    pub position: Position,
}

impl<'a> Row<'a> {
    /// The cell as written; `None` when the file has no such column.
    pub fn get(&self, col: usize) -> Option<&'a str> {
        self.cells.get(col).copied().flatten()
    }

    fn name(&self, col: usize) -> &'static str {
        self.columns[col].name
    }

    /// A cell that must hold text; trimmed.
    pub fn required(&self, col: usize) -> Result<&'a str, Failure> {
        match self.get(col).map(str::trim) {
            Some(text) if !text.is_empty() => Ok(text),
            Some(_) => Err(Failure::bad_input("must not be empty")
                .zh("不能为空")
                .field(self.name(col))),
            None => Err(Failure::bad_input("the column is missing")
                .zh("缺少此列")
                .field(self.name(col))),
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

/// The error for the row at `position` whose key (`field`) the row at `first` had.
pub fn duplicate(field: &'static str, position: Position, first: u64) -> Failure {
    let first = Position {
        number: first,
        ..position
    };
    let (place, place_zh) = match first.in_array {
        true => (String::new(), format!("第 {} 条记录", first.number)),
        false => ("line ".to_string(), format!("第 {} 行", first.number)),
    };
    Failure::bad_input(format!("the same key is on {place}{first} of this file"))
        .zh(format!("与本文件{place_zh}的键相同"))
        .field(field)
}

/// `true`/`false` as exports write them; also `1`/`0`, `yes`/`no` and the zh table's `是`/`否`.
pub fn parse_bool(s: &str) -> Result<bool, Failure> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "y" | "是" => Ok(true),
        "false" | "0" | "no" | "n" | "否" => Ok(false),
        _ => Err(Failure::bad_input(format!(
            "invalid yes/no value {s:?}: expected true or false"
        ))
        .zh(format!("是/否值 {s:?} 无效:应为 true 或 false"))),
    }
}

/// Row ids for this file's new rows, and the existing rows it has named (in a temporary
/// table, so that memory stays flat), so that a key seen twice in one file is found with
/// the line of its first appearance.
#[derive(Clone, Copy)]
pub struct Keys {
    base: i64,
}

impl Keys {
    /// `table` is a constant table name with an `INTEGER PRIMARY KEY` named `id`.
    pub fn new(conn: &Connection, table: &str) -> Result<Keys> {
        let base: Option<i64> = conn
            .query_row(&format!("SELECT max(id) FROM {table}"), [], |r| r.get(0))
            .with_context(|| format!("cannot read {table}"))?;
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS import_seen (id INTEGER PRIMARY KEY, line INTEGER NOT NULL);
             DELETE FROM temp.import_seen;",
        )
        .context("cannot prepare the import")?;
        Ok(Keys {
            base: base.unwrap_or(0),
        })
    }

    /// The row id for a new row at `position`.
    pub fn rowid(&self, position: Position) -> i64 {
        self.base + position.number as i64
    }

    /// Whether this file already named the record stored at `rowid`: the position of its
    /// first appearance. Otherwise remembers that `position` names it.
    pub fn seen(&self, conn: &Connection, rowid: i64, position: Position) -> Result<Option<u64>> {
        if rowid > self.base {
            return Ok(Some((rowid - self.base) as u64));
        }
        let added = conn
            .prepare_cached(
                "INSERT INTO temp.import_seen (id, line) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?
            .execute(rusqlite::params![rowid, position.number as i64])?;
        if added == 1 {
            return Ok(None);
        }
        let first: i64 = conn
            .prepare_cached("SELECT line FROM temp.import_seen WHERE id = ?1")?
            .query_row([rowid], |r| r.get(0))?;
        Ok(Some(first as u64))
    }
}

/// Secondary indexes dropped for a bulk load into an empty table and rebuilt after it, in
/// the same transaction: one sort per index instead of a B-tree insert per row.
pub struct DeferredIndexes {
    create: Vec<String>,
}

impl DeferredIndexes {
    /// Drops the explicitly created indexes of `table` when it is empty (`None` otherwise).
    /// Unique constraints stay: they find duplicate keys as the rows arrive.
    pub fn drop_if_empty(conn: &Connection, table: &str) -> Result<Option<DeferredIndexes>> {
        if !crate::db::is_empty(conn, table)? {
            return Ok(None);
        }
        let mut stmt = conn.prepare(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
        )?;
        let indexes = stmt
            .query_map([table], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
        for (name, _) in &indexes {
            conn.execute_batch(&format!("DROP INDEX \"{name}\""))
                .with_context(|| format!("cannot drop the index {name}"))?;
        }
        Ok(Some(DeferredIndexes {
            create: indexes.into_iter().map(|(_, sql)| sql).collect(),
        }))
    }

    /// Creates the indexes again. SQLite sorts the entries in runs the size of its page
    /// cache: runs that fit the CPU cache, sorted by a helper thread while this one scans
    /// the table, took the three customer indexes from 0.95 s to 0.45 s on 1M rows.
    pub fn rebuild(self, conn: &Connection) -> Result<()> {
        conn.pragma_update(None, "cache_size", -SORT_KIB)?;
        conn.pragma_update(None, "threads", 2)?;
        for sql in &self.create {
            conn.execute_batch(sql)
                .with_context(|| format!("cannot rebuild the index: {sql}"))?;
        }
        conn.pragma_update(None, "threads", 0)?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        Ok(())
    }
}

/// The summary `--format json` prints.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub entity: String,
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub rejected: u64,
    pub dry_run: bool,
}

/// What an import did, for the command to report.
#[derive(Debug, Clone)]
pub struct Report {
    pub summary: Summary,
    /// Whether the rows were written (not a dry run, no bad row in abort mode).
    pub committed: bool,
    /// The first [`LISTED_ERRORS`] bad rows, as `file:line: column "x": value "y": reason`.
    pub errors: Vec<String>,
    /// How many rows were bad.
    pub failed: u64,
    /// The entity's warnings about the rows written ([`Entity::warnings`]), when committed.
    pub warnings: Vec<String>,
    pub file: String,
    pub sha256: String,
    pub elapsed: Duration,
}

/// Imports `options.file` into `entity` in one immediate transaction on `conn`, committing
/// unless a row failed in abort mode or it is a dry run. `progress` is told the row count
/// now and then.
pub fn run(
    conn: &mut Connection,
    stamp: &Stamp,
    entity: &mut dyn Entity,
    options: &Options,
    progress: &mut dyn FnMut(u64),
) -> Result<Report> {
    let format = match options.format {
        Some(format) => format,
        None => format_of(&options.file)?,
    };
    if let Some(rejects) = &options.rejects {
        let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if same(rejects, &options.file) {
            return Err(Failure::usage(format!(
                "--rejects {} is the file being imported",
                rejects.display()
            ))
            .zh(format!(
                "--rejects {} 就是正在导入的文件",
                rejects.display()
            ))
            .hint("write the rejects to another file")
            .hint_zh("请把被拒的行写到另一个文件")
            .into());
        }
    }
    let input: Box<dyn Read + Send> = if options.file.as_os_str() == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(
            File::open(&options.file)
                .with_context(|| format!("cannot read {}", options.file.display()))?,
        )
    };
    // `PRAGMA foreign_keys` is a no-op inside a transaction: set it before, restore it after.
    let checked: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    let unchecked = checked && entity.references_resolved();
    if unchecked {
        conn.pragma_update(None, "foreign_keys", false)?;
    }
    let bulk = match entity.bulk_table() {
        Some(table) if !options.dry_run => {
            crate::db::is_empty(conn, table)? && crate::db::bulk_journal(conn)?
        }
        _ => false,
    };
    let report = crate::db::write(conn)
        .and_then(|tx| run_reader(tx, stamp, entity, input, format, options, progress));
    if unchecked {
        conn.pragma_update(None, "foreign_keys", true)?;
    }
    if bulk {
        crate::db::wal_journal(conn)?;
    }
    report
}

/// [`run`] over any reader.
pub fn run_reader(
    tx: Transaction<'_>,
    stamp: &Stamp,
    entity: &mut dyn Entity,
    input: impl Read + Send,
    format: InputFormat,
    options: &Options,
    progress: &mut dyn FnMut(u64),
) -> Result<Report> {
    let started = Instant::now();
    if entity.columns().len() > MAX_COLUMNS {
        bail!("an entity may have at most {MAX_COLUMNS} columns");
    }
    let file = label(&options.file);
    let mut tally = Tally {
        conn: &tx,
        lang: options.lang,
        insert: None,
        file: file.clone(),
        on_error: options.on_error,
        rejects: None,
        rejects_path: options.rejects.clone(),
        summary: Summary {
            entity: entity.nouns().to_string(),
            dry_run: options.dry_run,
            ..Summary::default()
        },
        errors: Vec::new(),
        failed: 0,
        progress,
        columns: entity.columns(),
        map: (0..entity.columns().len()).map(Some).collect(),
        width: entity.columns().len(),
        stager: None,
        staged: Staged::default(),
        held: Vec::new(),
    };
    tx.pragma_update(None, "cache_size", -CACHE_KIB)?;
    let hasher = match format {
        InputFormat::Csv => read_csv(input, options.encoding, &tx, entity, &mut tally)?,
        InputFormat::Jsonl | InputFormat::Json => {
            let mut hasher = Sha256::new();
            let hashing = Hashing {
                inner: input,
                hasher: &mut hasher,
            };
            let mut input =
                decode(hashing, options.encoding).with_context(|| format!("cannot read {file}"))?;
            if format == InputFormat::Jsonl {
                read_jsonl(&mut input, &tx, entity, &mut tally)?;
            } else {
                read_json(&mut input, &tx, entity, &mut tally)?;
            }
            io::copy(&mut input, &mut io::sink()).with_context(|| format!("cannot read {file}"))?;
            drop(input);
            hasher
        }
    };
    if let Some(rejects) = tally.rejects.as_mut() {
        rejects.flush()?;
    }
    // What the report needs; the rest (statements of `tx` among it) ends here.
    let (summary, errors, failed) = (
        take(&mut tally.summary),
        take(&mut tally.errors),
        tally.failed,
    );
    drop(tally);
    let sha256 = audit::hex(&hasher.finalize());
    let bad_abort = failed > 0 && options.on_error == OnError::Abort;
    let committed = !options.dry_run && !bad_abort && summary.rows > 0;
    if committed {
        audit::record(
            &tx,
            stamp,
            &format!("{}.import", entity.nouns().trim_end_matches('s')),
            "import",
            None,
            &serde_json::json!({
                "file": file, "sha256": sha256, "rows": summary.rows,
                "inserted": summary.inserted, "updated": summary.updated,
                "rejected": summary.rejected,
            }),
        )?;
        tx.commit().context("cannot commit the import")?;
    } else {
        tx.rollback()?;
    }
    let warnings = match committed {
        true => entity.warnings(),
        false => Vec::new(),
    };
    Ok(Report {
        summary,
        committed,
        errors,
        failed,
        warnings,
        file,
        sha256,
        elapsed: started.elapsed(),
    })
}

fn label(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        path.display().to_string()
    }
}

fn format_of(path: &Path) -> Result<InputFormat> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("csv") | Some("txt") => Ok(InputFormat::Csv),
        Some("json") => Ok(InputFormat::Json),
        Some("jsonl") | Some("ndjson") => Ok(InputFormat::Jsonl),
        _ => Err(Failure::usage(format!(
            "cannot tell the format of {} from its name",
            label(path)
        ))
        .zh(format!("无法从文件名判断 {} 的格式", label(path)))
        .hint("name it .csv, .json or .jsonl, or give --input-format csv|json|jsonl")
        .hint_zh("请把文件命名为 .csv、.json 或 .jsonl,或用 --input-format csv|json|jsonl 指定")
        .into()),
    }
}

/// Counts rows, keeps the errors, writes the rejects and moves the progress.
struct Tally<'p, 'c> {
    conn: &'c Connection,
    lang: Lang,
    file: String,
    on_error: OnError,
    rejects: Option<csv::Writer<io::BufWriter<File>>>,
    rejects_path: Option<PathBuf>,
    summary: Summary,
    errors: Vec<String>,
    failed: u64,
    progress: &'p mut dyn FnMut(u64),
    columns: &'static [Column],
    /// The file's field of each column, and how many fields a row has.
    map: Vec<Option<usize>>,
    width: usize,
    /// For a bulk load of JSON: the entity's stage, the rows staged on this thread, and
    /// their original fields (reused: `staged.len()` in use).
    stager: Option<Box<dyn Stage>>,
    staged: Staged,
    held: Vec<csv::ByteRecord>,
    /// The entity's `INSERT` of [`BATCH`] staged rows, once prepared.
    insert: Option<Insert<'c>>,
}

impl Tally<'_, '_> {
    /// Stages a row with the entity's stage (a bulk load of JSON), keeping its fields until
    /// the rows are inserted.
    fn stage<'c>(
        &mut self,
        entity: &mut dyn Entity,
        row: &Row<'_>,
        original: impl Iterator<Item = &'c [u8]> + Clone,
    ) -> Result<()> {
        let Some(stager) = self.stager.as_deref() else {
            bail!("no bulk load");
        };
        let result = self.staged.stage(stager, row);
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
        self.count(result.map(|()| Outcome::Staged), row, original)?;
        if self.staged.len() >= BATCH {
            self.insert_staged(entity)?;
        }
        Ok(())
    }

    /// Inserts the rows [`Tally::stage`] staged.
    fn insert_staged(&mut self, entity: &mut dyn Entity) -> Result<()> {
        let staged = take(&mut self.staged);
        let held = take(&mut self.held);
        let inserted = self.insert(entity, &staged, |i| &held[i]);
        self.staged = staged;
        self.staged.clear();
        self.held = held;
        inserted
    }

    /// Inserts staged rows, and counts them; `original(i)` gives the fields of staged row
    /// `i`, for its error.
    fn insert<'r>(
        &mut self,
        entity: &mut dyn Entity,
        staged: &Staged,
        original: impl Fn(usize) -> &'r csv::ByteRecord,
    ) -> Result<()> {
        let mut failures = Vec::new();
        for start in (0..staged.len()).step_by(BATCH) {
            let rows = start..staged.len().min(start + BATCH);
            let mut partial;
            let insert = match &mut self.insert {
                Some(insert) if rows.len() == BATCH => insert,
                full if rows.len() == BATCH => {
                    full.insert(Insert::new(self.conn, &entity.insert_sql(BATCH)?)?)
                }
                _ => {
                    partial = Insert::new(self.conn, &entity.insert_sql(rows.len())?)?;
                    &mut partial
                }
            };
            let written = insert
                .execute(staged, rows.clone())
                .with_context(|| format!("cannot add the {}", entity.nouns()))?;
            if written < rows.len() {
                failures.extend(entity.refused(self.conn, staged, rows)?);
            }
        }
        self.summary.inserted += (staged.len() - failures.len()) as u64;
        for (i, failure) in failures {
            let fields = original(i);
            let mut cells: [Option<&str>; MAX_COLUMNS] = [None; MAX_COLUMNS];
            if let Err(other) = decode_cells(fields, &self.map, &mut cells, self.width) {
                bail!("a staged row no longer decodes: {other}");
            }
            let row = Row {
                cells: &cells[..self.columns.len()],
                columns: self.columns,
                position: staged.position(i),
            };
            let reason = describe(&failure, &row, self.lang);
            self.bad(row.position, reason, fields.iter())?;
        }
        Ok(())
    }

    /// Starts the rejects file with the input's header and an `error` column.
    fn open_rejects<'h>(&mut self, header: impl Iterator<Item = &'h str>) -> Result<()> {
        let Some(path) = &self.rejects_path else {
            return Ok(());
        };
        let mut file = io::BufWriter::new(crate::output::create_private(path)?);
        file.write_all("\u{feff}".as_bytes())?;
        // A ragged row keeps all its fields (see `bad`).
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(file);
        writer.write_record(header.chain(["error"]))?;
        self.rejects = Some(writer);
        Ok(())
    }

    /// Records what `apply` (or the row's decoding) said about the row.
    fn count<'c>(
        &mut self,
        result: Result<Outcome>,
        row: &Row<'_>,
        original: impl Iterator<Item = &'c [u8]>,
    ) -> Result<()> {
        self.counted();
        match result {
            Ok(Outcome::Inserted) => self.summary.inserted += 1,
            Ok(Outcome::Updated) => self.summary.updated += 1,
            Ok(Outcome::Unchanged | Outcome::Staged) => {}
            Err(err) => {
                let Some(failure) = err.chain().find_map(|e| e.downcast_ref::<Failure>()) else {
                    return Err(err.context(format!("{}:{}", self.file, row.position)));
                };
                let reason = describe(failure, row, self.lang);
                self.bad(row.position, reason, original)?;
            }
        }
        Ok(())
    }

    /// Counts a row and moves the progress.
    fn counted(&mut self) {
        self.summary.rows += 1;
        if self.summary.rows % 4096 == 0 {
            (self.progress)(self.summary.rows);
        }
    }

    fn bad<'c>(
        &mut self,
        position: Position,
        reason: String,
        original: impl Iterator<Item = &'c [u8]>,
    ) -> Result<()> {
        self.failed += 1;
        if self.on_error == OnError::Skip {
            self.summary.rejected += 1;
        }
        if self.errors.len() < LISTED_ERRORS {
            self.errors
                .push(format!("{}:{}: {}", self.file, position, reason));
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
            rejects.write_record(&cells)?;
        }
        Ok(())
    }
}

/// `column "x": value "y": reason`, or the reason alone when no column is known.
fn describe(failure: &Failure, row: &Row<'_>, lang: Lang) -> String {
    let message = failure.message_in(lang);
    let column = failure
        .field
        .and_then(|f| row.columns.iter().position(|c| c.name == f));
    let Some(col) = column else {
        return message.to_string();
    };
    let name = i18n::label(row.name(col), lang);
    match (row.get(col), lang) {
        (Some(value), Lang::En) => format!("column \"{name}\": value {value:?}: {message}"),
        (None, Lang::En) => format!("column \"{name}\": {message}"),
        (Some(value), Lang::Zh) => format!("列 \"{name}\":值 {value:?}:{message}"),
        (None, Lang::Zh) => format!("列 \"{name}\":{message}"),
    }
}

/// The entity's column for a header cell, in English or Chinese.
fn column_index(columns: &[Column], header: &str) -> Option<usize> {
    let field = i18n::field_of(header.trim());
    columns.iter().position(|c| c.name == field)
}

fn known(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a CSV file: a second thread hashes, decodes and splits the input into records
/// (and, for a bulk load, validates and stages them) while this one writes them. Returns
/// the hash of the input, read to its end.
fn read_csv(
    input: impl Read + Send,
    encoding: Encoding,
    conn: &Connection,
    entity: &mut dyn Entity,
    tally: &mut Tally<'_, '_>,
) -> Result<Sha256> {
    let file = tally.file.clone();
    std::thread::scope(|scope| {
        let (full, full_rx) = mpsc::sync_channel(RECORDS_AHEAD);
        let (empty, empty_rx) = mpsc::sync_channel(RECORDS_AHEAD + 2);
        let (plan, plan_rx) = mpsc::sync_channel(1);
        let reader = scope.spawn(move || {
            let split = Split {
                file: &file,
                full: &full,
                empty: &empty_rx,
            };
            split.run(input, encoding, &plan_rx)
        });
        let mut records = Records {
            batch: Batch::default(),
            full: full_rx,
            empty,
        };
        let read = read_records(&mut records, plan, conn, entity, tally);
        drop(records);
        let hasher = reader
            .join()
            .map_err(|_| anyhow::anyhow!("the reading thread failed"))?;
        read?;
        hasher.context("the input was not read to its end")
    })
}

/// Records read at a time by the reading thread, and batches it may read ahead.
const RECORDS_PER_BATCH: usize = 1024;
const RECORDS_AHEAD: usize = 4;

/// CSV records (reused: `len` of them in use); for a bulk load, the staged ones, and the
/// error of each record that was refused (`None`: staged).
#[derive(Default)]
struct Batch {
    records: Vec<csv::ByteRecord>,
    len: usize,
    staged: Option<(Staged, Vec<Option<String>>)>,
}

/// What the reading thread needs after the header: where each column is, and the entity's
/// stage for a bulk load.
struct Plan {
    lang: Lang,
    columns: &'static [Column],
    map: Vec<Option<usize>>,
    width: usize,
    stager: Option<Box<dyn Stage>>,
}

/// The reading thread of [`read_csv`]: sends the header alone, waits for the [`Plan`], then
/// sends batches of records until the end of the input or an error.
struct Split<'a> {
    file: &'a str,
    full: &'a mpsc::SyncSender<Result<Batch>>,
    empty: &'a mpsc::Receiver<Batch>,
}

impl Split<'_> {
    /// Returns the hash when the input was read to its end, `None` when it stopped first
    /// (an error, sent on, or the receiver gone).
    fn run(
        &self,
        input: impl Read,
        encoding: Encoding,
        plan: &mpsc::Receiver<Plan>,
    ) -> Option<Sha256> {
        let mut hasher = Sha256::new();
        let hashing = Hashing {
            inner: input,
            hasher: &mut hasher,
        };
        let mut text = match decode(hashing, encoding) {
            Ok(text) => text,
            Err(e) => return self.fail(e.into()),
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(CHUNK)
            .from_reader(&mut text);
        let mut header = Batch::default();
        header.records.push(csv::ByteRecord::new());
        match reader.read_byte_record(&mut header.records[0]) {
            Ok(true) => {
                header.len = 1;
                self.full.send(Ok(header)).ok()?;
                let plan = plan.recv().ok()?;
                self.rows(&mut reader, &plan)?;
            }
            Ok(false) => {}
            Err(e) => return self.fail(e.into()),
        }
        drop(reader);
        if let Err(e) = io::copy(&mut text, &mut io::sink()) {
            return self.fail(e.into());
        }
        drop(text);
        Some(hasher)
    }

    fn rows(&self, reader: &mut csv::Reader<impl Read>, plan: &Plan) -> Option<()> {
        loop {
            let mut batch = self.empty.try_recv().unwrap_or_default();
            batch.len = 0;
            let mut end = false;
            while batch.len < RECORDS_PER_BATCH {
                if batch.len == batch.records.len() {
                    batch.records.push(csv::ByteRecord::new());
                }
                match reader.read_byte_record(&mut batch.records[batch.len]) {
                    Ok(true) => batch.len += 1,
                    Ok(false) => {
                        end = true;
                        break;
                    }
                    Err(e) => return self.fail(e.into()),
                }
            }
            if let Some(stager) = &plan.stager {
                if let Err(e) = stage(&mut batch, plan, stager.as_ref()) {
                    return self.fail(e);
                }
            }
            if batch.len > 0 {
                self.full.send(Ok(batch)).ok()?;
            }
            if end {
                return Some(());
            }
        }
    }

    fn fail<T>(&self, e: anyhow::Error) -> Option<T> {
        let _ = self
            .full
            .send(Err(e.context(format!("cannot read {}", self.file))));
        None
    }
}

/// Stages the records of a batch (on the reading thread), noting why each refused one is.
fn stage(batch: &mut Batch, plan: &Plan, stager: &dyn Stage) -> Result<()> {
    let (staged, refused) = batch.staged.get_or_insert_with(Default::default);
    staged.clear();
    refused.clear();
    for record in &batch.records[..batch.len] {
        let mut cells: [Option<&str>; MAX_COLUMNS] = [None; MAX_COLUMNS];
        let decoded = decode_cells(record, &plan.map, &mut cells, plan.width);
        let row = Row {
            cells: &cells[..plan.columns.len()],
            columns: plan.columns,
            position: position_of(record),
        };
        let result = match decoded {
            Ok(()) => staged.stage(stager, &row),
            Err(failure) => Err(failure.into()),
        };
        refused.push(match result {
            Ok(()) => None,
            Err(err) => match err.chain().find_map(|e| e.downcast_ref::<Failure>()) {
                Some(failure) => Some(describe(failure, &row, plan.lang)),
                None => return Err(err.context(format!("line {}", row.position))),
            },
        });
    }
    Ok(())
}

fn position_of(record: &csv::ByteRecord) -> Position {
    Position {
        number: record.position().map_or(0, |p| p.line()),
        in_array: false,
    }
}

/// The receiving end of [`Split`]: its batches one at a time.
struct Records {
    batch: Batch,
    full: mpsc::Receiver<Result<Batch>>,
    empty: mpsc::SyncSender<Batch>,
}

impl Records {
    /// The next batch, `false` at the end.
    fn next(&mut self) -> Result<bool> {
        let Ok(next) = self.full.recv() else {
            return Ok(false);
        };
        let done = std::mem::replace(&mut self.batch, next?);
        let _ = self.empty.try_send(done);
        Ok(true)
    }
}

/// Maps the header of a CSV file onto the entity's columns, then writes each row.
fn read_records(
    records: &mut Records,
    plan: mpsc::SyncSender<Plan>,
    conn: &Connection,
    entity: &mut dyn Entity,
    tally: &mut Tally<'_, '_>,
) -> Result<()> {
    let columns = entity.columns();
    let file = tally.file.clone();
    if !records.next()? {
        return Err(
            Failure::bad_input(format!("{file} is empty: no header line"))
                .zh(format!("{file} 是空文件:没有标题行"))
                .hint(format!(
                    "the first line names the columns: {}",
                    known(columns)
                ))
                .hint_zh(format!("第一行应是列名:{}", known(columns)))
                .into(),
        );
    }
    let header: Vec<String> = records.batch.records[0]
        .iter()
        .map(|cell| String::from_utf8_lossy(cell).trim().to_string())
        .collect();
    let mut map = [None; MAX_COLUMNS];
    let mut unknown = Vec::new();
    for (i, name) in header.iter().enumerate() {
        match column_index(columns, name) {
            Some(col) if map[col].is_some() => {
                return Err(Failure::bad_input(format!(
                    "{file}:1: column \"{}\" appears twice",
                    columns[col].name
                ))
                .zh(format!("{file}:1:列 \"{}\" 出现了两次", columns[col].name))
                .into())
            }
            Some(col) => map[col] = Some(i),
            None => unknown.push(format!("{name:?}")),
        }
    }
    if !unknown.is_empty() {
        return Err(
            Failure::bad_input(format!("{file}:1: unknown column {}", unknown.join(", ")))
                .zh(format!("{file}:1:未知的列 {}", unknown.join("、")))
                .hint(format!("the columns are: {}", known(columns)))
                .hint_zh(format!("可用的列:{}", known(columns)))
                .into(),
        );
    }
    let missing: Vec<&str> = columns
        .iter()
        .zip(map)
        .filter(|(c, at)| c.required && at.is_none())
        .map(|(c, _)| c.name)
        .collect();
    if !missing.is_empty() {
        return Err(
            Failure::bad_input(format!("{file}:1: missing column {}", missing.join(", ")))
                .zh(format!("{file}:1:缺少列 {}", missing.join("、")))
                .hint(format!("the columns are: {}", known(columns)))
                .hint_zh(format!("可用的列:{}", known(columns)))
                .into(),
        );
    }
    tally.open_rejects(header.iter().map(String::as_str))?;
    tally.map = map[..columns.len()].to_vec();
    tally.width = header.len();
    entity.begin(conn)?;
    let map = &map[..columns.len()];
    let stager = entity.stager();
    let bulk = stager.is_some();
    // The reading thread is gone when this fails: its error comes with the next batch.
    let _ = plan.send(Plan {
        lang: tally.lang,
        columns,
        map: map.to_vec(),
        width: header.len(),
        stager,
    });
    while records.next()? {
        let batch = &records.batch;
        let records = &batch.records[..batch.len];
        if let Some((staged, refused)) = &batch.staged {
            for (record, refused) in records.iter().zip(refused) {
                tally.counted();
                if let Some(reason) = refused {
                    tally.bad(position_of(record), reason.clone(), record.iter())?;
                }
            }
            let staged_records: Vec<&csv::ByteRecord> = records
                .iter()
                .zip(refused)
                .filter(|(_, refused)| refused.is_none())
                .map(|(record, _)| record)
                .collect();
            tally.insert(entity, staged, |i| staged_records[i])?;
            continue;
        }
        if bulk {
            bail!("the reading thread did not stage a batch");
        }
        for record in records {
            let mut cells: [Option<&str>; MAX_COLUMNS] = [None; MAX_COLUMNS];
            let decoded = decode_cells(record, map, &mut cells, header.len());
            let row = Row {
                cells: &cells[..columns.len()],
                columns,
                position: position_of(record),
            };
            let result = match decoded {
                Ok(()) => entity.apply(conn, &row),
                Err(failure) => Err(failure.into()),
            };
            tally.count(result, &row, record.iter())?;
        }
    }
    entity.finish(conn)
}

/// Fills `cells` from a CSV record; a ragged row or a cell that is not UTF-8 is bad.
fn decode_cells<'r>(
    record: &'r csv::ByteRecord,
    map: &[Option<usize>],
    cells: &mut [Option<&'r str>; MAX_COLUMNS],
    width: usize,
) -> Result<(), Failure> {
    if record.len() != width {
        let fields = record.len();
        return Err(
            Failure::bad_input(format!("the row has {fields} fields, the header {width}"))
                .zh(format!("该行有 {fields} 个字段,标题行有 {width} 个")),
        );
    }
    for (col, at) in map.iter().enumerate() {
        if let Some(i) = *at {
            let bytes = &record[i];
            cells[col] = Some(std::str::from_utf8(bytes).map_err(|_| {
                let value = String::from_utf8_lossy(bytes);
                Failure::bad_input(format!(
                    "value {value:?} is not UTF-8 text; if the file is GBK, use --encoding gbk"
                ))
                .zh(format!(
                    "值 {value:?} 不是 UTF-8 文本;如果文件是 GBK 编码,请用 --encoding gbk"
                ))
            })?);
        }
    }
    Ok(())
}

/// Maps a JSON object onto the entity's columns and applies it.
fn apply_object(
    value: Value,
    position: Position,
    conn: &Connection,
    entity: &mut dyn Entity,
    tally: &mut Tally<'_, '_>,
) -> Result<()> {
    let columns = entity.columns();
    let mut owned: Vec<Option<String>> = vec![None; columns.len()];
    let mut problem = None;
    match value {
        Value::Object(object) => {
            for (key, value) in object {
                let Some(col) = column_index(columns, &key) else {
                    let known = known(columns);
                    problem = Some(
                        Failure::bad_input(format!(
                            "unknown column {key:?}; the columns are: {known}"
                        ))
                        .zh(format!("未知的列 {key:?};可用的列:{known}")),
                    );
                    continue;
                };
                owned[col] = match value {
                    Value::Null => Some(String::new()),
                    Value::String(s) => Some(s),
                    Value::Bool(b) => Some(b.to_string()),
                    Value::Number(n) => Some(n.to_string()),
                    other => {
                        problem = Some(
                            Failure::bad_input(format!(
                                "value {other} is not text, a number or true/false"
                            ))
                            .zh(format!("值 {other} 不是文本、数字或 true/false"))
                            .field(columns[col].name),
                        );
                        None
                    }
                };
            }
        }
        other => {
            problem = Some(
                Failure::bad_input(format!("expected an object, found {other}"))
                    .zh(format!("应为 JSON 对象,实际为 {other}")),
            )
        }
    }
    let mut cells: [Option<&str>; MAX_COLUMNS] = [None; MAX_COLUMNS];
    for (cell, value) in cells.iter_mut().zip(&owned) {
        *cell = value.as_deref();
    }
    let row = Row {
        cells: &cells[..columns.len()],
        columns,
        position,
    };
    let original = owned.iter().map(|c| c.as_deref().unwrap_or("").as_bytes());
    match problem {
        Some(problem) => tally.count(Err(problem.into()), &row, original),
        None if tally.stager.is_some() => tally.stage(entity, &row, original),
        None => {
            let result = entity.apply(conn, &row);
            tally.count(result, &row, original)
        }
    }
}

fn start_json(entity: &mut dyn Entity, conn: &Connection, tally: &mut Tally<'_, '_>) -> Result<()> {
    tally.open_rejects(entity.columns().iter().map(|c| c.name))?;
    entity.begin(conn)?;
    tally.stager = entity.stager();
    Ok(())
}

fn read_jsonl(
    input: &mut dyn Read,
    conn: &Connection,
    entity: &mut dyn Entity,
    tally: &mut Tally<'_, '_>,
) -> Result<()> {
    start_json(entity, conn, tally)?;
    let mut reader = BufReader::with_capacity(CHUNK, input);
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        number += 1;
        let position = Position {
            number,
            in_array: false,
        };
        if line.trim_ascii().is_empty() {
            continue;
        }
        match serde_json::from_slice::<Value>(&line) {
            Ok(value) => apply_object(value, position, conn, entity, tally)?,
            Err(e) => {
                tally.summary.rows += 1;
                tally.bad(
                    position,
                    tr!(tally.lang, "not JSON: {e}", "不是 JSON:{e}"),
                    [line.as_slice()].into_iter(),
                )?;
            }
        }
    }
    if tally.summary.rows == 0 && number == 0 {
        return Err(Failure::bad_input(format!("{} is empty", tally.file))
            .zh(format!("{} 是空文件", tally.file))
            .into());
    }
    tally.insert_staged(entity)?;
    entity.finish(conn)
}

/// Hands each element of a JSON array to `apply_object` as it is parsed.
struct Elements<'a, 'p, 'c> {
    conn: &'a Connection,
    entity: &'a mut dyn Entity,
    tally: &'a mut Tally<'p, 'c>,
    /// An error that stopped the array (the serde error only says "stopped").
    stopped: Option<anyhow::Error>,
}

impl<'de> DeserializeSeed<'de> for &mut Elements<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for &mut Elements<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut number = 0;
        while let Some(value) = seq.next_element::<Value>()? {
            number += 1;
            let position = Position {
                number,
                in_array: true,
            };
            if let Err(e) = apply_object(value, position, self.conn, self.entity, self.tally) {
                self.stopped = Some(e);
                return Err(serde::de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

fn read_json(
    input: &mut dyn Read,
    conn: &Connection,
    entity: &mut dyn Entity,
    tally: &mut Tally<'_, '_>,
) -> Result<()> {
    start_json(entity, conn, tally)?;
    let file = tally.file.clone();
    let mut elements = Elements {
        conn,
        entity,
        tally,
        stopped: None,
    };
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(CHUNK, input));
    let parsed = (&mut elements).deserialize(&mut de).and_then(|()| de.end());
    if let Some(stopped) = elements.stopped {
        return Err(stopped);
    }
    if let Err(e) = parsed {
        return Err(
            Failure::bad_input(format!("{file}: not a JSON array of objects: {e}"))
                .zh(format!("{file}:不是由对象组成的 JSON 数组:{e}"))
                .into(),
        );
    }
    elements.tally.insert_staged(elements.entity)?;
    elements.entity.finish(conn)
}

/// Hashes every byte read through it.
struct Hashing<'h, R> {
    inner: R,
    hasher: &'h mut Sha256,
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// UTF-8 text from the input: a UTF-8 BOM is dropped; GB18030 is decoded when asked for, or
/// (auto) when the first 64 KiB are not UTF-8.
fn decode<'r>(mut input: impl Read + 'r, encoding: Encoding) -> io::Result<Box<dyn Read + 'r>> {
    let mut head = Vec::with_capacity(CHUNK);
    (&mut input).take(CHUNK as u64).read_to_end(&mut head)?;
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let gbk = match encoding {
        Encoding::Gbk => true,
        Encoding::Utf8 => false,
        Encoding::Auto => !bom && !looks_utf8(&head),
    };
    let mut head = Cursor::new(head);
    if bom && !gbk {
        head.set_position(3);
    }
    let text = head.chain(input);
    Ok(if gbk {
        Box::new(Gb18030::new(text))
    } else {
        Box::new(text)
    })
}

/// Valid UTF-8, but for a character cut off at the end of the sample.
fn looks_utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

/// Decodes GB18030 (a superset of GBK) to UTF-8 as it is read.
struct Gb18030<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    raw_at: usize,
    raw_end: usize,
    text: Vec<u8>,
    text_at: usize,
    text_end: usize,
    eof: bool,
    /// The decoder has been told the input ended; it must not be called again.
    done: bool,
}

impl<R: Read> Gb18030<R> {
    fn new(inner: R) -> Self {
        Gb18030 {
            inner,
            decoder: encoding_rs::GB18030.new_decoder_without_bom_handling(),
            raw: vec![0; CHUNK],
            raw_at: 0,
            raw_end: 0,
            text: vec![0; 2 * CHUNK],
            text_at: 0,
            text_end: 0,
            eof: false,
            done: false,
        }
    }

    /// Decodes more text; `false` at the end of the input.
    fn refill(&mut self) -> io::Result<bool> {
        while !self.done {
            if self.raw_at == self.raw_end && !self.eof {
                self.raw_end = self.inner.read(&mut self.raw)?;
                self.raw_at = 0;
                self.eof = self.raw_end == 0;
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.raw[self.raw_at..self.raw_end],
                &mut self.text,
                self.eof,
            );
            self.raw_at += read;
            self.text_at = 0;
            self.text_end = written;
            self.done = self.eof && result == encoding_rs::CoderResult::InputEmpty;
            if written > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl<R: Read> Read for Gb18030<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.text_at == self.text_end && !self.refill()? {
            return Ok(0);
        }
        let n = out.len().min(self.text_end - self.text_at);
        out[..n].copy_from_slice(&self.text[self.text_at..self.text_at + n]);
        self.text_at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decoded(bytes: &[u8], encoding: Encoding) -> String {
        let mut text = String::new();
        decode(bytes, encoding)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn utf8_with_and_without_bom_and_gbk() {
        assert_eq!(
            decoded("\u{feff}编号,名称\n".as_bytes(), Encoding::Auto),
            "编号,名称\n"
        );
        assert_eq!(decoded("编号\n".as_bytes(), Encoding::Auto), "编号\n");
        let (gbk, _, _) = encoding_rs::GBK.encode("编号,名称\r\nC001,华丰食品\r\n");
        assert_eq!(
            decoded(&gbk, Encoding::Auto),
            "编号,名称\r\nC001,华丰食品\r\n"
        );
        assert_eq!(decoded(&gbk, Encoding::Gbk), decoded(&gbk, Encoding::Auto));
    }

    #[test]
    fn a_long_gbk_text_decodes_across_chunks() {
        let text = "华丰食品有限公司,".repeat(20_000);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        assert!(gbk.len() > 2 * CHUNK);
        assert_eq!(decoded(&gbk, Encoding::Auto), text);
    }

    #[test]
    fn a_character_cut_at_the_sample_end_is_still_utf8() {
        let bytes = "编号".as_bytes();
        assert!(looks_utf8(&bytes[..4]));
        assert!(!looks_utf8(b"\xB1\xE0\xBA\xC5,x"));
    }

    #[test]
    fn booleans() {
        assert_eq!(parse_bool(" TRUE "), Ok(true));
        assert_eq!(parse_bool("否"), Ok(false));
        assert!(parse_bool("maybe").is_err());
    }

    /// A database with one company and employees E001, E002; the customer importer on it.
    fn importing(bytes: &[u8], format: InputFormat) -> Result<Report> {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let at = "2026-03-02T02:00:00Z".parse().unwrap();
        let stamp = Stamp {
            actor: "tester".into(),
            at,
        };
        crate::domain::company::add(&conn, &stamp, "914403001922038216", "甲", None).unwrap();
        for code in ["E001", "E002"] {
            let patch = crate::domain::employee::EmployeePatch {
                name: Some(code.into()),
                ..Default::default()
            };
            crate::domain::employee::add(&conn, &stamp, 1, code, &patch).unwrap();
        }
        let mut entity =
            crate::domain::customer::Import::new(1, crate::time::Clock::fixed(at), stamp.clone());
        let options = Options {
            file: "input".into(),
            format: Some(format),
            encoding: Encoding::Auto,
            on_error: OnError::Abort,
            rejects: None,
            dry_run: false,
            lang: Lang::En,
        };
        let tx = conn.transaction().unwrap();
        run_reader(
            tx,
            &stamp,
            &mut entity,
            bytes,
            format,
            &options,
            &mut |_| {},
        )
    }

    #[test]
    fn foreign_key_checks_are_off_for_a_customer_import_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = crate::db::open(&dir.path().join("baton.db")).unwrap();
        let at = "2026-03-02T02:00:00Z".parse().unwrap();
        let stamp = Stamp {
            actor: "tester".into(),
            at,
        };
        crate::domain::company::add(&conn, &stamp, "914403001922038216", "甲", None).unwrap();
        let patch = crate::domain::employee::EmployeePatch {
            name: Some("王".into()),
            ..Default::default()
        };
        crate::domain::employee::add(&conn, &stamp, 1, "E001", &patch).unwrap();
        let file = dir.path().join("customers.csv");
        std::fs::write(&file, "id,name,tier,owner\nC1,A,core,E001\n").unwrap();
        let options = Options {
            file,
            format: None,
            encoding: Encoding::Auto,
            on_error: OnError::Abort,
            rejects: None,
            dry_run: false,
            lang: Lang::En,
        };
        let mut entity =
            crate::domain::customer::Import::new(1, crate::time::Clock::fixed(at), stamp.clone());
        assert!(entity.references_resolved());
        let report = run(&mut conn, &stamp, &mut entity, &options, &mut |_| {}).unwrap();
        assert!(report.committed);
        let on: bool = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert!(on, "foreign key checks stay off after the import");
        let violations: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(violations, 0);
        let employees =
            crate::domain::employee::Import::new(1, crate::time::Clock::fixed(at), stamp.clone());
        assert!(!employees.references_resolved());
    }

    /// Fine, or a bad-input failure: never a panic, never another kind of error.
    fn assert_handled(result: Result<Report>) {
        if let Err(e) = result {
            assert!(
                e.chain().any(|c| c.downcast_ref::<Failure>().is_some()),
                "not a bad-input failure: {e:#}"
            );
        }
    }

    #[test]
    fn a_good_file_imports_and_a_bad_row_is_reported_with_its_line() {
        let report = importing(
            b"id,name,tier,owner,backup\nC1,A,core,E001,E002\nC2,B,key,E002,\n",
            InputFormat::Csv,
        )
        .unwrap();
        assert!(report.committed);
        assert_eq!((report.summary.rows, report.summary.inserted), (2, 2));
        let report = importing(
            b"id,name,tier,owner\nC1,A,core,E001\nC2,B,gold,E001\n",
            InputFormat::Csv,
        )
        .unwrap();
        assert!(!report.committed);
        assert_eq!(report.failed, 1);
        assert!(
            report.errors[0].starts_with("input:3: column \"tier\": value \"gold\": "),
            "{:?}",
            report.errors
        );
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            for format in [InputFormat::Csv, InputFormat::Json, InputFormat::Jsonl] {
                assert_handled(importing(&bytes, format));
            }
        }

        #[test]
        fn random_rows_under_a_good_header_never_panic(
            rows in proptest::collection::vec("[ -~\\n\"，编号E0-9]{0,40}", 0..8)
        ) {
            let text = format!("id,name,tier,owner,backup,phone,since\n{}", rows.join("\n"));
            assert_handled(importing(text.as_bytes(), InputFormat::Csv));
        }

        #[test]
        fn decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            for encoding in [Encoding::Auto, Encoding::Utf8, Encoding::Gbk] {
                let mut out = Vec::new();
                decode(bytes.as_slice(), encoding).unwrap().read_to_end(&mut out).unwrap();
            }
        }
    }
}
