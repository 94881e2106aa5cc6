//! One renderer for every command: rows of `Serialize` structs become a table, CSV, JSON,
//! Markdown or a printable HTML page ([`html`]),
//! with personal data masked unless `--reveal`. Messages go to stderr from here too.

use std::borrow::Cow;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use comfy_table::{presets, ColumnConstraint, ContentArrangement, Table, Width};
use serde::Serialize;
use serde_json::{Map, Value};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::i18n::{self, label, Lang};
use crate::outfile::OutFile;
use crate::{ids, time, tr};

mod csv_pipe;
mod csv_row;
pub mod html;
pub mod svg;
mod xlsx;
use csv_pipe::CsvPipe;
use csv_row::{CsvRow, Finish};
use html::Page;

/// How rows are written: a table for people, CSV and JSON for other tools, Markdown for pages,
/// HTML to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
    /// A Markdown table (for web pages and documents)
    Md,
    /// An Excel workbook (with -o NAME.xlsx, or to a pipe)
    Xlsx,
    /// A printable HTML page (A4, self-contained: nothing fetched)
    Html,
}

/// Where and how a command writes what it produces.
#[derive(Debug, Clone, Default)]
pub struct Output {
    pub format: Format,
    pub lang: Lang,
    pub reveal: bool,
    pub bom: bool,
    pub quiet: bool,
    /// Tables show every field, as wide as they need (`--wide`).
    pub wide: bool,
    pub path: Option<PathBuf>,
}

/// The fields a list shows in a table by default, so that it fits 100 columns; `--wide`,
/// CSV, JSON and Markdown show every field. A name the row does not have is passed over (a
/// list of one company has no `company` column); no names: every field.
pub trait Compact {
    const COLUMNS: &'static [&'static str] = &[];
    /// Fields of long text: without `--wide`, a table shows each row as a block instead,
    /// its compact columns on one line and each of these fields as a paragraph under it.
    const TEXT: &'static [&'static str] = &[];
    /// The list's name in English and Chinese: its sheet with `--format xlsx`.
    const SHEET: (&'static str, &'static str) = ("list", "列表");
}

/// How wide a table is when it is not on a terminal: `$COLUMNS`, else 100.
const PIPED_WIDTH: u16 = 100;

impl Output {
    /// A buffered writer to `-o FILE` (an [`OutFile`]: in place, 0600, once finished) or to
    /// stdout.
    pub fn sink(&self) -> Result<Sink> {
        Ok(match &self.path {
            Some(path) => Sink::File(OutFile::create(path)?),
            None => Sink::Stdout(BufWriter::new(io::stdout())),
        })
    }

    /// Refuses, before a command runs, output that cannot go where it would: a workbook
    /// to a terminal.
    pub fn check(&self) -> Result<(), crate::error::Failure> {
        if self.format == Format::Xlsx {
            xlsx::refuse_terminal(self)?;
        }
        Ok(())
    }

    /// Where Markdown goes: [`Output::sink`], or with `-f html` a page made of it
    /// ([`Sink::Page`]).
    fn markdown_sink(&self) -> Result<Sink> {
        let sink = self.sink()?;
        Ok(match self.format {
            Format::Html => Sink::Page(Box::new(sink), Vec::new(), self.lang),
            _ => sink,
        })
    }

    /// Writes a printable page (`-f html`), its control characters escaped.
    pub fn page(&self, page: &Page) -> Result<()> {
        let mut sink = self.sink()?;
        sink.write_all(escape_controls(&page.finish()).as_bytes())?;
        sink.finish()
    }

    /// Starts a list whose rows look like `T` (its default value names the columns, so an
    /// empty CSV still has its header line); a table shows `T`'s [`Compact`] columns unless
    /// `--wide`, and its first [`TABLE_ROWS`] rows.
    pub fn list<T: Serialize + Default + Compact>(&self) -> Result<ListWriter<'_>> {
        let mut columns: Vec<String> = match to_object(&T::default())? {
            Value::Object(map) => map.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let compact = self.format == Format::Table && !self.wide;
        if compact && !T::COLUMNS.is_empty() {
            columns.retain(|c| T::COLUMNS.contains(&c.as_str()) || T::TEXT.contains(&c.as_str()));
        }
        let sheet = match self.lang {
            Lang::En => T::SHEET.0,
            Lang::Zh => T::SHEET.1,
        };
        let mut list = ListWriter::new(self, columns, sheet)?;
        if self.format == Format::Table {
            list.cap = Some(TABLE_ROWS);
        }
        if compact {
            list.columns
                .sort_by_key(|c| T::TEXT.iter().position(|t| t == c));
            list.paragraphs = T::TEXT.len();
        }
        Ok(list)
    }

    /// [`Output::list`] of rows the command holds already: a table shows them all (the
    /// command has chosen them, as `status --all`).
    fn whole_list<T: Serialize + Default + Compact>(&self) -> Result<ListWriter<'_>> {
        let mut list = self.list::<T>()?;
        list.cap = None;
        Ok(list)
    }

    /// Writes every row of a list at once.
    pub fn rows<T: Serialize + Default + Compact>(&self, rows: &[T]) -> Result<()> {
        let mut list = self.whole_list::<T>()?;
        for row in rows {
            list.push(row)?;
        }
        list.finish()
    }

    /// Writes a list, then free text after it in the same output (`status`'s attention list).
    pub fn rows_then_text<T: Serialize + Default + Compact>(
        &self,
        rows: &[T],
        text: &str,
    ) -> Result<()> {
        let mut list = self.whole_list::<T>()?;
        for row in rows {
            list.push(row)?;
        }
        let mut sink = list.end()?;
        sink.write_all(escape_controls(text).as_bytes())?;
        sink.finish()
    }

    /// A table of one record, then under `heading` a list of `rows` (blocks, where `T` has
    /// long text), in one output: `checklist report`'s run and dimensions, then its gaps.
    pub fn record_then_rows<R: Serialize, T: Serialize + Default + Compact>(
        &self,
        record: &R,
        heading: &str,
        rows: &[T],
    ) -> Result<()> {
        let mut head = Vec::new();
        let record = self.prepare(record)?;
        match self.format {
            Format::Md | Format::Html => {
                self.write_record_markdown(&mut head, &record)?;
                writeln!(head, "\n### {}\n", label(heading, self.lang))?;
            }
            _ => {
                self.write_record_table(&mut head, &record)?;
                writeln!(head, "\n{}", label(heading, self.lang))?;
            }
        }
        let mut list = self.whole_list::<T>()?;
        list.before(&head)?;
        for row in rows {
            list.push(row)?;
        }
        list.finish()
    }

    /// Writes one record (the result of a `show`, or of a change with `--format json|csv`).
    pub fn record<T: Serialize>(&self, record: &T) -> Result<()> {
        let value = self.prepare(record)?;
        let mut sink = self.markdown_sink()?;
        match self.format {
            Format::Json => {
                serde_json::to_writer_pretty(&mut sink, &value)?;
                writeln!(sink)?;
            }
            Format::Csv => {
                let Value::Object(map) = &value else {
                    anyhow::bail!("a record must be an object");
                };
                let scalars: Vec<(&String, &Value)> =
                    map.iter().filter(|(_, v)| !is_nested(v)).collect();
                let mut csv = self.csv_writer(&mut sink)?;
                csv.write_record(scalars.iter().map(|(k, _)| k.as_str()))?;
                csv.write_record(scalars.iter().map(|(_, v)| csv_cell(v)))?;
                csv.flush()?;
            }
            Format::Table => self.write_record_table(&mut sink, &value)?,
            Format::Xlsx => {
                let Value::Object(map) = &value else {
                    anyhow::bail!("a record must be an object");
                };
                let mut book = xlsx::Book::new(self.lang);
                book.record(&tr!(self.lang, "details", "详情"), map)?;
                sink.write_all(&book.bytes()?)?;
            }
            Format::Md | Format::Html => self.write_record_markdown(&mut sink, &value)?,
        }
        sink.finish()
    }

    /// One record as Markdown (masked as in every format), for a page that shows more.
    pub fn record_markdown<T: Serialize>(&self, record: &T) -> Result<String> {
        let mut markdown = Vec::new();
        self.write_record_markdown(&mut markdown, &self.prepare(record)?)?;
        Ok(String::from_utf8(markdown)?)
    }

    /// Free text (a letter, a statement) to the output, its control characters escaped
    /// ([`escape_controls`]); with `-f html`, the text is Markdown made into a page.
    pub fn text(&self, text: &str) -> Result<()> {
        if self.format == Format::Xlsx {
            return Err(xlsx::not_a_list().into());
        }
        let mut sink = self.markdown_sink()?;
        sink.write_all(escape_controls(text).as_bytes())?;
        sink.finish()
    }

    /// A message for the user on stderr, unless `-q`; control characters escaped.
    pub fn say(&self, message: &str) {
        if !self.quiet {
            eprintln!("{}", escape_controls(message));
        }
    }

    /// A warning on stderr, control characters escaped; shown even with `-q`.
    pub fn warn(&self, message: &str) {
        let message = escape_controls(message);
        eprintln!("{}{message}", tr!(self.lang, "warning: ", "警告："));
    }

    /// After a change: one line on stderr and, with `--format json|csv`, the changed record.
    pub fn changed<T: Serialize>(&self, message: &str, record: &T) -> Result<()> {
        self.say(message);
        if self.format != Format::Table {
            self.record(record)?;
        }
        Ok(())
    }

    /// Serializes and masks a row; tables show enum values by their label in the language,
    /// a workbook by their Chinese label in Chinese (which the import reads) and else as CSV.
    fn prepare<T: Serialize>(&self, row: &T) -> Result<Value> {
        let labels = match self.format {
            Format::Table | Format::Md | Format::Html => true,
            Format::Xlsx => self.lang == Lang::Zh,
            Format::Csv | Format::Json => false,
        };
        let mut value = if labels {
            i18n::with_labels(self.lang, || to_object(row))?
        } else {
            to_object(row)?
        };
        if !self.reveal {
            mask(&mut value);
        }
        Ok(value)
    }

    /// A CSV writer on `sink`, after the byte order mark when `--bom` asks for one.
    fn csv_writer<'w>(&self, sink: &'w mut Sink) -> Result<csv::Writer<&'w mut Sink>> {
        if self.bom {
            sink.write_all("\u{feff}".as_bytes())?;
        }
        Ok(csv::Writer::from_writer(sink))
    }

    /// An empty table in the house style, as wide as the terminal when writing to one;
    /// elsewhere as wide as `$COLUMNS` (100 when unset), or unbounded with `--wide`.
    fn table(&self) -> Table {
        let mut table = Table::new();
        table.load_preset(presets::UTF8_FULL_CONDENSED);
        if io::stdout().is_terminal() && self.path.is_none() {
            table.set_content_arrangement(ContentArrangement::Dynamic);
        } else if !self.wide {
            let width = std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse().ok())
                .unwrap_or(PIPED_WIDTH);
            table.set_content_arrangement(ContentArrangement::Dynamic);
            table.set_width(width);
        }
        table
    }

    /// One record as Markdown: a table of field and value, then a table under a heading for
    /// each nested list.
    fn write_record_markdown(&self, sink: &mut dyn Write, value: &Value) -> Result<()> {
        let Value::Object(map) = value else {
            anyhow::bail!("a record must be an object");
        };
        let rows = map
            .iter()
            .filter(|(_, v)| !is_nested(v))
            .map(|(k, v)| vec![label(k, self.lang).to_string(), self.table_cell(v)]);
        let header = [
            tr!(self.lang, "field", "字段"),
            tr!(self.lang, "value", "值"),
        ];
        write_markdown(sink, &header, rows)?;
        for (key, v) in map.iter().filter(|(_, v)| is_nested(v)) {
            let Value::Array(items) = v else { continue };
            let Some(Value::Object(first)) = items.first() else {
                continue;
            };
            let columns: Vec<&String> = first.keys().collect();
            writeln!(sink, "\n### {}\n", label(key, self.lang))?;
            let header = labels(&columns, self.lang);
            let rows = items.iter().map(|item| {
                columns
                    .iter()
                    .map(|c| self.table_cell(&item[c.as_str()]))
                    .collect()
            });
            write_markdown(sink, &header, rows)?;
        }
        Ok(())
    }

    /// One record as a two-column table of field and value (nested lists are left out).
    fn write_record_table(&self, sink: &mut impl Write, value: &Value) -> Result<()> {
        let Value::Object(map) = value else {
            anyhow::bail!("a record must be an object");
        };
        let mut table = self.table();
        for (key, v) in map.iter().filter(|(_, v)| !is_nested(v)) {
            table.add_row(vec![label(key, self.lang).to_string(), self.table_cell(v)]);
        }
        keep_first_column_whole(&mut table);
        writeln!(sink, "{table}")?;
        for (key, v) in map.iter().filter(|(_, v)| is_nested(v)) {
            let Value::Array(items) = v else { continue };
            writeln!(sink, "\n{}", label(key, self.lang))?;
            let columns: Vec<String> = match items.first() {
                Some(Value::Object(first)) => first.keys().cloned().collect(),
                _ => continue,
            };
            let mut table = self.table();
            table.set_header(labels(&columns, self.lang));
            for item in items {
                table.add_row(columns.iter().map(|c| self.table_cell(&item[c.as_str()])));
            }
            writeln!(sink, "{table}")?;
        }
        Ok(())
    }

    /// How a value reads in a table: local short times, yes/no, lists joined, control
    /// characters escaped.
    fn table_cell(&self, value: &Value) -> String {
        match value {
            Value::Null => String::new(),
            Value::Bool(true) => tr!(self.lang, "yes", "是"),
            Value::Bool(false) => tr!(self.lang, "no", "否"),
            Value::String(s) => match chrono::DateTime::parse_from_rfc3339(s) {
                Ok(t) => time::to_local_short(t.to_utc()),
                Err(_) => escape_controls(s).into_owned(),
            },
            Value::Array(items) => items
                .iter()
                .map(|v| self.table_cell(v))
                .collect::<Vec<_>>()
                .join(&tr!(self.lang, ", ", "、")),
            other => other.to_string(),
        }
    }
}

/// Rows written one at a time: CSV and JSON stream, a table is laid out at the end.
pub struct ListWriter<'o> {
    output: &'o Output,
    columns: Vec<String>,
    /// How many of the last columns are long text, shown as blocks ([`Compact::TEXT`]).
    paragraphs: usize,
    target: Target,
    rows: usize,
    /// The rows a table shows at most; the others are only counted.
    cap: Option<usize>,
}

/// The rows a table of a list shows at most. comfy-table lays out every row before it
/// prints one: a table of a million customers took 10 s and 2 GiB, and no one reads it;
/// CSV, JSON and Markdown give every row.
const TABLE_ROWS: usize = 1_000;

/// What a list is being written into, by format; a table waits for every row (to size its
/// columns), Markdown writes its header (`true` once written) and each row as it comes.
enum Target {
    Table(Sink, Vec<Vec<String>>),
    Markdown(Sink, bool),
    Csv(Box<CsvPipe>, CsvRow),
    Json(Sink),
    Xlsx(Sink, Box<(xlsx::Book, xlsx::Sheet)>),
}

impl<'o> ListWriter<'o> {
    /// Starts a list of `columns`: the CSV header or the opening bracket go out at once.
    fn new(output: &'o Output, columns: Vec<String>, sheet: &str) -> Result<Self> {
        let mut sink = output.markdown_sink()?;
        let target = match output.format {
            Format::Csv => {
                if output.bom {
                    sink.write_all("\u{feff}".as_bytes())?;
                }
                let mut csv = csv::Writer::from_writer(sink);
                csv.write_record(&columns)?;
                let pipe = CsvPipe::new(csv, columns.len());
                Target::Csv(Box::new(pipe), CsvRow::new(!output.reveal))
            }
            Format::Json => {
                sink.write_all(b"[")?;
                Target::Json(sink)
            }
            Format::Table => Target::Table(sink, Vec::new()),
            Format::Md | Format::Html => Target::Markdown(sink, false),
            Format::Xlsx => {
                let mut book = xlsx::Book::new(output.lang);
                let sheet = book.sheet(sheet, &columns)?;
                Target::Xlsx(sink, Box::new((book, sheet)))
            }
        };
        Ok(ListWriter {
            output,
            columns,
            paragraphs: 0,
            target,
            rows: 0,
            cap: None,
        })
    }

    /// Writes one row (or keeps it, for a table). A flat row goes to CSV straight from its
    /// fields ([`CsvRow`]), any other through its JSON value.
    pub fn push<T: Serialize>(&mut self, row: &T) -> Result<()> {
        if self.cap.is_some_and(|cap| self.rows >= cap) {
            self.rows += 1;
            return Ok(());
        }
        if let Target::Csv(pipe, cells) = &mut self.target {
            if cells.fill(row) {
                let (cells, finishes) = cells.ordered(&self.columns);
                pipe.push(cells, finishes)?;
                self.rows += 1;
                return Ok(());
            }
        }
        let value = self.output.prepare(row)?;
        let cells = self.columns.iter().map(|c| &value[c.as_str()]);
        match &mut self.target {
            Target::Json(sink) => {
                sink.write_all(if self.rows == 0 { b"\n" } else { b",\n" })?;
                serde_json::to_writer(sink, &value)?;
            }
            Target::Csv(pipe, _) => {
                let (mut cells, finishes): (Vec<String>, Vec<Finish>) =
                    cells.map(unfinished_csv_cell).unzip();
                pipe.push(&mut cells, &finishes)?
            }
            Target::Xlsx(_, book) => book.1.push(cells)?,
            Target::Table(_, rows) => rows.push(cells.map(|v| self.output.table_cell(v)).collect()),
            Target::Markdown(sink, header) => {
                if !*header {
                    write_markdown_header(sink, &labels(&self.columns, self.output.lang))?;
                    *header = true;
                }
                let cells: Vec<String> = cells.map(|v| self.output.table_cell(v)).collect();
                write_markdown_row(sink, cells.iter().map(String::as_str))?;
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Text before a table (or Markdown) list, in the same output; JSON and CSV take none.
    fn before(&mut self, text: &[u8]) -> Result<()> {
        if let Target::Table(sink, _) | Target::Markdown(sink, false) = &mut self.target {
            sink.write_all(text)?;
        }
        Ok(())
    }

    /// Ends the list.
    pub fn finish(self) -> Result<()> {
        let output = self.output;
        let shown = self.cap.filter(|&cap| self.rows > cap);
        let total = self.rows;
        self.end()?.finish()?;
        if let Some(shown) = shown {
            output.say(&tr!(
                output.lang,
                "showing the first {shown} of {total} rows; --format csv or json gives every row",
                "显示 {total} 行中的前 {shown} 行；--format csv 或 json 输出全部"
            ));
        }
        Ok(())
    }

    /// Writes what the list holds back (a table's rows, JSON's closing bracket) and gives
    /// its sink for more.
    fn end(self) -> Result<Sink> {
        Ok(match self.target {
            Target::Json(mut sink) => {
                sink.write_all(if self.rows == 0 { b"]\n" } else { b"\n]\n" })?;
                sink
            }
            Target::Csv(pipe, _) => pipe.finish()?,
            Target::Xlsx(mut sink, book) => {
                let (mut book, sheet) = *book;
                book.add(sheet)?;
                sink.write_all(&book.bytes()?)?;
                sink
            }
            Target::Table(mut sink, rows) if self.paragraphs > 0 => {
                self.output
                    .write_blocks(&mut sink, &self.columns, self.paragraphs, &rows)?;
                sink
            }
            Target::Table(mut sink, rows) => {
                let mut table = self.output.table();
                let header = labels(&self.columns, self.output.lang);
                table.add_rows(rows);
                for (column, name) in table.column_iter_mut().zip(&header).skip(1) {
                    let width = u16::try_from(name.width() + 2).unwrap_or(u16::MAX);
                    column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(width)));
                }
                table.set_header(header);
                keep_first_column_whole(&mut table);
                writeln!(sink, "{table}")?;
                sink
            }
            Target::Markdown(mut sink, header) => {
                if !header {
                    write_markdown_header(&mut sink, &labels(&self.columns, self.output.lang))?;
                }
                sink
            }
        })
    }
}

impl Output {
    /// Rows as blocks: the short columns on a line (the first bare, the others with their
    /// label; one more line, indented, when they do not fit), then the last `paragraphs` columns each as a paragraph wrapped to the table's
    /// width.
    fn write_blocks(
        &self,
        sink: &mut Sink,
        columns: &[String],
        paragraphs: usize,
        rows: &[Vec<String>],
    ) -> Result<()> {
        let lang = self.lang;
        let width = usize::from(self.table().width().unwrap_or(PIPED_WIDTH));
        let named = |column: &String, value: &str| {
            let name = label(column, lang);
            tr!(lang, "{name}: {value}", "{name}：{value}")
        };
        let heading_count = columns.len().saturating_sub(paragraphs);
        for (index, row) in rows.iter().enumerate() {
            if index > 0 {
                writeln!(sink)?;
            }
            let cells = columns.iter().zip(row);
            let mut heading: Vec<String> = Vec::new();
            for (i, (column, value)) in cells.clone().take(heading_count).enumerate() {
                match i {
                    0 => heading.push(value.clone()),
                    _ if !value.is_empty() => heading.push(named(column, value)),
                    _ => {}
                }
            }
            let mut line = String::new();
            for cell in heading {
                if line.is_empty() {
                    line = cell;
                } else if line.width() + 2 + cell.width() > width {
                    writeln!(sink, "{line}")?;
                    line = format!("  {cell}");
                } else {
                    line = format!("{line}  {cell}");
                }
            }
            writeln!(sink, "{line}")?;
            for (column, value) in cells.skip(heading_count) {
                if !value.is_empty() {
                    write!(sink, "{}", wrap(&named(column, value), width, "    "))?;
                }
            }
        }
        Ok(())
    }
}

/// Chinese punctuation that never starts a line: it stays with the character before it.
const CLOSING: &str = "，。、；：？！）》」』”’";

/// `text` in lines of at most `width` display columns, each starting with `indent`: broken
/// at spaces, or before any wide (Chinese) character but closing punctuation; a word longer
/// than a line stays whole.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    for paragraph in text.lines() {
        let mut line = String::from(indent);
        let mut words: Vec<String> = Vec::new();
        let mut word = String::new();
        let mut spaced = Vec::new();
        let mut space = false;
        for c in paragraph.chars() {
            if CLOSING.contains(c) && word.is_empty() {
                if let Some(last) = words.last_mut() {
                    last.push(c);
                    continue;
                }
            }
            if c == ' ' || (c.width().unwrap_or(0) > 1 && !CLOSING.contains(c)) {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                    spaced.push(space);
                    space = false;
                }
                if c == ' ' {
                    space = true;
                } else {
                    words.push(c.to_string());
                    spaced.push(space);
                    space = false;
                }
            } else {
                word.push(c);
            }
        }
        if !word.is_empty() {
            words.push(word);
            spaced.push(space);
        }
        let mut empty = true;
        for (word, space) in words.iter().zip(spaced) {
            let gap = if space && !empty { " " } else { "" };
            if !empty && line.width() + gap.len() + word.width() > width {
                out.push_str(&line);
                out.push('\n');
                line = format!("{indent}{word}");
            } else {
                line.push_str(gap);
                line.push_str(word);
            }
            empty = false;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A table that wraps keeps its first column (an id, a code, a company, a field's label)
/// on one line and wraps the others (a list's other columns no narrower than their header).
fn keep_first_column_whole(table: &mut Table) {
    if let Some(first) = table.column_mut(0) {
        first.set_constraint(ColumnConstraint::ContentWidth);
    }
}

/// A Markdown table as text, for documents ([`write_markdown`]).
pub fn markdown_table<H: AsRef<str>>(header: &[H], rows: Vec<Vec<String>>) -> String {
    let mut table = Vec::new();
    write_markdown(&mut table, header, rows.into_iter()).expect("writing to memory does not fail");
    String::from_utf8(table).expect("the cells are text")
}

/// A Markdown (GitHub) table; `|` in a cell is escaped and line breaks become spaces.
fn write_markdown<H: AsRef<str>>(
    sink: &mut dyn Write,
    header: &[H],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    write_markdown_header(sink, header)?;
    for row in rows {
        write_markdown_row(sink, row.iter().map(String::as_str))?;
    }
    Ok(())
}

/// The header line of a Markdown table and the line under it.
fn write_markdown_header<H: AsRef<str>>(sink: &mut dyn Write, header: &[H]) -> Result<()> {
    write_markdown_row(sink, header.iter().map(AsRef::as_ref))?;
    writeln!(sink, "|{}", "---|".repeat(header.len()))?;
    Ok(())
}

/// One line of a Markdown table: a `|` in a cell escaped, a line break made a space.
fn write_markdown_row<'c>(
    sink: &mut dyn Write,
    cells: impl Iterator<Item = &'c str>,
) -> Result<()> {
    sink.write_all(b"|")?;
    for cell in cells {
        let cell = cell.replace('|', "\\|").replace(['\n', '\r'], " ");
        write!(sink, " {cell} |")?;
    }
    writeln!(sink)?;
    Ok(())
}

/// The header labels of `columns` in `lang`.
fn labels<C: AsRef<str>>(columns: &[C], lang: Lang) -> Vec<&str> {
    columns.iter().map(|c| label(c.as_ref(), lang)).collect()
}

/// Where output goes: stdout, or the file of `-o` (written in place by [`Sink::finish`]).
pub enum Sink {
    Stdout(BufWriter<io::Stdout>),
    File(OutFile),
    /// Markdown kept until the end, then written to the sink as a printable page.
    Page(Box<Sink>, Vec<u8>, Lang),
}

impl Sink {
    /// Flushes stdout, or puts the file in place.
    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Stdout(mut out) => Ok(out.flush()?),
            Sink::File(file) => file.commit(),
            Sink::Page(mut sink, markdown, lang) => {
                let page = Page::of_markdown(&String::from_utf8_lossy(&markdown), lang);
                sink.write_all(escape_controls(&page.finish()).as_bytes())?;
                sink.finish()
            }
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(buf),
            Sink::File(file) => file.write(buf),
            Sink::Page(_, markdown, _) => markdown.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.write_all(buf),
            Sink::File(file) => file.write_all(buf),
            Sink::Page(_, markdown, _) => markdown.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::File(file) => file.flush(),
            Sink::Page(..) => Ok(()),
        }
    }
}

/// A row as a JSON value.
fn to_object<T: Serialize>(row: &T) -> Result<Value> {
    serde_json::to_value(row).context("cannot serialize a row")
}

/// Whether a value is a record or a list of records, which a flat table cannot show.
fn is_nested(value: &Value) -> bool {
    matches!(value, Value::Array(items) if items.iter().any(Value::is_object)) || value.is_object()
}

/// A value as one CSV cell: empty for null, lists joined with commas; text that a
/// spreadsheet would take for a formula is neutralised ([`neutralise_formula`]), a JSON
/// number is not text and stays as it is (`-2`).
fn csv_cell(value: &Value) -> String {
    let (mut cell, finish) = unfinished_csv_cell(value);
    finish.apply(&mut cell);
    cell
}

/// [`csv_cell`] with the neutralising left to do ([`Finish`]), for the writing thread.
fn unfinished_csv_cell(value: &Value) -> (String, Finish) {
    match value {
        Value::Number(n) => (n.to_string(), Finish::Keep),
        other => (plain_cell(other), Finish::Neutralise),
    }
}

/// A value as the text of one cell: empty for null, lists joined with commas, booleans as
/// `true`/`false`.
fn plain_cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(plain_cell).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// Whether a spreadsheet would read a cell starting with `c` as a formula (OWASP's list:
/// `=`, `+`, `-`, `@`, tab, carriage return).
fn starts_formula(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// A CSV cell a spreadsheet will not run (OWASP CSV injection): text beginning with `=`,
/// `+`, `-`, `@`, tab or carriage return, or with `'`s before one of them, gets one more
/// leading `'`. [`unneutralise_formula`] undoes it, so an export imports back unchanged.
pub fn neutralise_formula(cell: &str) -> Cow<'_, str> {
    match cell.trim_start_matches('\'').chars().next() {
        Some(c) if starts_formula(c) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// A CSV cell as it was before [`neutralise_formula`]: one leading `'` is dropped when
/// (after any more `'`s) a formula character follows; any other cell is kept as it is.
pub fn unneutralise_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(starts_formula) => rest,
        _ => cell,
    }
}

/// Text safe to show on a terminal: every control character (C0, DEL and C1: ESC, CSI,
/// OSC, BEL, NUL, a lone CR...) is written as `\xNN`, its code point in two hex digits
/// (ESC is `\x1b`). Line feeds, tabs and a CR just before a line feed stay as they are.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape_where(text, |_| false)
}

/// [`escape_controls`], and the bidirectional overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069) as `\u{202e}`, which could make an error line read other than it is.
pub fn escape_message(text: &str) -> Cow<'_, str> {
    escape_where(
        text,
        |c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'),
    )
}

/// `text` with its control characters, and the characters `also` picks, escaped.
fn escape_where(text: &str, also: impl Fn(char) -> bool) -> Cow<'_, str> {
    let kept = |(i, c): (usize, char)| {
        if also(c) {
            return false;
        }
        !c.is_control() || c == '\n' || c == '\t' || (c == '\r' && text[i + 1..].starts_with('\n'))
    };
    if text.char_indices().all(kept) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        if kept((i, c)) {
            escaped.push(c);
        } else if c.is_control() {
            escaped.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            escaped.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(escaped)
}

/// How one kind of personal data is masked ([`ids::mask_phone`]...).
type Masker = fn(&str) -> String;

/// How the personal data a field holds is masked, by the field's name.
fn personal_kind(field: &str) -> Option<Masker> {
    let is = |name: &str| {
        field
            .strip_suffix(name)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('_'))
    };
    if is("phone") {
        Some(ids::mask_phone)
    } else if is("email") {
        Some(ids::mask_email)
    } else if is("id_number") {
        Some(ids::mask_id_number)
    } else if is("reporter") {
        Some(ids::mask_identity)
    } else {
        None
    }
}

/// Masks personal data everywhere in a value, nested records included.
fn mask(value: &mut Value) {
    match value {
        Value::Object(map) => mask_object(map),
        Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

/// Masks the personal data of one record, and of the records nested in it.
fn mask_object(map: &mut Map<String, Value>) {
    for (key, value) in map.iter_mut() {
        match (personal_kind(key), value) {
            (Some(mask_fn), Value::String(s)) => *s = mask_fn(s),
            (_, nested) => mask(nested),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_personal_fields_at_any_depth() {
        let mut value = json!({
            "name": "张三", "phone": "13812341234", "new_contact_email": "li@example.com",
            "items": [{"id_number": "11010519491231002X", "title": "x"}],
            "reporter": "会员 赵女士"
        });
        mask(&mut value);
        assert_eq!(value["name"], "张三");
        assert_eq!(value["phone"], "138****1234");
        assert_ne!(value["new_contact_email"], "li@example.com");
        assert_eq!(value["items"][0]["id_number"], "110105********002X");
        assert_eq!(value["items"][0]["title"], "x");
        assert_eq!(value["reporter"], "***");
    }

    #[test]
    fn markdown_tables_escape_pipes_and_line_breaks() {
        let mut buffer = Vec::new();
        let rows = vec![vec!["x|y".to_string(), "1\n2".to_string()]];
        write_markdown(&mut buffer, &["a", "b"], rows.into_iter()).unwrap();
        assert_eq!(
            String::from_utf8(buffer).unwrap(),
            "| a | b |\n|---|---|\n| x\\|y | 1 2 |\n"
        );
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_between_chinese_characters() {
        assert_eq!(wrap("one two three", 11, "  "), "  one two\n  three\n");
        assert_eq!(
            wrap("问题：甲乙，丙丁", 10, "  "),
            "  问题：甲\n  乙，丙丁\n"
        );
        assert_eq!(wrap("a\nb", 10, ""), "a\nb\n");
        for line in wrap(&"核心岗位，".repeat(40), 30, "    ").lines() {
            assert!(line.width() <= 30, "{line}");
            assert!(!line.trim_start().starts_with('，'), "{line}");
        }
    }

    #[test]
    fn csv_cells() {
        assert_eq!(csv_cell(&Value::Null), "");
        assert_eq!(csv_cell(&json!(true)), "true");
        assert_eq!(csv_cell(&json!(["a", "b"])), "a,b");
        assert_eq!(csv_cell(&json!("a,\"b\"")), "a,\"b\"");
    }

    #[test]
    fn formula_cells_are_neutralised_and_come_back() {
        assert_eq!(csv_cell(&json!("=1+2")), "'=1+2");
        assert_eq!(csv_cell(&json!("-2")), "'-2");
        assert_eq!(csv_cell(&json!(-2)), "-2");
        assert_eq!(csv_cell(&json!(["@a", "b"])), "'@a,b");
        for cell in [
            "=1", "+86", "-", "@x", "\tx", "\rx", "'=1", "''+x", "'", "'a", "a=1", "",
        ] {
            let out = neutralise_formula(cell);
            assert!(!out.starts_with(starts_formula), "{out:?}");
            assert_eq!(unneutralise_formula(&out), cell);
        }
        assert_eq!(unneutralise_formula("'abc"), "'abc");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            escape_controls("A\u{1b}[2J\u{1b}]0;pwn\u{7}B"),
            "A\\x1b[2J\\x1b]0;pwn\\x07B"
        );
        assert_eq!(
            escape_controls("a\r\nb\tc\rd\0\u{9b}e"),
            "a\r\nb\tc\\x0dd\\x00\\x9be"
        );
        assert!(matches!(escape_controls("王磊\n"), Cow::Borrowed(_)));
        assert_eq!(escape_controls("a\u{202e}b"), "a\u{202e}b");
        assert_eq!(
            escape_message("x\u{202e}gpj.exe\u{2066}\u{1b}y\n"),
            "x\\u{202e}gpj.exe\\u{2066}\\x1by\n"
        );
    }
}
