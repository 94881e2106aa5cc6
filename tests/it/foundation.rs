use crate::util::{mode_of, TestEnv, USCC_A};

#[test]
fn init_creates_a_private_database_in_a_new_folder_and_prints_its_path() {
    let env = TestEnv::new();
    let out = env.ok("init");
    assert_eq!(out.trim(), env.db.display().to_string());
    assert_eq!(mode_of(&env.db), 0o600);
    assert_eq!(env.sql::<String>("PRAGMA journal_mode"), "wal");
    assert_eq!(env.sql::<i64>("PRAGMA page_size"), 8192);
    env.ok("init");
}

#[test]
fn a_database_from_a_newer_baton_is_refused_and_left_untouched() {
    let env = TestEnv::new();
    env.ok("init");
    env.exec("PRAGMA user_version = 999");
    let before = std::fs::read(&env.db).unwrap();
    let err = env.fails("status", 1);
    assert!(err.contains("newer") && err.contains("999"), "{err}");
    assert_eq!(env.sql::<i64>("PRAGMA user_version"), 999);
    assert_eq!(std::fs::read(&env.db).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_baton_database_is_refused() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.db.parent().unwrap()).unwrap();
    std::fs::write(&env.db, "just text, not SQLite").unwrap();
    env.fails("status", 1);
}

#[test]
fn a_tampered_audit_log_is_detected() {
    let env = TestEnv::new().with_registry();
    let out = env.run("log --verify").output();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("intact"));

    // The events refuse to change; an attacker drops the trigger that refuses, first.
    env.exec("DROP TRIGGER events_no_update; UPDATE events SET detail = '{}' WHERE id = 3");
    let err = env.fails("log --verify", 1);
    assert!(err.contains("event 3"), "{err}");
    assert!(
        err.contains("trigger events_no_update was dropped"),
        "{err}"
    );
}

#[test]
fn a_removed_audit_event_is_detected() {
    let env = TestEnv::new().with_registry();
    env.exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 4");
    let err = env.fails("log --verify", 1);
    assert!(err.contains("after event 3"), "{err}");
}

#[test]
fn the_log_filters_by_entity_id_actor_and_time() {
    let env = TestEnv::new().with_registry();
    env.run("customer update C002 --tier key")
        .env("BATON_NOW", "2026-03-05T09:00:00+08:00")
        .env("BATON_ACTOR", "clerk")
        .ok();
    let all = env.json("log");
    assert_eq!(all.as_array().unwrap().len(), 9);
    let by_clerk = env.json("log --actor clerk");
    assert_eq!(by_clerk.as_array().unwrap().len(), 1);
    assert_eq!(by_clerk[0]["at"], "2026-03-05T09:00:00+08:00");
    let since = env.json("log --since 2026-03-04");
    assert_eq!(since.as_array().unwrap().len(), 1);
    let one = env.json("log --entity customer --id C002");
    assert_eq!(one.as_array().unwrap().len(), 2);
    env.fails("log --since soon", 4);
    // The filter shares its name with the global option (who acts): its help is its own.
    for (lang, text) in [
        ("en", "Only events by this actor"),
        ("zh", "只看此操作人的事件"),
    ] {
        let help = env.ok(&format!("log --help --lang {lang}"));
        assert!(
            help.contains("--actor <NAME>") && help.contains(text),
            "{help}"
        );
    }
}

#[test]
fn config_show_prints_the_effective_config() {
    let env = TestEnv::new();
    let out = env.ok("config show --lang zh --actor clerk-wang");
    assert!(out.contains("lang = \"zh\""), "{out}");
    assert!(out.contains("actor = \"clerk-wang\""), "{out}");
    assert!(
        out.contains("accept = \"24h\"") && out.contains("resolve = \"45wd\""),
        "{out}"
    );
    assert!(out.contains(&env.db.display().to_string()), "{out}");
}

#[test]
fn config_init_writes_the_default_and_keeps_an_existing_file() {
    let env = TestEnv::new();
    env.ok("config init");
    let path = env.dir.path().join("config/baton/config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("[sla]"));
    std::fs::write(&path, "lang = \"zh\"\n").unwrap();
    let err = env.fails("config init", 3);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "lang = \"zh\"\n");
    env.ok("config init --force");
    assert!(std::fs::read_to_string(&path).unwrap().contains("[sla]"));
}

#[test]
fn the_config_file_sets_defaults_that_env_and_flags_override() {
    let env = TestEnv::new();
    let cfg = env.file("baton.toml", "lang = \"zh\"\nactor = \"from-file\"\n");
    let shown = env.ok(&format!("config show --config {cfg}"));
    assert!(
        shown.contains("lang = \"zh\"") && shown.contains("from-file"),
        "{shown}"
    );
    let out = env
        .run(&format!("config show --config {cfg}"))
        .env("BATON_ACTOR", "from-env")
        .output();
    assert!(String::from_utf8_lossy(&out.stdout).contains("from-env"));
    let text = env
        .run(&format!(
            "config show --config {cfg} --actor from-flag --lang en"
        ))
        .env("BATON_ACTOR", "from-env")
        .ok();
    assert!(
        text.contains("from-flag") && text.contains("lang = \"en\""),
        "{text}"
    );
}

#[test]
fn config_errors_name_the_file_the_key_and_the_value() {
    let env = TestEnv::new();
    let config = env.file("bad.toml", "[notify]\nlead_dayz = 3\n");
    let err = env.fails(&format!("status --config {config}"), 4);
    assert!(
        err.contains("bad.toml") && err.contains("lead_dayz"),
        "{err}"
    );
    env.file("bad.toml", "[sla]\naccept = \"3 weeks\"\n");
    let err = env.fails(&format!("status --config {config}"), 4);
    assert!(err.contains("bad.toml") && err.contains("3 weeks"), "{err}");
    let err = env.fails(
        &format!("status --config {}", env.path("missing.toml").display()),
        1,
    );
    assert!(err.contains("missing.toml"), "{err}");
}

#[test]
fn a_bad_baton_now_is_bad_input() {
    let env = TestEnv::new().at("yesterday-ish");
    let err = env.fails("status", 4);
    assert!(err.contains("yesterday-ish"), "{err}");
}

#[test]
fn usage_errors_exit_2_and_help_and_version_exit_0() {
    let env = TestEnv::new();
    env.fails("frobnicate", 2);
    env.fails("customer list --format xml", 2);
    env.fails("cust list", 2);
    let out = env.run("").output();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("customer"));
    assert!(env.ok("--version").starts_with("baton "));
    for group in [
        "--help",
        "customer --help",
        "employee --help",
        "company --help",
        "log --help",
    ] {
        assert!(env.ok(group).contains("Example"), "{group} has no examples");
    }
}

#[test]
fn completions_are_generated_for_each_shell() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish"] {
        assert!(
            env.ok(&format!("completions {shell}")).contains("customer"),
            "{shell}"
        );
    }
    assert!(!env.db.exists(), "completions must not create a database");
}

#[test]
fn the_demo_fills_a_fresh_database_once() {
    let env = TestEnv::new();
    let out = env.run("demo").output();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status = String::from_utf8_lossy(&out.stdout);
    assert!(status.contains("绿源食品添加剂"), "{status}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("A tour of the demo"));
    let err = env.fails("demo", 3);
    assert!(err.contains("holds data"), "{err}");
    env.ok("log --verify");

    let default = env.run("demo").env_remove("BATON_DB").output();
    assert!(default.status.success());
    let tour = String::from_utf8_lossy(&default.stderr);
    let db = env.path("xdg-data/baton/baton.db");
    assert!(db.exists(), "{tour}");
    assert!(
        tour.contains(&format!("baton --db {} handover show 1", db.display())),
        "{tour}"
    );
}

#[test]
fn read_commands_never_create_a_database_file() {
    let env = TestEnv::new();
    for read in ["status", "employee list", "log --verify", "handover list"] {
        let err = env.fails(read, 4);
        assert!(
            err.contains("no baton database at") && err.contains("baton demo"),
            "{read}: {err}"
        );
        assert!(!env.db.exists(), "{read} created {}", env.db.display());
    }
    let err = env.fails("status --lang zh", 4);
    assert!(err.contains("处没有 baton 数据库"), "{err}");
    assert!(env
        .json("credit catalog")
        .as_array()
        .is_some_and(|rows| !rows.is_empty()));
    assert!(!env.db.exists());
    env.ok(&format!("company add --code {USCC_A} --name 甲公司"));
    env.ok("status");
}

#[test]
fn status_has_one_row_per_company() {
    let env = TestEnv::new().with_registry();
    let rows = env.json("status");
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["company"], USCC_A);
    assert_eq!(rows[0]["customers"], 4);
    assert_eq!(rows[0]["at_risk_customers"], 1);
}

#[test]
fn backup_makes_a_copy_that_baton_opens_and_refuses_to_overwrite() {
    let env = TestEnv::new().with_registry();
    let copy = env.path("copy.db");
    let copy_arg = copy.display();
    env.ok(&format!("backup {copy_arg}"));
    assert_eq!(mode_of(&copy), 0o600);
    let listed = env.run("customer list").env("BATON_DB", &copy).json();
    assert_eq!(listed.as_array().unwrap().len(), 4);
    env.fails(&format!("backup {copy_arg}"), 3);
    env.ok(&format!("backup {copy_arg} --force"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    let env = TestEnv::new().with_registry();
    for i in 0..10 {
        env.ok(&format!("customer update C004 --contact 'contact {i}'"));
    }
    // Lists longer than a pipe holds: the CSV and JSON writers meet the closed pipe while
    // writing, and wrap its error in their own.
    let rows: String = (0..3000)
        .map(|i| format!("C{i:05},客户{i},normal,E003,13912345678\n"))
        .collect();
    let file = env.file("many.csv", format!("id,name,tier,owner,phone\n{rows}"));
    env.ok(&format!("import customers {file}"));
    for line in [
        "log --format csv",
        "customer list --format csv",
        "customer list --format json",
    ] {
        let mut child = env
            .run(line)
            .command()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert!(status.success(), "{line}: {status:?}: {stderr}");
        assert!(stderr.is_empty(), "{line}: {stderr}");
    }
}

#[test]
fn a_write_without_a_named_actor_says_the_log_records_unknown() {
    let env = TestEnv::new();
    let out = env
        .run(&format!("company add --code {USCC_A} --name 甲公司"))
        .env_remove("USER")
        .output();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("audit log records \"unknown\"") && err.contains("--actor"),
        "{err}"
    );
    let log = env.json("log --entity company");
    assert_eq!(log[0]["actor"], "unknown");
    let read = env.run("status").env_remove("USER").output();
    assert!(!String::from_utf8_lossy(&read.stderr).contains("unknown"));
}
