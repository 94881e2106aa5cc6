//! Importing workbooks: .xlsx files built here with `rust_xlsxwriter` (typed dates, codes
//! stored as numbers or text, Chinese headers, several sheets, error cells), and an .xls and
//! an .ods file committed under `tests/it/import/`.
//!
//! `customers.xls` and `customers.ods` hold one sheet 客户 with the header
//! 编号,名称,客户等级,负责人,电话,合作起始 and two rows: C1 华丰食品 core E001, the phone
//! 13800138000 as a number and 2025-06-01 as a date cell; C2 康源乳业 key E002, the phone
//! "13900139000" and "2025-07-01" as text. They were made with Python
//! (`pip install xlwt odfpy`):
//!
//! ```python
//! import datetime, xlwt
//! from odf.opendocument import OpenDocumentSpreadsheet
//! from odf.table import Table, TableRow, TableCell
//! from odf.text import P
//! header = ["编号", "名称", "客户等级", "负责人", "电话", "合作起始"]
//! rows = [["C1", "华丰食品", "core", "E001", 13800138000, datetime.date(2025, 6, 1)],
//!         ["C2", "康源乳业", "key", "E002", "13900139000", "2025-07-01"]]
//! book = xlwt.Workbook(encoding="utf-8")
//! sheet = book.add_sheet("客户")
//! dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
//! for c, h in enumerate(header):
//!     sheet.write(0, c, h)
//! for r, row in enumerate(rows, 1):
//!     for c, v in enumerate(row):
//!         sheet.write(r, c, v, dates) if isinstance(v, datetime.date) else sheet.write(r, c, v)
//! book.save("customers.xls")
//! doc = OpenDocumentSpreadsheet()
//! table = Table(name="客户")
//! for row in [header] + rows:
//!     tr = TableRow()
//!     for v in row:
//!         if isinstance(v, datetime.date):
//!             cell = TableCell(valuetype="date", datevalue=v.isoformat())
//!         elif isinstance(v, (int, float)):
//!             cell = TableCell(valuetype="float", value=v)
//!         else:
//!             cell = TableCell(valuetype="string")
//!         cell.addElement(P(text=str(v)))
//!         tr.addElement(cell)
//!     table.addElement(tr)
//! doc.spreadsheet.addElement(table)
//! doc.save("customers.ods")
//! ```

use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook, Worksheet};

use crate::util::{TestEnv, USCC_A, USCC_B};

/// A cell of a test sheet.
enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    Date(u16, u8, u8),
    /// A date and a time of day (hours, minutes).
    Time(u16, u8, u8, u16, u8),
    Bool(bool),
    /// A formula whose cached result is an error (`#N/A`).
    Error(&'a str),
    /// No value, but a format: the sheet's used range reaches it.
    Blank,
}

use Cell::{Blank, Bool, Date, Number, Text, Time};

/// Writes `rows` into `sheet` from A1.
fn fill(sheet: &mut Worksheet, rows: &[&[Cell<'_>]]) {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let bold = Format::new().set_bold();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Text(s) => sheet.write_string(r, c, *s).map(drop),
                Number(n) => sheet.write_number(r, c, *n).map(drop),
                Date(y, m, d) => {
                    let value = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    sheet
                        .write_datetime_with_format(r, c, value, &date)
                        .map(drop)
                }
                Time(y, m, d, h, min) => {
                    let value = ExcelDateTime::from_ymd(*y, *m, *d)
                        .unwrap()
                        .and_hms(*h, *min, 0)
                        .unwrap();
                    sheet
                        .write_datetime_with_format(r, c, value, &time)
                        .map(drop)
                }
                Bool(b) => sheet.write_boolean(r, c, *b).map(drop),
                Cell::Error(e) => sheet
                    .write_formula(r, c, Formula::new("=NA()").set_result(*e))
                    .map(drop),
                Blank => sheet.write_blank(r, c, &bold).map(drop),
            }
            .unwrap();
        }
    }
}

/// An .xlsx file of `sheets` (name, rows) in the test's folder; its path.
fn xlsx(env: &TestEnv, name: &str, sheets: &[(&str, &[&[Cell<'_>]])]) -> String {
    let mut book = Workbook::new();
    for (sheet_name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*sheet_name).unwrap();
        fill(sheet, rows);
    }
    env.file(name, book.save_to_buffer().unwrap())
}

/// A database with one company and E001 (王, a core engineer) and E002 (李, sales),
/// imported from a workbook whose `core` column holds Boolean cells.
fn staffed() -> TestEnv {
    let env = TestEnv::new();
    env.ok(&format!("company add --code {USCC_A} --name 甲"));
    let file = xlsx(
        &env,
        "员工.xlsx",
        &[(
            "Sheet1",
            &[
                &[Text("编号"), Text("名称"), Text("岗位"), Text("核心")],
                &[Text("E001"), Text("王"), Text("rnd"), Bool(true)],
                &[Text("E002"), Text("李"), Text("sales"), Bool(false)],
            ],
        )],
    );
    let summary = env.json(&format!("import employees {file}"));
    assert_eq!(summary["inserted"], 2, "{summary}");
    let core: String = env.sql("SELECT group_concat(code || ':' || core, ' ') FROM employees");
    assert_eq!(core, "E001:1 E002:0");
    env
}

/// `code,phone,since` of every customer, in order.
fn customers(env: &TestEnv) -> String {
    env.sql(
        "SELECT ifnull(group_concat(code || ',' || ifnull(phone, '') || ',' || ifnull(since, ''),
                ' '), '') FROM (SELECT * FROM customers ORDER BY code)",
    )
}

/// Everything an import could change, to compare before and after.
fn snapshot(env: &TestEnv) -> String {
    let events: i64 = env.sql("SELECT count(*) FROM events");
    format!("{events}|{}", customers(env))
}

const HEADER: &[Cell<'static>] = &[
    Text("编号"),
    Text("名称"),
    Text("客户等级"),
    Text("负责人"),
    Text("电话"),
    Text("合作起始"),
];

#[test]
fn a_sheet_with_chinese_headers_typed_dates_and_phone_numbers_imports() {
    let env = staffed();
    let file = xlsx(
        &env,
        "客户名单.xlsx",
        &[(
            "Sheet1",
            &[
                HEADER,
                &[
                    Text("C1"),
                    Text("华丰食品"),
                    Text("core"),
                    Text("E001"),
                    Number(13800138000.0),
                    Date(2025, 6, 1),
                ],
                &[
                    Text("C2"),
                    Text("康源乳业"),
                    Text("key"),
                    Text("E002"),
                    Text("13900139000"),
                    Text("2025-07-01"),
                ],
                // Formatted but empty cells below and to the right are no rows, no columns.
                &[Blank, Blank, Blank, Blank, Blank, Blank, Blank, Blank],
                &[],
                &[Blank],
            ],
        )],
    );
    let summary = env.json(&format!("import customers {file}"));
    assert_eq!(
        (&summary["rows"], &summary["inserted"]),
        (&2.into(), &2.into()),
        "{summary}"
    );
    assert_eq!(
        customers(&env),
        "C1,13800138000,2025-06-01 C2,13900139000,2025-07-01"
    );
    let detail: String = env.sql("SELECT detail FROM events WHERE action = 'customer.import'");
    let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["file"], file);
    let bytes = std::fs::read(&file).unwrap();
    let sha256: String = {
        use sha2::Digest as _;
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    assert_eq!(detail["sha256"], sha256, "the file's bytes are hashed");
    env.ok("log --verify");
}

#[test]
fn codes_stored_as_text_route_rows_and_a_date_with_a_time_is_an_instant() {
    let env = TestEnv::new();
    let companies = xlsx(
        &env,
        "companies.xlsx",
        &[(
            "公司",
            &[
                &[Text("代码"), Text("名称"), Text("创建时间")],
                &[Text(USCC_A), Text("甲"), Time(2026, 1, 5, 9, 30)],
                &[Text(USCC_B), Text("乙"), Date(2026, 1, 6)],
            ],
        )],
    );
    let summary = env.json(&format!("import companies {companies}"));
    assert_eq!(summary["inserted"], 2, "{summary}");
    let stored: String = env.sql(
        "SELECT group_concat(code || ' ' || created_at, ', ') FROM (SELECT * FROM companies ORDER BY id)",
    );
    assert!(
        stored.starts_with(&format!("{USCC_A} 2026-01-05T01:30:00")),
        "09:30 in Shanghai: {stored}"
    );
    assert!(
        stored.contains(&format!("{USCC_B} 2026-01-05T16:00:00")),
        "{stored}"
    );
    let employees = xlsx(
        &env,
        "employees.xlsx",
        &[(
            "Sheet1",
            &[
                &[Text("company"), Text("id"), Text("name"), Text("role")],
                &[Text(USCC_A), Text("E001"), Text("王"), Text("sales")],
                &[Text("乙"), Text("E001"), Text("赵"), Text("sales")],
            ],
        )],
    );
    assert_eq!(
        env.json(&format!("import employees {employees}"))["inserted"],
        2
    );
    let file = xlsx(
        &env,
        "customers.xlsx",
        &[(
            "Sheet1",
            &[
                &[
                    Text("id"),
                    Text("name"),
                    Text("tier"),
                    Text("owner"),
                    Text("company"),
                ],
                &[
                    Text("C1"),
                    Text("甲一"),
                    Text("core"),
                    Text("E001"),
                    Text(USCC_A),
                ],
                &[
                    Text("C1"),
                    Text("乙一"),
                    Text("key"),
                    Text("E001"),
                    Text("乙"),
                ],
                &[
                    Text("C2"),
                    Text("丙"),
                    Text("key"),
                    Text("E001"),
                    Text("丙公司"),
                ],
            ],
        )],
    );
    let err = env.fails(&format!("import customers {file}"), 4);
    assert!(err.contains(&format!("{file}:Sheet1!E4: ")), "{err}");
    let summary = env
        .run(&format!(
            "import customers {file} --on-error skip --format json"
        ))
        .output();
    assert_eq!(summary.status.code(), Some(5));
    let routed: String = env.sql(
        "SELECT group_concat(co.name || ':' || c.code, ' ') FROM
         (SELECT * FROM customers ORDER BY company_id) c JOIN companies co ON co.id = c.company_id",
    );
    assert_eq!(routed, "甲:C1 乙:C1");
}

#[test]
fn the_second_sheet_is_read_with_sheet_and_an_unknown_sheet_lists_them() {
    let env = staffed();
    let file = xlsx(
        &env,
        "book.xlsx",
        &[
            ("说明", &[&[Text("本工作簿的第二个工作表是客户名单")]]),
            (
                "客户",
                &[
                    HEADER,
                    &[Text("C7"), Text("美味园"), Text("key"), Text("E002")],
                ],
            ),
        ],
    );
    let err = env.fails(&format!("import customers {file}"), 4);
    assert!(
        err.contains("unknown column"),
        "the first sheet is read: {err}"
    );
    let summary = env.json(&format!("import customers {file} --sheet 客户"));
    assert_eq!(summary["inserted"], 1, "{summary}");
    let before = snapshot(&env);
    let err = env.fails(&format!("import customers {file} --sheet Sheet9"), 4);
    assert!(
        err.contains(&format!(
            "{file} has no sheet \"Sheet9\"; its sheets are: 说明, 客户"
        )),
        "{err}"
    );
    let err = env.fails(
        &format!("--lang zh import customers {file} --sheet Sheet9"),
        4,
    );
    assert!(err.contains("其中的工作表：说明、客户"), "{err}");
    assert_eq!(snapshot(&env), before);
}

#[test]
fn a_bad_cell_an_error_cell_and_a_stray_value_name_their_place() {
    let env = staffed();
    let long = "x".repeat(201);
    let file = xlsx(
        &env,
        "bad.xlsx",
        &[(
            "Sheet1",
            &[
                HEADER,
                &[Text("C1"), Text("华丰"), Text("core"), Text("E001")],
                &[Text("C2"), Text("康源"), Text("gold"), Text("E001")],
                &[
                    Text("C3"),
                    Text("美味园"),
                    Text("key"),
                    Text("E002"),
                    Cell::Error("#N/A"),
                ],
                &[
                    Text("C4"),
                    Text("邻里"),
                    Text("key"),
                    Text("E002"),
                    Blank,
                    Blank,
                    Blank,
                    Text("备注"),
                ],
                &[Text("C1"), Text("又一个"), Text("key"), Text("E002")],
                &[Text("C6"), Text(&long), Text("key"), Text("E002")],
            ],
        )],
    );
    let before = snapshot(&env);
    let err = env.fails(&format!("import customers {file}"), 4);
    assert_eq!(snapshot(&env), before, "abort: nothing written");
    for expected in [
        format!("{file}:Sheet1!C3: column \"tier\": value \"gold\": "),
        format!(
            "{file}:Sheet1!E4: column \"phone\": value \"#N/A\": the cell holds the error #N/A"
        ),
        format!("{file}:Sheet1!5: cell H5 holds a value, but its column has no header"),
        format!(
            "{file}:Sheet1!A6: column \"id\": value \"C1\": the same key is on row 2 of this sheet"
        ),
        format!("{file}:Sheet1!B7: column \"name\": "),
    ] {
        assert!(err.contains(&expected), "{expected}\nnot in:\n{err}");
    }
    let rejects = env.path("rejects.csv");
    let out = env
        .run(&format!(
            "import customers {file} --on-error skip --rejects {} --format json",
            rejects.display()
        ))
        .output();
    assert_eq!(out.status.code(), Some(5));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&summary["inserted"], &summary["rejected"]),
        (&1.into(), &5.into())
    );
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    let mut lines = rejected.lines();
    assert_eq!(
        lines.next(),
        Some("\u{feff}编号,名称,客户等级,负责人,电话,合作起始,error")
    );
    assert!(
        lines.next().unwrap().starts_with("C2,康源,gold,E001,,,"),
        "{rejected}"
    );
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("C3,美味园,key,E002,#N/A,,"),
        "{rejected}"
    );
}

#[test]
fn a_dry_run_changes_nothing() {
    let env = staffed();
    let file = xlsx(
        &env,
        "c.xlsx",
        &[(
            "Sheet1",
            &[
                HEADER,
                &[Text("C1"), Text("华丰"), Text("core"), Text("E001")],
            ],
        )],
    );
    let before = snapshot(&env);
    let summary = env.json(&format!("import customers {file} --dry-run"));
    assert_eq!(
        (&summary["inserted"], &summary["dry_run"]),
        (&1.into(), &true.into())
    );
    assert_eq!(snapshot(&env), before);
}

#[test]
fn a_file_that_is_not_a_workbook_is_refused_and_changes_nothing() {
    let env = staffed();
    let before = snapshot(&env);
    let renamed = env.file("renamed.xlsx", "id,name,tier,owner\nC1,华丰,core,E001\n");
    let err = env.fails(&format!("import customers {renamed}"), 4);
    assert!(
        err.contains(&format!(
            "{renamed} is not a readable Excel (.xlsx) workbook"
        )),
        "{err}"
    );
    assert!(err.contains("save the sheet as CSV"), "{err}");
    let good = xlsx(
        &env,
        "good.xlsx",
        &[(
            "Sheet1",
            &[
                HEADER,
                &[Text("C1"), Text("华丰"), Text("core"), Text("E001")],
            ],
        )],
    );
    let bytes = std::fs::read(&good).unwrap();
    let truncated = env.file("truncated.xlsx", &bytes[..bytes.len() / 2]);
    let err = env.fails(&format!("import customers {truncated}"), 4);
    assert!(
        err.contains("is not a readable Excel (.xlsx) workbook"),
        "{err}"
    );
    let xls = env.file("fake.xls", &bytes);
    let err = env.fails(&format!("import customers {xls}"), 4);
    assert!(
        err.contains("is not a readable Excel 97-2003 (.xls) workbook"),
        "{err}"
    );
    let empty = xlsx(&env, "empty.xlsx", &[("Sheet1", &[])]);
    let err = env.fails(&format!("import customers {empty}"), 4);
    assert!(
        err.contains(&format!("{empty}:Sheet1 is empty: no header row")),
        "{err}"
    );
    assert_eq!(snapshot(&env), before);
}

#[test]
fn standard_input_and_sheet_stay_with_their_formats() {
    let env = staffed();
    let err = env
        .run("import customers - --input-format xlsx")
        .stdin("id,name\n")
        .fails(2);
    assert!(
        err.contains("standard input is read as CSV, JSON or JSON Lines only"),
        "{err}"
    );
    let csv = env.file("c.csv", "id,name,tier,owner\nC1,华丰,core,E001\n");
    let err = env.fails(&format!("import customers {csv} --sheet Sheet1"), 2);
    assert!(err.contains("--sheet is for a workbook"), "{err}");
}

#[test]
fn xls_and_ods_files_import() {
    for name in ["customers.xls", "customers.ods"] {
        let env = staffed();
        let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/import/");
        let file = env.file(name, std::fs::read(format!("{fixture}{name}")).unwrap());
        let summary = env.json(&format!("import customers {file}"));
        assert_eq!(summary["inserted"], 2, "{name}: {summary}");
        assert_eq!(
            customers(&env),
            "C1,13800138000,2025-06-01 C2,13900139000,2025-07-01",
            "{name}"
        );
    }
}
