use crate::util::{TestEnv, USCC_A, USCC_B};
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

fn write(env: &TestEnv, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let path = env.path(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

/// A file as Excel users write it: a BOM, the zh labels of `columns` (comma-separated field
/// names) as the header, then `rows`.
fn zh_file(env: &TestEnv, name: &str, columns: &str, rows: &str) -> String {
    let header: Vec<&str> = columns.split(',').map(|f| label(f, Lang::Zh)).collect();
    write(env, name, format!("\u{feff}{}\n{rows}", header.join(",")))
}

/// `baton import ENTITY FILE --on-error skip --rejects REJECTS`: the JSON summary.
fn import_skipping(
    env: &TestEnv,
    entity: &str,
    file: &str,
    rejects: &std::path::Path,
) -> serde_json::Value {
    let rejects = rejects.to_str().unwrap();
    env.json(&[
        "import",
        entity,
        file,
        "--on-error",
        "skip",
        "--rejects",
        rejects,
    ])
}

/// Imports `rows` under the zh labels of `columns` (an Excel sheet) in skip mode: the JSON
/// summary and the rejects file.
fn zh_skipping(
    env: &TestEnv,
    entity: &str,
    name: &str,
    columns: &str,
    rows: &str,
) -> (serde_json::Value, String) {
    let file = zh_file(env, name, columns, rows);
    let rejects = env.path("rejects.csv");
    let summary = import_skipping(env, entity, &file, &rejects);
    (summary, std::fs::read_to_string(&rejects).unwrap())
}

/// A database with one company and no customers; `employees` among E001 (王, rnd) and
/// E002 (李, sales).
fn staffed(employees: &[&str]) -> TestEnv {
    let env = TestEnv::new();
    env.ok(&["company", "add", "--code", USCC_A, "--name", "甲"]);
    for code in employees {
        let (name, role) = if *code == "E001" {
            ("王", "rnd")
        } else {
            ("李", "sales")
        };
        env.ok(&[
            "employee", "add", "--id", code, "--name", name, "--role", role,
        ]);
    }
    env
}

/// Imports a bad file in abort mode: exit 4, the database unchanged; returns stderr.
fn rejected(env: &TestEnv, name: &str, content: &str) -> String {
    let file = write(env, name, content);
    let before = snapshot(env);
    let err = env.fails(&["import", "customers", &file], 4);
    assert_eq!(snapshot(env), before, "{name} changed the database: {err}");
    err
}

#[test]
fn new_rows_are_added_and_existing_ones_updated_and_audited() {
    let env = TestEnv::new().with_registry();
    let file = write(
        &env,
        "customers.csv",
        format!(
            "{HEADER}\n\
             C005,新客户,key,E002,E003,赵六,13700001111,zhao@example.com,2024-05-01,active\n\
             C001,华丰食品,core,E001,E002,,13912345678,,,active\n\
             C003,美味园,key,E002,E003,,,,,active\n"
        ),
    );
    let summary = env.json(&["import", "customers", &file]);
    assert_eq!(summary["entity"], "customers");
    assert_eq!(summary["rows"], 3);
    assert_eq!(summary["inserted"], 1);
    assert_eq!(summary["updated"], 1, "C003 is unchanged");
    assert_eq!(summary["rejected"], 0);
    assert_eq!(summary["dry_run"], false);

    let c005 = env.json(&["customer", "show", "C005", "--reveal"]);
    assert_eq!(c005["owner"], "E002");
    assert_eq!(c005["backup"], "E003");
    assert_eq!(c005["phone"], "13700001111");
    assert_eq!(c005["since"], "2024-05-01");
    let c001 = env.json(&["customer", "show", "C001", "--reveal"]);
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
    env.ok(&["log", "--verify"]);
}

#[test]
fn the_summary_line_counts_on_stderr() {
    let env = TestEnv::new().with_registry();
    let file = write(
        &env,
        "c.csv",
        format!("{HEADER}\nC005,甲,normal,E001,,,,,,\n"),
    );
    let out = env.cmd(&["import", "customers", &file]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("imported 1 customers: 1 new, 0 updated, 0 rejected in "),
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

    let file = write(
        &env,
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
    let file = write(&env, "zh.csv", text);
    let err = env.fails(&["--lang", "zh", "import", "customers", &file], 4);
    for line in [
        "zh.csv:2: 列 \"客户等级\":值 \"gold\":无效的客户等级 \"gold\"",
        "zh.csv:3: 该行有 3 个字段,标题行有 4 个",
        "zh.csv:4: 列 \"名称\":值 \"\":不能为空",
        "zh.csv:7: 列 \"编号\":值 \"C008\":与本文件第 6 行的键相同",
    ] {
        assert!(err.contains(line), "missing {line:?} in\n{err}");
    }
    let rejects = env.path("zh-rejects.csv");
    let summary = env.json(&[
        "--lang",
        "zh",
        "import",
        "customers",
        &file,
        "--on-error",
        "skip",
        "--rejects",
        rejects.to_str().unwrap(),
    ]);
    assert_eq!(summary["rejected"], 4);
    let rejected_rows = std::fs::read_to_string(&rejects).unwrap();
    assert!(
        rejected_rows.contains("C007,,key,E001,\"列 \"\"名称\"\":值 \"\"\"\":不能为空\""),
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
    let file = write(&env, "header.csv", format!("{HEADER}\n"));
    let before = snapshot(&env);
    let summary = env.json(&["import", "customers", &file]);
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
    let file = write(&env, "noise.csv", &bytes);
    let before = snapshot(&env);
    let err = env.fails(&["import", "customers", &file], 4);
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(snapshot(&env), before);
    let json = write(&env, "noise.json", &bytes);
    env.fails(&["import", "customers", &json], 4);
    assert_eq!(snapshot(&env), before);
}

#[test]
fn skip_mode_imports_the_good_rows_and_writes_the_rejects() {
    let env = TestEnv::new().with_registry();
    let file = write(
        &env,
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

    assert_eq!(
        crate::util::mode_of(&rejects),
        0o600,
        "rejects hold personal data"
    );
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
    let file = write(
        &env,
        "dry.csv",
        format!("{HEADER}\nC005,甲,normal,E001,,,,,,\nC001,华丰食品,key,E001,,,,,,\n"),
    );
    let before = snapshot(&env);
    let summary = env.json(&["import", "customers", &file, "--dry-run"]);
    assert_eq!(summary["dry_run"], true);
    assert_eq!(summary["inserted"], 1);
    assert_eq!(summary["updated"], 1);
    assert_eq!(snapshot(&env), before);
    let bad = write(
        &env,
        "dry-bad.csv",
        format!("{HEADER}\nC005,甲,normal,E404,,,,,,\n"),
    );
    let err = env.fails(&["import", "customers", &bad, "--dry-run"], 4);
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
    let file = write(&env, "gbk.csv", &gbk);
    let summary = env.json(&["import", "customers", &file]);
    assert_eq!(summary["inserted"], 2);
    let c005 = env.json(&["customer", "show", "C005"]);
    assert_eq!(c005["name"], "广州金禾食品有限公司");
    assert_eq!(c005["contact"], "欧阳晓东");
    let c006 = env.json(&["customer", "show", "C006"]);
    assert_eq!(c006["name"], "多行\r\n名称");

    let again = TestEnv::new().with_registry();
    let file = write(&again, "gbk.csv", &gbk);
    let summary = again.json(&["import", "customers", &file, "--encoding", "gbk"]);
    assert_eq!(summary["inserted"], 2);
    let err = again.fails(&["import", "customers", &file, "--encoding", "utf-8"], 4);
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
    let summary = env.json(&["import", "customers", &file]);
    assert_eq!(summary["inserted"], 1);
    let c005 = env.json(&["customer", "show", "C005", "--reveal"]);
    assert_eq!(c005["contact"], "张三");
    assert_eq!(c005["phone"], "13700001111");
}

#[test]
fn json_arrays_and_json_lines_import_like_csv() {
    let env = TestEnv::new().with_registry();
    let file = write(
        &env,
        "c.json",
        r#"[{"id": "C005", "name": "甲", "tier": "key", "owner": "E001", "backup": null},
            {"id": "C006", "name": "乙", "tier": "normal", "owner": "E002"}]"#,
    );
    assert_eq!(env.json(&["import", "customers", &file])["inserted"], 2);
    let file = write(
        &env,
        "c.jsonl",
        "{\"id\": \"C007\", \"name\": \"丙\", \"tier\": \"core\", \"owner\": \"E001\"}\n\n\
         {\"id\": \"C005\", \"name\": \"甲\", \"tier\": \"core\", \"owner\": \"E001\"}\n",
    );
    let summary = env.json(&["import", "customers", &file]);
    assert_eq!(
        (summary["inserted"].clone(), summary["updated"].clone()),
        (1.into(), 1.into())
    );
    let bad = write(
        &env,
        "bad.jsonl",
        "{\"id\": \"C008\", \"name\": \"丁\", \"tier\": \"core\", \"owner\": \"E001\", \"colour\": 1}\n",
    );
    let err = env.fails(&["import", "customers", &bad], 4);
    assert!(
        err.contains("bad.jsonl:1: unknown column \"colour\""),
        "{err}"
    );
    let bad = write(
        &env,
        "bad.json",
        r#"[{"id": "C008", "name": "丁", "tier": "core"}]"#,
    );
    let err = env.fails(&["import", "customers", &bad], 4);
    assert!(err.contains("bad.json:record 1: column \"owner\""), "{err}");
}

#[test]
fn standard_input_needs_a_format() {
    let env = TestEnv::new().with_registry();
    let summary = env
        .cmd(&[
            "import",
            "customers",
            "-",
            "--input-format",
            "csv",
            "--format",
            "json",
        ])
        .write_stdin(format!("{HEADER}\nC005,甲,normal,E001,,,,,,\n"))
        .output()
        .unwrap();
    assert!(summary.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&summary.stdout).unwrap();
    assert_eq!(summary["inserted"], 1);
    let err = env.fails(&["import", "customers", "-"], 2);
    assert!(err.contains("--input-format"), "{err}");
}

#[test]
fn employees_upsert_but_their_status_belongs_to_handovers() {
    let env = TestEnv::new().with_registry();
    let file = write(
        &env,
        "e.csv",
        "id,name,role,core,phone,nda,status\n\
         E004,赵敏,finance,否,010-12345678,true,active\n\
         E003,张伟,service,true,,,active\n",
    );
    let summary = env.json(&["import", "employees", &file]);
    assert_eq!(
        (summary["inserted"].clone(), summary["updated"].clone()),
        (1.into(), 1.into())
    );
    let e004 = env.json(&["employee", "show", "E004", "--reveal"]);
    assert_eq!(e004["core"], false);
    assert_eq!(e004["nda"], true);
    assert_eq!(e004["phone"], "010-12345678");
    assert_eq!(env.json(&["employee", "show", "E003"])["core"], true);

    let before = snapshot(&env);
    let file = write(
        &env,
        "e2.csv",
        "id,name,role,status\nE003,张伟,service,left\n",
    );
    let err = env.fails(&["import", "employees", &file], 4);
    assert!(
        err.contains("column \"status\": value \"left\"") && err.contains("handover"),
        "{err}"
    );
    assert_eq!(snapshot(&env), before);
}

#[test]
fn companies_import_with_a_checked_uscc() {
    let env = TestEnv::new();
    let file = write(
        &env,
        "co.csv",
        format!("code,name,short_name\n{USCC_A},甲公司,甲\n{USCC_B},乙公司,\n"),
    );
    assert_eq!(env.json(&["import", "companies", &file])["inserted"], 2);
    let file = write(
        &env,
        "co2.csv",
        format!("code,name\n{USCC_A},甲公司改名\n914403001922038217,错\n"),
    );
    let before = snapshot(&env);
    let err = env.fails(&["import", "companies", &file], 4);
    assert!(
        err.contains("co2.csv:3: column \"code\": value \"914403001922038217\""),
        "{err}"
    );
    assert_eq!(snapshot(&env), before);
}

#[test]
fn export_then_import_gives_the_same_database() {
    let env = TestEnv::new().with_registry();
    env.ok(&[
        "customer",
        "update",
        "C004",
        "--status",
        "inactive",
        "--since",
        "2020-06-01",
    ]);
    let export = |env: &TestEnv, what: &str| env.ok(&[what, "list", "--format", "csv", "--reveal"]);
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
        let file = write(&copy, &format!("{what}.csv"), text);
        copy.ok(&["import", what, &file]);
    }
    assert_eq!(export(&copy, "company"), companies);
    assert_eq!(export(&copy, "employee"), employees);
    assert_eq!(export(&copy, "customer"), customers);

    let file = write(&copy, "again.csv", &customers);
    let summary = copy.json(&["import", "customers", &file]);
    assert_eq!(summary["rows"], 4);
    assert_eq!(
        (summary["inserted"].clone(), summary["updated"].clone()),
        (0.into(), 0.into())
    );

    let masked = env.ok(&["customer", "list", "--format", "csv"]);
    let file = write(&copy, "masked.csv", &masked);
    let err = copy.fails(&["import", "customers", &file], 4);
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

    let file = write(&env, "many.csv", &text);
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
        &[
            "import",
            "customers",
            &file,
            "--on-error",
            "skip",
            "--rejects",
            &file,
        ],
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
        plan, "customers_backup,customers_owner,customers_unbacked,sqlite_autoindex_customers_1",
        "the indexes dropped for the load are rebuilt"
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
        env.ok(&[
            "customer",
            "add",
            "--id",
            "C0",
            "--name",
            "老客户",
            "--tier",
            "key",
            "--owner",
            "E001",
        ]);
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
    let file = write(&env, "big.csv", &text);
    let wal = env.db.with_file_name("baton.db-wal");
    let journal = env.db.with_file_name("baton.db-journal");
    let wal_before = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_baton"))
        .args(["-q", "import", "customers", &file])
        .env("BATON_DB", &env.db)
        .env("BATON_NOW", &env.now)
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
    env.ok(&["log", "--verify"]);
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
    let file = write(&env, "many.json", format!("[{}]", records.join(",\n")));
    let before = snapshot(&env);
    let err = env.fails(&["import", "customers", &file], 4);
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
    let file = write(
        &env,
        "c.csv",
        format!("{HEADER}\nC101,甲,key,E001,,,,,,\nC102,乙,normal,E002,,,,,,\n"),
    );
    assert_eq!(env.json(&["import", "customers", &file])["inserted"], 2);
    let mode: String = other
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert!(!env.db.with_file_name("baton.db-journal").exists());
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM customers"), 2);
}

/// Everything an import of handovers, complaints or credit events could change.
fn records(env: &TestEnv) -> String {
    env.sql(
        "SELECT (SELECT count(*) FROM events) || '|' ||
                (SELECT ifnull(group_concat(employee_id || ',' || leaving_on || ',' || reason
                        || ',' || ifnull(successor_id, '') || ',' || status, ';'), '') FROM handovers) || '|' ||
                (SELECT count(*) FROM handover_items) || '|' ||
                (SELECT group_concat(code || ',' || status, ';') FROM employees) || '|' ||
                (SELECT ifnull(group_concat(id || ',' || summary || ',' || received_at, ';'), '')
                 FROM complaints) || '|' ||
                (SELECT count(*) FROM complaint_events) || '|' ||
                (SELECT ifnull(group_concat(code || ',' || occurred_on || ',' || status, ';'), '')
                 FROM credit_events) || '|' ||
                (SELECT count(*) FROM credit_subjects)",
    )
}

/// Imports a bad file of `entity` in abort mode: exit 4, nothing changed; returns stderr.
fn refused_file(env: &TestEnv, entity: &str, content: &str) -> String {
    let file = write(env, &format!("{entity}.csv"), content);
    let before = records(env);
    let err = env.fails(&["import", entity, &file], 4);
    assert_eq!(
        records(env),
        before,
        "{content} changed the database: {err}"
    );
    err
}

/// An import says what `handover open` says: customers nobody takes yet, a leaving date in
/// the past.
#[test]
fn a_handover_import_warns_like_handover_open() {
    let env = TestEnv::new().with_registry();
    let file = write(
        &env,
        "handovers.csv",
        "employee,leaving_on,successor\nE001,2026-02-20,\n",
    );
    let out = env.cmd(&["import", "handovers", &file]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    for warning in [
        "warning: handover 1 of E001: the leaving date 2026-02-20 is in the past",
        "warning: handover 1 of E001: nobody takes customer(s) C001",
    ] {
        assert!(stderr.contains(warning), "missing {warning:?} in\n{stderr}");
    }
    let zh = TestEnv::new().with_registry();
    let file = write(
        &zh,
        "handovers.csv",
        "employee,leaving_on\nE001,2026-03-20\n",
    );
    let out = zh
        .cmd(&["--lang", "zh", "import", "handovers", &file, "--dry-run"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("尚无接手人"),
        "a dry run opens nothing: {stderr}"
    );
    let out = zh
        .cmd(&["--lang", "zh", "import", "handovers", &file])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("E001 的交接 1:客户 C001 尚无接手人"),
        "{stderr}"
    );
}

#[test]
fn handovers_import_as_handover_open_opens_them() {
    let env = TestEnv::new().with_registry();
    let file = write(
        &env,
        "handovers.csv",
        "employee,leaving_on,successor,reason\nE001,2026-03-20,E002,resign\nE003,2026-03-31,,transfer\n",
    );
    let summary = env.json(&["import", "handovers", &file]);
    assert_eq!(summary["entity"], "handovers");
    assert_eq!(
        (summary["rows"].clone(), summary["inserted"].clone()),
        (2.into(), 2.into())
    );

    let list = env.json(&["handover", "list"]);
    let e001 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["employee"] == "E001")
        .unwrap();
    assert_eq!(e001["successor"], "E002");
    assert_eq!(e001["reason"], "resign");
    let shown = env.json(&["handover", "show", &e001["id"].to_string()]);
    let customers: Vec<(&str, &str)> = shown["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "customer")
        .map(|i| (i["ref"].as_str().unwrap(), i["assignee"].as_str().unwrap()))
        .collect();
    assert_eq!(customers, [("C001", "E002"), ("C002", "E002")]);
    assert_eq!(env.json(&["employee", "show", "E001"])["status"], "leaving");
    assert_eq!(env.json(&["employee", "show", "E003"])["status"], "leaving");

    // The same as `handover open` would have made, item for item.
    let by_command = TestEnv::new().with_registry();
    by_command.ok(&[
        "handover",
        "open",
        "--employee",
        "E001",
        "--leaving-on",
        "2026-03-20",
        "--successor",
        "E002",
        "--reason",
        "resign",
    ]);
    let items = |env: &TestEnv, employee: &str| -> String {
        env.sql(&format!(
            "SELECT group_concat(kind || ',' || ifnull(ref, '') || ',' || title || ',' ||
                    ifnull(assignee_id, '') || ',' || due_on, ';')
             FROM (SELECT i.* FROM handover_items i JOIN handovers h ON h.id = i.handover_id
                   JOIN employees e ON e.id = h.employee_id WHERE e.code = '{employee}' ORDER BY i.id)"
        ))
    };
    assert_eq!(items(&env, "E001"), items(&by_command, "E001"));
    let actions: String =
        env.sql("SELECT group_concat(action, ',') FROM (SELECT action FROM events ORDER BY id)");
    assert!(
        actions.ends_with("handover.open,handover.open,handover.import"),
        "{actions}"
    );
}

#[test]
fn a_bad_handover_row_leaves_the_database_unchanged() {
    let env = TestEnv::new().with_registry();
    env.ok(&[
        "handover",
        "open",
        "--employee",
        "E003",
        "--leaving-on",
        "2026-04-01",
    ]);
    let header = "employee,leaving_on,successor,reason";
    let good = "E002,2026-03-20,E003,resign";
    for (row, expected) in [
        (
            "E999,2026-03-20,,resign",
            "column \"employee\": value \"E999\": no employee \"E999\"",
        ),
        ("E001,2026-03-20,E999,resign", "no employee \"E999\""),
        (
            "E001,2026-03-20,E001,resign",
            "successor E001 is the employee who leaves",
        ),
        (
            "E001,2026-03-20,,fired",
            "column \"reason\": value \"fired\"",
        ),
        (
            "E001,2026-02-30,,resign",
            "column \"leaving_on\": value \"2026-02-30\"",
        ),
        (
            "E001,,,resign",
            "column \"leaving_on\": value \"\": must not be empty",
        ),
        (
            "E003,2026-03-31,,resign",
            "employee E003 has an open handover already",
        ),
    ] {
        let err = refused_file(&env, "handovers", &format!("{header}\n{good}\n{row}\n"));
        assert!(err.contains("1 bad rows; nothing was imported"), "{err}");
        assert!(err.contains(":3: "), "{row}: {err}");
        assert!(err.contains(expected), "{row}: {err}");
    }
    let err = refused_file(
        &env,
        "handovers",
        "employee,leaving_on,status\nE001,2026-03-20,closed\n",
    );
    assert!(
        err.contains("column \"status\": value \"closed\": an import opens handovers"),
        "{err}"
    );
    let err = refused_file(&env, "handovers", "employee,successor\nE001,E002\n");
    assert!(err.contains("missing column leaving_on"), "{err}");
}

#[test]
fn handovers_skip_mode_and_zh_headers() {
    let env = TestEnv::new().with_registry();
    let (summary, text) = zh_skipping(
        &env,
        "handovers",
        "离职.csv",
        "employee,leaving_on,successor,reason",
        "E001,2026-03-20,E002,resign\nE999,2026-03-20,,resign\nE003,2026-03-31,,retire\n",
    );
    assert_eq!(
        (summary["inserted"].clone(), summary["rejected"].clone()),
        (2.into(), 1.into())
    );
    assert!(text.contains("E999,2026-03-20,,resign,"), "{text}");
    assert_eq!(env.json(&["employee", "show", "E003"])["status"], "leaving");
    assert_eq!(env.json(&["employee", "show", "E002"])["status"], "active");
}

#[test]
fn re_importing_handovers_leaves_them_unchanged() {
    let env = TestEnv::new().with_registry();
    let content = "employee,leaving_on,successor,reason\nE001,2026-03-20,E002,resign\n";
    let file = write(&env, "handovers.csv", content);
    env.ok(&["import", "handovers", &file]);
    let before = records(&env);
    let summary = env.json(&["import", "handovers", &file]);
    assert_eq!(
        (
            summary["rows"].clone(),
            summary["inserted"].clone(),
            summary["updated"].clone()
        ),
        (1.into(), 0.into(), 0.into())
    );
    assert_eq!(
        records(&env).split_once('|').unwrap().1,
        before.split_once('|').unwrap().1
    );
    let last: String = env.sql("SELECT action FROM events ORDER BY id DESC LIMIT 1");
    let opened: i64 = env.sql("SELECT count(*) FROM events WHERE action = 'handover.open'");
    assert_eq!((last.as_str(), opened), ("handover.import", 1));

    let err = refused_file(
        &env,
        "handovers",
        "employee,leaving_on,successor,reason\nE001,2026-03-20,E003,resign\n",
    );
    assert!(err.contains("column \"successor\": value \"E003\": handover 1 of this departure has successor \"E002\""), "{err}");
    let err = refused_file(
        &env,
        "handovers",
        "employee,leaving_on,successor,reason\nE001,2026-03-27,E002,resign\n",
    );
    assert!(err.contains("has an open handover already: 1"), "{err}");
    let err = refused_file(
        &env,
        "handovers",
        "employee,leaving_on\nE003,2026-03-31\nE003,2026-03-31\n",
    );
    assert!(
        err.contains(":3: column \"employee\": value \"E003\": the same key is on line 2"),
        "{err}"
    );

    // A closed handover re-imported from an export is the same one.
    env.ok(&[
        "handover",
        "close",
        "1",
        "--force",
        "--reason",
        "客户已终止合作",
    ]);
    let export = env.ok(&["handover", "list", "--format", "csv"]);
    let file = write(&env, "export.csv", &export);
    let summary = env.json(&["import", "handovers", &file]);
    assert_eq!(
        (summary["rows"].clone(), summary["inserted"].clone()),
        (1.into(), 0.into())
    );
}

#[test]
fn a_handover_export_imports_into_a_fresh_database() {
    let env = TestEnv::new().with_registry();
    env.open_handover(Some("E002"));
    env.ok(&[
        "handover",
        "open",
        "--employee",
        "E003",
        "--leaving-on",
        "2026-02-20",
        "--reason",
        "retire",
    ]);
    let export = env.ok(&["handover", "list", "--format", "csv"]);
    let ledger = env.ok(&["handover", "ledger", "--format", "csv"]);

    let copy = TestEnv::new().with_registry();
    let file = write(&copy, "handovers.csv", &export);
    let summary = copy.json(&["import", "handovers", &file]);
    assert_eq!(summary["inserted"], 2);
    assert_eq!(copy.ok(&["handover", "list", "--format", "csv"]), export);
    assert_eq!(copy.ok(&["handover", "ledger", "--format", "csv"]), ledger);

    let json = env.ok(&["handover", "list", "--format", "json"]);
    let again = write(&copy, "handovers.json", &json);
    let summary = copy.json(&["import", "handovers", &again]);
    assert_eq!(
        (summary["rows"].clone(), summary["inserted"].clone()),
        (2.into(), 0.into())
    );
}

const COMPLAINTS: &str = "received_at,customer,complainant,summary,category,channel,handover";

#[test]
fn complaints_import_with_the_deadlines_complaint_file_computes() {
    let env = TestEnv::new().with_registry();
    env.open_handover(Some("E002"));
    let file = write(
        &env,
        "complaints.csv",
        format!(
            "{COMPLAINTS}\n\
             2026-02-13 17:00,C001,,新对接人不熟悉配方,service-gap,phone,1\n\
             2026-02-27T09:30:00+08:00,,王女士,承诺的折扣未兑现,commitment,visit,\n"
        ),
    );
    let summary = env.json(&["import", "complaints", &file]);
    assert_eq!(
        (summary["entity"].clone(), summary["inserted"].clone()),
        ("complaints".into(), 2.into())
    );

    let by_command = TestEnv::new().with_registry();
    by_command.ok(&[
        "handover",
        "open",
        "--employee",
        "E001",
        "--leaving-on",
        "2026-03-20",
        "--successor",
        "E002",
    ]);
    by_command.ok(&[
        "complaint",
        "file",
        "--customer",
        "C001",
        "--summary",
        "新对接人不熟悉配方",
        "--category",
        "service-gap",
        "--channel",
        "phone",
        "--received-at",
        "2026-02-13 17:00",
        "--handover",
        "1",
    ]);
    by_command.ok(&[
        "complaint",
        "file",
        "--complainant",
        "王女士",
        "--summary",
        "承诺的折扣未兑现",
        "--category",
        "commitment",
        "--channel",
        "visit",
        "--received-at",
        "2026-02-27 09:30",
    ]);
    let list = |env: &TestEnv| env.ok(&["complaint", "list", "--format", "csv"]);
    assert_eq!(list(&env), list(&by_command));
    let first = env.json(&["complaint", "show", "1"]);
    assert_eq!(first["accept_due"], "2026-02-14T17:00:00+08:00", "24h");
    assert_eq!(first["handover"], 1);
    assert_eq!(first["events"][0]["action"], "file");
    let actions: String =
        env.sql("SELECT group_concat(action, ',') FROM (SELECT action FROM events ORDER BY id)");
    assert!(
        actions.ends_with("complaint.file,complaint.file,complaint.import"),
        "{actions}"
    );
}

#[test]
fn a_bad_complaint_row_leaves_the_database_unchanged() {
    let env = TestEnv::new().with_registry();
    let good = "2026-02-27 09:30,C001,,发票开错,billing,online,";
    for (row, expected) in [
        (
            "2026-02-27 10:00,C999,,发票开错,billing,online,",
            "column \"customer\": value \"C999\": no customer \"C999\"",
        ),
        (
            "2026-02-27 10:00,C001,,发票开错,billing,online,7",
            "no handover 7",
        ),
        (
            "2026-02-27 10:00,C001,,发票开错,billing,online,x",
            "column \"handover\": value \"x\"",
        ),
        (
            "2026-02-27 10:00,C001,,发票开错,money,online,",
            "column \"category\": value \"money\"",
        ),
        (
            "2026-02-27 10:00,C001,,发票开错,billing,fax,",
            "column \"channel\": value \"fax\"",
        ),
        (
            "2026-02-30 10:00,C001,,发票开错,billing,online,",
            "column \"received_at\": value \"2026-02-30 10:00\"",
        ),
        (
            "2026-03-03 10:00,C001,,发票开错,billing,online,",
            "is in the future",
        ),
        (
            "2026-02-27 10:00,C001,王女士,发票开错,billing,online,",
            "either a customer or a complainant",
        ),
        (
            "2026-02-27 10:00,,,发票开错,billing,online,",
            "either a customer or a complainant",
        ),
        (
            "2026-02-27 10:00,C001,,,billing,online,",
            "column \"summary\": value \"\": must not be empty",
        ),
    ] {
        let err = refused_file(
            &env,
            "complaints",
            &format!("{COMPLAINTS}\n{good}\n{row}\n"),
        );
        assert!(err.contains("1 bad rows; nothing was imported"), "{err}");
        assert!(
            err.contains(":3: ") && err.contains(expected),
            "{row}: {err}"
        );
    }
    let err = refused_file(
        &env,
        "complaints",
        "received_at,customer,summary,status\n2026-02-27 10:00,C001,发票开错,resolved\n",
    );
    assert!(
        err.contains(
            "column \"status\": value \"resolved\": an import files new complaints as received"
        ),
        "{err}"
    );
    let err = refused_file(&env, "complaints", "customer,summary\nC001,发票开错\n");
    assert!(err.contains("missing column received_at"), "{err}");
}

#[test]
fn complaints_skip_mode_and_zh_headers() {
    let env = TestEnv::new().with_registry();
    let (summary, text) = zh_skipping(
        &env,
        "complaints",
        "投诉.csv",
        COMPLAINTS,
        "2026-02-27 09:30,C001,,发票开错,billing,online,\n2026-02-27 10:00,C999,,没人回电,service-gap,phone,\n",
    );
    assert_eq!(
        (summary["inserted"].clone(), summary["rejected"].clone()),
        (1.into(), 1.into())
    );
    assert!(
        text.contains("C999,,没人回电,service-gap,phone,,"),
        "{text}"
    );
    assert_eq!(env.json(&["complaint", "show", "1"])["summary"], "发票开错");
}

#[test]
fn re_importing_complaints_finds_them_by_time_party_and_summary() {
    let env = TestEnv::new().with_registry();
    let content = format!(
        "{COMPLAINTS}\n2026-02-27 09:30,C001,,发票开错,billing,online,\n2026-02-27 09:30,,王女士,发票开错,billing,online,\n"
    );
    let file = write(&env, "complaints.csv", &content);
    assert_eq!(
        env.json(&["import", "complaints", &file])["inserted"],
        2,
        "another party is another complaint"
    );
    env.ok(&["complaint", "accept", "1"]);
    let before = records(&env);
    let summary = env.json(&["import", "complaints", &file]);
    assert_eq!(
        (
            summary["rows"].clone(),
            summary["inserted"].clone(),
            summary["updated"].clone()
        ),
        (2.into(), 0.into(), 0.into())
    );
    assert_eq!(
        records(&env).split_once('|').unwrap().1,
        before.split_once('|').unwrap().1
    );

    let err = refused_file(
        &env,
        "complaints",
        &format!("{COMPLAINTS}\n2026-02-27 09:30,C001,,发票开错,quality,online,\n"),
    );
    assert!(err.contains("column \"category\": value \"quality\": complaint 1 (same time, party and summary) has category \"billing\""), "{err}");
    let err = refused_file(
        &env,
        "complaints",
        &format!("{COMPLAINTS}\n2026-02-28 09:30,C002,,没人回电,,,\n2026-02-28 09:30,C002,,没人回电,,,\n"),
    );
    assert!(
        err.contains(":3: column \"summary\": value \"没人回电\": the same key is on line 2"),
        "{err}"
    );

    let updated = write(
        &env,
        "more.csv",
        format!("{content}2026-02-27 09:31,C001,,发票开错,billing,online,\n"),
    );
    assert_eq!(
        env.json(&["import", "complaints", &updated])["inserted"],
        1,
        "a minute later is a new one"
    );
}

#[test]
fn a_complaint_export_imports_into_a_fresh_database() {
    let env = TestEnv::new().with_registry();
    env.open_handover(Some("E002"));
    env.ok(&[
        "complaint",
        "file",
        "--customer",
        "C001",
        "--summary",
        "新对接人不熟悉配方",
        "--category",
        "service-gap",
        "--received-at",
        "2026-02-13 17:00",
        "--handover",
        "1",
    ]);
    env.ok(&[
        "complaint",
        "file",
        "--complainant",
        "王女士",
        "--summary",
        "折扣未兑现",
        "--received-at",
        "2026-02-28 08:15",
    ]);
    let export = env.ok(&["complaint", "list", "--format", "csv"]);

    let copy = TestEnv::new().with_registry();
    copy.ok(&[
        "handover",
        "open",
        "--employee",
        "E001",
        "--leaving-on",
        "2026-03-20",
        "--successor",
        "E002",
    ]);
    let file = write(&copy, "complaints.csv", &export);
    assert_eq!(copy.json(&["import", "complaints", &file])["inserted"], 2);
    assert_eq!(copy.ok(&["complaint", "list", "--format", "csv"]), export);
    let summary = copy.json(&["import", "complaints", &file]);
    assert_eq!(
        (summary["rows"].clone(), summary["inserted"].clone()),
        (2.into(), 0.into())
    );
}

const CREDIT: &str = "subject,id_number,code,occurred_on,note";
/// A valid resident ID number (GB 11643's example).
const ID_NUMBER: &str = "11010519491231002X";

fn credit_rows() -> String {
    format!(
        "{CREDIT}\n\
         employee:E001,,handover-refused,2026-02-10,拒不配合交接\n\
         company:{USCC_A},,no-handover-rules,2026-01-05,\n\
         person:陈某,{ID_NUMBER},trade-secret-leaked,2025-12-15,出售核心代码\n\
         person:李四,,customer-data-taken,2026-02-01,\n"
    )
}

#[test]
fn credit_events_import_as_credit_record_records_them() {
    let env = TestEnv::new().with_registry();
    let file = write(&env, "credit.csv", credit_rows());
    let summary = env.json(&["import", "credit", &file]);
    assert_eq!(
        (summary["entity"].clone(), summary["inserted"].clone()),
        ("credit".into(), 4.into())
    );

    let by_command = TestEnv::new().with_registry();
    for args in [
        vec![
            "--employee",
            "E001",
            "--code",
            "handover-refused",
            "--date",
            "2026-02-10",
            "--note",
            "拒不配合交接",
        ],
        vec![
            "--company-subject",
            USCC_A,
            "--code",
            "no-handover-rules",
            "--date",
            "2026-01-05",
        ],
        vec![
            "--person",
            "陈某",
            "--id-number",
            ID_NUMBER,
            "--code",
            "trade-secret-leaked",
            "--date",
            "2025-12-15",
            "--note",
            "出售核心代码",
        ],
        vec![
            "--person",
            "李四",
            "--code",
            "customer-data-taken",
            "--date",
            "2026-02-01",
        ],
    ] {
        let mut all = vec!["credit", "record"];
        all.extend(args);
        by_command.ok(&all);
    }
    let scores = |env: &TestEnv| env.ok(&["credit", "score", "--format", "csv", "--reveal"]);
    assert_eq!(scores(&env), scores(&by_command));
    let history = |env: &TestEnv| {
        env.ok(&[
            "credit",
            "history",
            "person:陈某",
            "--format",
            "csv",
            "--reveal",
        ])
    };
    assert_eq!(history(&env), history(&by_command));
    assert!(history(&env).contains(ID_NUMBER));
    let actions: String =
        env.sql("SELECT group_concat(action, ',') FROM (SELECT action FROM events WHERE action LIKE 'credit.%' ORDER BY id DESC)");
    assert_eq!(
        actions,
        "credit.import,credit.record,credit.record,credit.record,credit.record"
    );
}

#[test]
fn a_bad_credit_row_leaves_the_database_unchanged() {
    let env = TestEnv::new().with_registry();
    let good = "employee:E002,,handover-refused,2026-02-10,";
    for (row, expected) in [
        (
            "employee:E001,,no-such-thing,2026-02-10,",
            "column \"code\": value \"no-such-thing\": no entry",
        ),
        (
            &*format!("company:{USCC_A},,customer-data-taken,2026-02-10,"),
            "applies to person, not to a company",
        ),
        (
            "employee:E999,,handover-refused,2026-02-10,",
            "column \"subject\": value \"employee:E999\": no employee \"E999\"",
        ),
        (
            "boss:王磊,,handover-refused,2026-02-10,",
            "column \"subject\": value \"boss:王磊\": invalid subject",
        ),
        (
            "employee:E001,,handover-refused,2026-02-30,",
            "column \"occurred_on\": value \"2026-02-30\"",
        ),
        (
            "employee:E001,,handover-refused,2026-03-05,",
            "date 2026-03-05 is in the future",
        ),
        (
            "person:陈某,110105194912310021,trade-secret-leaked,2026-02-10,",
            "column \"id_number\": value \"110105194912310021\"",
        ),
        (
            "employee:E001,11010519491231002X,handover-refused,2026-02-10,",
            "an ID number belongs to a person subject",
        ),
    ] {
        let err = refused_file(&env, "credit", &format!("{CREDIT}\n{good}\n{row}\n"));
        assert!(err.contains("1 bad rows; nothing was imported"), "{err}");
        assert!(
            err.contains(":3: ") && err.contains(expected),
            "{row}: {err}"
        );
    }
    let err = refused_file(
        &env,
        "credit",
        &format!("subject,code,occurred_on,company\nemployee:E001,handover-refused,2026-02-10,{USCC_B}\n"),
    );
    assert!(err.contains(&format!("column \"company\": value \"{USCC_B}\": this row would be recorded in company {USCC_A}")), "{err}");
    let err = refused_file(
        &env,
        "credit",
        "subject,code,occurred_on,status\nemployee:E001,handover-refused,2026-02-10,revoked\n",
    );
    assert!(
        err.contains("column \"status\": value \"revoked\": an import records active events"),
        "{err}"
    );
    let err = refused_file(
        &env,
        "credit",
        "subject,occurred_on\nemployee:E001,2026-02-10\n",
    );
    assert!(err.contains("missing column code"), "{err}");
}

#[test]
fn credit_skip_mode_and_zh_headers() {
    let env = TestEnv::new().with_registry();
    let (summary, text) = zh_skipping(
        &env,
        "credit",
        "信用.csv",
        CREDIT,
        "employee:E001,,handover-refused,2026-02-10,拒不配合交接\nemployee:E001,,handover-refused,2026-02-31,\n",
    );
    assert_eq!(
        (summary["inserted"].clone(), summary["rejected"].clone()),
        (1.into(), 1.into())
    );
    assert!(
        text.contains("employee:E001,,handover-refused,2026-02-31,,"),
        "{text}"
    );
    assert_eq!(env.json(&["credit", "score", "employee:E001"])["score"], 75);
}

#[test]
fn re_importing_credit_events_leaves_them_unchanged() {
    let env = TestEnv::new().with_registry();
    let file = write(&env, "rows.csv", credit_rows());
    env.ok(&["import", "credit", &file]);
    let before = records(&env);
    let summary = env.json(&["import", "credit", &file]);
    assert_eq!(
        (
            summary["rows"].clone(),
            summary["inserted"].clone(),
            summary["updated"].clone()
        ),
        (4.into(), 0.into(), 0.into())
    );
    assert_eq!(
        records(&env).split_once('|').unwrap().1,
        before.split_once('|').unwrap().1
    );
    // `credit record` still refuses the same event.
    env.fails(
        &[
            "credit",
            "record",
            "--employee",
            "E001",
            "--code",
            "handover-refused",
            "--date",
            "2026-02-10",
        ],
        3,
    );
    let err = refused_file(
        &env,
        "credit",
        &format!("{CREDIT}\nemployee:E002,,handover-refused,2026-02-10,\nemployee:E002,,handover-refused,2026-02-10,\n"),
    );
    assert!(
        err.contains(":3: column \"code\": value \"handover-refused\": the same key is on line 2"),
        "{err}"
    );

    // A revoked event re-imported from its history stays revoked; an active twin may follow.
    env.ok(&["credit", "revoke", "1", "--reason", "记错了人"]);
    let history = env.ok(&["credit", "history", "employee:E001", "--format", "csv"]);
    let again = write(&env, "history.csv", &history);
    let summary = env.json(&["import", "credit", &again]);
    assert_eq!(
        (summary["rows"].clone(), summary["inserted"].clone()),
        (1.into(), 0.into())
    );
    assert_eq!(
        env.json(&["import", "credit", &file])["inserted"],
        1,
        "the revoked one is recorded anew"
    );
}

#[test]
fn a_credit_history_export_imports_into_a_fresh_database() {
    let env = TestEnv::new().with_registry();
    let file = write(&env, "credit.csv", credit_rows());
    env.ok(&["import", "credit", &file]);
    env.ok(&[
        "credit",
        "record",
        "--employee",
        "E001",
        "--code",
        "service-manual-handover",
        "--date",
        "2026-02-20",
    ]);
    let copy = TestEnv::new().with_registry();
    for subject in [
        "employee:E001",
        &format!("company:{USCC_A}"),
        "person:陈某",
        "person:李四",
    ] {
        let history =
            |env: &TestEnv| env.ok(&["credit", "history", subject, "--format", "csv", "--reveal"]);
        let export = history(&env);
        let file = write(&copy, "history.csv", &export);
        copy.ok(&["import", "credit", &file]);
        assert_eq!(
            history(&copy)
                .lines()
                .map(|l| l.split_once(',').unwrap().1)
                .collect::<Vec<_>>(),
            export
                .lines()
                .map(|l| l.split_once(',').unwrap().1)
                .collect::<Vec<_>>(),
            "{subject} (ids follow the import order)"
        );
    }
    let scores = |env: &TestEnv| env.ok(&["credit", "score", "--format", "csv", "--reveal"]);
    assert_eq!(scores(&copy), scores(&env));

    let masked = env.ok(&["credit", "history", "person:陈某", "--format", "csv"]);
    let file = write(&copy, "masked.csv", &masked);
    let err = copy.fails(&["import", "credit", &file], 4);
    assert!(
        err.contains("column \"id_number\": value \"110105********002X\""),
        "{err}"
    );
}

#[test]
fn the_example_handovers_complaints_and_credit_import_on_the_example_registry() {
    let env = TestEnv::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/import");
    let import = |what: &str| {
        let file = dir.join(format!("{what}.csv"));
        env.json(&["import", what, file.to_str().unwrap()])
    };
    for what in ["companies", "employees", "customers"] {
        import(what);
    }
    for (what, count) in [("handovers", 2), ("complaints", 3), ("credit", 4)] {
        let summary = import(what);
        assert_eq!(
            (summary["inserted"].clone(), summary["rejected"].clone()),
            (count.into(), 0.into()),
            "{what}"
        );
    }
    assert_eq!(env.json(&["complaint", "show", "1"])["handover"], 1);
    assert_eq!(env.json(&["employee", "show", "E004"])["status"], "leaving");
    for what in ["handovers", "complaints", "credit"] {
        let summary = import(what);
        assert_eq!(
            (summary["inserted"].clone(), summary["updated"].clone()),
            (0.into(), 0.into()),
            "{what} again"
        );
    }
}
