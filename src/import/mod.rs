//! Import of CSV, JSON and JSON Lines files (streamed) and of workbooks (.xlsx, .xlsm,
//! .xls, .ods: one sheet, read whole), shared by every entity.
//!
//! [`run`] reads the file (or standard input, CSV or JSON only) once, inside the one
//! transaction of the command, a CSV or JSON file in bounded memory: it decodes the bytes
//! (UTF-8 with or without BOM, GB18030 when they are not UTF-8), maps the header (the field
//! names of the exports, or their zh labels from [`crate::i18n::ZH_LABELS`]) onto the
//! entity's columns, hands every row to the entity, collects the bad rows
//! (`file:line: column "x": value "y": reason`), writes the rejects file, hashes the input
//! (SHA-256) for the one summary audit event, and commits or rolls back: any bad row with
//! `--on-error abort`, or `--dry-run`, means nothing is written.
//! A CSV file is hashed, decoded and split into records on a second thread, a few batches
//! of records ahead of the one that writes them (for a bulk load or a refresh a third
//! thread validates and stages them in between).
//!
//! A workbook is read whole into memory, then one sheet of it (the first, or `--sheet`) is
//! loaded into memory by `calamine` (see `sheet`): its rows become the same cells a CSV
//! record gives, under the same header, and errors name the cell (`file:Sheet1!C12`). Its
//! memory grows with the sheet: a 30 MB .xlsx of a million customers in six columns
//! (Excel's limit is 1,048,576 rows) imported with a peak of 570 MiB; such a file imports
//! faster and in bounded memory saved as CSV.
//!
//! # Plugging in an entity
//!
//! An entity is a type implementing [`Entity`], next to its rules (`src/domain/<area>.rs`,
//! or `src/domain/<area>/import.rs`):
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
//! - [`Entity::finish`] runs after the last row: rebuild what `begin` dropped.
//! - [`Entity::bulk`] (optional) hands out the entity's [`Bulk`] load of an empty table:
//!   when `begin` found the table empty, every row is new, and its rules need no database.
//!   [`Bulk::stager`] then hands out a [`Stage`], which validates a row and writes the
//!   values of its `INSERT` into [`Staged`] buffers; for a CSV file a thread of its own
//!   runs it, ahead of this one. The importer runs the entity's multi-row `INSERT`
//!   ([`Bulk::insert_sql`], [`Insert`]) and asks it which rows it refuses
//!   ([`Bulk::refused`]: a key seen twice, found without the unique index); `apply` is
//!   not called.
//! - [`Entity::refresh`] (optional) hands out the entity's [`Refresh`] of a table that has
//!   rows, for a CSV file: its [`Stage`] validates and stages every row on its own
//!   thread as for a bulk load; this thread compares them with the stored rows in SQL,
//!   [`BATCH`] to a query, and calls `apply` only for the new and changed ones.
//! - A `company` column among the entity's columns routes each row: [`Row::company`] is
//!   the company its cell names (by code, or by a name only one company has), else the
//!   command's (`Options::company`, else the only company); an unknown one is a row error.
//!
//! Duplicates within one file: a new row gets the row id `Keys::rowid(position)` (the
//! table's largest id before the import plus its line number), so a later row with the same
//! key finds the earlier one, and its line, without any memory per row; the existing
//! records a file names are noted in a temporary table ([`Keys::seen`]).
//!
//! # Where things are
//!
//! `entity` (the traits and the row), `routes` (the company of each row),
//! `csv_reader` (the reading thread and its batches),
//! `json` (JSON and JSON Lines), `sheet` (workbooks), `rows` (the rows of a JSON file or a
//! sheet, applied or staged on this thread), `decode` (hashing, BOM, GB18030), `keys` (row ids,
//! duplicates, deferred indexes), `tally` (counts, errors, rejects, staged inserts) and
//! `staged` (the staged values and the one `unsafe` statement that binds them in place).

use std::fs::File;
use std::io::{self, Read};
use std::mem::take;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};
use rusqlite::{Connection, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::{self, Stamp};
use crate::error::Failure;
use crate::i18n::Lang;
use crate::text;

mod csv_reader;
mod decode;
mod entity;
mod json;
mod keys;
mod routes;
mod rows;
mod sheet;
mod staged;
mod tally;

pub use entity::{
    duplicate, parse_bool, Bulk, Column, Entity, Outcome, Position, Refresh, Row, Unit,
};
pub use keys::{DeferredIndexes, Keys, LoadedKeys, Order};
pub use staged::{Insert, Stage, Staged};

/// At most this many errors are listed; all are counted.
pub const LISTED_ERRORS: usize = 50;
/// Staged rows go this many to one `INSERT` (see [`Bulk::insert_sql`]).
pub const BATCH: usize = 256;
/// At most this many columns per entity.
const MAX_COLUMNS: usize = 32;
/// Bytes read at a time, and looked at to guess the encoding.
const CHUNK: usize = 64 * 1024;
/// SQLite's page cache during an import, in KiB: bounds the memory, big enough for the
/// right-hand edges of the B-trees being appended to.
const CACHE_KIB: i64 = 16 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    Csv,
    /// One JSON array of objects
    Json,
    /// One JSON object per line
    Jsonl,
    /// Excel workbook (.xlsx, .xlsm)
    Xlsx,
    /// Excel 97-2003 workbook
    Xls,
    /// OpenDocument spreadsheet (LibreOffice, WPS)
    Ods,
}

impl InputFormat {
    /// Whether the file is a workbook, read whole ([`sheet`]) rather than as a stream.
    fn is_workbook(self) -> bool {
        matches!(
            self,
            InputFormat::Xlsx | InputFormat::Xls | InputFormat::Ods
        )
    }
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
    /// The company of the rows that name none (`-c`); without it, the only company.
    pub company: Option<String>,
    /// The sheet of a workbook to read; without it, the first.
    pub sheet: Option<String>,
}

/// The summary `--format json` prints.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub entity: String,
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    /// Rows that named a stored record and changed nothing.
    pub unchanged: u64,
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
    let stdin = options.file.as_os_str() == "-";
    if stdin && format.is_workbook() {
        return Err(Failure::usage(text!(
            "standard input is read as CSV, JSON or JSON Lines only, not as a workbook",
            "标准输入只能是 CSV、JSON 或 JSON Lines，不能是工作簿"
        ))
        .hint(text!(
            "give the workbook's file name instead of -",
            "请用工作簿的文件名代替 -"
        ))
        .into());
    }
    if options.sheet.is_some() && !format.is_workbook() {
        return Err(Failure::usage(text!(
            "--sheet is for a workbook (.xlsx, .xls, .ods), not a CSV or JSON file",
            "--sheet 只用于工作簿（.xlsx、.xls、.ods），不用于 CSV 或 JSON 文件"
        ))
        .hint(text!(
            "leave out --sheet, or import the workbook itself",
            "请去掉 --sheet，或直接导入工作簿"
        ))
        .into());
    }
    if let Some(rejects) = &options.rejects {
        let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if same(rejects, &options.file) {
            let rejects = rejects.display();
            return Err(Failure::usage(text!(
                "--rejects {rejects} is the file being imported",
                "--rejects {rejects} 就是正在导入的文件"
            ))
            .hint(text!(
                "write the rejects to another file",
                "请把被拒的行写到另一个文件"
            ))
            .into());
        }
    }
    let input: Box<dyn Read + Send> = if stdin {
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
    let bulk = match entity.bulk() {
        Some(bulk) if !options.dry_run => {
            crate::db::is_empty(conn, bulk.table())? && crate::db::bulk_journal(conn)?
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
    let routes = routes::Routes::new(&tx, entity.columns(), options.company.as_deref())?;
    let mut tally = tally::Tally {
        routes: Arc::new(routes),
        conn: &tx,
        lang: options.lang,
        insert: None,
        compare: None,
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
        sheet: None,
    };
    tx.pragma_update(None, "cache_size", -CACHE_KIB)?;
    let hasher = match format {
        InputFormat::Csv => csv_reader::read_csv(input, options.encoding, &tx, entity, &mut tally)?,
        InputFormat::Jsonl | InputFormat::Json => {
            let mut hasher = Sha256::new();
            let hashing = decode::Hashing {
                inner: input,
                hasher: &mut hasher,
            };
            let mut input = decode::decode(hashing, options.encoding)
                .with_context(|| format!("cannot read {file}"))?;
            let lines = format == InputFormat::Jsonl;
            json::read(&mut input, lines, &tx, entity, &mut tally)?;
            io::copy(&mut input, &mut io::sink()).with_context(|| format!("cannot read {file}"))?;
            drop(input);
            hasher
        }
        InputFormat::Xlsx | InputFormat::Xls | InputFormat::Ods => {
            let mut input = input;
            let mut bytes = Vec::new();
            input
                .read_to_end(&mut bytes)
                .with_context(|| format!("cannot read {file}"))?;
            let workbook = sheet::Workbook {
                bytes: &bytes,
                format,
                sheet: options.sheet.as_deref(),
            };
            sheet::read(&workbook, &tx, entity, &mut tally)?;
            Sha256::new_with_prefix(&bytes)
        }
    };
    if let Some(rejects) = tally.rejects.take() {
        rejects.into_inner().map_err(|e| e.into_error())?.commit()?;
    }
    // What the report needs; the rest (statements of `tx` among it) ends here.
    let (mut summary, errors, failed) = (
        take(&mut tally.summary),
        take(&mut tally.errors),
        tally.failed,
    );
    drop(tally);
    summary.unchanged = summary
        .rows
        .saturating_sub(summary.inserted + summary.updated + failed);
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

/// How a file is named in messages: `stdin` for `-`.
fn label(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        path.display().to_string()
    }
}

/// The format a file's extension names.
fn format_of(path: &Path) -> Result<InputFormat> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    match ext.as_deref() {
        Some("csv") | Some("txt") => Ok(InputFormat::Csv),
        Some("json") => Ok(InputFormat::Json),
        Some("jsonl") | Some("ndjson") => Ok(InputFormat::Jsonl),
        Some("xlsx") | Some("xlsm") => Ok(InputFormat::Xlsx),
        Some("xls") => Ok(InputFormat::Xls),
        Some("ods") => Ok(InputFormat::Ods),
        _ => {
            let file = label(path);
            Err(Failure::usage(text!(
                "cannot tell the format of {file} from its name",
                "无法从文件名判断 {file} 的格式"
            ))
            .hint(text!(
                "name it .csv, .json, .jsonl, .xlsx, .xls or .ods, or give --input-format",
                "请把文件命名为 .csv、.json、.jsonl、.xlsx、.xls 或 .ods，或用 --input-format 指定"
            ))
            .into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
            crate::domain::customer::Import::new(crate::time::Clock::fixed(at), stamp.clone());
        let options = Options {
            file: "input".into(),
            format: Some(format),
            encoding: Encoding::Auto,
            on_error: OnError::Abort,
            rejects: None,
            dry_run: false,
            lang: Lang::En,
            company: None,
            sheet: None,
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
            company: None,
            sheet: None,
        };
        let mut entity =
            crate::domain::customer::Import::new(crate::time::Clock::fixed(at), stamp.clone());
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
            crate::domain::employee::Import::new(crate::time::Clock::fixed(at), stamp.clone());
        assert!(!employees.references_resolved());
    }

    /// A small .xlsx of customers, one of them with an error cell.
    static WORKBOOK: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let rows = [["id", "name", "tier", "owner"], ["C1", "A", "core", "E001"]];
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
        sheet.write_number(2, 0, 13800138000.0).unwrap();
        let error = rust_xlsxwriter::Formula::new("=NA()").set_result("#N/A");
        sheet.write_formula(2, 1, error).unwrap();
        book.save_to_buffer().unwrap()
    });

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

    #[test]
    fn a_workbook_row_error_names_its_cell() {
        let report = importing(&WORKBOOK, InputFormat::Xlsx).unwrap();
        assert_eq!((report.summary.rows, report.failed), (2, 1));
        assert!(
            report.errors[0].starts_with("input:Sheet1!B3: column \"name\": value \"#N/A\": "),
            "{:?}",
            report.errors
        );
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            for format in [
                InputFormat::Csv,
                InputFormat::Json,
                InputFormat::Jsonl,
                InputFormat::Xlsx,
                InputFormat::Xls,
                InputFormat::Ods,
            ] {
                assert_handled(importing(&bytes, format));
            }
        }

        #[test]
        fn a_damaged_workbook_never_panics(at in 0..WORKBOOK.len(), byte in any::<u8>()) {
            let mut bytes = WORKBOOK.clone();
            bytes[at] = byte;
            assert_handled(importing(&bytes, InputFormat::Xlsx));
        }

        #[test]
        fn random_rows_under_a_good_header_never_panic(
            rows in proptest::collection::vec("[ -~\\n\"，编号E0-9]{0,40}", 0..8)
        ) {
            let text = format!("id,name,tier,owner,backup,phone,since\n{}", rows.join("\n"));
            assert_handled(importing(text.as_bytes(), InputFormat::Csv));
        }
    }
}
