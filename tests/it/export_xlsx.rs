//! `--format xlsx`: every list and show of the demo as a workbook, read back with calamine:
//! the header (field names, or the Chinese labels), a frozen header row with an autofilter,
//! and each cell the value CSV holds, typed (dates as dates, codes as text, numbers as
//! numbers), masked the same.

use std::io::Read;
use std::path::Path;

use baton::i18n::{label, Lang};
use baton::output::unneutralise_formula;
use calamine::{open_workbook, Data, Range, Reader, Xlsx};
use chrono::{DateTime, FixedOffset, NaiveDateTime};

use crate::tour::{demo, readers};
use crate::util::TestEnv;

/// A workbook as baton wrote it: each sheet's name, cells and XML, and its styles' XML.
struct Book {
    sheets: Vec<(String, Range<Data>, String)>,
    styles: String,
}

impl Book {
    /// Reads the workbook at `path`.
    fn open(path: &Path) -> Book {
        let mut workbook: Xlsx<_> = open_workbook(path).expect("an .xlsx file");
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let sheets = workbook
            .sheet_names()
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                let range = workbook.worksheet_range(&name).unwrap();
                let mut xml = String::new();
                zip.by_name(&format!("xl/worksheets/sheet{}.xml", i + 1))
                    .unwrap()
                    .read_to_string(&mut xml)
                    .unwrap();
                (name, range, xml)
            })
            .collect();
        let mut styles = String::new();
        zip.by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut styles)
            .unwrap();
        Book { sheets, styles }
    }

    /// The sheet named `name`.
    fn sheet(&self, name: &str) -> &Range<Data> {
        let found = self.sheets.iter().find(|(n, _, _)| n == name);
        &found.unwrap_or_else(|| panic!("no sheet {name}")).1
    }
}

/// `baton LINE -f xlsx -o FILE` in `env`, read back.
fn workbook(env: &TestEnv, line: &str) -> Book {
    let path = env.path("out.xlsx");
    env.ok(&format!("{line} -f xlsx -o {}", path.display()));
    Book::open(&path)
}

/// The cells of row `row` as text (strings only; anything else is shown by its type).
fn row_text(range: &Range<Data>, row: usize) -> Vec<String> {
    let width = range.width();
    (0..width)
        .map(|col| match range.get((row, col)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => format!("{other:?}"),
        })
        .collect()
}

/// Whether a workbook cell holds the value of the CSV cell `csv`: the same text, the same
/// number, or the same date (a date and time in the local time of the tests, +08:00).
fn same(cell: &Data, csv: &str) -> bool {
    let csv = unneutralise_formula(csv);
    let china = FixedOffset::east_opt(8 * 3600).unwrap();
    match cell {
        Data::Empty => csv.is_empty(),
        Data::String(s) => s == csv,
        Data::Float(x) => csv.parse::<f64>().is_ok_and(|n| n == *x),
        Data::DateTime(d) => {
            let Some(at) = d.as_datetime() else {
                return false;
            };
            match DateTime::parse_from_rfc3339(csv) {
                Ok(t) => t.with_timezone(&china).naive_local() == at,
                Err(_) => at.format("%Y-%m-%d").to_string() == csv && is_midnight(at),
            }
        }
        _ => false,
    }
}

fn is_midnight(at: NaiveDateTime) -> bool {
    at.time() == chrono::NaiveTime::MIN
}

/// Every list and show the tables are checked with, and the reports and calendars.
fn lines() -> Vec<String> {
    let mut lines = readers();
    lines.extend(
        [
            "employee list",
            "customer list",
            "customer list --at-risk -c 91320500MA1MXX0Q17",
            "complaint evidence list 1",
            "credit history company:91310115MA1H7HT80T",
            "report complaints",
            "report handovers --by month",
            "report credit --by kind",
            "calendar show 2026",
            "calendar years",
            "log --all",
        ]
        .map(String::from),
    );
    lines
}

#[test]
fn every_list_and_show_of_the_demo_is_a_workbook_holding_what_csv_holds() {
    let env = demo();
    for line in lines() {
        let book = workbook(&env, &line);
        for (name, range, xml) in &book.sheets {
            assert!(!range.is_empty(), "{line}: sheet {name} is empty");
            assert!(
                xml.contains(r#"state="frozen""#),
                "{line}: {name} not frozen"
            );
            assert!(
                xml.contains("<autoFilter"),
                "{line}: {name} has no autofilter"
            );
            assert!(xml.contains("<col "), "{line}: {name} has no column widths");
            let header = row_text(range, 0);
            assert!(header.iter().all(|h| !h.is_empty()), "{line}: {header:?}");
        }
        let csv = env.ok(&format!("{line} -f csv"));
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let csv_header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let (name, range, _) = &book.sheets[0];
        if row_text(range, 0) != csv_header {
            // A show: one record as a sheet of field and value.
            assert_eq!(row_text(range, 0), ["field", "value"], "{line}");
            continue;
        }
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(range.height(), records.len() + 1, "{line}: rows of {name}");
        for (i, record) in records.iter().enumerate() {
            for (col, csv_cell) in record.iter().enumerate() {
                let cell = range.get((i + 1, col)).unwrap_or(&Data::Empty);
                assert!(
                    same(cell, csv_cell),
                    "{line}: row {} column {}: {cell:?} in the workbook, {csv_cell:?} in CSV",
                    i + 1,
                    csv_header[col]
                );
            }
        }
    }
}

#[test]
fn headers_sheets_and_values_are_in_chinese_with_lang_zh() {
    let env = demo();
    let book = workbook(&env, "--lang zh customer list -c 91320500MA1MXX0Q17");
    let customers = book.sheet("客户");
    let fields = ["id", "name", "tier", "owner", "phone", "since", "status"];
    let header = row_text(customers, 0);
    for field in fields {
        assert!(
            header.contains(&label(field, Lang::Zh).to_string()),
            "{field}: {header:?}"
        );
    }
    let tier = header.iter().position(|h| h == label("tier", Lang::Zh));
    let tiers: Vec<String> = (1..customers.height())
        .map(|row| row_text(customers, row)[tier.unwrap()].clone())
        .collect();
    assert!(
        tiers
            .iter()
            .all(|t| ["核心", "重要", "一般"].contains(&t.as_str())),
        "{tiers:?}"
    );
    let book = workbook(&env, "--lang zh customer show C001 -c 91330206MA2GW8TX5H");
    assert_eq!(row_text(book.sheet("详情"), 0), ["字段", "值"]);
    assert!(book.sheets.len() > 1, "a nested list is a sheet of its own");
    let book = workbook(&env, "customer list -c 91320500MA1MXX0Q17");
    assert_eq!(book.sheets[0].0, "customers");
}

#[test]
fn codes_are_text_dates_are_dates_and_personal_data_is_masked() {
    let env = TestEnv::new().with_registry();
    env.ok(
        "customer add --id 0123 --name =HYPERLINK(1) --tier key --owner E001 \
         --phone 13812345678 --since 2025-11-30",
    );
    let cell = |book: &Book, field: &str| -> Data {
        let sheet = book.sheet("customers");
        let col = row_text(sheet, 0).iter().position(|h| h == field).unwrap();
        let row = (1..sheet.height())
            .find(|&r| sheet.get((r, 0)) == Some(&Data::String("0123".into())))
            .expect("the row of customer 0123");
        sheet.get((row, col)).cloned().unwrap_or(Data::Empty)
    };
    let book = workbook(&env, "customer list");
    assert!(book.styles.contains("<b/>"), "a bold header");
    assert_eq!(cell(&book, "phone"), Data::String("138****5678".into()));
    assert_eq!(cell(&book, "name"), Data::String("=HYPERLINK(1)".into()));
    let Data::DateTime(since) = cell(&book, "since") else {
        panic!("since is not a date: {:?}", cell(&book, "since"));
    };
    assert_eq!(
        since.as_datetime().unwrap().to_string(),
        "2025-11-30 00:00:00"
    );
    let book = workbook(&env, "customer list --reveal");
    assert_eq!(cell(&book, "phone"), Data::String("13812345678".into()));

    let employees = workbook(&env, "employee list");
    let sheet = employees.sheet("employees");
    let core = row_text(sheet, 0).iter().position(|h| h == "core").unwrap();
    assert_eq!(sheet.get((1, core)), Some(&Data::String("true".into())));

    let log = workbook(&env, "log");
    let sheet = log.sheet("log");
    let at = row_text(sheet, 0).iter().position(|h| h == "at").unwrap();
    let Some(Data::DateTime(at)) = sheet.get((1, at)) else {
        panic!("at is not a date and time: {:?}", sheet.get((1, at)));
    };
    assert_eq!(
        at.as_datetime().unwrap().to_string(),
        "2026-03-02 10:00:00",
        "local time, as the tables show it"
    );
    assert!(
        matches!(sheet.get((1, 0)), Some(Data::Float(_))),
        "an id number"
    );
}

#[test]
fn a_text_is_no_workbook_and_stdout_gets_the_bytes_when_piped() {
    let env = TestEnv::new().with_registry();
    env.open_handover(Some("E002"));
    env.ok("notify plan 1");
    let path = env.path("letter.xlsx");
    let err = env.fails(&format!("notify render 1 -f xlsx -o {}", path.display()), 2);
    assert!(err.contains("--format xlsx"), "{err}");
    assert!(!path.exists());
    let out = env.run("customer list -f xlsx").output();
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"PK\x03\x04"), "a zip file");
}

#[test]
fn a_workbook_to_a_terminal_is_refused_before_the_command_runs() {
    let env = TestEnv::new().with_registry();
    // util-linux's `script` gives baton a terminal; where it is missing there is none.
    if !env
        .shell("command -v script")
        .output()
        .unwrap()
        .status
        .success()
    {
        eprintln!("skipped: no `script` to run baton on a terminal");
        return;
    }
    let out = env
        .shell(
            r#"script -qec "$BATON customer add --id C9 --name 新客户 --tier key --owner E001 \
               -f xlsx" /dev/null"#,
        )
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(shown.contains("-o NAME.xlsx"), "{shown}");
    let added: i64 = env.sql("SELECT count(*) FROM customers WHERE code = 'C9'");
    assert_eq!(added, 0, "nothing changed");
}

#[test]
fn the_registry_goes_out_to_workbooks_and_into_an_empty_database_unchanged() {
    let from = demo();
    for lang in ["en", "zh"] {
        let to = TestEnv::new();
        for (noun, entity) in [
            ("company", "companies"),
            ("employee", "employees"),
            ("customer", "customers"),
        ] {
            let path = from.path(&format!("{entity}-{lang}.xlsx"));
            let list = format!("{noun} list --reveal --lang {lang}");
            from.ok(&format!("{list} -f xlsx -o {}", path.display()));
            to.ok(&format!("import {entity} {}", path.display()));
            let (before, after) = (workbook(&from, &list), workbook(&to, &list));
            let (before, after) = (&before.sheets[0].1, &after.sheets[0].1);
            assert!(before.height() > 1, "{list}: no rows");
            assert_eq!(before.get_size(), after.get_size(), "{list}");
            // The rows come by company id, which differs: compare them in one order.
            let sorted = |range: &Range<Data>| {
                let mut rows: Vec<String> = range.rows().map(|r| format!("{r:?}")).collect();
                rows.sort();
                rows
            };
            assert_eq!(sorted(before), sorted(after), "{list}");
        }
    }
}

#[test]
fn a_masked_export_is_refused_on_import_with_how_to_export_it_whole() {
    let from = TestEnv::new().with_registry();
    let to = TestEnv::new().with_registry();
    let path = from.path("masked.xlsx");
    from.ok(&format!("customer list -f xlsx -o {}", path.display()));
    to.exec("DELETE FROM customers");
    let err = to.fails(&format!("import customers {}", path.display()), 4);
    assert!(
        err.contains("139****5678") && err.contains("export it again with --reveal"),
        "{err}"
    );
    assert_eq!(to.sql::<i64>("SELECT count(*) FROM customers"), 0);
}
