//! One sheet of a workbook (.xlsx, .xlsm, .xls, .ods), read by `calamine`: the first row
//! with a value is the header, as in a CSV file; each later row that is not empty becomes
//! the text a CSV cell would hold ([`cell_text`]) and is written through [`Rows`]. A row
//! error names its cell (`file:Sheet1!C12`, see [`SheetAt`]).

use std::borrow::Cow;
use std::io::Cursor;

use anyhow::Result;
use calamine::{Data, DataType, Ods, Range, Reader, Xls, Xlsx};
use chrono::{TimeDelta, Timelike};
use rusqlite::Connection;

use super::csv_reader::map_header;
use super::entity::{check_length, holds_nul};
use super::rows::write_rows;
use super::tally::{column_letters, SheetAt, Tally};
use super::{Entity, InputFormat, Position, Unit, MAX_COLUMNS};
use crate::error::Failure;
use crate::limits::quoted;
use crate::{bad_input, text};

/// The largest integer a spreadsheet's number (an `f64`) holds digit for digit: 2^53.
const EXACT: f64 = 9_007_199_254_740_992.0;

/// The bytes of a workbook, its format and the sheet asked for.
pub(super) struct Workbook<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) format: InputFormat,
    pub(super) sheet: Option<&'a str>,
}

/// Reads the sheet of `workbook` into the entity.
pub(super) fn read(
    workbook: &Workbook<'_>,
    conn: &Connection,
    entity: &mut dyn Entity,
    tally: &mut Tally<'_, '_>,
) -> Result<()> {
    let file = tally.file.clone();
    let (name, range) = match workbook.format {
        InputFormat::Xls => load::<Xls<_>>(&file, workbook),
        InputFormat::Ods => load::<Ods<_>>(&file, workbook),
        _ => load::<Xlsx<_>>(&file, workbook),
    }?;
    let columns = entity.columns();
    let (first_row, first_column) = range.start().unwrap_or_default();
    let mut rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| (u64::from(first_row) + i as u64 + 1, cells))
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((header_row, header_cells)) = rows.next() else {
        let known = super::entity::known(columns);
        return Err(bad_input!(
            "{file}:{name} is empty: no header row",
            "{file}:{name} 是空表：没有标题行"
        )
        .hint(text!(
            "the first row names the columns: {known}",
            "第一行应是列名：{known}"
        ))
        .into());
    };
    // Empty cells at the end of the header are no columns; their cells must stay empty.
    let width = header_cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |last| last + 1);
    let header: Vec<String> = header_cells[..width]
        .iter()
        .map(|c| cell_text(c).map_or_else(|_| c.to_string(), Cow::into_owned))
        .map(|h| h.trim().to_string())
        .collect();
    let map = map_header(
        &format!("{file}:{name}!{header_row}"),
        &header,
        conn,
        entity,
        tally,
    )?;
    tally.map = map.clone();
    tally.width = width;
    tally.sheet = Some(SheetAt { name, first_column });
    write_rows(
        conn,
        entity,
        tally,
        header.iter().map(String::as_str),
        |out| {
            let mut original: Vec<String> = Vec::with_capacity(width);
            for (number, cells) in rows {
                let position = Position {
                    number,
                    unit: Unit::Row,
                };
                original.clear();
                let mut problem = None;
                for (at, cell) in cells.iter().enumerate() {
                    if at >= width {
                        if !cell.is_empty() && problem.is_none() {
                            let place = column_letters(first_column + at as u32);
                            problem = Some(bad_input!(
                                "cell {place}{number} holds a value, but its column has no header",
                                "单元格 {place}{number} 有值，但所在列没有标题"
                            ));
                        }
                        continue;
                    }
                    match cell_text(cell) {
                        Ok(text) => original.push(text.into_owned()),
                        Err(failure) => {
                            original.push(cell.to_string());
                            if problem.is_none() {
                                let field = map.iter().position(|&i| i == Some(at));
                                problem = Some(match field {
                                    Some(col) => failure.field(columns[col].name),
                                    None => failure,
                                });
                            }
                        }
                    }
                }
                let mut cells: [Option<&str>; MAX_COLUMNS] = [None; MAX_COLUMNS];
                for (col, at) in map.iter().enumerate() {
                    let Some(at) = *at else { continue };
                    let cell = crate::output::unneutralise_formula(&original[at]);
                    cells[col] = Some(cell);
                    if problem.is_none() {
                        if cell.contains('\0') {
                            problem = Some(holds_nul(cell).field(columns[col].name));
                        } else if let Err(failure) = check_length(&columns[col], cell) {
                            problem = Some(failure);
                        }
                    }
                }
                let fields = original.iter().map(|c| c.as_bytes());
                out.write(&cells[..columns.len()], fields, problem, position)?;
            }
            Ok(())
        },
    )
}

/// Opens the workbook and loads the sheet asked for (else the first): its name and cells.
fn load<'a, R>(file: &str, workbook: &Workbook<'a>) -> Result<(String, Range<Data>), Failure>
where
    R: Reader<Cursor<&'a [u8]>>,
    R::Error: std::fmt::Display,
{
    let kind = match workbook.format {
        InputFormat::Xls => "Excel 97-2003 (.xls)",
        InputFormat::Ods => "OpenDocument (.ods)",
        _ => "Excel (.xlsx)",
    };
    let not_a_workbook = |e: &dyn std::fmt::Display| {
        bad_input!(
            "{file} is not a readable {kind} workbook: {e}; nothing was imported",
            "{file} 不是可读取的 {kind} 工作簿：{e}；本次未导入任何数据"
        )
        .hint(text!(
            "open it in Excel, WPS or LibreOffice and save it again in that format, or save the sheet as CSV and import that",
            "请用 Excel、WPS 或 LibreOffice 打开并按该格式重新保存，或把工作表另存为 CSV 再导入"
        ))
    };
    let mut reader = R::new(Cursor::new(workbook.bytes)).map_err(|e| not_a_workbook(&e))?;
    let names = reader.sheet_names();
    let name = match workbook.sheet {
        Some(asked) => names.iter().find(|n| n.as_str() == asked).ok_or_else(|| {
            let asked = quoted(asked);
            let (en, zh) = (names.join(", "), names.join("、"));
            bad_input!(
                "{file} has no sheet {asked}; its sheets are: {en}",
                "{file} 中没有工作表 {asked}；其中的工作表：{zh}"
            )
            .hint(text!(
                "give one of them with --sheet NAME (names are case-sensitive)",
                "请用 --sheet 名称 指定其中之一（区分大小写）"
            ))
        })?,
        None => names
            .first()
            .ok_or_else(|| bad_input!("{file} has no sheet", "{file} 中没有工作表"))?,
    }
    .clone();
    let range = reader
        .worksheet_range(&name)
        .map_err(|e| not_a_workbook(&e))?;
    Ok((name, range))
}

/// The text a CSV cell would hold for `cell`: text as it is; a whole number without
/// ".0" or exponent (a phone number or a code stored as a number), any other number in
/// its shortest exact form; a date as `YYYY-MM-DD`, a date and time as
/// `YYYY-MM-DD HH:MM:SS`; `true`/`false`; an empty cell empty. An error cell (`#N/A`), a
/// duration, or a whole number past 2^53 (whose digits a spreadsheet did not keep) is
/// refused.
fn cell_text(cell: &Data) -> Result<Cow<'_, str>, Failure> {
    Ok(match cell {
        Data::Empty => Cow::Borrowed(""),
        Data::String(s) | Data::DateTimeIso(s) => Cow::Borrowed(s.as_str()),
        Data::Int(i) => Cow::Owned(i.to_string()),
        Data::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Data::Float(f) => Cow::Owned(number_text(*f)?),
        Data::DateTime(t) if t.is_datetime() => {
            let time = t
                .as_datetime()
                .and_then(|t| t.checked_add_signed(TimeDelta::milliseconds(500)))
                .and_then(|t| t.with_nanosecond(0))
                .ok_or_else(|| not_a_date(&t.as_f64().to_string()))?;
            Cow::Owned(match time.time() == chrono::NaiveTime::MIN {
                true => time.format("%Y-%m-%d").to_string(),
                false => time.format("%Y-%m-%d %H:%M:%S").to_string(),
            })
        }
        Data::DateTime(_) | Data::DurationIso(_) => {
            let value = quoted(&cell.to_string());
            return Err(bad_input!(
                "value {value} is a duration, not a date or text",
                "值 {value} 是时长，不是日期或文本"
            )
            .hint(text!(
                "format the cell as a date, or as text",
                "请把单元格设为日期格式或文本格式"
            )));
        }
        Data::Error(e) => {
            return Err(bad_input!(
                "the cell holds the error {e}, not a value",
                "单元格是错误值 {e}，不是数据"
            )
            .hint(text!(
                "fix the formula or type the value, then save the workbook again",
                "请修正公式或直接填入数值，再保存工作簿"
            )))
        }
    })
}

/// A number as text: a whole one as an integer (13800138000, not 1.3800138e10), another
/// in its shortest exact form (Rust's `Display` for `f64` writes no exponent).
fn number_text(f: f64) -> Result<String, Failure> {
    if !f.is_finite() {
        return Err(not_a_date(&f.to_string()));
    }
    if f.fract() != 0.0 {
        return Ok(f.to_string());
    }
    if f.abs() >= EXACT {
        let shown = format!("{f:.0}");
        return Err(bad_input!(
            "number {shown} has lost digits (a spreadsheet keeps 15); a code must be stored as text",
            "数字 {shown} 已丢失位数（电子表格只保留 15 位）；编码应以文本保存"
        )
        .hint(text!(
            "format the column as text and type the codes again, or type ' before each",
            "请把该列设为文本格式后重新输入编码，或在每个编码前加 '"
        )));
    }
    Ok(format!("{}", f as i64))
}

/// The refusal of a number that is no date or number baton can read.
fn not_a_date(value: &str) -> Failure {
    let value = quoted(value);
    bad_input!(
        "value {value} is not a date or number baton can read",
        "值 {value} 不是 baton 能读取的日期或数字"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTime, ExcelDateTimeType};

    fn text(cell: Data) -> Result<String, Failure> {
        cell_text(&cell).map(Cow::into_owned)
    }

    #[test]
    fn numbers_that_are_codes_keep_their_digits() {
        assert_eq!(text(Data::Float(13800138000.0)).unwrap(), "13800138000");
        assert_eq!(text(Data::Float(-0.0)).unwrap(), "0");
        assert_eq!(text(Data::Float(1e15)).unwrap(), "1000000000000000");
        assert_eq!(text(Data::Float(0.1)).unwrap(), "0.1");
        assert_eq!(text(Data::Float(1e-7)).unwrap(), "0.0000001");
        assert_eq!(text(Data::Float(12.5)).unwrap(), "12.5");
        assert_eq!(text(Data::Int(42)).unwrap(), "42");
        let lost = text(Data::Float(110101199003077000.0)).unwrap_err();
        assert!(lost.message.en.contains("has lost digits"), "{lost:?}");
        assert!(text(Data::Float(f64::NAN)).is_err());
    }

    #[test]
    fn dates_booleans_and_errors() {
        let date = |value| {
            Data::DateTime(ExcelDateTime::new(
                value,
                ExcelDateTimeType::DateTime,
                false,
            ))
        };
        assert_eq!(text(date(46083.0)).unwrap(), "2026-03-02");
        assert_eq!(text(date(46083.375)).unwrap(), "2026-03-02 09:00:00");
        assert_eq!(
            text(date(46083.375 - 0.1 / 86400.0)).unwrap(),
            "2026-03-02 09:00:00"
        );
        let duration = Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false));
        assert!(text(duration).is_err());
        assert_eq!(
            text(Data::DateTimeIso("2026-03-02".into())).unwrap(),
            "2026-03-02"
        );
        assert_eq!(text(Data::Bool(true)).unwrap(), "true");
        assert_eq!(text(Data::Empty).unwrap(), "");
        let error = text(Data::Error(CellErrorType::NA)).unwrap_err();
        assert_eq!(
            error.message.en,
            "the cell holds the error #N/A, not a value"
        );
    }
}
