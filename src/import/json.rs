//! A JSON array of objects, or JSON Lines (one object per line): each object is mapped onto
//! the entity's columns as it is parsed, and applied or staged on this thread.

use std::io::{BufRead, BufReader, Read};
use std::mem::take;

use anyhow::Result;
use rusqlite::Connection;
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::Value;

use super::decode::{explain, Capped, Span};
use super::entity::{check_length, column_index, holds_nul, known};
use super::tally::Tally;
use super::{
    Bulk, Column, Entity, Outcome, Position, Row, Stage, Staged, BATCH, CHUNK, MAX_COLUMNS,
};
use crate::limits::quoted;
use crate::{bad_input, tr};

/// Reads a JSON array of objects (`lines`: JSON Lines) into the entity.
pub(super) fn read(
    input: &mut dyn Read,
    lines: bool,
    conn: &Connection,
    entity: &mut dyn Entity,
    tally: &mut Tally<'_, '_>,
) -> Result<()> {
    let columns = entity.columns();
    tally.open_rejects(columns.iter().map(|c| c.name))?;
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
    let mut objects = Objects {
        conn,
        columns,
        target: &mut target,
        tally,
    };
    let read = match lines {
        true => read_lines(input, &mut objects),
        false => read_array(input, &mut objects),
    };
    if let Err(e) = read {
        return Err(explain(&objects.tally.file, e).map_or_else(|e| e, Into::into));
    }
    if let Target::Stage(staging) = &mut target {
        staging.insert(tally)?;
    }
    drop(target);
    entity.finish(conn)
}

/// Where the objects go: one by one to the entity, or staged for its bulk load.
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

/// Everything an object needs to be written.
struct Objects<'a, 'e, 'p, 'c> {
    conn: &'a Connection,
    columns: &'static [Column],
    target: &'a mut Target<'e>,
    tally: &'a mut Tally<'p, 'c>,
}

impl Objects<'_, '_, '_, '_> {
    /// Maps a JSON object onto the entity's columns and applies or stages it.
    fn write(&mut self, value: Value, position: Position) -> Result<()> {
        let columns = self.columns;
        let mut owned: Vec<Option<String>> = vec![None; columns.len()];
        let mut problem = None;
        match value {
            Value::Object(object) => {
                for (key, value) in object {
                    let Some(col) = column_index(columns, &key) else {
                        let (known, key) = (known(columns), quoted(&key));
                        problem = Some(bad_input!(
                            "unknown column {key}; the columns are: {known}",
                            "未知的列 {key}；可用的列：{known}"
                        ));
                        continue;
                    };
                    owned[col] = match value {
                        Value::Null => Some(String::new()),
                        Value::String(s) if s.contains('\0') => {
                            problem = Some(holds_nul(&s).field(columns[col].name));
                            None
                        }
                        Value::String(s) => {
                            if let Err(failure) = check_length(&columns[col], &s) {
                                problem = Some(failure);
                            }
                            Some(s)
                        }
                        Value::Bool(b) => Some(b.to_string()),
                        Value::Number(n) if inexact(&n) => {
                            problem = Some(
                                bad_input!(
                                    "number {n} cannot be kept digit for digit; write it as text in quotes",
                                    "数字 {n} 无法逐位保留；请加引号写成文本"
                                )
                                .field(columns[col].name),
                            );
                            None
                        }
                        Value::Number(n) => Some(n.to_string()),
                        other => {
                            let other = quoted(&other.to_string());
                            problem = Some(
                                bad_input!(
                                    "value {other} is not text, a number or true/false",
                                    "值 {other} 不是文本、数字或 true/false"
                                )
                                .field(columns[col].name),
                            );
                            None
                        }
                    };
                }
            }
            other => {
                let other = quoted(&other.to_string());
                problem = Some(bad_input!(
                    "expected an object, found {other}",
                    "应为 JSON 对象，实际为 {other}"
                ))
            }
        }
        let mut cells: [Option<&str>; MAX_COLUMNS] = [None; MAX_COLUMNS];
        for (cell, value) in cells.iter_mut().zip(&owned) {
            *cell = value.as_deref();
        }
        let routes = self.tally.routes.clone();
        let cells = &cells[..columns.len()];
        let company = match problem {
            Some(_) => None,
            None => routes.route(cells).unwrap_or_else(|failure| {
                problem = Some(failure);
                None
            }),
        };
        let row = Row {
            cells,
            columns,
            position,
            company,
        };
        let original = owned.iter().map(|c| c.as_deref().unwrap_or("").as_bytes());
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

/// A JSON number read as floating point that does not write back as the literal it came
/// from: integers beyond 64 bits (`1e+26` for a 27-digit code) and fractions past 2^53.
fn inexact(number: &serde_json::Number) -> bool {
    number.as_f64().is_some_and(|f| {
        !number.is_i64()
            && !number.is_u64()
            && (f.abs() >= 9_007_199_254_740_992.0 || number.to_string().contains(['e', 'E']))
    })
}

/// JSON Lines: an object per line; a line that is not JSON is a bad row.
fn read_lines(input: &mut dyn Read, objects: &mut Objects<'_, '_, '_, '_>) -> Result<()> {
    let span = Span::default();
    let capped = Capped {
        inner: input,
        span: &span,
    };
    let mut reader = BufReader::with_capacity(CHUNK, capped);
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        let position = Position {
            number: number + 1,
            in_array: false,
        };
        span.begin(None, position);
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        number += 1;
        if line.trim_ascii().is_empty() {
            continue;
        }
        match serde_json::from_slice::<Value>(&line) {
            Ok(value) => objects.write(value, position)?,
            Err(e) => {
                let tally = &mut *objects.tally;
                tally.summary.rows += 1;
                tally.bad(
                    position,
                    tr!(tally.lang, "not JSON: {e}", "不是 JSON：{e}"),
                    [line.as_slice()].into_iter(),
                )?;
            }
        }
    }
    if objects.tally.summary.rows == 0 && number == 0 {
        let file = &objects.tally.file;
        return Err(bad_input!("{file} is empty", "{file} 是空文件").into());
    }
    Ok(())
}

/// A JSON array: each element is written as it is parsed.
fn read_array(input: &mut dyn Read, objects: &mut Objects<'_, '_, '_, '_>) -> Result<()> {
    let file = objects.tally.file.clone();
    let span = Span::default();
    let capped = Capped {
        inner: input,
        span: &span,
    };
    let mut elements = Elements {
        objects,
        span: &span,
        stopped: None,
    };
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(CHUNK, capped));
    let parsed = (&mut elements).deserialize(&mut de).and_then(|()| de.end());
    if let Some(stopped) = elements.stopped {
        return Err(stopped);
    }
    if let Err(e) = parsed {
        if e.is_io() {
            return Err(std::io::Error::from(e).into());
        }
        return Err(bad_input!(
            "{file}: not a JSON array of objects: {e}",
            "{file}：不是由对象组成的 JSON 数组：{e}"
        )
        .into());
    }
    Ok(())
}

/// Hands each element of a JSON array to [`Objects::write`] as it is parsed.
struct Elements<'o, 'a, 'e, 'p, 'c> {
    objects: &'o mut Objects<'a, 'e, 'p, 'c>,
    /// Where the element being parsed began (see [`Capped`]).
    span: &'o Span,
    /// An error that stopped the array (the serde error only says "stopped").
    stopped: Option<anyhow::Error>,
}

impl<'de> DeserializeSeed<'de> for &mut Elements<'_, '_, '_, '_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for &mut Elements<'_, '_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut number = 0;
        loop {
            let position = Position {
                number: number + 1,
                in_array: true,
            };
            self.span.begin(None, position);
            let Some(value) = seq.next_element::<Value>()? else {
                break;
            };
            number += 1;
            if let Err(e) = self.objects.write(value, position) {
                self.stopped = Some(e);
                return Err(serde::de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}
