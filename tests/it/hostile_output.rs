//! Hostile text in output (#20.1, #20.2): control characters never reach a terminal raw,
//! and no CSV cell baton writes starts a spreadsheet formula, yet exports import back.

use crate::util::{TestEnv, USCC_A};

/// A name that clears the screen, sets the window title and rings the bell.
const HOSTILE: &str = "A\u{1b}[2J\u{1b}]0;pwn\u{7}B\u{9b}1m\rC";

/// Whether `text` holds a control character a terminal acts on (line feeds and tabs aside).
fn has_raw_controls(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// A company and one employee with the hostile name, its stderr kept.
fn hostile_env() -> (TestEnv, String) {
    let env = TestEnv::new();
    env.ok(&format!("company add --code {USCC_A} --name 示例"));
    let out = env
        .run("employee add --id E001 --role sales --core --name")
        .arg(HOSTILE)
        .output();
    assert!(out.status.success());
    (env, String::from_utf8(out.stderr).unwrap())
}

#[test]
fn control_characters_are_escaped_in_messages_tables_and_text() {
    let (env, added) = hostile_env();
    assert!(!has_raw_controls(&added), "{added:?}");
    assert!(
        added.contains(r"A\x1b[2J\x1b]0;pwn\x07B\x9b1m\x0dC"),
        "{added:?}"
    );
    for line in [
        "employee list",
        "employee list --format md",
        "employee show E001",
    ] {
        let out = env.ok(line);
        assert!(!has_raw_controls(&out), "{line}: {out:?}");
        assert!(out.contains(r"\x1b[2J"), "{line}: {out}");
    }
    // Free text: a handover statement names the employee.
    env.ok("handover open --employee E001 --leaving-on 2026-03-20");
    let statement = env.ok("handover show 1");
    assert!(!has_raw_controls(&statement), "{statement:?}");
    assert!(statement.contains(r"\x1b]0;pwn\x07"), "{statement}");
    // The data itself is kept: JSON escapes it its own way.
    assert_eq!(env.json("employee show E001")["name"], HOSTILE);
}

#[test]
fn a_nul_in_an_imported_cell_is_refused() {
    let env = TestEnv::new();
    env.ok(&format!("company add --code {USCC_A} --name 示例"));
    let file = env.file("e.csv", "id,name,role\nE001,\"a\0b\",sales\n");
    let err = env.fails(&format!("import employees {file}"), 4);
    assert!(
        err.contains("e.csv:2: value \"a\\0b\" holds a NUL character"),
        "{err}"
    );
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM employees"), 0);
}

/// Names a spreadsheet would run, or that look like a neutralised one.
const FORMULAS: &[&str] = &[
    "=1+2", "+86 138", "-2", "@SUM(A1)", "\tx", "\rx", "'=kept", "'plain",
];

/// Whether a CSV cell starts a formula.
fn live(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// The cells of column `name` in a CSV text (after any byte order mark).
fn column(csv_text: &str, name: &str) -> Vec<String> {
    let text = csv_text.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let at = reader.headers().unwrap().iter().position(|h| h == name);
    let at = at.unwrap_or_else(|| panic!("no column {name} in {text}"));
    reader
        .records()
        .map(|r| r.unwrap()[at].to_string())
        .collect()
}

/// A company with one employee per formula name, E001 to E008.
fn formula_env() -> TestEnv {
    let env = TestEnv::new();
    env.ok(&format!("company add --code {USCC_A} --name 示例"));
    for (i, name) in FORMULAS.iter().enumerate() {
        let id = format!("E{:03}", i + 1);
        env.run(&format!("employee add --id {id} --role sales"))
            .arg(format!("--name={name}"))
            .ok();
    }
    env
}

#[test]
fn csv_exports_neutralise_formulas_and_import_back_unchanged() {
    let env = formula_env();
    let names: Vec<String> = (1..=FORMULAS.len())
        .map(|i| {
            env.json(&format!("employee show E{i:03}"))["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    // Names are stored trimmed; the export must bring back what is stored.
    for bom in ["", " --bom"] {
        let csv = env.ok(&format!("employee list --format csv{bom}"));
        let cells = column(&csv, "name");
        assert_eq!(cells.len(), FORMULAS.len());
        assert!(!cells.iter().any(|c| live(c)), "{cells:?}");
        assert_eq!(cells[0], "'=1+2");
        assert_eq!(cells[6], "''=kept");
        assert_eq!(cells[7], "'plain");
    }
    let record = env.ok("employee show E001 --format csv");
    assert_eq!(column(&record, "name"), ["'=1+2"]);

    let exported = env.ok("employee list --format csv --bom");
    let other = TestEnv::new();
    other.ok(&format!("company add --code {USCC_A} --name 示例"));
    let file = other.file("employees.csv", &exported);
    other.ok(&format!("import employees {file}"));
    let back: Vec<String> = other
        .json("employee list")
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(back, names);
}

#[test]
fn rejects_files_neutralise_formulas_and_import_back() {
    let env = TestEnv::new();
    env.ok(&format!("company add --code {USCC_A} --name 示例"));
    let file = env.file(
        "e.csv",
        "id,name,role\nE001,=HYPERLINK(\"x\"),bogus\nE002,'@kept,bogus\nE003,ok,sales\n",
    );
    let rejects = env.path("rejects.csv");
    env.fails(
        &format!(
            "import employees {file} --on-error skip --rejects {}",
            rejects.display()
        ),
        5,
    );
    let written = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(column(&written, "name"), ["'=HYPERLINK(\"x\")", "'@kept"]);
    assert!(!column(&written, "error").iter().any(|c| live(c)));
    // Fixed (the role corrected, the error column dropped), the rejects import with the
    // names the file meant.
    let mut reader = csv::Reader::from_reader(written.trim_start_matches('\u{feff}').as_bytes());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["id", "name", "role"]).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        writer
            .write_record([&record[0], &record[1], "sales"])
            .unwrap();
    }
    let fixed = env.file("fixed.csv", writer.into_inner().unwrap());
    env.ok(&format!("import employees {fixed}"));
    assert_eq!(env.json("employee show E001")["name"], "=HYPERLINK(\"x\")");
    assert_eq!(env.json("employee show E002")["name"], "@kept");
}
