//! Personal data never leaves unmasked without --reveal: every list and show command of the
//! demo database, in every format, is searched for phone numbers, e-mail addresses and ID
//! numbers in the clear; confidential notes appear nowhere but `customer show --reveal`.

use crate::util::TestEnv;

/// Every command that prints records, with the company it needs (demo data).
const COMMANDS: &[&str] = &[
    "status",
    "company list",
    "company show 91320500MA1MXX0Q17",
    "employee list -c 91320500MA1MXX0Q17",
    "employee show E001 -c 91320500MA1MXX0Q17",
    "customer list -c 91320500MA1MXX0Q17",
    "customer list --at-risk -c 91320500MA1MXX0Q17",
    "customer show C001 -c 91110108MA01GLXX35",
    "handover list -c 91320500MA1MXX0Q17",
    "handover show 1",
    "handover ledger -c 91320500MA1MXX0Q17",
    "notify list -c 91110108MA01GLXX35",
    "notify roster -c 91110108MA01GLXX35",
    "complaint list -c 91510107MA6DG8XL2J",
    "complaint show 1",
    "complaint stats -c 91510107MA6DG8XL2J",
    "credit score",
    "credit list",
    "credit history person:330106198506120031",
    "checklist history -c 91320500MA1MXX0Q17",
    "checklist report -c 91320500MA1MXX0Q17",
    "log",
];

/// Personal data the demo holds, which must never show in the clear.
fn secrets(env: &TestEnv) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for query in [
        "SELECT phone FROM employees WHERE phone IS NOT NULL",
        "SELECT email FROM employees WHERE email IS NOT NULL",
        "SELECT phone FROM customers WHERE phone IS NOT NULL",
        "SELECT email FROM customers WHERE email IS NOT NULL",
        "SELECT id_number FROM credit_subjects WHERE id_number IS NOT NULL",
        "SELECT confidential FROM customers WHERE confidential IS NOT NULL",
    ] {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        let mut stmt = conn.prepare(query).unwrap();
        found.extend(
            stmt.query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap),
        );
    }
    assert!(
        found.len() > 20,
        "the demo should hold personal data: {found:?}"
    );
    found
}

#[test]
fn no_list_or_show_command_prints_personal_data_without_reveal() {
    let env = TestEnv::new();
    env.ok("demo");
    let secrets = secrets(&env);
    for command in COMMANDS {
        for format in ["table", "csv", "json"] {
            let line = format!("{command} --format {format}");
            let out = env.ok(&line);
            for secret in &secrets {
                assert!(
                    !out.contains(secret.as_str()),
                    "{line} shows {secret:?}:\n{out}"
                );
            }
        }
    }
}

#[test]
fn revealing_shows_the_data_and_is_logged() {
    let env = TestEnv::new();
    env.ok("demo");
    let before: i64 = env.sql("SELECT count(*) FROM events WHERE action = 'privacy.reveal'");
    let out = env.ok("employee list -c 91320500MA1MXX0Q17 --reveal --wide");
    assert!(out.contains("13812340001"), "{out}");
    let after: i64 = env.sql("SELECT count(*) FROM events WHERE action = 'privacy.reveal'");
    assert_eq!(after, before + 1);
}
