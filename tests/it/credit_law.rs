//! Credit records as the law has them (issue 16): official records only as agency decisions,
//! counted from the decision date; internal risk records never called an official list;
//! repair (信用修复) on the market-regulation rules; one person matched across companies only
//! on a recorded legal basis.

use crate::util::{TestEnv, USCC_A, USCC_B};
use serde_json::Value;

const ID_1: &str = "11010519491231002X";

/// The decision flags of an agency decision of `decided_on`.
fn decided(decided_on: &str) -> String {
    format!("--decision-no 深市监罚〔2026〕7号 --authority 深圳市市场监督管理局 --decided-on {decided_on}")
}

/// Records the official entry `code` about company A with `flags`.
fn official(env: &TestEnv, code: &str, flags: &str) -> Value {
    env.json(&format!(
        "credit record --company-subject {USCC_A} --code {code} {flags}"
    ))
}

#[test]
fn an_official_entry_is_recorded_only_as_an_agency_decision() {
    let env = TestEnv::new().with_registry();
    let on_time = decided("2026-01-10");
    for (flags, says) in [
        ("--code penalty".to_string(), "only as an agency decision"),
        ("--code penalty".to_string(), "--decision-no"),
        (
            format!("--code no-handover-rules {on_time}"),
            "internal risk record",
        ),
        (
            format!("--code serious-illegal-list {on_time}"),
            "--penalty-no",
        ),
        (
            format!("--code penalty {}", decided("2026-03-03")),
            "in the future",
        ),
        (
            format!("--code penalty --date 2026-02-01 {on_time}"),
            "before the conduct",
        ),
    ] {
        let err = env.fails(
            &format!("credit record --company-subject {USCC_A} {flags}"),
            4,
        );
        assert!(err.contains(says), "{flags}: {err}");
    }
    env.fails(
        &format!("credit record --company-subject {USCC_A} --code penalty --authority 某局"),
        2,
    );
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM credit_events"), 0);

    let listed = official(&env, "abnormal-operations-list", &decided("2026-01-10"));
    assert_eq!(listed["official"], "abnormal-operations-list");
    assert_eq!(listed["decision_no"], "深市监罚〔2026〕7号");
    assert_eq!(listed["authority"], "深圳市市场监督管理局");
    assert_eq!(listed["decided_on"], "2026-01-10");
    assert_eq!(listed["occurred_on"], "2026-01-10");
    assert_eq!(listed["expires_on"], Value::Null, "until removed");
    let lists = env.json("credit list --official");
    assert_eq!(lists[0]["subject"], format!("company:{USCC_A}"));
    assert_eq!(lists[0]["official"], true);
    assert_eq!(lists[0]["attention"], false);
    let catalog = env.ok("credit catalog --lang zh");
    assert!(catalog.contains("严重违法失信名单"), "{catalog}");
}

#[test]
fn official_periods_count_from_the_decision_date() {
    let env = TestEnv::new().with_registry();
    let minor = official(
        &env,
        "penalty-minor",
        &format!("--date 2025-06-01 {}", decided("2025-12-10")),
    );
    assert_eq!(
        minor["expires_on"], "2026-03-10",
        "3 months from the decision"
    );
    let serious = official(
        &env,
        "serious-illegal-list",
        &format!("--penalty-no 深市监罚〔2023〕3号 {}", decided("2023-04-01")),
    );
    assert_eq!(
        serious["expires_on"], "2026-04-01",
        "3 years from the decision"
    );
    let subject = format!("company:{USCC_A}");
    let s = env.json(&format!("credit score {subject}"));
    assert_eq!(
        (s["official"].as_bool(), s["score"].as_i64()),
        (Some(true), Some(55))
    );
    let later = env.at("2026-04-01T10:00:00+08:00");
    let s = later.json(&format!("credit score {subject}"));
    assert_eq!(
        (s["official"].as_bool(), s["score"].as_i64()),
        (Some(false), Some(100))
    );
}

#[test]
fn repair_follows_the_market_regulation_rules() {
    let env = TestEnv::new().with_registry();
    let commitment = env.file("信用承诺书.pdf", "本企业承诺守法经营");
    let all =
        format!("--duties-fulfilled --harm-removed --no-new-penalty --commitment {commitment}");
    // A published penalty: 6 months after the decision.
    let penalty = official(&env, "penalty", &decided("2025-10-01"))["id"].to_string();
    let err = env.fails(&format!("credit repair {penalty} --reason 已整改 {all}"), 3);
    assert!(
        err.contains("2026-04-01") && err.contains("6 months"),
        "{err}"
    );
    // Food, drugs and special equipment: a year.
    let food = official(
        &env,
        "penalty",
        &format!("--sector food {}", decided("2025-08-01")),
    )["id"]
        .to_string();
    let err = env.fails(&format!("credit repair {food} --reason 已整改 {all}"), 3);
    assert!(err.contains("2026-08-01"), "{err}");
    // A minor penalty's publication ends by itself.
    let minor = official(&env, "penalty-minor", &decided("2026-02-01"))["id"].to_string();
    let err = env.fails(&format!("credit repair {minor} --reason 已整改 {all}"), 3);
    assert!(err.contains("ends by itself on 2026-05-01"), "{err}");
    // The serious list: a year after the decision.
    let serious = official(
        &env,
        "serious-illegal-list",
        &format!("--penalty-no 罚〔2025〕1号 {}", decided("2025-03-10")),
    )["id"]
        .to_string();
    let err = env.fails(&format!("credit repair {serious} --reason 已整改 {all}"), 3);
    assert!(err.contains("2026-03-10"), "{err}");

    let later = env.at("2026-04-01T10:00:00+08:00");
    let err = later.fails(
        &format!("credit repair {penalty} --reason 已整改 --duties-fulfilled"),
        3,
    );
    assert!(
        err.contains("--harm-removed, --no-new-penalty, --commitment FILE"),
        "{err}"
    );
    let repaired = later.json(&format!("credit repair {penalty} --reason 罚款已缴 {all}"));
    assert_eq!(repaired["status"], "repaired");
    assert_eq!(
        repaired["conditions"],
        "duties-fulfilled,harm-removed,no-new-penalty,commitment"
    );
    assert_eq!(repaired["evidence"][0], "信用承诺书.pdf");
    assert_eq!(
        later.sql::<i64>("SELECT count(*) FROM events WHERE action = 'credit.evidence'"),
        1
    );

    // An abnormal-operations listing: removal as soon as the duty is met.
    let listed =
        official(&later, "abnormal-operations-list", &decided("2026-03-20"))["id"].to_string();
    let err = later.fails(&format!("credit repair {listed} --reason 已补报年报"), 3);
    assert!(err.contains("--duties-fulfilled"), "{err}");
    let removed = later.json(&format!(
        "credit repair {listed} --reason 已补报年报 --duties-fulfilled"
    ));
    assert_eq!(
        (removed["status"].as_str(), removed["conditions"].as_str()),
        (Some("repaired"), Some("duties-fulfilled"))
    );
}

#[test]
fn an_abnormal_listing_left_three_years_warns_of_the_serious_list() {
    let env = TestEnv::new().with_registry();
    official(&env, "abnormal-operations-list", &decided("2023-02-01"));
    let subject = format!("company:{USCC_A}");
    let stderr = env.run(&format!("credit history {subject}")).ok_stderr();
    assert!(
        stderr.contains("serious list") && stderr.contains("2026-02-01"),
        "{stderr}"
    );
    let zh = env
        .run(&format!("credit history {subject} --lang zh"))
        .ok_stderr();
    assert!(
        zh.contains("严重违法失信名单") && zh.contains("第十七条"),
        "{zh}"
    );
}

#[test]
fn internal_records_are_never_called_an_official_list() {
    let env = TestEnv::new().with_registry();
    let severe =
        env.json("credit record --employee E001 --code customer-data-taken --date 2026-01-10");
    assert_eq!(severe["expires_on"], "2029-01-10", "3 years, not 5");
    assert_eq!(severe["official"], Value::Null);
    assert!(env
        .json("credit list --official")
        .as_array()
        .unwrap()
        .is_empty());
    let zh = env.ok("credit list --lang zh");
    assert!(zh.contains("内部关注") && !zh.contains("失信"), "{zh}");
    let help = env.ok("credit list --help");
    assert!(
        help.contains("--official") && !help.contains("dishonest"),
        "{help}"
    );
    let status = env.ok("status");
    assert!(
        status.contains("internal attention list") && !status.contains("dishonest"),
        "{status}"
    );
    // The old name of the attention threshold is still read.
    let config = env.file("config.toml", "[credit]\ndishonest_major_count = 1\n");
    env.ok("credit record --employee E002 --code handover-refused --date 2026-01-10");
    let one_major = env.json(&format!("credit score employee:E002 --config {config}"));
    assert_eq!(one_major["attention"], true);
    // An internal record is repaired as before, a year after its date, conditions optional.
    let err = env.fails(
        &format!("credit repair {} --reason 已道歉", severe["id"]),
        3,
    );
    assert!(err.contains("2027-01-10"), "{err}");
}

#[test]
fn a_person_is_matched_across_companies_only_on_a_recorded_basis() {
    let env = TestEnv::new().with_registry();
    env.ok(&format!("company add --code {USCC_B} --name 乙公司"));
    let person = format!("--person 陈某 --id-number {ID_1}");
    env.ok(&format!(
        "credit record -c {USCC_A} {person} --code trade-secret-leaked --date 2025-11-03"
    ));
    env.ok(&format!(
        "credit record -c {USCC_B} {person} --code handover-refused --date 2026-01-20"
    ));
    let subject = format!("person:{ID_1}");

    // No basis anywhere: no match, and no view across companies.
    let err = env.fails(&format!("credit score {subject}"), 4);
    assert!(
        err.contains("legal basis") && err.contains("credit basis"),
        "{err}"
    );
    let run = env
        .run(&format!("credit score {subject} -c {USCC_A} --format json"))
        .output();
    let a: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(
        (a["score"].as_i64(), a["company"].as_str()),
        (Some(60), Some(USCC_A))
    );
    let why = String::from_utf8_lossy(&run.stderr);
    assert!(
        why.contains(USCC_B) && why.contains("arts. 13, 23"),
        "{why}"
    );
    let history = env.json(&format!("credit history {subject} -c {USCC_A}"));
    assert_eq!(history.as_array().unwrap().len(), 1);
    let rows = env.json("credit score");
    assert_eq!(
        rows.as_array().unwrap().len(),
        2,
        "one row per company: {rows}"
    );

    // A basis in one company is not enough: the other must have one too.
    let basis = env.json(&format!(
        "credit basis {subject} --basis consent --note 2026-01-05书面单独同意 -c {USCC_A}"
    ));
    assert_eq!(
        (basis["basis"].as_str(), basis["company"].as_str()),
        (Some("consent"), Some(USCC_A))
    );
    assert_eq!(basis["id_number"], "110105********002X");
    let a = env.json(&format!("credit score {subject} -c {USCC_A}"));
    assert_eq!(a["score"], 60);
    env.ok(&format!(
        "credit basis {subject} --basis legal-duty -c {USCC_B}"
    ));
    let a = env.json(&format!("credit score {subject} -c {USCC_A}"));
    assert_eq!(
        (a["score"].as_i64(), a["company"].as_str()),
        (Some(35), None)
    );
    let stderr = env
        .run(&format!("credit score {subject} -c {USCC_A}"))
        .ok_stderr();
    assert!(!stderr.contains("not matched"), "{stderr}");
    assert_eq!(env.json("credit score").as_array().unwrap().len(), 1);
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM events WHERE action = 'credit.basis'"),
        2
    );

    // A basis names a person by ID number, one that has a record.
    env.fails(
        &format!("credit basis person:陈某 --basis consent -c {USCC_A}"),
        4,
    );
    env.fails(
        &format!("credit basis person:440524188001010014 --basis consent -c {USCC_A}"),
        4,
    );
    env.fails(
        &format!("credit basis {subject} --basis gossip -c {USCC_A}"),
        2,
    );
}

#[test]
fn an_agency_decision_survives_export_and_import() {
    let env = TestEnv::new().with_registry();
    official(
        &env,
        "penalty",
        &format!(
            "--sector drugs --note 未按规定储存 {}",
            decided("2026-01-10")
        ),
    );
    let csv = env.ok(&format!("credit history company:{USCC_A} --format csv"));
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .contains("decision_no,authority,decided_on"),
        "{csv}"
    );
    let copy = TestEnv::new().with_registry();
    let file = copy.file("credit.csv", &csv);
    copy.ok(&format!("import credit {file}"));
    let imported = copy.json(&format!("credit history company:{USCC_A}"));
    assert_eq!(imported[0]["decision_no"], "深市监罚〔2026〕7号");
    assert_eq!(imported[0]["decided_on"], "2026-01-10");
    assert_eq!(imported[0]["sector"], "drugs");
    // Without the decision's number the row is no agency decision: refused, nothing written.
    let fresh = TestEnv::new().with_registry();
    let file = fresh.file("bad.csv", csv.replace("深市监罚〔2026〕7号", ""));
    let err = fresh.fails(&format!("import credit {file}"), 4);
    assert!(err.contains("only as an agency decision"), "{err}");
    assert_eq!(fresh.sql::<i64>("SELECT count(*) FROM credit_events"), 0);
}
