//! Importing CSV, JSON and JSON Lines: the registry's entities (customers above all, as the
//! largest), the reader's rules and errors, skip mode and its rejects, and the bulk load.
//! The records the commands make (handovers, complaints, credit) are in `records`.

mod records;
mod routed;

use crate::util::{mode_of, TestEnv, USCC_A, USCC_B};
use baton::i18n::{label, Lang};

const HEADER: &str = "id,name,tier,owner,backup,contact,phone,email,since,status";

/// Everything an import could change, to compare before and after.
fn snapshot(env: &TestEnv) -> String {
    env.sql(
        "SELECT (SELECT count(*) FROM events) || '|' ||
                (SELECT ifnull(group_concat(code || ',' || name || ',' || tier || ',' || owner_id
                        || ',' || ifnull(backup_id, '') || ',' || ifnull(phone, '') || ','
                        || ifnull(since, '') || ',' || status, ';'), '') FROM customers) || '|' ||
                (SELECT ifnull(group_concat(code || ',' || name || ',' || role, ';'), '')
                 FROM employees) || '|' ||
                (SELECT ifnull(group_concat(code || ',' || name, ';'), '') FROM companies)",
    )
}

/// A file as Excel users write it: a BOM, the zh labels of `columns` (comma-separated field
/// names) as the header, then `rows`.
fn zh_file(env: &TestEnv, name: &str, columns: &str, rows: &str) -> String {
    let header: Vec<&str> = columns.split(',').map(|f| label(f, Lang::Zh)).collect();
    env.file(name, format!("\u{feff}{}\n{rows}", header.join(",")))
}

/// `baton import ENTITY FILE --on-error skip --rejects REJECTS`: the JSON summary, after
/// checking the exit code: 0 when every row was imported, 5 when some were rejected.
fn import_skipping(
    env: &TestEnv,
    entity: &str,
    file: &str,
    rejects: &std::path::Path,
) -> serde_json::Value {
    let rejects = rejects.display();
    let out = env
        .run(&format!(
            "import {entity} {file} --on-error skip --rejects {rejects} --format json"
        ))
        .output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}); stderr: {stderr}"));
    let expected = if summary["rejected"] == 0 { 0 } else { 5 };
    assert_eq!(out.status.code(), Some(expected), "{summary}\n{stderr}");
    summary
}

/// A database with one company and no customers; `employees` among E001 (王, rnd) and
/// E002 (李, sales).
fn staffed(employees: &[&str]) -> TestEnv {
    let env = TestEnv::new();
    env.ok(&format!("company add --code {USCC_A} --name 甲"));
    for code in employees {
        let (name, role) = if *code == "E001" {
            ("王", "rnd")
        } else {
            ("李", "sales")
        };
        env.ok(&format!(
            "employee add --id {code} --name {name} --role {role}"
        ));
    }
    env
}

/// Imports a bad file in abort mode: exit 4, the database unchanged; returns stderr.
fn rejected(env: &TestEnv, name: &str, content: &str) -> String {
    let file = env.file(name, content);
    let before = snapshot(env);
    let err = env.fails(&format!("import customers {file}"), 4);
    assert_eq!(snapshot(env), before, "{name} changed the database: {err}");
    err
}

#[test]
fn new_rows_are_added_and_existing_ones_updated_and_audited() {
    let env = TestEnv::new().with_registry();
    let file = env.file(
        "customers.csv",
        format!(
            "{HEADER}\n\
             C005,新客户,key,E002,E003,赵六,13700001111,zhao@example.com,2024-05-01,active\n\
             C001,华丰食品,core,E001,E002,,13912345678,,,active\n\
             C003,美味园,key,E002,E003,,,,,active\n"
        ),
    );
    let summary = env.json(&format!("import customers {file}"));
    assert_eq!(summary["entity"], "customers");
    assert_eq!(summary["rows"], 3);
    assert_eq!(summary["inserted"], 1);
    assert_eq!(summary["updated"], 1, "C003 is unchanged");
    assert_eq!(summary["rejected"], 0);
    assert_eq!(summary["dry_run"], false);

    let c005 = env.json("customer show C005 --reveal");
    assert_eq!(c005["owner"], "E002");
    assert_eq!(c005["backup"], "E003");
    assert_eq!(c005["phone"], "13700001111");
    assert_eq!(c005["since"], "2024-05-01");
    let c001 = env.json("customer show C001 --reveal");
    assert_eq!(c001["backup"], "E002");
    assert_eq!(
        c001["confidential"], "底价 38 元/公斤",
        "no such column: kept"
    );

    let updates: String =
        env.sql("SELECT group_concat(entity_id) FROM events WHERE action = 'customer.update'");
    assert_eq!(updates, "C001");
    let detail: String = env
        .sql("SELECT detail FROM events WHERE action = 'customer.update' AND entity_id = 'C001'");
    let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["before"]["backup"], serde_json::Value::Null);
    assert_eq!(detail["after"]["backup"], "E002");
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM events WHERE action = 'customer.add'"),
        4,
        "only the registry's own adds: an imported row has no event of its own"
    );
    let summary: String = env.sql("SELECT detail FROM events WHERE action = 'customer.import'");
    let summary: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(summary["file"], file);
    assert_eq!(summary["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(summary["inserted"], 1);
    assert_eq!(summary["updated"], 1);
    env.ok("log --verify");
}

#[test]
fn the_summary_line_counts_on_stderr() {
    let env = TestEnv::new().with_registry();
    let file = env.file("c.csv", format!("{HEADER}\nC005,甲,normal,E001,,,,,,\n"));
    let out = env.run(&format!("import customers {file}")).output();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("imported 1 customer: 1 new, 0 updated, 0 unchanged, 0 rejected in "),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "a table import prints no data");
}

#[test]
fn an_unknown_owner_is_named_with_file_line_column_and_value() {
    let env = TestEnv::new().with_registry();
    let err = rejected(
        &env,
        "owner.csv",
        &format!("{HEADER}\nC005,甲,normal,E001,,,,,,\nC006,乙,normal,E999,,,,,,\n"),
    );
    assert!(
        err.contains("owner.csv:3: column \"owner\": value \"E999\": no employee \"E999\""),
        "{err}"
    );
    assert!(
        err.contains("nothing was imported") && err.contains("hint: "),
        "{err}"
    );
}

#[test]
fn a_backup_who_is_the_owner_or_has_left_is_refused() {
    let env = TestEnv::new().with_registry();
    let err = rejected(
        &env,
        "backup.csv",
        &format!("{HEADER}\nC005,甲,core,E001,E001,,,,,\n"),
    );
    assert!(
        err.contains("column \"backup\"") && err.contains("second person"),
        "{err}"
    );
    env.exec("UPDATE employees SET status = 'left' WHERE code = 'E003'");
    let err = rejected(
        &env,
        "left.csv",
        &format!("{HEADER}\nC005,甲,core,E001,E003,,,,,\n"),
    );
    assert!(err.contains("E003 has left"), "{err}");
}

#[test]
fn bad_enum_date_phone_and_email_are_each_reported() {
    let env = TestEnv::new().with_registry();
    let err = rejected(
        &env,
        "bad.csv",
        &format!(
            "{HEADER}\n\
             C005,甲,gold,E001,,,,,,\n\
             C006,乙,normal,E001,,,,,2026-02-30,\n\
             C007,丙,normal,E001,,,12345,,,\n\
             C008,丁,normal,E001,,,,not-an-email,,\n\
             C009,戊,normal,E001,,,,,,paused\n"
        ),
    );
    for expected in [
        "bad.csv:2: column \"tier\": value \"gold\"",
        "bad.csv:3: column \"since\": value \"2026-02-30\"",
        "bad.csv:4: column \"phone\": value \"12345\"",
        "bad.csv:5: column \"email\": value \"not-an-email\"",
        "bad.csv:6: column \"status\": value \"paused\"",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in {err}");
    }
    assert!(err.contains("5 bad rows"), "{err}");
}

#[test]
fn a_missing_or_unknown_column_is_named_before_any_row() {
    let env = TestEnv::new().with_registry();
    let err = rejected(&env, "missing.csv", "id,name,tier\nC005,甲,normal\n");
    assert!(err.contains("missing column owner"), "{err}");
    let err = rejected(
        &env,
        "unknown.csv",
        "id,name,tier,owner,colour\nC005,甲,normal,E001,red\n",
    );
    assert!(err.contains("unknown column \"colour\""), "{err}");
    assert!(err.contains("hint: the columns are: id, name"), "{err}");
}

#[test]
fn a_ragged_row_and_an_empty_key_are_bad_rows() {
    let env = TestEnv::new().with_registry();
    let err = rejected(
        &env,
        "ragged.csv",
        "id,name,tier,owner\nC005,甲,normal,E001\nC006,乙,normal\n,丙,normal,E001\n",
    );
    assert!(
        err.contains("ragged.csv:3: the row has 3 fields, the header 4"),
        "{err}"
    );
    assert!(
        err.contains("ragged.csv:4: column \"id\": value \"\": must not be empty"),
        "{err}"
    );

    let file = env.file(
        "ragged.csv",
        "id,name,tier,owner\nC005,甲,normal,E001\nC006,乙,normal\nC007,丁,normal,E001,extra\n",
    );
    let rejects = env.path("ragged-rejects.csv");
    let summary = import_skipping(&env, "customers", &file, &rejects);
    assert_eq!(summary["inserted"], 1);
    let rejected_rows = std::fs::read_to_string(&rejects).unwrap();
    let lines: Vec<&str> = rejected_rows.lines().collect();
    assert_eq!(
        lines[1..],
        [
            "C006,乙,normal,,\"the row has 3 fields, the header 4\"",
            "C007,丁,normal,E001,extra,\"the row has 5 fields, the header 4\"",
        ],
        "a short row is padded to put its error under `error`; a long one keeps its fields"
    );
}

/// Under `--lang zh` the row errors, listed and in the rejects file, are in Chinese, with
/// the columns' zh labels.
#[test]
fn row_errors_follow_the_language() {
    let env = TestEnv::new().with_registry();
    let text = "id,name,tier,owner\nC005,甲,gold,E001\nC006,乙,normal\nC007,,key,E001\nC005,丁,key,E001\nC008,戊,key,E001\nC008,己,key,E001\n";
    let file = env.file("zh.csv", text);
    let err = env.fails(&format!("--lang zh import customers {file}"), 4);
    for line in [
        "zh.csv:2: 列 \"客户等级\"：值 \"gold\"：无效的客户等级 \"gold\"",
        "zh.csv:3: 该行有 3 个字段，标题行有 4 个",
        "zh.csv:4: 列 \"名称\"：值 \"\"：不能为空",
        "zh.csv:7: 列 \"编号\"：值 \"C008\"：与本文件第 6 行的键相同",
    ] {
        assert!(err.contains(line), "missing {line:?} in\n{err}");
    }
    let rejects = env.path("zh-rejects.csv");
    let err = env.fails(
        &format!(
            "--lang zh import customers {file} --on-error skip --rejects {}",
            rejects.display()
        ),
        5,
    );
    assert!(
        err.contains("错误：") && err.contains("zh.csv：4 行被拒绝、未导入；其余各行已导入"),
        "{err}"
    );
    assert!(
        err.contains("提示：请修正") && err.contains("zh-rejects.csv"),
        "{err}"
    );
    let rejected_rows = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        rejected_rows.contains("C007,,key,E001,\"列 \"\"名称\"\"：值 \"\"\"\"：不能为空\""),
        "{rejected_rows}"
    );
}

#[test]
fn the_same_key_twice_in_a_file_names_both_lines() {
    let env = TestEnv::new().with_registry();
    let err = rejected(
        &env,
        "dup.csv",
        "id,name,tier,owner\nC005,甲,normal,E001\nC006,乙,normal,E001\nC005,丙,key,E002\n",
    );
    assert!(
        err.contains("dup.csv:4: column \"id\": value \"C005\": the same key is on line 2"),
        "{err}"
    );
    let err = rejected(
        &env,
        "dup-existing.csv",
        "id,name,tier,owner\nC001,甲,normal,E001\nC001,丙,key,E002\n",
    );
    assert!(
        err.contains("dup-existing.csv:3") && err.contains("line 2"),
        "{err}"
    );

    let fresh = staffed(&["E001"]);
    let err = rejected(
        &fresh,
        "dup-fresh.csv",
        "id,name,tier,owner\nC1,甲,normal,E001\nC2,乙,normal,E001\nC1,丙,key,E001\n",
    );
    assert!(
        err.contains("dup-fresh.csv:4") && err.contains("the same key is on line 2"),
        "{err}"
    );
    assert_eq!(fresh.sql::<i64>("SELECT count(*) FROM customers"), 0);
    assert_eq!(
        fresh.sql::<i64>(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'customers'"
        ),
        4,
        "the indexes dropped for the load are back after the rollback"
    );
}

#[test]
fn an_empty_file_fails_and_a_header_alone_imports_nothing() {
    let env = TestEnv::new().with_registry();
    let err = rejected(&env, "empty.csv", "");
    assert!(err.contains("empty.csv is empty"), "{err}");
    let file = env.file("header.csv", format!("{HEADER}\n"));
    let before = snapshot(&env);
    let summary = env.json(&format!("import customers {file}"));
    assert_eq!(summary["rows"], 0);
    assert_eq!(snapshot(&env), before);
}

#[test]
fn random_bytes_are_bad_input_not_a_crash() {
    let env = TestEnv::new().with_registry();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let bytes: Vec<u8> = (0..4000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let file = env.file("noise.csv", &bytes);
    let before = snapshot(&env);
    let err = env.fails(&format!("import customers {file}"), 4);
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(snapshot(&env), before);
    let json = env.file("noise.json", &bytes);
    env.fails(&format!("import customers {json}"), 4);
    assert_eq!(snapshot(&env), before);
}

#[test]
fn skip_mode_imports_the_good_rows_and_writes_the_rejects() {
    let env = TestEnv::new().with_registry();
    let file = env.file(
        "mixed.csv",
        "id,name,tier,owner,phone\n\
         C005,甲,normal,E001,13700001111\n\
         C006,乙,gold,E001,\n\
         C007,丙,key,E002,\n\
         C008,\"丁,有逗号\",normal,E999,\n",
    );
    let rejects = env.path("rejects.csv");
    let summary = import_skipping(&env, "customers", &file, &rejects);
    assert_eq!(summary["rows"], 4);
    assert_eq!(summary["inserted"], 2);
    assert_eq!(summary["rejected"], 2);
    let codes: String =
        env.sql("SELECT group_concat(code) FROM (SELECT code FROM customers ORDER BY code)");
    assert_eq!(codes, "C001,C002,C003,C004,C005,C007");

    assert_eq!(mode_of(&rejects), 0o600, "rejects hold personal data");
    let text = std::fs::read_to_string(&rejects).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a BOM for Excel");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["id", "name", "tier", "owner", "phone", "error"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][0], "C006");
    assert!(
        rows[0][5].contains("column \"tier\": value \"gold\""),
        "{:?}",
        rows[0]
    );
    assert_eq!(&rows[1][1], "丁,有逗号");
    assert!(rows[1][5].contains("E999"), "{:?}", rows[1]);
}

#[test]
fn a_dry_run_checks_everything_and_writes_nothing() {
    let env = TestEnv::new().with_registry();
    let file = env.file(
        "dry.csv",
        format!("{HEADER}\nC005,甲,normal,E001,,,,,,\nC001,华丰食品,key,E001,,,,,,\n"),
    );
    let before = snapshot(&env);
    let summary = env.json(&format!("import customers {file} --dry-run"));
    assert_eq!(summary["dry_run"], true);
    assert_eq!(summary["inserted"], 1);
    assert_eq!(summary["updated"], 1);
    assert_eq!(snapshot(&env), before);
    let bad = env.file(
        "dry-bad.csv",
        format!("{HEADER}\nC005,甲,normal,E404,,,,,,\n"),
    );
    let err = env.fails(&format!("import customers {bad} --dry-run"), 4);
    assert!(err.contains("E404"), "{err}");
}

#[test]
fn gbk_files_from_excel_are_read_with_auto_and_gbk() {
    let env = TestEnv::new().with_registry();
    let zh_header: Vec<&str> = ["id", "name", "tier", "owner", "contact"]
        .iter()
        .map(|field| label(field, Lang::Zh))
        .collect();
    let text = format!(
        "{}\r\nC005,广州金禾食品有限公司,key,E001,欧阳晓东\r\n\"C006\",\"多行\r\n名称\",normal,E002,\r\n",
        zh_header.join(",")
    );
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    let file = env.file("gbk.csv", &gbk);
    let summary = env.json(&format!("import customers {file}"));
    assert_eq!(summary["inserted"], 2);
    let c005 = env.json("customer show C005");
    assert_eq!(c005["name"], "广州金禾食品有限公司");
    assert_eq!(c005["contact"], "欧阳晓东");
    let c006 = env.json("customer show C006");
    assert_eq!(c006["name"], "多行\r\n名称");

    let again = TestEnv::new().with_registry();
    let file = again.file("gbk.csv", &gbk);
    let summary = again.json(&format!("import customers {file} --encoding gbk"));
    assert_eq!(summary["inserted"], 2);
    let err = again.fails(&format!("import customers {file} --encoding utf-8"), 4);
    assert!(
        err.contains("not UTF-8") || err.contains("unknown column"),
        "{err}"
    );
}

#[test]
fn a_bom_and_zh_headers_are_accepted() {
    let env = TestEnv::new().with_registry();
    let file = zh_file(
        &env,
        "bom.csv",
        HEADER,
        "C005,甲,normal,E001,,张三,13700001111,,2025-01-02,active\n",
    );
    let summary = env.json(&format!("import customers {file}"));
    assert_eq!(summary["inserted"], 1);
    let c005 = env.json("customer show C005 --reveal");
    assert_eq!(c005["contact"], "张三");
    assert_eq!(c005["phone"], "13700001111");
}

#[test]
fn json_arrays_and_json_lines_import_like_csv() {
    let env = TestEnv::new().with_registry();
    let file = env.file(
        "c.json",
        r#"[{"id": "C005", "name": "甲", "tier": "key", "owner": "E001", "backup": null},
            {"id": "C006", "name": "乙", "tier": "normal", "owner": "E002"}]"#,
    );
    assert_eq!(env.json(&format!("import customers {file}"))["inserted"], 2);
    let file = env.file(
        "c.jsonl",
        "{\"id\": \"C007\", \"name\": \"丙\", \"tier\": \"core\", \"owner\": \"E001\"}\n\n\
         {\"id\": \"C005\", \"name\": \"甲\", \"tier\": \"core\", \"owner\": \"E001\"}\n",
    );
    let summary = env.json(&format!("import customers {file}"));
    assert_eq!(
        (summary["inserted"].clone(), summary["updated"].clone()),
        (1.into(), 1.into())
    );
    let bad = env.file("bad.jsonl",
        "{\"id\": \"C008\", \"name\": \"丁\", \"tier\": \"core\", \"owner\": \"E001\", \"colour\": 1}\n",
    );
    let err = env.fails(&format!("import customers {bad}"), 4);
    assert!(
        err.contains("bad.jsonl:1: unknown column \"colour\""),
        "{err}"
    );
    let bad = env.file(
        "bad.json",
        r#"[{"id": "C008", "name": "丁", "tier": "core"}]"#,
    );
    let err = env.fails(&format!("import customers {bad}"), 4);
    assert!(err.contains("bad.json:record 1: column \"owner\""), "{err}");
}

#[test]
fn standard_input_needs_a_format() {
    let env = TestEnv::new().with_registry();
    let summary = env
        .run("import customers - --input-format csv")
        .stdin(format!("{HEADER}\nC005,甲,normal,E001,,,,,,\n"))
        .json();
    assert_eq!(summary["inserted"], 1);
    let err = env.fails("import customers -", 2);
    assert!(err.contains("--input-format"), "{err}");
}

#[test]
fn employees_upsert_but_their_status_belongs_to_handovers() {
    let env = TestEnv::new().with_registry();
    let file = env.file(
        "e.csv",
        "id,name,role,core,phone,nda,status\n\
         E004,赵敏,finance,否,010-12345678,true,active\n\
         E003,张伟,service,true,,,active\n",
    );
    let summary = env.json(&format!("import employees {file}"));
    assert_eq!(
        (summary["inserted"].clone(), summary["updated"].clone()),
        (1.into(), 1.into())
    );
    let e004 = env.json("employee show E004 --reveal");
    assert_eq!(e004["core"], false);
    assert_eq!(e004["nda"], true);
    assert_eq!(e004["phone"], "010-12345678");
    assert_eq!(env.json("employee show E003")["core"], true);

    let before = snapshot(&env);
    let file = env.file("e2.csv", "id,name,role,status\nE003,张伟,service,left\n");
    let err = env.fails(&format!("import employees {file}"), 4);
    assert!(
        err.contains("column \"status\": value \"left\"") && err.contains("handover"),
        "{err}"
    );
    assert_eq!(snapshot(&env), before);
}

#[test]
fn companies_import_with_a_checked_uscc() {
    let env = TestEnv::new();
    let file = env.file(
        "co.csv",
        format!("code,name,short_name\n{USCC_A},甲公司,甲\n{USCC_B},乙公司,\n"),
    );
    assert_eq!(env.json(&format!("import companies {file}"))["inserted"], 2);
    let file = env.file(
        "co2.csv",
        format!("code,name\n{USCC_A},甲公司改名\n914403001922038217,错\n"),
    );
    let before = snapshot(&env);
    let err = env.fails(&format!("import companies {file}"), 4);
    assert!(
        err.contains("co2.csv:3: column \"code\": value \"914403001922038217\""),
        "{err}"
    );
    assert_eq!(snapshot(&env), before);
}

#[test]
fn export_then_import_gives_the_same_database() {
    let env = TestEnv::new().with_registry();
    env.ok("customer update C004 --status inactive --since 2020-06-01");
    let export = |env: &TestEnv, what: &str| env.ok(&format!("{what} list --format csv --reveal"));
    let companies = export(&env, "company");
    let employees = export(&env, "employee");
    let customers = export(&env, "customer");
    assert!(customers.contains("13912345678"), "revealed: {customers}");

    let copy = TestEnv::new();
    for (what, text) in [
        ("companies", &companies),
        ("employees", &employees),
        ("customers", &customers),
    ] {
        let file = copy.file(&format!("{what}.csv"), text);
        copy.ok(&format!("import {what} {file}"));
    }
    assert_eq!(export(&copy, "company"), companies);
    assert_eq!(export(&copy, "employee"), employees);
    assert_eq!(export(&copy, "customer"), customers);

    let file = copy.file("again.csv", &customers);
    let summary = copy.json(&format!("import customers {file}"));
    assert_eq!(summary["rows"], 4);
    assert_eq!(
        (summary["inserted"].clone(), summary["updated"].clone()),
        (0.into(), 0.into())
    );

    let masked = env.ok("customer list --format csv");
    let file = copy.file("masked.csv", &masked);
    let err = copy.fails(&format!("import customers {file}"), 4);
    assert!(
        err.contains("139****5678"),
        "masked phones are refused: {err}"
    );
}

#[test]
fn duplicates_and_bad_rows_are_found_across_batches() {
    let env = staffed(&["E001"]);
    let mut text = String::from("id,name,tier,owner\n");
    for n in 1..=700 {
        let code = match n {
            300 => "C0010".to_string(),
            650 => "C0299".to_string(),
            _ => format!("C{n:04}"),
        };
        let tier = if n == 500 { "gold" } else { "normal" };
        text.push_str(&format!("{code},客户{n},{tier},E001\n"));
    }
    let before = snapshot(&env);
    let err = rejected(&env, "many.csv", &text);
    assert!(err.contains("3 bad rows"), "{err}");
    assert!(
        err.contains("many.csv:301: column \"id\": value \"C0010\": the same key is on line 11"),
        "{err}"
    );
    assert!(err.contains("many.csv:501: column \"tier\""), "{err}");
    assert!(
        err.contains("many.csv:651: column \"id\": value \"C0299\": the same key is on line 300"),
        "{err}"
    );
    assert_eq!(snapshot(&env), before);

    let file = env.file("many.csv", &text);
    let rejects = env.path("many-rejects.csv");
    let summary = import_skipping(&env, "customers", &file, &rejects);
    assert_eq!(summary["rows"], 700);
    assert_eq!(summary["inserted"], 697);
    assert_eq!(summary["rejected"], 3);
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM customers"), 697);
    assert_eq!(
        env.sql::<String>("SELECT name FROM customers WHERE code = 'C0010'"),
        "客户10",
        "the first of two rows with one key wins"
    );
    let err = env.fails(
        &format!("import customers {file} --on-error skip --rejects {file}"),
        2,
    );
    assert!(err.contains("is the file being imported"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text,
        "the input is intact"
    );
    let rejected_rows = std::fs::read_to_string(&rejects).unwrap();
    assert_eq!(rejected_rows.lines().count(), 4, "{rejected_rows}");
    assert!(
        rejected_rows.contains("C0010,客户300,normal,E001,"),
        "{rejected_rows}"
    );
    let plan: String = env.sql(
        "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema
         WHERE type = 'index' AND tbl_name = 'customers' ORDER BY name)",
    );
    assert_eq!(
        plan, "customers_backup,customers_key,customers_owner,customers_unbacked",
        "the indexes dropped for the load are rebuilt"
    );
    assert_eq!(
        env.sql::<String>("PRAGMA integrity_check"),
        "ok",
        "every index, the one kept through the load too, holds the rows"
    );
}

/// A load into the empty table (rollback journal) and one into a table that has rows (WAL).
#[test]
fn a_killed_import_leaves_the_database_whole_and_the_import_absent() {
    killed_import(false);
    killed_import(true);
}

fn killed_import(table_has_rows: bool) {
    let env = staffed(&["E001", "E002"]);
    let before: i64 = if table_has_rows {
        env.ok("customer add --id C0 --name 老客户 --tier key --owner E001");
        1
    } else {
        0
    };
    let mut text = String::from("id,name,tier,owner,backup,contact,phone\n");
    for n in 1..=60_000 {
        text.push_str(&format!(
            "C{n:06},客户{n}有限公司,key,E001,E002,联系人{n},1380000{:04}\n",
            n % 10_000
        ));
    }
    let file = env.file("big.csv", &text);
    let wal = env.db.with_file_name("baton.db-wal");
    let journal = env.db.with_file_name("baton.db-journal");
    let wal_before = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    let mut child = env
        .run(&format!("-q import customers {file}"))
        .command()
        .spawn()
        .unwrap();
    // Kill it once it is writing (a load into the empty table has a rollback journal, else
    // its pages reach the WAL), or whenever it ends first.
    loop {
        let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        if journal.exists()
            || wal_len > wal_before + (1 << 20)
            || child.try_wait().unwrap().is_some()
        {
            break;
        }
        std::thread::yield_now();
    }
    let _ = child.kill();
    child.wait().unwrap();

    let check: String = env.sql("PRAGMA integrity_check");
    assert_eq!(check, "ok");
    let count: i64 = env.sql("SELECT count(*) FROM customers");
    assert!(
        count == before || count == before + 60_000,
        "half an import: {count} rows"
    );
    assert_eq!(
        env.sql::<i64>(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'customers'"
        ),
        4
    );
    env.ok("log --verify");
    assert_eq!(env.sql::<String>("PRAGMA journal_mode"), "wal");
}

/// A JSON file into the empty table is staged on the writing thread: the same rules, the
/// same errors, across the batches of the multi-row insert.
#[test]
fn a_json_load_into_the_empty_table_finds_duplicates_and_bad_rows() {
    let env = staffed(&["E001"]);
    let records: Vec<String> = (1..=600)
        .map(|n| {
            let code = if n == 400 {
                "C0003".to_string()
            } else {
                format!("C{n:04}")
            };
            let tier = if n == 500 { "gold" } else { "normal" };
            format!(r#"{{"id": "{code}", "name": "客户{n}", "tier": "{tier}", "owner": "E001"}}"#)
        })
        .collect();
    let file = env.file("many.json", format!("[{}]", records.join(",\n")));
    let before = snapshot(&env);
    let err = env.fails(&format!("import customers {file}"), 4);
    assert!(err.contains("2 bad rows"), "{err}");
    assert!(
        err.contains(
            "many.json:record 400: column \"id\": value \"C0003\": the same key is on record 3"
        ),
        "{err}"
    );
    assert!(
        err.contains("many.json:record 500: column \"tier\""),
        "{err}"
    );
    assert_eq!(snapshot(&env), before);

    let rejects = env.path("many-rejects.csv");
    let summary = import_skipping(&env, "customers", &file, &rejects);
    assert_eq!(
        (
            summary["rows"].clone(),
            summary["inserted"].clone(),
            summary["rejected"].clone()
        ),
        (600.into(), 598.into(), 2.into())
    );
    assert_eq!(
        env.sql::<String>("SELECT name FROM customers WHERE code = 'C0003'"),
        "客户3"
    );
    let rejected_rows = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        rejected_rows.contains("C0003,客户400,normal,E001,"),
        "{rejected_rows}"
    );
    assert!(
        rejected_rows.contains("C0500,客户500,gold,E001,"),
        "{rejected_rows}"
    );
}

/// Another connection holds the database open: the load cannot have it to itself, keeps
/// the WAL, and still lands.
#[test]
fn a_load_beside_an_open_connection_keeps_the_wal() {
    let env = staffed(&["E001", "E002"]);
    let other = rusqlite::Connection::open(&env.db).unwrap();
    let employees: i64 = other
        .query_row("SELECT count(*) FROM employees", [], |r| r.get(0))
        .unwrap();
    assert!(employees > 0);
    let file = env.file(
        "c.csv",
        format!("{HEADER}\nC101,甲,key,E001,,,,,,\nC102,乙,normal,E002,,,,,,\n"),
    );
    assert_eq!(env.json(&format!("import customers {file}"))["inserted"], 2);
    let mode: String = other
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert!(!env.db.with_file_name("baton.db-journal").exists());
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM customers"), 2);
}

/// A re-import of a full table compares the rows with the stored ones in SQL: only the new
/// and changed rows are written and audited; a key seen twice is found even when both rows
/// are unchanged, across batches; an empty status keeps the stored one.
#[test]
fn a_nightly_reimport_writes_only_what_changed() {
    let env = staffed(&["E001", "E002"]);
    let rows = |changed: bool| {
        let mut text = String::from("id,name,tier,owner,status\n");
        for n in 1..=600 {
            let name = match (changed, n) {
                (true, 200) => "改名客户".to_string(),
                _ => format!("客户{n}"),
            };
            let status = if n == 100 { "" } else { "active" };
            text.push_str(&format!("C{n:04},{name},normal,E001,{status}\n"));
        }
        text
    };
    let first = env.file("night1.csv", rows(false));
    env.ok(&format!("import customers {first}"));
    env.ok("customer update C0100 --status inactive");
    let again = env.json(&format!("import customers {first}"));
    assert_eq!(
        (&again["inserted"], &again["updated"]),
        (&0.into(), &0.into())
    );

    let mut text = rows(true);
    text.push_str("C0700,新客户,key,E002,active\nC0005,客户5,normal,E001,active\n");
    let second = env.file("night2.csv", &text);
    let err = env.fails(&format!("import customers {second}"), 4);
    assert!(
        err.contains("night2.csv:603: column \"id\": value \"C0005\": the same key is on line 6"),
        "{err}"
    );
    let rejects = env.path("night2-rejects.csv");
    let summary = import_skipping(&env, "customers", &second, &rejects);
    assert_eq!(summary["rows"], 602);
    assert_eq!(
        (
            &summary["inserted"],
            &summary["updated"],
            &summary["rejected"]
        ),
        (&1.into(), &1.into(), &1.into())
    );
    let updates: String =
        env.sql("SELECT group_concat(entity_id) FROM events WHERE action = 'customer.update'");
    assert_eq!(
        updates, "C0100,C0200",
        "the command's update, then the import's"
    );
    let kept: String = env.sql("SELECT status FROM customers WHERE code = 'C0100'");
    assert_eq!(kept, "inactive", "an empty status keeps the stored one");
    let renamed: String = env.sql("SELECT name FROM customers WHERE code = 'C0200'");
    assert_eq!(renamed, "改名客户");
    env.ok("log --verify");
}
