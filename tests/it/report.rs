//! `baton report`: complaints, handovers and credit records across companies, checked
//! against a small dataset whose figures are worked out by hand below.

use serde_json::{json, Value};

use crate::util::{TestEnv, USCC_A, USCC_B};

/// Two companies (示例科技 with the test registry, 乙公司) and their complaints:
/// - A1 quality/phone, received 01-05 09:00, accepted after 2 h, feedback after 24 h,
///   resolved after 10 days: every clock met.
/// - A2 billing/online, received 02-02 09:00, accepted after 48 h (the 24 h clock breached),
///   no feedback (breached at 48 h), resolve clock still running.
/// - B1 quality/phone, received 02-10 10:00, untouched: accept and feedback breached.
/// - B2 received 2025-12-20: before the period.
fn complaints() -> TestEnv {
    let env = TestEnv::new().with_registry();
    env.ok(&format!("company add --code {USCC_B} --name 乙公司"));
    for line in [
        "complaint file --complainant 刘女士 --summary 质量问题 --category quality --channel phone \
         --received-at '2026-01-05 09:00'",
        "complaint accept 1 --at '2026-01-05 11:00'",
        "complaint feedback 1 --note 已回复 --at '2026-01-06 09:00'",
        "complaint resolve 1 --outcome agreement --terms 退货 --at '2026-01-15 09:00'",
        "complaint file --complainant 王先生 --summary 多收费 --category billing --channel online \
         --received-at '2026-02-02 09:00'",
        "complaint accept 2 --at '2026-02-04 09:00'",
    ] {
        env.ok(&format!("{line} -c {USCC_A}"));
    }
    let b = env.file(
        "b.csv",
        "complainant,summary,category,channel,received_at\n\
         赵女士,无人跟进,quality,phone,2026-02-10 10:00\n\
         钱先生,去年的事,other,visit,2025-12-20 10:00\n",
    );
    env.ok(&format!("import complaints {b} -c {USCC_B}"));
    env
}

fn figures(row: &Value) -> Value {
    json!([
        row["group"],
        row["total"],
        row["open"],
        row["resolved"],
        row["accept_met_rate"],
        row["feedback_met_rate"],
        row["resolve_met_rate"],
        row["median_accept_hours"],
        row["median_feedback_hours"],
        row["median_resolve_days"],
    ])
}

fn report(env: &TestEnv, line: &str) -> Vec<Value> {
    env.json(line)
        .as_array()
        .unwrap()
        .iter()
        .map(figures)
        .collect()
}

const PERIOD: &str = "--since 2026-01-01 --until 2026-02-28";

#[test]
fn complaints_by_company_count_rates_and_medians() {
    let env = complaints();
    let rows = env.json(&format!("report complaints {PERIOD}"));
    assert_eq!(rows[1]["name"], "示例科技", "by code: {USCC_B} first");
    assert_eq!(
        report(&env, &format!("report complaints {PERIOD}")),
        vec![
            json!([USCC_B, 1, 1, 0, 0.0, 0.0, null, null, null, null]),
            // median accept (2 h, 48 h) = 25 h; feedback 24 h; resolve 10 days.
            json!([USCC_A, 2, 1, 1, 0.5, 0.5, 1.0, 25.0, 24.0, 10.0]),
        ]
    );
    // A1's parties were never told: its inform clock (7 working days from 01-15) ran out; told
    // in time, it is met. A report is only counted.
    assert_eq!(rows[1]["inform_met_rate"], 0.0);
    env.ok(&format!(
        "complaint inform 1 --at '2026-01-16 09:00' -c {USCC_A}"
    ));
    env.ok(&format!(
        "complaint file --report --summary 线索 --received-at '2026-01-20 09:00' -c {USCC_A}"
    ));
    let rows = env.json(&format!("report complaints {PERIOD}"));
    assert_eq!(rows[1]["inform_met_rate"], 1.0);
    assert_eq!(
        (rows[1]["total"].clone(), rows[1]["reports"].clone()),
        (json!(2), json!(1))
    );
    // Without a period, B2 counts too: every clock breached (45 working days from 12-20 ran
    // out before 03-02).
    let all = report(&env, "report complaints");
    assert_eq!(
        all[0],
        json!([USCC_B, 2, 2, 0, 0.0, 0.0, 0.0, null, null, null])
    );
}

#[test]
fn complaints_by_category_channel_and_month() {
    let env = complaints();
    assert_eq!(
        report(&env, &format!("report complaints {PERIOD} --by category")),
        vec![
            json!(["billing", 1, 1, 0, 0.0, 0.0, null, 48.0, null, null]),
            json!(["quality", 2, 1, 1, 0.5, 0.5, 1.0, 2.0, 24.0, 10.0]),
        ]
    );
    let channels: Vec<Value> = report(&env, &format!("report complaints {PERIOD} --by channel"))
        .iter()
        .map(|r| json!([r[0], r[1]]))
        .collect();
    assert_eq!(channels, vec![json!(["online", 1]), json!(["phone", 2])]);
    let months: Vec<Value> = report(&env, "report complaints --by month")
        .iter()
        .map(|r| json!([r[0], r[1]]))
        .collect();
    assert_eq!(
        months,
        vec![
            json!(["2025-12", 1]),
            json!(["2026-01", 1]),
            json!(["2026-02", 2])
        ]
    );
}

#[test]
fn complaints_of_one_company_and_bad_periods() {
    let env = complaints();
    assert_eq!(
        report(&env, &format!("report complaints {PERIOD} -c {USCC_B}")),
        vec![json!([USCC_B, 1, 1, 0, 0.0, 0.0, null, null, null, null])]
    );
    let err = env.fails("report complaints --since 2026-03-01 --until 2026-02-01", 4);
    assert!(
        err.contains("--until 2026-02-01 is before --since 2026-03-01"),
        "{err}"
    );
    env.fails("report complaints --by complainant", 2);
    let kinds: Vec<Value> = report(
        &env,
        &format!("report complaints {PERIOD} --by complainant-kind"),
    )
    .iter()
    .map(|r| json!([r[0], r[1]]))
    .collect();
    assert_eq!(kinds, vec![json!(["consumer", 3])]);
    let csv = env.ok(&format!("report complaints {PERIOD} --format csv"));
    assert!(
        csv.starts_with("group,name,total,open,resolved,rejected,accept_met_rate,"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 3, "{csv}");
    let zh = env.ok(&format!("report complaints {PERIOD} --lang zh"));
    assert!(
        zh.contains("受理达标率") && zh.contains("办结用时中位数（天）"),
        "{zh}"
    );
}

#[test]
fn handovers_opened_closed_and_their_items() {
    let env = TestEnv::new().with_registry();
    // H1: E001 (C001, C002) opened 01-10, leaving 01-20: its items are past due today.
    env.run("handover open --employee E001 --leaving-on 2026-01-20 --successor E002")
        .env("BATON_NOW", "2026-01-10T10:00:00+08:00")
        .ok();
    // H2: E003 opened 02-05, closed by force 02-20.
    env.run("handover open --employee E003 --leaving-on 2026-02-06 --successor E002")
        .env("BATON_NOW", "2026-02-05T10:00:00+08:00")
        .ok();
    env.run("handover close 2 --force --reason 已当面交接")
        .env("BATON_NOW", "2026-02-20T10:00:00+08:00")
        .ok();
    let h1 = env.json("handover show 1");
    let open_items = h1["items_open"].as_i64().unwrap();
    assert!(open_items > 0);
    assert_eq!(h1["items_overdue"].as_i64().unwrap(), open_items);
    let h2_open: i64 =
        env.sql("SELECT count(*) FROM handover_items WHERE handover_id = 2 AND status = 'open'");
    let rows = env.json("report handovers --by month");
    assert_eq!(
        rows,
        json!([
            {"group": "2026-01", "name": "", "opened": 1, "closed": 0,
             "open_items": open_items, "overdue_items": open_items},
            {"group": "2026-02", "name": "", "opened": 1, "closed": 1,
             "open_items": h2_open, "overdue_items": h2_open},
        ])
    );
    let february = env.json("report handovers --since 2026-02-01");
    assert_eq!(
        february,
        json!([{"group": USCC_A, "name": "示例科技", "opened": 1, "closed": 1,
                "open_items": h2_open, "overdue_items": h2_open}])
    );
    let closed_only = env.json("report handovers --since 2026-02-10");
    assert_eq!(closed_only[0]["opened"], 0);
    assert_eq!(closed_only[0]["closed"], 1);
}

#[test]
fn credit_records_and_points_by_company_kind_and_month() {
    let env = TestEnv::new().with_registry();
    env.ok(&format!("company add --code {USCC_B} --name 乙公司"));
    for (company, flags, code, date) in [
        (
            USCC_A,
            "--employee E001",
            "customer-data-taken",
            "2026-01-12",
        ),
        (
            USCC_A,
            &format!("--company-subject {USCC_A}") as &str,
            "service-integrity-award",
            "2026-02-03",
        ),
        (USCC_B, "--person 周某", "handover-refused", "2026-02-14"),
        (USCC_B, "--person 吴某", "handover-refused", "2025-11-01"),
    ] {
        env.ok(&format!(
            "credit record -c {company} {flags} --code {code} --date {date}"
        ));
    }
    env.ok(&format!(
        "credit record -c {USCC_B} --person 郑某 --code handover-refused --date 2026-02-15"
    ));
    env.ok(&format!("credit revoke 5 -c {USCC_B} --reason 录错"));
    let period = "--since 2026-01-01 --until 2026-02-28";
    assert_eq!(
        env.json(&format!("report credit {period}")),
        json!([
            {"group": USCC_B, "name": "乙公司", "records": 1, "violations": 1, "incentives": 0, "points": -25},
            {"group": USCC_A, "name": "示例科技", "records": 2, "violations": 1, "incentives": 1, "points": -25},
        ])
    );
    assert_eq!(
        env.json(&format!("report credit {period} --by kind")),
        json!([
            {"group": "incentive", "name": "", "records": 1, "violations": 0, "incentives": 1, "points": 15},
            {"group": "violation", "name": "", "records": 2, "violations": 2, "incentives": 0, "points": -65},
        ])
    );
    let months: Vec<Value> = env
        .json("report credit --by month")
        .as_array()
        .unwrap()
        .iter()
        .map(|r| json!([r["group"], r["records"], r["points"]]))
        .collect();
    assert_eq!(
        months,
        vec![
            json!(["2025-11", 1, -25]),
            json!(["2026-01", 1, -40]),
            json!(["2026-02", 2, -10])
        ]
    );
    assert_eq!(
        env.json(&format!("report credit -c {USCC_B}"))[0]["records"],
        2,
        "one company, every date"
    );
}
