use crate::util::{TestEnv, USCC_A, USCC_B};
use serde_json::Value;

/// A valid resident ID number (the standard's example) and a second one.
const ID_1: &str = "11010519491231002X";
const ID_2: &str = "440524188001010014";

fn company_subject() -> String {
    format!("company:{USCC_A}")
}

/// `credit record` of the event `code` on `date` for the subject its `flags` name.
fn record(env: &TestEnv, flags: &str, code: &str, date: &str) -> Value {
    env.json(&format!(
        "credit record {flags} --code {code} --date {date}"
    ))
}

fn score(env: &TestEnv, subject: &str) -> Value {
    env.json(&format!("credit score {subject}"))
}

/// The subjects of `credit list` with these flags.
fn listed(env: &TestEnv, flags: &str) -> Vec<String> {
    env.json(&format!("credit list {flags}"))
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["subject"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_catalogue_lists_violations_and_incentives_in_both_languages() {
    let env = TestEnv::new();
    let entries = env.json("credit catalog");
    let entries = entries.as_array().unwrap();
    let kinds = |kind: &str| entries.iter().filter(|e| e["kind"] == kind).count();
    assert!(kinds("violation") >= 7 && kinds("incentive") >= 3);
    let sold = entries
        .iter()
        .find(|e| e["code"] == "trade-secret-leaked")
        .unwrap();
    assert_eq!(sold["severity"], "severe");
    assert_eq!(sold["applies_to"], "person");
    assert!(sold["name"].as_str().unwrap().contains("source code"));
    let zh = env.json("credit catalog --lang zh");
    assert!(zh[2]["name"].as_str().unwrap().contains("核心代码"));
    let table = env.ok("credit catalog --lang zh --wide");
    assert!(
        table.contains("适用对象") && table.contains("有效年限"),
        "{table}"
    );
}

#[test]
fn a_score_is_the_base_plus_active_points_and_falls_into_bands() {
    let env = TestEnv::new().with_registry();
    let company = company_subject();
    let subject = format!("--company-subject {USCC_A}");
    let fresh = score(&env, &company);
    assert_eq!(
        (fresh["score"].as_i64(), fresh["band"].as_str()),
        (Some(100), Some("A"))
    );

    let event = record(&env, &subject, "contact-change-not-notified", "2026-01-05");
    assert_eq!(event["points"], -10);
    assert_eq!(event["expires_on"], "2028-01-05");
    assert_eq!(event["status"], "active");
    let s = score(&env, &company);
    assert_eq!(
        (s["score"].as_i64(), s["band"].as_str()),
        (Some(90), Some("A"))
    );

    record(&env, &subject, "complaint-clock-breached", "2026-02-01");
    let s = score(&env, &company);
    assert_eq!(
        (s["score"].as_i64(), s["band"].as_str()),
        (Some(80), Some("B"))
    );
    assert_eq!(s["active_violations"], 2);

    record(&env, &subject, "service-integrity-award", "2026-02-10");
    let s = score(&env, &company);
    assert_eq!(
        (s["score"].as_i64(), s["band"].as_str()),
        (Some(95), Some("A"))
    );
    assert_eq!(s["active_incentives"], 1);
    assert_eq!(s["honoured"], false, "a violation is active");

    record(&env, &subject, "no-handover-rules", "2026-02-20");
    record(&env, &subject, "contact-change-not-notified", "2026-02-21");
    let s = score(&env, &company);
    assert_eq!(
        (s["score"].as_i64(), s["band"].as_str()),
        (Some(60), Some("C"))
    );
    assert_eq!(s["watch"], false, "60 is not below 60");
    record(&env, &subject, "complaint-clock-breached", "2026-02-22");
    let s = score(&env, &company);
    assert_eq!(
        (s["score"].as_i64(), s["band"].as_str()),
        (Some(50), Some("D"))
    );
    assert_eq!(
        (s["watch"].as_bool(), s["attention"].as_bool()),
        (Some(true), Some(false))
    );

    let history = env.json(&format!("credit history {company}"));
    assert_eq!(history.as_array().unwrap().len(), 6);
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM credit_events"), 6);
}

#[test]
fn each_list_holds_the_subjects_its_rule_names() {
    let env = TestEnv::new().with_registry();
    // E001: one severe internal record -> attention (and 60, not watched).
    record(&env, "--employee E001", "customer-data-taken", "2026-01-10");
    // E002: two major internal records -> attention by count, and 50 -> watch.
    record(&env, "--employee E002", "handover-refused", "2025-12-01");
    record(&env, "--employee E002", "handover-refused", "2026-01-15");
    // E003: an incentive and nothing else -> honoured.
    record(
        &env,
        "--employee E003",
        "service-manual-handover",
        "2026-02-01",
    );
    // A person with one major violation and an incentive: on no list.
    record(&env, "--person 赵六", "handover-refused", "2026-02-01");
    record(
        &env,
        "--person 赵六",
        "handover-ledger-accepted",
        "2026-02-02",
    );

    assert_eq!(
        listed(&env, "--attention"),
        ["employee:E001", "employee:E002"]
    );
    // Internal records put nobody on an official list (`--dishonest` is its old name).
    assert!(listed(&env, "--official").is_empty());
    assert!(listed(&env, "--dishonest").is_empty());
    assert_eq!(listed(&env, "--watch"), ["employee:E002"]);
    assert_eq!(listed(&env, "--honoured"), ["employee:E003"]);
    assert_eq!(
        listed(&env, "--watch --honoured"),
        ["employee:E002", "employee:E003"]
    );
    assert_eq!(
        listed(&env, ""),
        ["employee:E001", "employee:E002", "employee:E003"]
    );
    let all = env.json("credit score");
    assert_eq!(all.as_array().unwrap().len(), 4);
    let zhao = score(&env, "person:赵六");
    assert_eq!(zhao["score"], 80);
    assert_eq!(
        (
            zhao["attention"].as_bool(),
            zhao["watch"].as_bool(),
            zhao["honoured"].as_bool()
        ),
        (Some(false), Some(false), Some(false))
    );
}

#[test]
fn a_record_expires_on_the_day_its_validity_ends() {
    let env = TestEnv::new().with_registry();
    let id = record(
        &env,
        &format!("--company-subject {USCC_A}"),
        "contact-change-not-notified",
        "2024-03-02",
    )["id"]
        .to_string();
    let company = company_subject();
    let eve = TestEnv {
        now: "2026-03-01T23:59:00+08:00".into(),
        ..env
    };
    assert_eq!(score(&eve, &company)["score"], 90);
    assert_eq!(
        eve.json(&format!("credit history {company}"))[0]["status"],
        "active"
    );
    let day = TestEnv {
        now: "2026-03-02T00:00:00+08:00".into(),
        ..eve
    };
    assert_eq!(score(&day, &company)["score"], 100);
    let history = day.json(&format!("credit history {company}"));
    assert_eq!(history[0]["id"].to_string(), id);
    assert_eq!(history[0]["status"], "expired");
    assert_eq!(history[0]["expires_on"], "2026-03-02");
}

#[test]
fn repair_is_refused_the_day_before_the_earliest_date_and_allowed_on_it() {
    let env = TestEnv::new().with_registry();
    let id = record(&env, "--employee E001", "handover-refused", "2025-03-03")["id"].to_string();
    let err = env.fails(&format!("credit repair {id} --reason 整改完成"), 3);
    assert!(err.contains("2026-03-03"), "{err}");
    assert_eq!(score(&env, "employee:E001")["score"], 75);

    let env = env.at("2026-03-03T09:00:00+08:00");
    let err = env.fails(&format!("credit repair {id} --reason '  '"), 4);
    assert!(err.contains("reason"), "{err}");
    let repaired = env.json(&format!("credit repair {id} --reason 整改完成"));
    assert_eq!(repaired["status"], "repaired");
    assert_eq!(repaired["reason"], "整改完成");
    assert_eq!(score(&env, "employee:E001")["score"], 100);
    let err = env.fails(&format!("credit repair {id} --reason again"), 3);
    assert!(err.contains("repaired already"), "{err}");
    assert_eq!(
        env.sql::<String>("SELECT status FROM credit_events"),
        "repaired"
    );
    let logged: i64 = env.sql("SELECT count(*) FROM events WHERE action = 'credit.repaired'");
    assert_eq!(logged, 1);
}

#[test]
fn an_incentive_is_not_repaired_but_revoked() {
    let env = TestEnv::new()
        .with_registry()
        .at("2028-01-01T09:00:00+08:00");
    let id = record(
        &env,
        "--employee E003",
        "service-manual-handover",
        "2026-12-01",
    )["id"]
        .to_string();
    let err = env.fails(&format!("credit repair {id} --reason x"), 3);
    assert!(err.contains("incentive") && err.contains("revoke"), "{err}");
}

#[test]
fn revoke_works_at_any_time_and_keeps_the_record() {
    let env = TestEnv::new().with_registry();
    let id = record(
        &env,
        "--employee E002",
        "purchase-list-leaked",
        "2026-03-01",
    )["id"]
        .to_string();
    assert_eq!(score(&env, "employee:E002")["attention"], true);
    env.fails(&format!("credit revoke {id}"), 2);
    let revoked = env.json(&format!("credit revoke {id} --reason 录入错误"));
    assert_eq!(revoked["status"], "revoked");
    let s = score(&env, "employee:E002");
    assert_eq!(
        (s["score"].as_i64(), s["attention"].as_bool()),
        (Some(100), Some(false))
    );
    let err = env.fails(&format!("credit revoke {id} --reason again"), 3);
    assert!(err.contains("revoked already"), "{err}");
    let history = env.json("credit history employee:E002");
    assert_eq!(history[0]["status"], "revoked");
    assert_eq!(history[0]["reason"], "录入错误");
    let detail: String = env.sql(
        "SELECT detail FROM events WHERE action = 'credit.revoked' AND entity = 'credit_event'",
    );
    assert!(
        detail.contains("\"before\"") && detail.contains("录入错误"),
        "{detail}"
    );
    // Once revoked, the same event may be recorded again (correctly this time).
    record(
        &env,
        "--employee E002",
        "purchase-list-leaked",
        "2026-03-01",
    );
    let err = env.fails(
        "credit record --employee E002 --code purchase-list-leaked --date 2026-03-01",
        3,
    );
    assert!(err.contains("recorded already"), "{err}");
    env.fails("credit revoke 99 --reason x", 4);
}

#[test]
fn a_person_with_an_id_number_is_one_subject_across_companies() {
    let env = TestEnv::new().with_registry();
    env.ok(&format!("company add --code {USCC_B} --name 乙公司"));
    let person = format!("--person 陈某 --id-number {ID_1}");
    let a = env.json(&format!(
        "credit record -c {USCC_A} {person} --code trade-secret-leaked --date 2025-11-03"
    ));
    let b = env.json(&format!(
        "credit record -c {USCC_B} {person} --code handover-refused --date 2026-01-20"
    ));
    assert_eq!(
        (a["company"].as_str(), b["company"].as_str()),
        (Some(USCC_A), Some(USCC_B))
    );
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM credit_subjects WHERE kind = 'person'"),
        1
    );
    // The records are matched only once both companies have a legal basis (credit_law.rs).
    for company in [USCC_A, USCC_B] {
        env.ok(&format!(
            "credit basis person:{ID_1} --basis consent -c {company}"
        ));
    }
    let by_id = score(&env, &format!("person:{ID_1}"));
    assert_eq!(by_id["score"], 35);
    assert_eq!(by_id["active_violations"], 2);
    assert_eq!(by_id["company"], Value::Null);
    let by_name = score(&env, "person:陈某");
    assert_eq!(by_name["score"], 35);
    let history = env.json(&format!("credit history person:{ID_1}"));
    assert_eq!(history.as_array().unwrap().len(), 2);

    // The same ID number under another name is a mistake somewhere.
    let err = env.fails(
        &format!(
            "credit record -c {USCC_B} --person 陈某某 --id-number {ID_1} \
             --code handover-refused --date 2026-02-01"
        ),
        4,
    );
    assert!(err.contains("陈某") && err.contains("陈某某"), "{err}");

    // Without an ID number, a name is a person within one company: two subjects.
    for company in [USCC_A, USCC_B] {
        env.ok(&format!(
            "credit record -c {company} --person 李四 --code handover-refused --date 2026-02-01"
        ));
    }
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM credit_subjects WHERE name = '李四'"),
        2
    );
    let err = env.fails("credit score person:李四", 4);
    assert!(
        err.contains("several people") && err.contains("--company"),
        "{err}"
    );
    let in_b = env.json(&format!("credit score person:李四 -c {USCC_B}"));
    assert_eq!(in_b["company"], USCC_B);
    assert_eq!(in_b["score"], 75);

    // A namesake without ID number in company B is told apart from the one with it.
    env.ok(&format!(
        "credit record -c {USCC_B} --person 陈某 --code handover-ledger-accepted --date 2026-02-01"
    ));
    env.fails("credit score person:陈某", 4);
    let namesake = env.json(&format!("credit score person:陈某 -c {USCC_B}"));
    assert_eq!(
        (namesake["score"].as_i64(), namesake["id_number"].is_null()),
        (Some(105), true)
    );
    let director = env.json(&format!("credit score person:陈某 -c {USCC_A}"));
    assert_eq!(director["score"], 35);
}

#[test]
fn entries_apply_only_to_the_subjects_the_catalogue_names() {
    let env = TestEnv::new().with_registry();
    let err = env.fails(
        &format!("credit record --company-subject {USCC_A} --code trade-secret-leaked"),
        4,
    );
    assert!(
        err.contains("trade-secret-leaked") && err.contains("person"),
        "{err}"
    );
    let err = env.fails(
        "credit record --employee E001 --code service-integrity-award",
        4,
    );
    assert!(err.contains("company"), "{err}");
    let err = env.fails("credit record --employee E001 --code no-such-code", 4);
    assert!(
        err.contains("no-such-code") && err.contains("credit catalog"),
        "{err}"
    );
    let err = env.fails(
        "credit record --employee E001 --code handover-refused --date 2026-03-03",
        4,
    );
    assert!(err.contains("future"), "{err}");
    env.fails("credit record --employee E009 --code handover-refused", 4);
    env.fails("credit record --code handover-refused", 2);
    env.fails(
        "credit record --employee E001 --person x --code handover-refused",
        2,
    );
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM credit_events"), 0);
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM credit_subjects"), 0);
    // Recorded today when no date is given.
    let today = env.json("credit record --employee E001 --code handover-refused");
    assert_eq!(today["occurred_on"], "2026-03-02");
}

#[test]
fn id_numbers_are_validated_and_masked_unless_revealed() {
    let env = TestEnv::new().with_registry();
    let err = env.fails(
        "credit record --person 陈某 --id-number 110105194912310021 --code handover-refused",
        4,
    );
    assert!(
        err.contains("110105194912310021") && err.contains("\"X\""),
        "{err}"
    );
    let err = env.fails("credit score person:110105194912310021", 4);
    assert!(err.contains("check character"), "{err}");
    env.fails(
        &format!("credit record --id-number {ID_2} --code handover-refused"),
        2,
    );

    let event = env
        .json("credit record --person 陈某 --id-number 11010519491231002x --code handover-refused");
    assert_eq!(event["id_number"], "110105********002X");
    assert_eq!(
        env.sql::<String>("SELECT id_number FROM credit_subjects"),
        ID_1
    );
    let masked = env.ok("credit score --format csv");
    assert!(
        masked.contains("110105********002X") && !masked.contains(ID_1),
        "{masked}"
    );
    let table = env.ok("credit history person:陈某");
    assert!(!table.contains(ID_1), "{table}");
    let revealed = env.json("credit history person:陈某 --reveal");
    assert_eq!(revealed[0]["id_number"], ID_1);
    let logged: String = env.sql("SELECT group_concat(detail) FROM events");
    assert!(
        !logged.contains(ID_1),
        "the audit log keeps ID numbers masked"
    );
}

#[test]
fn a_catalogue_file_from_config_overrides_and_extends_the_builtin_one() {
    let env = TestEnv::new().with_registry();
    std::fs::create_dir_all(env.path("conf")).unwrap();
    std::fs::write(
        env.path("conf/catalog.toml"),
        r#"
[[entry]]
code = "contact-change-not-notified"
kind = "violation"
name_zh = "未告知客户对接人变更(本地加重)"
name_en = "Did not notify customers of a contact change (local rule)"
points = -30
severity = "major"
applies_to = ["company"]
validity_years = 1

[[entry]]
code = "orders-withheld"
kind = "violation"
name_zh = "离职时扣留客户订单"
name_en = "Withheld customer orders when leaving"
points = -15
severity = "minor"
applies_to = ["person"]
validity_years = 2
source = "local rule"
"#,
    )
    .unwrap();
    let config = env.file(
        "conf/config.toml",
        "[credit]\ncatalog = \"catalog.toml\"\nbands = [{ band = \"good\", min = 80 }]\nlowest_band = \"poor\"\n",
    );
    let entries = env.json(&format!("credit catalog --config {config}"));
    let builtin = env.json("credit catalog");
    assert_eq!(
        entries.as_array().unwrap().len(),
        builtin.as_array().unwrap().len() + 1
    );
    let changed = entries
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["code"] == "contact-change-not-notified")
        .unwrap();
    assert_eq!(changed["points"], -30);
    assert_eq!(
        entries.as_array().unwrap().last().unwrap()["code"],
        "orders-withheld"
    );

    let event = env.json(&format!(
        "credit record --config {config} --company-subject {USCC_A} \
         --code contact-change-not-notified --date 2026-01-01"
    ));
    assert_eq!(
        (event["points"].as_i64(), event["expires_on"].as_str()),
        (Some(-30), Some("2027-01-01"))
    );
    env.json(&format!(
        "credit record --config {config} --employee E001 --code orders-withheld"
    ));
    let s = env.json(&format!("credit score company:{USCC_A} --config {config}"));
    assert_eq!(
        (s["score"].as_i64(), s["band"].as_str()),
        (Some(70), Some("poor"))
    );
    let s = env.json(&format!("credit score employee:E001 --config {config}"));
    assert_eq!(
        (s["score"].as_i64(), s["band"].as_str()),
        (Some(85), Some("good"))
    );
    // The terms are copied when recorded: without the file the event keeps its points.
    assert_eq!(score(&env, &company_subject())["score"], 70);

    std::fs::write(
        env.path("conf/catalog.toml"),
        "[[entry]]\ncode = \"x\"\nkind = \"incentive\"\nname_zh = \"甲\"\nname_en = \"a\"\npoints = -5\napplies_to = [\"person\"]\nvalidity_years = 1\n",
    )
    .unwrap();
    let err = env.fails(&format!("credit catalog --config {config}"), 4);
    assert!(
        err.contains("catalog.toml") && err.contains("positive"),
        "{err}"
    );
}

#[test]
fn subjects_are_written_kind_colon_key() {
    let env = TestEnv::new().with_registry();
    for bad in ["E001", "team:E001", "person:", "company:914403001922038217"] {
        let err = env.fails(&format!("credit score {bad}"), 4);
        assert!(err.contains("hint:"), "{bad}: {err}");
    }
    let err = env.fails("credit history person:无名", 4);
    assert!(err.contains("no credit record"), "{err}");
    let err = env.fails("credit score employee:E404", 4);
    assert!(err.contains("E404"), "{err}");
    let fresh = score(&env, "employee:E003");
    assert_eq!(
        (fresh["score"].as_i64(), fresh["subject_name"].as_str()),
        (Some(100), Some("张伟"))
    );
    assert_eq!(
        env.json("credit history employee:E003"),
        Value::Array(vec![])
    );
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM credit_subjects"), 0);
}

#[test]
fn status_shows_each_companys_own_credit_score() {
    let env = TestEnv::new().with_registry();
    env.ok(&format!("company add --code {USCC_B} --name 乙公司"));
    // A company subject needs no company context: it is its own.
    record(
        &env,
        &format!("--company-subject {USCC_B}"),
        "no-handover-rules",
        "2026-01-01",
    );
    // A person's and an employee's records do not touch their company's score.
    env.ok(&format!(
        "credit record -c {USCC_A} --employee E001 --code handover-refused"
    ));
    let status = env.json("status");
    let score_of = |code: &str| {
        status
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["company"] == code)
            .unwrap()["credit_score"]
            .clone()
    };
    assert_eq!(score_of(USCC_A), 100);
    assert_eq!(score_of(USCC_B), 75);
}

#[test]
fn the_demo_tells_the_seeds_credit_stories() {
    let env = TestEnv::new();
    env.ok(&format!("demo --db {}", env.db.display()));
    const TRADING: &str = "company:91310115MA1H7HT80T";
    const SOFTWARE: &str = "company:91330106MA2CFYQ242";
    const ECOMMERCE: &str = "company:91440300MA5FUXD369";
    assert!(listed(&env, "--watch").contains(&SOFTWARE.to_string()));
    // The one official list entry is the agency's decision about the trading company.
    assert_eq!(listed(&env, "--official"), [TRADING]);
    let attention = listed(&env, "--attention");
    assert!(
        attention.contains(&"person:陈立".to_string()),
        "{attention:?}"
    );
    assert!(!attention.contains(&SOFTWARE.to_string()), "{attention:?}");
    assert!(listed(&env, "--honoured").contains(&ECOMMERCE.to_string()));
    let status = env.json("status");
    let scores: Vec<i64> = status
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["credit_score"].as_i64().unwrap())
        .collect();
    assert!(
        scores.iter().any(|&s| s > 100) && scores.iter().any(|&s| s < 60),
        "{scores:?}"
    );
    let director = env.json("credit score person:330106198506120031");
    assert_eq!(director["id_number"], "330106********0031");
}

#[test]
fn evidence_is_kept_with_a_record_in_the_shared_store() {
    let env = TestEnv::new().with_registry();
    let proof = env.file("采购清单截图.png", b"\x89PNG screenshot of the leaked list");
    let event = env.json(&format!(
        "credit record --company-subject {USCC_A} --code purchase-list-leaked --date 2026-01-12 \
         --evidence {proof}"
    ));
    assert_eq!(event["evidence"], serde_json::json!(["采购清单截图.png"]));
    let history = env.json(&format!("credit history company:{USCC_A}"));
    assert_eq!(history[0]["evidence"][0], "采购清单截图.png");
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM evidence_blobs"), 1);
    let logged: i64 = env.sql("SELECT count(*) FROM events WHERE action = 'credit.evidence'");
    assert_eq!(logged, 1);

    env.exec("UPDATE evidence_blobs SET content = zeroblob(length(content))");
    let err = env.fails("complaint evidence verify", 1);
    assert!(err.contains("changed"), "{err}");

    let missing = env.path("missing.pdf").display().to_string();
    env.fails(
        &format!(
            "credit record --company-subject {USCC_A} --code purchase-list-leaked \
             --date 2026-01-13 --evidence {missing}"
        ),
        1,
    );
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM credit_events"),
        1,
        "a failed attachment records nothing"
    );
}
