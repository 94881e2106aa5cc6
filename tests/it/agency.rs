//! The agency clerk's scale: `status` over many companies stays one screen, ranks what is
//! late first, narrows to one company with `-c`, and keeps CSV/JSON whole.

use baton::ids::validate_uscc;

use crate::util::TestEnv;

/// How many companies: more than one screen (15).
const COMPANIES: usize = 17;
/// The company with three complaints past the accept clock (every other has one).
const RISKIEST: usize = 3;

/// The USCC of company `n` (a made-up body and the check character that fits).
fn code(n: usize) -> String {
    "0123456789ABCDEFGHJKLMNPQRTUWXY"
        .chars()
        .map(|check| format!("91440300MA5G{n:05}{check}"))
        .find(|code| validate_uscc(code).is_ok())
        .expect("a check character fits")
}

/// 17 companies (公司01 … 公司17), each with one complaint received a month ago and never
/// accepted; the riskiest with three.
fn agency() -> TestEnv {
    let env = TestEnv::new();
    let mut companies = String::from("code,name\n");
    for n in 1..=COMPANIES {
        companies.push_str(&format!("{},公司{n:02}\n", code(n)));
    }
    env.ok(&format!(
        "import companies {}",
        env.file("companies.csv", companies)
    ));
    for n in 1..=COMPANIES {
        let mut complaints = String::from("complainant,summary,received_at\n");
        for k in 0..if n == RISKIEST { 3 } else { 1 } {
            complaints.push_str(&format!("刘女士{k},无人跟进,2026-02-0{} 09:00\n", k + 1));
        }
        let file = env.file(&format!("complaints{n}.csv"), complaints);
        env.ok(&format!("import complaints {file} -c {}", code(n)));
    }
    env
}

#[test]
fn status_at_agency_scale_is_one_screen_riskiest_first() {
    let env = agency();
    let db = env.db.display().to_string();
    let out = env.ok("status");
    let table_rows = out.lines().filter(|l| l.starts_with("│ 公司")).count();
    assert_eq!(table_rows, 15, "{out}");
    let first = out.lines().find(|l| l.starts_with("│ 公司")).unwrap();
    assert!(first.contains(&format!("公司{RISKIEST:02}")), "{out}");
    assert!(
        out.contains(&format!(
            "… and 2 more companies → baton --db {db} status --all\n"
        )),
        "{out}"
    );
    let riskiest = code(RISKIEST);
    assert!(
        out.contains(&format!(
            "  - 3 complaints past the accept clock\n      → baton --db {db} complaint list --overdue -c {riskiest}\n"
        )),
        "{out}"
    );
    assert!(out.contains("Needs attention (19):"), "{out}");
    let attention = out.split("Needs attention").nth(1).unwrap();
    // 15 items of two lines (what, then the command), a heading per company, "and N more".
    assert!(attention.lines().count() <= 40, "one screen: {attention}");
    assert!(
        out.ends_with(&format!("… and 10 more → baton --db {db} status --all\n")),
        "{out}"
    );
    // Every command the screen names runs.
    for line in out.lines().filter_map(|l| l.split_once("→ baton --db ")) {
        let command = line.1.split_once(' ').unwrap().1;
        env.ok(command);
    }

    let zh = env.ok("status --lang zh");
    assert!(zh.contains("3 件投诉受理已超时"), "{zh}");
    assert!(zh.contains("… 另有 2 家公司 →"), "{zh}");
    assert!(zh.contains("… 另有 10 条 →"), "{zh}");
}

#[test]
fn status_all_shows_every_company_and_every_item() {
    let env = agency();
    let out = env.ok("status --all");
    assert_eq!(out.lines().filter(|l| l.starts_with("│ 公司")).count(), 17);
    assert!(!out.contains("… and"), "{out}");
    assert_eq!(out.matches("accept clock").count(), 17, "{out}");
}

#[test]
fn status_sorts_the_table_by_the_key_asked() {
    let env = agency();
    let names = |out: &str| -> Vec<String> {
        out.lines()
            .filter(|l| l.starts_with("│ 公司"))
            .map(|l| l[4..].split_whitespace().next().unwrap().to_string())
            .collect()
    };
    let by_name = names(&env.ok("status --sort name"));
    let mut sorted = by_name.clone();
    sorted.sort();
    assert_eq!(by_name, sorted);
    assert_eq!(by_name.first().map(String::as_str), Some("公司01"));
    let by_complaints = names(&env.ok("status --sort complaints"));
    assert_eq!(by_complaints[0], format!("公司{RISKIEST:02}"));
    env.fails("status --sort size", 2);
}

#[test]
fn status_scoped_to_one_company() {
    let env = agency();
    let one = code(5);
    let out = env.ok(&format!("status -c {one}"));
    assert_eq!(out.matches("│ 公司").count(), 1, "{out}");
    assert!(out.contains("公司05"), "{out}");
    assert!(out.contains(&format!("公司05 {one}\n")), "{out}");
    assert!(out.contains("Needs attention (1):"), "{out}");
    assert!(out.contains("the accept clock was breached"), "{out}");
    let rows = env.json(&format!("status -c {one}"));
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["company"], one.as_str());
    let unknown = env.fails("status -c 91440300MA5G99999X", 4);
    assert!(unknown.contains("91440300MA5G99999X"), "{unknown}");
}

#[test]
fn status_csv_and_json_stay_whole_and_stable() {
    let env = agency();
    let rows = env.json("status");
    let codes: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["company"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (1..=COMPANIES).map(code).collect();
    assert_eq!(codes, expected, "every company, by code");
    assert_eq!(rows[RISKIEST - 1]["risk"], 9);
    assert_eq!(rows[0]["risk"], 3);
    let csv = env.ok("status --format csv");
    assert_eq!(csv.lines().count(), COMPANIES + 1, "{csv}");
    assert!(!csv.contains("… and"), "{csv}");
    let by_risk = env.json("status --sort risk");
    assert_eq!(by_risk[0]["company"], code(RISKIEST).as_str());
}

#[test]
fn hints_name_the_database_only_when_it_is_not_the_default() {
    let env = agency();
    let config = env.file("config.toml", format!("db = \"{}\"\n", env.db.display()));
    let out = env
        .run("status")
        .env_remove("BATON_DB")
        .env("BATON_CONFIG", &config)
        .ok();
    assert!(out.contains("→ baton status --all\n"), "{out}");
    assert!(!out.contains("--db"), "{out}");
}
