//! A JSON array of objects, or JSON Lines (one object per line): each object is mapped onto
//! the entity's columns as it is parsed, and applied or staged on this thread.

use std::io::{BufRead, BufReader, Read};

use anyhow::Result;
use rusqlite::Connection;
use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde_json::Value;

use super::decode::{explain, Capped, Span};
use super::entity::{check_length, column_index, holds_nul, known};
use super::rows::{write_rows, Rows};
use super::tally::Tally;
use super::{Entity, Position, Unit, CHUNK, MAX_COLUMNS};
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
    write_rows(
        conn,
        entity,
        tally,
        columns.iter().map(|c| c.name),
        |rows| {
            let read = match lines {
                true => read_lines(input, rows),
                false => read_array(input, rows),
            };
            read.map_err(|e| explain(&rows.tally.file, e).map_or_else(|e| e, Into::into))
        },
    )
}

/// Maps a JSON object onto the entity's columns and writes it.
fn write(rows: &mut Rows<'_, '_, '_, '_>, value: Value, position: Position) -> Result<()> {
    let columns = rows.columns;
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
    let original = owned.iter().map(|c| c.as_deref().unwrap_or("").as_bytes());
    rows.write(&cells[..columns.len()], original, problem, position)
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
fn read_lines(input: &mut dyn Read, rows: &mut Rows<'_, '_, '_, '_>) -> Result<()> {
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
            unit: Unit::Line,
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
            Ok(value) => write(rows, value, position)?,
            Err(e) => {
                let tally = &mut *rows.tally;
                tally.summary.rows += 1;
                tally.bad(
                    position,
                    None,
                    tr!(tally.lang, "not JSON: {e}", "不是 JSON：{e}"),
                    [line.as_slice()].into_iter(),
                )?;
            }
        }
    }
    if rows.tally.summary.rows == 0 && number == 0 {
        let file = &rows.tally.file;
        return Err(bad_input!("{file} is empty", "{file} 是空文件").into());
    }
    Ok(())
}

/// A JSON array: each element is written as it is parsed.
fn read_array(input: &mut dyn Read, rows: &mut Rows<'_, '_, '_, '_>) -> Result<()> {
    let file = rows.tally.file.clone();
    let span = Span::default();
    let capped = Capped {
        inner: input,
        span: &span,
    };
    let mut elements = Elements {
        rows,
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

/// Hands each element of a JSON array to [`write`] as it is parsed.
struct Elements<'o, 'a, 'e, 'p, 'c> {
    rows: &'o mut Rows<'a, 'e, 'p, 'c>,
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
                unit: Unit::Record,
            };
            self.span.begin(None, position);
            let Some(value) = seq.next_element::<Value>()? else {
                break;
            };
            number += 1;
            if let Err(e) = write(self.rows, value, position) {
                self.stopped = Some(e);
                return Err(serde::de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}
