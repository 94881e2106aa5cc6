//! `--format xlsx`: a list as one sheet of an Excel workbook, a record as a sheet of field
//! and value (its nested lists and records as further sheets). Every sheet has a bold,
//! frozen header row with an autofilter and columns as wide as their text (a Chinese
//! character counts two).
//!
//! A cell is typed by its value, as the other formats give it (masked, enum values by
//! their label in the output language, which the import reads back): `YYYY-MM-DD` is an
//! Excel date, an RFC 3339 instant an Excel date and time in local time (as tables show
//! it), a JSON number a number; any other text stays text (phone numbers, 统一社会信用代码,
//! codes: never a number, so no `.0` and no exponent), booleans are `true`/`false` as in
//! CSV. A text cell is never a formula, so nothing needs neutralising.

use std::io::{self, IsTerminal};

use anyhow::{Context as _, Result};
use rust_xlsxwriter::{ColNum, ExcelDateTime, Format as CellFormat, RowNum, Workbook, Worksheet};
use serde_json::{Map, Value};
use unicode_width::UnicodeWidthStr;

use super::{is_nested, plain_cell, Output};
use crate::error::Failure;
use crate::i18n::{label, Lang};
use crate::{text, time, tr};

/// The widest a column is made, in characters; longer text is still whole in its cell.
const MAX_WIDTH: usize = 60;
/// How Excel shows a date, and a date with its time.
const DATE: &str = "yyyy-mm-dd";
const DATETIME: &str = "yyyy-mm-dd hh:mm:ss";
/// The longest sheet name Excel takes.
const MAX_SHEET_NAME: usize = 31;
/// The most characters a cell holds, and rows a sheet has (the header's included).
const MAX_CELL: usize = 32_767;
const MAX_ROWS: RowNum = 1_048_576;

/// The way out of a list too large for a workbook.
fn csv_instead() -> crate::i18n::Text {
    text!(
        "export this list with --format csv or json",
        "请用 --format csv 或 json 导出此列表"
    )
}

/// Refuses `-f xlsx` to a terminal: a workbook is bytes for a file, not text to read. Piped
/// stdout (`> list.xlsx`, `| other-tool`) gets the bytes.
pub(super) fn refuse_terminal(output: &Output) -> Result<(), Failure> {
    if output.path.is_none() && io::stdout().is_terminal() {
        return Err(Failure::usage(text!(
            "--format xlsx writes a workbook, not text for a terminal",
            "--format xlsx 输出的是工作簿文件，不能显示在终端上"
        ))
        .hint(text!(
            "name the file: -o NAME.xlsx",
            "请指定文件：-o 文件名.xlsx"
        )));
    }
    Ok(())
}

/// The refusal of `-f xlsx` by a command that writes a text (a letter, a statement).
pub(super) fn not_a_list() -> Failure {
    Failure::usage(text!(
        "this command writes a text, not a list: --format xlsx does not apply",
        "此命令输出的是文本而不是列表，不能使用 --format xlsx"
    ))
    .hint(text!(
        "leave --format out, or use --format md",
        "请去掉 --format，或使用 --format md"
    ))
}

/// A workbook being filled, sheet by sheet.
pub(super) struct Book {
    workbook: Workbook,
    names: Vec<String>,
    lang: Lang,
}

impl Book {
    pub(super) fn new(lang: Lang) -> Book {
        Book {
            workbook: Workbook::new(),
            names: Vec::new(),
            lang,
        }
    }

    /// Starts a sheet named `name` (made a valid, unused sheet name) whose header row holds
    /// the labels of `columns`.
    pub(super) fn sheet(&mut self, name: &str, columns: &[String]) -> Result<Sheet> {
        let name = self.unused_name(name);
        let mut sheet = Sheet {
            worksheet: Worksheet::new(),
            widths: vec![0; columns.len()],
            row: 0,
        };
        sheet.worksheet.set_name(name.as_str())?;
        let bold = CellFormat::new().set_bold();
        for (col, column) in columns.iter().enumerate() {
            let header = label(column, self.lang);
            sheet
                .worksheet
                .write_string_with_format(0, col_num(col)?, header, &bold)?;
            sheet.widths[col] = header.width();
        }
        sheet.worksheet.set_freeze_panes(1, 0)?;
        self.names.push(name);
        Ok(sheet)
    }

    /// Adds a finished sheet.
    pub(super) fn add(&mut self, sheet: Sheet) -> Result<()> {
        self.workbook.push_worksheet(sheet.finish()?);
        Ok(())
    }

    /// The workbook's bytes (an .xlsx file).
    pub(super) fn bytes(mut self) -> Result<Vec<u8>> {
        self.workbook
            .save_to_buffer()
            .context("cannot write the workbook")
    }

    /// One record: a sheet of field and value named `name`, then a sheet for each nested
    /// list of records (its columns those of its first record) and each nested record.
    pub(super) fn record(&mut self, name: &str, record: &Map<String, Value>) -> Result<()> {
        let columns = [
            tr!(self.lang, "field", "字段"),
            tr!(self.lang, "value", "值"),
        ];
        let mut sheet = self.sheet(name, &columns)?;
        for (key, value) in record.iter().filter(|(_, v)| !is_nested(v)) {
            let field = Value::String(label(key, self.lang).to_string());
            sheet.push([&field, value].into_iter())?;
        }
        self.add(sheet)?;
        for (key, value) in record.iter().filter(|(_, v)| is_nested(v)) {
            match value {
                Value::Object(nested) => self.record(label(key, self.lang), nested)?,
                Value::Array(items) => {
                    let columns: Vec<String> = match items.iter().find_map(Value::as_object) {
                        Some(first) => first.keys().cloned().collect(),
                        None => continue,
                    };
                    let mut sheet = self.sheet(label(key, self.lang), &columns)?;
                    for item in items {
                        sheet.push(columns.iter().map(|c| &item[c.as_str()]))?;
                    }
                    self.add(sheet)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `name` as a sheet name no other sheet has: at most 31 characters, none of `[]:*?/\`,
    /// not blank, not quoted, not Excel's reserved `History`.
    fn unused_name(&self, name: &str) -> String {
        let cleaned: String = name
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
            .collect();
        let mut base: String = cleaned.trim_matches('\'').trim().to_string();
        if base.is_empty() || base.eq_ignore_ascii_case("history") {
            base = format!("{base}_");
        }
        let taken = |n: &str| {
            self.names
                .iter()
                .any(|t| t.to_lowercase() == n.to_lowercase())
        };
        let mut candidate: String = base.chars().take(MAX_SHEET_NAME).collect();
        let mut n = 2;
        while taken(&candidate) {
            let suffix = format!(" ({n})");
            let keep = MAX_SHEET_NAME - suffix.chars().count();
            candidate = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
            n += 1;
        }
        candidate
    }
}

/// One sheet being written, a row at a time after its header.
pub(super) struct Sheet {
    worksheet: Worksheet,
    /// The widest text of each column so far, in display columns.
    widths: Vec<usize>,
    /// The last row written (0: the header).
    row: RowNum,
}

impl Sheet {
    /// Writes the next row, its cells in the order of the columns.
    pub(super) fn push<'v>(&mut self, cells: impl Iterator<Item = &'v Value>) -> Result<()> {
        if self.row + 1 >= MAX_ROWS {
            return Err(Failure::refused(text!(
                "the list has more rows than an Excel sheet holds (1,048,575 after the header); nothing was written",
                "列表行数超过 Excel 工作表的上限（标题行之外 1,048,575 行）；未写入任何内容"
            ))
            .hint(csv_instead())
            .into());
        }
        self.row += 1;
        for (col, value) in cells.enumerate() {
            let width = self.cell(self.row, col_num(col)?, value)?;
            if let Some(widest) = self.widths.get_mut(col) {
                *widest = (*widest).max(width);
            }
        }
        Ok(())
    }

    /// Writes one cell as its value's type (see the module) and gives its width.
    fn cell(&mut self, row: RowNum, col: ColNum, value: &Value) -> Result<usize> {
        let sheet = &mut self.worksheet;
        match value {
            Value::Null => return Ok(0),
            Value::Number(n) => {
                if let Some(x) = n.as_f64() {
                    sheet.write_number(row, col, x)?;
                    return Ok(n.to_string().len());
                }
            }
            Value::String(s) => {
                if let Some(date) = excel_date(s) {
                    sheet.write_datetime_with_format(
                        row,
                        col,
                        &date,
                        &CellFormat::new().set_num_format(DATE),
                    )?;
                    return Ok(DATE.len());
                }
                if let Some(instant) = excel_instant(s) {
                    sheet.write_datetime_with_format(
                        row,
                        col,
                        &instant,
                        &CellFormat::new().set_num_format(DATETIME),
                    )?;
                    return Ok(DATETIME.len());
                }
            }
            _ => {}
        }
        let text = match value {
            Value::Object(_) => value.to_string(),
            other => plain_cell(other),
        };
        let length = text.chars().count();
        if length > MAX_CELL {
            return Err(Failure::refused(text!(
                "a value of {length} characters is longer than an Excel cell holds (32,767); nothing was written",
                "有一个值长 {length} 个字符，超过 Excel 单元格的上限（32,767）；未写入任何内容"
            ))
            .hint(csv_instead())
            .into());
        }
        sheet.write_string(row, col, &text)?;
        Ok(text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0))
    }

    /// The sheet with its autofilter over every row and its columns' widths.
    fn finish(mut self) -> Result<Worksheet> {
        if let Some(last) = self.widths.len().checked_sub(1) {
            self.worksheet.autofilter(0, 0, self.row, col_num(last)?)?;
        }
        for (col, width) in self.widths.iter().enumerate() {
            let width = (*width).clamp(4, MAX_WIDTH) + 2;
            self.worksheet
                .set_column_width(col_num(col)?, width as f64)?;
        }
        Ok(self.worksheet)
    }
}

/// A column's number, or an error past Excel's 16,384 columns.
fn col_num(col: usize) -> Result<ColNum> {
    ColNum::try_from(col).context("more columns than a sheet holds")
}

/// `YYYY-MM-DD` as an Excel date; `None` for other text or a date Excel cannot hold.
fn excel_date(text: &str) -> Option<ExcelDateTime> {
    if text.len() != 10 || text.as_bytes()[4] != b'-' || text.as_bytes()[7] != b'-' {
        return None;
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    from_date(date)
}

/// An RFC 3339 instant as an Excel date and time in local time; `None` for other text.
fn excel_instant(text: &str) -> Option<ExcelDateTime> {
    use chrono::Timelike;
    let instant = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    let local = time::to_local_naive(instant.to_utc());
    let (h, m, s) = (local.hour(), local.minute(), local.second());
    from_date(local.date())?
        .and_hms(u16::try_from(h).ok()?, u8::try_from(m).ok()?, s)
        .ok()
}

/// A date as Excel's, if in its range (1900 to 9999).
fn from_date(date: chrono::NaiveDate) -> Option<ExcelDateTime> {
    use chrono::Datelike;
    let year = u16::try_from(date.year()).ok()?;
    let (month, day) = (
        u8::try_from(date.month()).ok()?,
        u8::try_from(date.day()).ok()?,
    );
    ExcelDateTime::from_ymd(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_dates_in_excel_range_are_dates() {
        assert!(excel_date("2026-03-02").is_some());
        for text in [
            "2026-3-2",
            "2026-02-30",
            "1899-01-01",
            "13812341234",
            "2026-03-02x",
        ] {
            assert!(excel_date(text).is_none(), "{text}");
        }
        assert!(excel_instant("2026-03-02T09:00:00+08:00").is_some());
        assert!(excel_instant("2026-03-02").is_none());
    }

    #[test]
    fn a_cell_or_a_list_too_large_for_excel_is_refused_in_both_languages() {
        let refused = |err: anyhow::Error| {
            let failure = err.downcast::<Failure>().expect("a failure");
            assert_eq!(failure.exit_code(), 3);
            assert!(
                failure.message.zh.contains("Excel"),
                "{}",
                failure.message.zh
            );
            failure.message.en
        };
        let mut book = Book::new(Lang::En);
        let mut sheet = book.sheet("list", &["note".to_string()]).unwrap();
        let long = [Value::from("字".repeat(MAX_CELL + 1))];
        let en = refused(sheet.push(long.iter()).unwrap_err());
        assert!(en.contains("32768 characters"), "{en}");
        sheet
            .push([Value::from("字".repeat(MAX_CELL))].iter())
            .unwrap();
        sheet.row = MAX_ROWS - 1;
        let en = refused(sheet.push([Value::Null].iter()).unwrap_err());
        assert!(en.contains("more rows"), "{en}");
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_text_with_chinese_counted_twice() {
        let mut book = Book::new(Lang::En);
        let columns = ["id".to_string(), "name".to_string(), "at".to_string()];
        let mut sheet = book.sheet("list", &columns).unwrap();
        let row = [
            Value::from(12),
            Value::from("华丰食品\nab"),
            Value::from("2026-03-02T09:00:00+08:00"),
        ];
        sheet.push(row.iter()).unwrap();
        assert_eq!(sheet.widths, [2, 8, DATETIME.len()]);
        book.add(sheet).unwrap();
        assert!(book.bytes().unwrap().starts_with(b"PK"));
    }

    #[test]
    fn sheet_names_are_valid_and_unused() {
        let mut book = Book::new(Lang::En);
        book.names = vec!["customers".into(), "history_".into()];
        assert_eq!(book.unused_name("Customers"), "Customers (2)");
        assert_eq!(book.unused_name("a/b:c"), "a_b_c");
        assert_eq!(book.unused_name("History"), "History_ (2)");
        assert_eq!(book.unused_name("''"), "_");
        let long = "客".repeat(40);
        assert_eq!(book.unused_name(&long).chars().count(), MAX_SHEET_NAME);
    }
}
