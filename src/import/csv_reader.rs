//! A CSV file, read on a second thread ([`Split`]) that hashes, decodes and splits the
//! input into batches of records (for a bulk load or a refresh, a third thread validates and
//! stages them) a few batches ahead of this one, which maps the header and writes the rows.

use std::io::{self, Read};
use std::sync::{mpsc, Arc};

use anyhow::{bail, Context as _, Result};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::decode::{decode, explain, Capped, Hashing, Span};
use super::entity::{check_length, column_index, holds_nul, known};
use super::routes::Routes;
use super::tally::{describe, Tally};
use super::{
    Bulk, Column, Encoding, Entity, Position, Row, Stage, Staged, Unit, CHUNK, MAX_COLUMNS,
};
use crate::error::Failure;
use crate::i18n::Lang;
use crate::limits::quoted;
use crate::{bad_input, text};

/// Records read at a time by the reading thread, and batches it may read ahead.
const RECORDS_PER_BATCH: usize = 1024;
const RECORDS_AHEAD: usize = 4;

/// Reads a CSV file: a second thread hashes, decodes and splits the input into records
/// (for a bulk load or a refresh, a third one validates and stages them) while this one
/// writes them. Returns the hash of the input, read to its end.
pub(super) fn read_csv(
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
    routes: Arc<Routes>,
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
        let text = match decode(hashing, encoding) {
            Ok(text) => text,
            Err(e) => return self.fail(self.full, e.into()),
        };
        let span = Span::default();
        let mut text = Capped {
            inner: text,
            span: &span,
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(CHUNK)
            .from_reader(&mut text);
        let mut header = Batch::default();
        header.records.push(csv::ByteRecord::new());
        match read_record(&mut reader, &mut header.records[0], &span) {
            Ok(true) => {
                header.len = 1;
                self.full.send(Ok(header)).ok()?;
                let plan = plan.recv().ok()?;
                self.rows(&mut reader, plan, &span)?;
            }
            Ok(false) => {}
            Err(e) => return self.fail(self.full, e.into()),
        }
        drop(reader);
        if let Err(e) = io::copy(&mut text.inner, &mut io::sink()) {
            return self.fail(self.full, e.into());
        }
        drop(text);
        Some(hasher)
    }

    /// Sends the records after the header, a batch at a time. With a stage a third
    /// thread stages them, between this one and the writing one: reading and staging a
    /// million customers on one thread kept the writer waiting for a third of the load.
    fn rows(&self, reader: &mut csv::Reader<impl Read>, mut plan: Plan, span: &Span) -> Option<()> {
        let Some(stager) = plan.stager.take() else {
            return self.split(reader, span, self.full);
        };
        let (file, full) = (self.file, self.full);
        std::thread::scope(|scope| {
            let (read, read_rx) = mpsc::sync_channel::<Result<Batch>>(RECORDS_AHEAD);
            scope.spawn(move || {
                for batch in read_rx {
                    let batch = batch.and_then(|mut batch| {
                        stage(&mut batch, &plan, stager.as_ref())
                            .map(|()| batch)
                            .map_err(|e| failure(file, e))
                    });
                    let stopped = batch.is_err();
                    if full.send(batch).is_err() || stopped {
                        return;
                    }
                }
            });
            self.split(reader, span, &read)
        })
    }

    /// Reads the records after the header into batches, each sent to `to`.
    fn split(
        &self,
        reader: &mut csv::Reader<impl Read>,
        span: &Span,
        to: &mpsc::SyncSender<Result<Batch>>,
    ) -> Option<()> {
        loop {
            let mut batch = self.empty.try_recv().unwrap_or_default();
            batch.len = 0;
            let mut end = false;
            while batch.len < RECORDS_PER_BATCH {
                if batch.len == batch.records.len() {
                    batch.records.push(csv::ByteRecord::new());
                }
                match read_record(reader, &mut batch.records[batch.len], span) {
                    Ok(true) => batch.len += 1,
                    Ok(false) => {
                        end = true;
                        break;
                    }
                    Err(e) => return self.fail(to, e.into()),
                }
            }
            if batch.len > 0 {
                to.send(Ok(batch)).ok()?;
            }
            if end {
                return Some(());
            }
        }
    }

    /// Sends on `to` the error that stopped the reading ([`failure`]).
    fn fail<T>(&self, to: &mpsc::SyncSender<Result<Batch>>, e: anyhow::Error) -> Option<T> {
        let _ = to.send(Err(failure(self.file, e)));
        None
    }
}

/// The error that stopped the reading of `file`: `file:line` for bytes that do not decode.
fn failure(file: &str, e: anyhow::Error) -> anyhow::Error {
    match explain(file, e) {
        Ok(failure) => failure.into(),
        Err(e) => e.context(format!("cannot read {file}")),
    }
}

/// Reads the next record, telling `span` where it begins (see [`Capped`]).
fn read_record(
    reader: &mut csv::Reader<impl Read>,
    record: &mut csv::ByteRecord,
    span: &Span,
) -> csv::Result<bool> {
    let at = reader.position();
    let position = Position {
        number: at.line(),
        unit: Unit::Line,
    };
    span.begin(Some(at.byte()), position);
    reader.read_byte_record(record)
}

/// Stages the records of a batch (on the staging thread), noting why each refused one is.
fn stage(batch: &mut Batch, plan: &Plan, stager: &dyn Stage) -> Result<()> {
    let (staged, refused) = batch.staged.get_or_insert_with(Default::default);
    staged.clear();
    refused.clear();
    for record in &batch.records[..batch.len] {
        let mut cells: [Option<&str>; MAX_COLUMNS] = [None; MAX_COLUMNS];
        let (row, decoded) = routed_row(
            record,
            plan.columns,
            &plan.map,
            plan.width,
            &plan.routes,
            &mut cells,
        );
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
        unit: Unit::Line,
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
        let known = known(columns);
        return Err(bad_input!(
            "{file} is empty: no header line",
            "{file} 是空文件：没有标题行"
        )
        .hint(text!(
            "the first line names the columns: {known}",
            "第一行应是列名：{known}"
        ))
        .into());
    }
    let header: Vec<String> = records.batch.records[0]
        .iter()
        .map(|cell| String::from_utf8_lossy(cell).trim().to_string())
        .collect();
    let map = map_header(&format!("{file}:1"), &header, conn, entity, tally)?;
    tally.open_rejects(header.iter().map(String::as_str))?;
    tally.map = map.clone();
    tally.width = header.len();
    entity.begin(conn)?;
    let mut next = Plan {
        lang: tally.lang,
        columns,
        map: map.clone(),
        width: header.len(),
        routes: tally.routes.clone(),
        stager: None,
    };
    // The reading thread is gone when a send fails: its error comes with the next batch.
    match entity.bulk_load() {
        Some((bulk, stager)) => {
            next.stager = Some(stager);
            let _ = plan.send(next);
            insert_batches(records, bulk, tally)?;
        }
        None => {
            let present: Vec<bool> = map.iter().map(Option::is_some).collect();
            match entity.refresh().and_then(|r| r.stager(&present)) {
                Some(stager) => {
                    next.stager = Some(stager);
                    let _ = plan.send(next);
                    refresh_batches(records, entity, tally)?;
                }
                None => {
                    let _ = plan.send(next);
                    apply_batches(records, &map, header.len(), conn, entity, tally)?;
                }
            }
        }
    }
    entity.finish(conn)
}

/// The entity's column of each field of the header (at `at`: `file:1`, `file:sheet!1`):
/// every column known, none twice, none required missing; and, for an entity whose rows
/// need a company, one for the rows that name none ([`Routes::check_default`]).
pub(super) fn map_header(
    at: &str,
    header: &[String],
    conn: &Connection,
    entity: &dyn Entity,
    tally: &Tally<'_, '_>,
) -> Result<Vec<Option<usize>>> {
    let columns = entity.columns();
    let map = header_columns(at, columns, header)?;
    if entity.company_required() {
        let named = map
            .iter()
            .zip(columns)
            .any(|(at, c)| at.is_some() && c.name == "company");
        tally.routes.check_default(conn, named)?;
    }
    Ok(map)
}

/// [`map_header`]'s columns of the header.
fn header_columns(at: &str, columns: &[Column], header: &[String]) -> Result<Vec<Option<usize>>> {
    let mut map = vec![None; columns.len()];
    let mut unknown = Vec::new();
    for (i, name) in header.iter().enumerate() {
        match column_index(columns, name) {
            Some(col) if map[col].is_some() => {
                let name = columns[col].name;
                return Err(bad_input!(
                    "{at}: column \"{name}\" appears twice",
                    "{at}：列 \"{name}\" 出现了两次"
                )
                .into());
            }
            Some(col) => map[col] = Some(i),
            None => unknown.push(quoted(name)),
        }
    }
    let columns_hint = || {
        let known = known(columns);
        text!("the columns are: {known}", "可用的列：{known}")
    };
    if !unknown.is_empty() {
        let (en, zh) = (unknown.join(", "), unknown.join("、"));
        return Err(
            bad_input!("{at}: unknown column {en}", "{at}：未知的列 {zh}")
                .hint(columns_hint())
                .into(),
        );
    }
    let missing: Vec<&str> = columns
        .iter()
        .zip(&map)
        .filter(|(c, at)| c.required && at.is_none())
        .map(|(c, _)| c.name)
        .collect();
    if !missing.is_empty() {
        let (en, zh) = (missing.join(", "), missing.join("、"));
        return Err(bad_input!("{at}: missing column {en}", "{at}：缺少列 {zh}")
            .hint(columns_hint())
            .into());
    }
    Ok(map)
}

/// Inserts the batches the staging thread staged.
fn insert_batches(
    records: &mut Records,
    bulk: &mut dyn Bulk,
    tally: &mut Tally<'_, '_>,
) -> Result<()> {
    while records.next()? {
        let (staged, staged_records) = staged_batch(&records.batch, tally)?;
        tally.insert(bulk, staged, |i| staged_records[i])?;
    }
    Ok(())
}

/// Compares the batches the staging thread staged with the stored rows (a refresh).
fn refresh_batches(
    records: &mut Records,
    entity: &mut dyn Entity,
    tally: &mut Tally<'_, '_>,
) -> Result<()> {
    while records.next()? {
        let (staged, staged_records) = staged_batch(&records.batch, tally)?;
        tally.refresh(entity, staged, |i| staged_records[i])?;
    }
    Ok(())
}

/// Counts the records of a staged batch, the refused ones as bad rows; the staged rows and
/// the record of each.
fn staged_batch<'b>(
    batch: &'b Batch,
    tally: &mut Tally<'_, '_>,
) -> Result<(&'b Staged, Vec<&'b csv::ByteRecord>)> {
    let Some((staged, refused)) = &batch.staged else {
        bail!("the staging thread did not stage a batch");
    };
    let records = &batch.records[..batch.len];
    for (record, refused) in records.iter().zip(refused) {
        tally.counted();
        if let Some(reason) = refused {
            tally.bad(position_of(record), None, reason.clone(), record.iter())?;
        }
    }
    let staged_records = records
        .iter()
        .zip(refused)
        .filter(|(_, refused)| refused.is_none())
        .map(|(record, _)| record)
        .collect();
    Ok((staged, staged_records))
}

/// Hands each record to the entity's `apply`.
fn apply_batches(
    records: &mut Records,
    map: &[Option<usize>],
    width: usize,
    conn: &Connection,
    entity: &mut dyn Entity,
    tally: &mut Tally<'_, '_>,
) -> Result<()> {
    let columns = entity.columns();
    let routes = tally.routes.clone();
    while records.next()? {
        let batch = &records.batch;
        for record in &batch.records[..batch.len] {
            let mut cells: [Option<&str>; MAX_COLUMNS] = [None; MAX_COLUMNS];
            let (row, decoded) = routed_row(record, columns, map, width, &routes, &mut cells);
            let result = match decoded {
                Ok(()) => entity.apply(conn, &row),
                Err(failure) => Err(failure.into()),
            };
            tally.count(result, &row, record.iter())?;
        }
    }
    Ok(())
}

/// The row of a CSV record, with its company, and whether it decoded and routed.
fn routed_row<'r>(
    record: &'r csv::ByteRecord,
    columns: &'static [Column],
    map: &[Option<usize>],
    width: usize,
    routes: &'r Routes,
    cells: &'r mut [Option<&'r str>; MAX_COLUMNS],
) -> (Row<'r>, Result<(), Failure>) {
    let mut decoded = decode_cells(record, columns, map, cells, width);
    let cells = &cells[..columns.len()];
    let company = match &decoded {
        Ok(()) => routes.route(cells).unwrap_or_else(|failure| {
            decoded = Err(failure);
            None
        }),
        Err(_) => None,
    };
    let row = Row {
        cells,
        columns,
        position: position_of(record),
        company,
    };
    (row, decoded)
}

/// A field of a record that is not all UTF-8: the error naming it, if it is the one.
fn not_utf8(bytes: &[u8]) -> Result<&str, Failure> {
    std::str::from_utf8(bytes).map_err(|_| {
        let value = quoted(&String::from_utf8_lossy(bytes));
        bad_input!(
            "value {value} is not UTF-8 text; if the file is GBK, use --encoding gbk",
            "值 {value} 不是 UTF-8 文本；如果文件是 GBK 编码，请用 --encoding gbk"
        )
    })
}

/// Fills `cells` from a CSV record; a ragged row, a cell that is not UTF-8, holds NUL or is
/// longer than its column takes ([`check_length`]) is bad.
pub(super) fn decode_cells<'r>(
    record: &'r csv::ByteRecord,
    columns: &[Column],
    map: &[Option<usize>],
    cells: &mut [Option<&'r str>; MAX_COLUMNS],
    width: usize,
) -> Result<(), Failure> {
    if record.len() != width {
        let fields = record.len();
        return Err(bad_input!(
            "the row has {fields} fields, the header {width}",
            "该行有 {fields} 个字段，标题行有 {width} 个"
        ));
    }
    // One check of the whole record: its fields split at ASCII bytes, so each is UTF-8 too.
    let text = simdutf8::basic::from_utf8(record.as_slice()).ok();
    let nul = record.as_slice().contains(&0);
    for (col, at) in map.iter().enumerate() {
        if let Some(i) = *at {
            let cell = match (text, record.range(i)) {
                (Some(text), Some(range)) => &text[range],
                _ => not_utf8(&record[i])?,
            };
            if nul && cell.contains('\0') {
                return Err(holds_nul(cell));
            }
            // A cell a CSV export neutralised (`'=1+2`) reads as it was written (`=1+2`).
            let cell = crate::output::unneutralise_formula(cell);
            cells[col] = Some(cell);
            check_length(&columns[col], cell)?;
        }
    }
    Ok(())
}
