//! Hostile input and faults of issue #20, items 12 to 14: the edges of the calendar, a file
//! size limit, hyphen-leading dates, and damaged or read-only database files and configs.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use crate::util::TestEnv;

/// 20.12: a deadline past the year 9999 is refused, nothing is stored, and later commands
/// still work.
#[test]
fn deadlines_past_the_year_9999_are_refused_and_nothing_is_stored() {
    let env = TestEnv::new().with_registry();
    let err = env
        .run("complaint file --customer C001 --summary 跨年")
        .env("BATON_NOW", "9999-12-31T20:00:00+08:00")
        .fails(4);
    assert!(err.contains("after the year 9999"), "{err}");
    let filed: i64 = env.sql("SELECT count(*) FROM complaints");
    assert_eq!(filed, 0);
    env.ok("status");
    env.ok("complaint list");
}

/// 20.12: a clock whose local date is already the year 10000 is refused.
#[test]
fn a_clock_past_the_year_9999_in_local_time_is_refused() {
    let env = TestEnv::new().with_registry();
    let err = env
        .run("status")
        .env("BATON_NOW", "9999-12-31T23:00:00Z")
        .fails(4);
    assert!(err.contains("BATON_NOW"), "{err}");
}

/// 20.12: a leaving date of 0001-01-01 would put customers due in the year 0000.
#[test]
fn due_dates_before_the_year_0001_are_refused() {
    let env = TestEnv::new().with_registry();
    let err = env.fails("handover open --employee E001 --leaving-on 0001-01-01", 4);
    assert!(
        err.contains("0001-01-01") && err.contains("year 0001"),
        "{err}"
    );
    let opened: i64 = env.sql("SELECT count(*) FROM handovers");
    assert_eq!(opened, 0);
    let leaving: i64 = env.sql("SELECT count(*) FROM employees WHERE status = 'leaving'");
    assert_eq!(leaving, 0);
    env.ok("handover open --employee E001 --leaving-on 0001-01-04");
}

/// 20.13: past `ulimit -f` the write fails with the disk-full hint instead of SIGXFSZ.
#[test]
fn a_file_size_limit_is_a_clear_error_not_a_signal() {
    let env = TestEnv::new().with_registry();
    let out = env
        .shell("ulimit -f 1; exec \"$BATON\" employee add --id E009 --name 赵六 --role rnd")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("disk may be full"), "{stderr}");
    let added: i64 = env.sql("SELECT count(*) FROM employees WHERE code = 'E009'");
    assert_eq!(added, 0);
}

/// 20.14: the documented relative form `-2d` is a value, not a flag.
#[test]
fn hyphen_leading_dates_are_values() {
    let env = TestEnv::new().with_registry();
    env.ok("credit record --employee E002 --code purchase-list-leaked --date -2d");
    let date: String = env.sql("SELECT occurred_on FROM credit_events");
    assert_eq!(date, "2026-02-28");
    env.ok("log --since -2d");
    env.ok("handover ledger --from -30d --to +30d");
    env.ok("complaint file --customer C001 --summary 昨天 --received-at -1d");
}

/// 20.14: a config that is not UTF-8 is bad input naming the file.
#[test]
fn a_config_that_is_not_utf8_is_bad_input() {
    let env = TestEnv::new();
    let config = env.file("config.toml", b"[notify]\nlead_days = 3 # \xff\xfe\n");
    let err = env.fails(&format!("--config {config} status"), 4);
    assert!(err.contains(&config) && err.contains("UTF-8"), "{err}");
}

/// 20.14: an empty database file is refused, and left as it is.
#[test]
fn an_empty_database_file_is_refused() {
    let env = TestEnv::new();
    fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    fs::write(&env.db, b"").unwrap();
    let err = env.fails("status", 3);
    assert!(err.contains("empty") && err.contains("hint:"), "{err}");
    assert_eq!(fs::metadata(&env.db).unwrap().len(), 0);
}

/// 20.14: a negative schema version is refused, not reset.
#[test]
fn a_negative_schema_version_is_refused() {
    let env = TestEnv::new().with_registry();
    env.exec("PRAGMA user_version = -1");
    let err = env.fails("employee list", 3);
    assert!(err.contains("-1"), "{err}");
    let version: i64 = env.sql("PRAGMA user_version");
    assert_eq!(version, -1);
}

/// 20.14: reads work when the database's folder cannot be written (SQLite cannot create its
/// `-wal` and `-shm` files there); writes fail with exit 1. Root ignores permissions, so as
/// root the commands run as `nobody`, owner of the files.
#[test]
fn reads_work_in_a_read_only_folder() {
    let env = TestEnv::new().with_registry();
    let dir = env.db.parent().unwrap().to_owned();
    let root = is_root(&env);
    let run = |line: &str| {
        let script = if root {
            format!("exec setpriv --reuid=65534 --regid=65534 --clear-groups \"$BATON\" {line}")
        } else {
            format!("exec \"$BATON\" {line}")
        };
        env.shell(&script).output().unwrap()
    };
    if root {
        for path in [env.dir.path(), &dir, &env.db] {
            std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
        }
    }
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).unwrap();
    let status = run("status");
    let list = run("employee list --format json");
    let write = run("employee add --id E009 --name 赵六 --role rnd");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();

    let stderr = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(status.status.success(), "{}", stderr(&status));
    assert!(list.status.success(), "{}", stderr(&list));
    let employees: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(employees.as_array().unwrap().len(), 3);
    assert_eq!(write.status.code(), Some(1), "{}", stderr(&write));
    assert!(stderr(&write).contains("read-only"), "{}", stderr(&write));
}

/// Whether the tests run as root (`id -u` is 0).
fn is_root(env: &TestEnv) -> bool {
    let out = env.shell("id -u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}
