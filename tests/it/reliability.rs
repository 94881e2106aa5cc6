use std::thread;

use crate::util::TestEnv;

#[test]
fn concurrent_writers_lose_nothing_and_never_see_a_locked_database() {
    let env = TestEnv::new().with_registry();
    let (writers, each) = (6, 40);
    thread::scope(|scope| {
        for w in 0..writers {
            let env = &env;
            scope.spawn(move || {
                for i in 0..each {
                    let note = format!("W{w}-{i:02}");
                    let line = if i % 2 == 0 {
                        format!("complaint file --customer C001 --summary {note}")
                    } else {
                        format!("customer update C004 --contact {note}")
                    };
                    let stderr = env.run(&line).ok_stderr();
                    assert!(!stderr.contains("locked"), "{stderr}");
                }
            });
        }
    });
    let filed: i64 = env.sql("SELECT count(*) FROM complaints WHERE summary LIKE 'W%'");
    assert_eq!(filed, writers * each / 2);
    let updates: i64 = env.sql("SELECT count(*) FROM events WHERE action = 'customer.update'");
    assert_eq!(updates, writers * each / 2);
    env.ok("log --verify");
}

/// A bulk load (an import into an empty table) holds the database with a rollback journal.
/// A command that starts meanwhile cannot set the WAL: it must wait for the load like for
/// any lock, never fail with "database is locked".
#[test]
fn commands_during_a_bulk_load_wait_for_it() {
    let env = TestEnv::new().with_registry();
    let load = rusqlite::Connection::open(&env.db).unwrap();
    let mode: String = load
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    load.execute_batch(
        "BEGIN IMMEDIATE; UPDATE customers SET contact = 'load' WHERE code = 'C001';",
    )
    .unwrap();

    let stderr = env.run("customer show C002").ok_stderr();
    assert!(!stderr.contains("locked"), "{stderr}");
    let writer = env
        .run("customer update C002 --contact during")
        .command()
        .spawn()
        .unwrap();
    load.execute_batch("COMMIT").unwrap();
    let out = writer.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    drop(load);

    assert_eq!(
        env.sql::<String>("SELECT contact FROM customers WHERE code = 'C001'"),
        "load"
    );
    assert_eq!(
        env.sql::<String>("SELECT contact FROM customers WHERE code = 'C002'"),
        "during"
    );
    env.ok("status");
    assert_eq!(env.sql::<String>("PRAGMA journal_mode"), "wal");
    env.ok("log --verify");
}

#[test]
fn a_backup_taken_while_others_write_is_consistent() {
    let env = TestEnv::new().with_registry();
    let copy = env.path("during.db");
    thread::scope(|scope| {
        scope.spawn(|| {
            for i in 0..30 {
                env.ok(&format!(
                    "customer add --id B{i:02} --name x --tier normal --owner E003"
                ));
            }
        });
        env.ok(&format!("backup {}", copy.display()));
    });
    let conn = rusqlite::Connection::open(&copy).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    env.run("log --verify").env("BATON_DB", &copy).ok();
}

#[test]
fn an_unwritable_database_path_is_a_clear_runtime_error() {
    let env = TestEnv::new();
    let err = env.fails("--db /proc/baton/baton.db init", 1);
    assert!(err.contains("/proc/baton"), "{err}");
}

#[test]
fn hostile_strings_are_kept_as_data_in_every_format() {
    let env = TestEnv::new().with_registry();
    let names = [
        "Robert'); DROP TABLE customers;--",
        "\u{202e}evil\u{202c} name",
        "客户 🚀 with emoji",
        "comma, \"quote\"\nnewline",
    ];
    for (i, name) in names.iter().enumerate() {
        env.run(&format!(
            "customer add --id H{i} --tier normal --owner E003"
        ))
        .arg("--name")
        .arg(name)
        .ok();
    }
    let json = env.json("customer list --tier normal");
    let stored: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    for name in names {
        assert!(stored.contains(&name), "{name:?} not kept: {stored:?}");
    }
    let csv = env.ok("customer list --tier normal --format csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let from_csv: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    for name in names {
        assert!(from_csv.iter().any(|n| n == name), "{name:?} not in CSV");
    }
    env.ok("customer list");
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM customers"), 8);
}

#[test]
fn a_full_disk_rolls_the_change_back_and_leaves_the_database_intact() {
    let env = TestEnv::new().with_registry();
    // As long as a note may be (4000 characters, 12 KB).
    let notes = "保密".repeat(2_000);
    let mut added = 0;
    let mut failure = None;
    for i in 0..400 {
        // A file-size limit of 1 MiB stands in for a full disk; SIGXFSZ is ignored so that
        // writes fail with an error instead of killing the process.
        let script = format!(
            "trap '' XFSZ; ulimit -f 1024; exec \"$BATON\" customer add --id F{i:03} --name big --tier normal --owner E003 --confidential \"$NOTES\""
        );
        let out = env.shell(&script).env("NOTES", &notes).output().unwrap();
        if out.status.success() {
            added += 1;
        } else {
            failure = Some((
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            ));
            break;
        }
    }
    let (code, stderr) = failure.expect("the file-size limit was never reached");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains("hint: the disk may be full"),
        "{stderr}"
    );
    assert_eq!(env.sql::<String>("PRAGMA integrity_check"), "ok");
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM customers WHERE code LIKE 'F%'"),
        added
    );
    env.ok("log --verify");
}

#[test]
fn a_kill_during_evidence_add_leaves_no_trace_and_the_add_then_succeeds() {
    let env = TestEnv::new().with_registry();
    env.ok("complaint file --customer C001 --summary 订单积压");
    let chunk: Vec<u8> = (0..1024 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    let big = env.file("recording.bin", chunk.repeat(16));
    let mut wal = env.db.clone().into_os_string();
    wal.push("-wal");
    let wal = std::path::PathBuf::from(wal);
    let wal_before = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);

    let mut child = env
        .run(&format!("complaint evidence add 1 {big}"))
        .command()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait (without sleeping) until the write is well under way, then kill it.
    while std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) < wal_before + 4 * 1024 * 1024 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the add finished before it could be killed"
        );
        thread::yield_now();
    }
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(env.sql::<String>("PRAGMA integrity_check"), "ok");
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM evidence"), 0);
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM evidence_blobs"), 0);
    env.ok(&format!("complaint evidence add 1 {big}"));
    env.ok("complaint evidence verify");
    env.ok("log --verify");
}
