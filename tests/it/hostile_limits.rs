//! Hostile sizes and partial imports (#20.8, #20.14): values longer than their field takes,
//! records longer than 1 MiB, errors that would echo them whole, error lines that would
//! carry control characters, and the exit code of an import that left rows out.

use serde_json::Value;

use crate::util::{TestEnv, USCC_A};

#[test]
fn an_option_longer_than_its_field_takes_is_refused_naming_field_limit_and_length() {
    let env = TestEnv::new().with_registry();
    let name = "王".repeat(201);
    let err = env
        .run("employee add --id E009 --role rnd --name")
        .arg(&name)
        .fails(4);
    assert!(
        err.starts_with("error: --name is 201 characters long, more than the 200 allowed\n"),
        "{err}"
    );
    assert!(err.contains("hint: shorten it"), "{err}");
    assert!(
        !err.contains(&"王".repeat(81)),
        "the value is not echoed: {err}"
    );
    let err = env
        .run("--lang zh employee add --id E009 --role rnd --name")
        .arg(&name)
        .fails(4);
    assert!(err.contains("--name 长 201 个字符，超过上限 200"), "{err}");
    let summary = "x".repeat(4001);
    let err = env
        .run("complaint file --customer C001 --summary")
        .arg(&summary)
        .fails(4);
    assert!(
        err.contains("--summary is 4001 characters long, more than the 4000 allowed"),
        "{err}"
    );
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM employees WHERE code = 'E009'"),
        0
    );
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM complaints"), 0);
    // At the limit it is taken.
    env.run("employee add --id E009 --role rnd --name")
        .arg("王".repeat(200))
        .ok();
    env.run("complaint file --customer C001 --summary")
        .arg("x".repeat(4000))
        .ok();
}

#[test]
fn an_imported_cell_longer_than_its_column_takes_is_a_row_error_with_file_and_line() {
    let env = TestEnv::new().with_registry();
    let long = "x".repeat(201);
    let file = env.file(
        "long.csv",
        format!("id,name,tier,owner\nC010,好,core,E001\nC011,{long},core,E001\n"),
    );
    let err = env.fails(&format!("import customers {file}"), 4);
    let cut = "x".repeat(80);
    assert!(
        err.contains(&format!(
            "long.csv:3: column \"name\": value \"{cut}…\" (201 characters): is 201 characters long, more than the 200 allowed"
        )),
        "{err}"
    );
    assert!(!err.contains(&"x".repeat(81)), "{err}");
    let json = env.file(
        "long.jsonl",
        format!(
            "{{\"id\":\"C010\",\"name\":\"好\",\"tier\":\"core\",\"owner\":\"E001\"}}\n\
             {{\"id\":\"C011\",\"name\":\"好\",\"tier\":\"core\",\"owner\":\"E001\",\"confidential\":\"{}\"}}\n",
            "y".repeat(4001)
        ),
    );
    let err = env.fails(&format!("import customers {json}"), 4);
    assert!(
        err.contains("long.jsonl:2: column \"confidential\"")
            && err.contains("(4001 characters): is 4001 characters long"),
        "{err}"
    );
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM customers"), 4);
}

/// A file of `head`, then `size` bytes of `fill`, then `tail`.
fn big_file(env: &TestEnv, name: &str, head: &str, fill: u8, size: usize, tail: &str) -> String {
    let mut bytes = head.as_bytes().to_vec();
    bytes.resize(bytes.len() + size, fill);
    bytes.extend_from_slice(tail.as_bytes());
    env.file(name, bytes)
}

#[test]
fn a_record_over_1_mib_stops_the_import_at_its_line_and_imports_nothing() {
    let env = TestEnv::new().with_registry();
    const TWO_MIB: usize = 2 << 20;
    let cases = [
        (
            big_file(
                &env,
                "line.csv",
                "id,name,tier,owner\nC010,a,core,E001\nC011,",
                b'x',
                TWO_MIB,
                ",core,E001\n",
            ),
            "line.csv:3:",
        ),
        (
            big_file(
                &env,
                "header.csv",
                "id,name,tier,owner,",
                b'h',
                TWO_MIB,
                "\n",
            ),
            "header.csv:1:",
        ),
        // A stray quote: the record runs on over many short lines.
        (
            big_file(
                &env,
                "quote.csv",
                "id,name,tier,owner\nC010,\"a,core,E001\n",
                b'\n',
                TWO_MIB,
                "",
            ),
            "quote.csv:2:",
        ),
        (
            big_file(
                &env,
                "line.jsonl",
                "{\"id\":\"C010\"}\n{\"id\":\"",
                b'x',
                TWO_MIB,
                "\"}\n",
            ),
            "line.jsonl:2:",
        ),
        (
            big_file(
                &env,
                "array.json",
                "[{\"id\":\"C010\",\"name\":\"a\",\"tier\":\"core\",\"owner\":\"E001\"},{\"id\":\"",
                b'x',
                TWO_MIB,
                "\"}]",
            ),
            "array.json:record 2:",
        ),
    ];
    for (file, at) in cases {
        for mode in ["", " --on-error skip"] {
            let err = env.fails(&format!("import customers {file}{mode}"), 4);
            assert!(
                err.contains(&format!(
                    "{at} the record is longer than 1 MiB; nothing was imported"
                )),
                "{err}"
            );
            assert!(err.len() < 1000, "{} bytes of error", err.len());
        }
    }
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM customers"), 4);
    // Just under the limit, a record is read (and its cell refused by the field's limit).
    let file = big_file(
        &env,
        "under.csv",
        "id,name,tier,owner\nC010,",
        b'x',
        1_000_000,
        ",core,E001\n",
    );
    let err = env.fails(&format!("import customers {file}"), 4);
    assert!(err.contains("under.csv:2: column \"name\""), "{err}");
    // The limit is per record: a JSON array of short records on one line of 1.3 MB is read.
    let records: Vec<String> = (0..10_000)
        .map(|i| {
            format!(
                "{{\"id\":\"K{i:05}\",\"name\":\"{}\",\"tier\":\"normal\",\"owner\":\"E001\"}}",
                "y".repeat(60)
            )
        })
        .collect();
    let file = env.file("compact.json", format!("[{}]", records.join(",")));
    assert!(std::fs::metadata(&file).unwrap().len() > 1 << 20);
    let summary = env.json(&format!("import customers {file} --dry-run"));
    assert_eq!(summary["inserted"], 10_000);
}

#[test]
fn errors_show_80_characters_of_a_value_and_its_length() {
    let env = TestEnv::new().with_registry();
    let column = "h".repeat(500);
    let file = env.file("head.csv", format!("id,name,tier,owner,{column}\n"));
    let err = env.fails(&format!("import customers {file}"), 4);
    assert!(
        err.contains(&format!(
            "unknown column \"{}…\" (500 characters)",
            "h".repeat(80)
        )),
        "{err}"
    );
    assert!(!err.contains(&"h".repeat(81)), "{err}");
    // clap's own message about a value it refuses is cut too.
    let err = env
        .run("employee add --id E009 --name a --role")
        .arg("r".repeat(1000))
        .fails(2);
    assert!(
        err.contains("… (") && !err.contains(&"r".repeat(300)),
        "{err}"
    );
}

#[test]
fn error_lines_escape_control_characters_and_bidi_overrides() {
    let env = TestEnv::new().with_registry();
    let missing = env
        .run_args(["import", "customers", "x\u{1b}[2J\u{202e}vsc\u{2066}.csv"])
        .fails(1);
    assert!(
        missing.contains("cannot read x\\x1b[2J\\u{202e}vsc\\u{2066}.csv"),
        "{missing}"
    );
    let refused = env
        .run_args([
            "employee",
            "add",
            "--id",
            "E9",
            "--name",
            "a",
            "--role",
            "r\u{202e}\u{7}",
        ])
        .fails(2);
    assert!(refused.contains("\\u{202e}"), "{refused}");
    for err in [missing, refused] {
        assert!(
            !err.contains(['\u{1b}', '\u{7}', '\u{202e}', '\u{2066}']),
            "{err:?}"
        );
    }
}

/// `baton import customers FILE ARGS --format json`: the exit code, the summary, stderr.
fn import(env: &TestEnv, file: &str, args: &str) -> (Option<i32>, Value, String) {
    let out = env
        .run(&format!("import customers {file} {args} --format json"))
        .output();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let summary = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), summary, stderr)
}

#[test]
fn an_import_that_left_rows_out_exits_5_and_a_clean_one_0() {
    let env = TestEnv::new();
    env.ok(&format!("company add --code {USCC_A} --name 甲"));
    env.ok("employee add --id E001 --name 王 --role rnd");
    let clean = env.file("clean.csv", "id,name,tier,owner\nC001,a,core,E001\n");
    let mixed = env.file(
        "mixed.csv",
        "id,name,tier,owner\nC002,b,core,E001\nC003,c,gold,E001\n",
    );
    let (code, summary, _) = import(&env, &clean, "--on-error skip");
    assert_eq!((code, summary["rejected"].as_i64()), (Some(0), Some(0)));

    let (code, summary, err) = import(&env, &mixed, "--on-error skip --dry-run");
    assert_eq!(code, Some(5), "{err}");
    assert_eq!(summary["rejected"], 1);
    assert!(err.contains("mixed.csv: 1 row would be rejected"), "{err}");
    assert!(err.contains("--rejects FILE"), "{err}");

    let (code, summary, err) = import(&env, &mixed, "--on-error skip --rejects rejects.csv");
    assert_eq!(code, Some(5), "{err}");
    assert_eq!(
        (summary["inserted"].as_i64(), summary["rejected"].as_i64()),
        (Some(1), Some(1))
    );
    assert!(
        err.contains("warning: ") && err.contains("mixed.csv:3: column \"tier\""),
        "{err}"
    );
    assert!(
        err.contains("error: ")
            && err.contains("mixed.csv: 1 row was rejected and left out; the others are imported"),
        "{err}"
    );
    assert!(err.contains("hint: fix the rows in rejects.csv"), "{err}");
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM customers"), 2);

    // Abort mode and a file refused whole keep exit 4.
    let (code, _, _) = import(&env, &mixed, "");
    assert_eq!(code, Some(4));
    let bad = env.file("bad.csv", "id,colour\nC009,red\n");
    let (code, _, _) = import(&env, &bad, "--on-error skip");
    assert_eq!(code, Some(4));
}
