use serde_json::Value;

use crate::util::TestEnv;

/// A sample 2027 arrangement in the holiday-cn JSON format (not the real notice): 元旦 off,
/// 春节 02-05..02-11 off with Sunday 01-31 worked.
const SAMPLE_2027: &str = r#"{
  "year": 2027,
  "papers": ["国务院办公厅关于2027年部分节假日安排的通知(样例)"],
  "days": [
    {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
    {"name": "春节", "date": "2027-01-31", "isOffDay": false},
    {"name": "春节", "date": "2027-02-05", "isOffDay": true},
    {"name": "春节", "date": "2027-02-06", "isOffDay": true},
    {"name": "春节", "date": "2027-02-07", "isOffDay": true},
    {"name": "春节", "date": "2027-02-08", "isOffDay": true},
    {"name": "春节", "date": "2027-02-09", "isOffDay": true},
    {"name": "春节", "date": "2027-02-10", "isOffDay": true},
    {"name": "春节", "date": "2027-02-11", "isOffDay": true}
  ]
}
"#;

/// The clocks of the market-regulation rules: resolve in 45 working days from acceptance.
const SAMR: &str = "[sla]\npreset = \"samr\"\n";

/// Today 2026-12-01 with the registry and three complaints, two on the rules' clocks:
/// 1 received and accepted this morning (resolve counted from acceptance), 2 received this
/// morning and not accepted yet (no resolve deadline), and 3 on the company's clocks (the
/// default: resolve counted from receipt), received Monday 11-30.
fn december() -> TestEnv {
    let env = TestEnv::new()
        .at("2026-12-01T10:00:00+08:00")
        .with_registry();
    let samr = env.file("samr.toml", SAMR);
    let file = |config: &str, received: &str| {
        env.ok(&format!(
            "{config} complaint file --customer C001 --summary 退款未到账 \
             --received-at '{received}'"
        ))
    };
    file(&format!("--config {samr}"), "2026-12-01 09:00");
    env.ok("complaint accept 1 --at '2026-12-01 09:30'");
    file(&format!("--config {samr}"), "2026-12-01 09:40");
    file("", "2026-11-30 09:00");
    env
}

/// `env` with a database (every command but `init`, `demo`, `company add` and `import` needs
/// one).
fn started(env: TestEnv) -> TestEnv {
    env.ok("init");
    env
}

/// The days of `calendar show YEAR` as (date, name, kind).
fn days(env: &TestEnv, year: i32) -> (Value, Vec<(String, String, String)>) {
    let shown = env.json(&format!("calendar show {year}"));
    let days = shown["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let field = |k: &str| d[k].as_str().unwrap().to_string();
            (field("date"), field("name"), field("kind"))
        })
        .collect();
    (shown, days)
}

#[test]
fn the_official_years_list_their_notice_holidays_and_make_up_days() {
    let env = started(TestEnv::new());
    let (shown, listed) = days(&env, 2026);
    assert_eq!(shown["standing"], "official");
    assert!(shown["source"]
        .as_str()
        .unwrap()
        .starts_with("国务院办公厅关于2026年部分节假日安排的通知"));
    // 春节 2026: 02-15..02-23 off, 02-14 and 02-28 (Saturdays) worked.
    for day in ["2026-02-14", "2026-02-28"] {
        assert!(listed.contains(&(day.into(), "春节".into(), "workday".into())));
    }
    assert!(listed.contains(&("2026-02-23".into(), "春节".into(), "off".into())));
    assert_eq!(shown["days_off"], 33);
    assert_eq!(shown["workdays"], 6);
    let table = env.ok("calendar show 2025");
    assert!(table.contains("Spring Festival (春节)"), "{table}");
    assert!(table.contains("official"), "{table}");
    let zh = env.ok("calendar show 2025 --lang zh");
    assert!(zh.contains("调休上班") && zh.contains("官方"), "{zh}");
}

#[test]
fn years_without_a_notice_are_provisional_with_the_statutory_days() {
    let env = started(TestEnv::new());
    let (shown, listed) = days(&env, 2027);
    assert_eq!(shown["standing"], "provisional");
    let dates: Vec<&str> = listed.iter().map(|(d, _, _)| d.as_str()).collect();
    // From the lunar calendar: 春节 02-06 (除夕 02-05), 清明 04-05, 端午 06-09, 中秋 09-15.
    assert_eq!(
        dates,
        [
            "2027-01-01",
            "2027-02-05",
            "2027-02-06",
            "2027-02-07",
            "2027-02-08",
            "2027-04-05",
            "2027-05-01",
            "2027-05-02",
            "2027-06-09",
            "2027-09-15",
            "2027-10-01",
            "2027-10-02",
            "2027-10-03"
        ]
    );
    assert!(listed.iter().all(|(_, _, kind)| kind == "off"));
    // 2028: 春节 01-26 (除夕 01-25), 清明 04-04, 端午 05-28, 中秋 on 国庆's 10-03.
    let (shown, listed) = days(&env, 2028);
    assert_eq!(shown["days_off"], 12);
    for (date, name) in [
        ("2028-01-25", "春节"),
        ("2028-01-28", "春节"),
        ("2028-04-04", "清明节"),
        ("2028-05-02", "劳动节"),
        ("2028-05-28", "端午节"),
        ("2028-10-03", "中秋节"),
    ] {
        assert!(
            listed.contains(&(date.into(), name.into(), "off".into())),
            "{date} {name}"
        );
    }
    let zh = env.ok("calendar show 2027 --lang zh");
    assert!(zh.contains("暂定") && zh.contains("无调休"), "{zh}");
    let en = env.ok("calendar show 2027");
    assert!(en.contains("provisional") && en.contains("art. 2"), "{en}");
    env.fails("calendar show 10000", 4);
}

#[test]
fn a_deadline_in_a_provisional_year_is_marked_and_status_warns() {
    let env = december();
    let listed = env.json("complaint list");
    let field = |id: usize, key: &str| listed[id - 1][key].clone();
    // The rules: 45 working days from the acceptance on Tue 12-01: 22 in December, then 2027
    // without 01-01 → 02-03.
    assert_eq!(field(1, "resolve_due"), "2027-02-03T23:59:59+08:00");
    assert_eq!(field(1, "provisional"), "2027");
    // Not accepted: no resolve deadline yet, its accept clock (7 working days) ends 12-10.
    assert_eq!(field(2, "resolve_due"), Value::Null);
    assert_eq!(field(2, "accept_due"), "2026-12-10T23:59:59+08:00");
    assert_eq!(field(2, "provisional"), Value::Null);
    // The company's clocks: 45 working days from the receipt on Mon 11-30 → 02-02.
    assert_eq!(field(3, "resolve_due"), "2027-02-02T23:59:59+08:00");
    assert_eq!(field(3, "provisional"), "2027");
    assert_eq!(env.json("complaint show 1")["provisional"], "2027");
    let table = env.ok("complaint list --wide");
    assert!(
        table.contains("provisional") && table.contains("2027"),
        "{table}"
    );
    let status = env.run("status").output();
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(
        stderr.contains("open clocks of 2 complaint(s) reach provisional year 2027")
            && stderr.contains("baton calendar import FILE"),
        "{stderr}"
    );
    let status = env.run("status --lang zh").output();
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(
        stderr.contains("进入暂定年份 2027 年") && stderr.contains("baton calendar import FILE"),
        "{stderr}"
    );
    let years = env.json("calendar years");
    let standing: Vec<(i64, &str)> = years
        .as_array()
        .unwrap()
        .iter()
        .map(|y| (y["year"].as_i64().unwrap(), y["standing"].as_str().unwrap()))
        .collect();
    assert_eq!(
        standing,
        [
            (2025, "official"),
            (2026, "official"),
            (2027, "provisional")
        ]
    );
}

#[test]
fn an_import_makes_2027_official_and_moves_the_open_deadline() {
    let env = december();
    let file = env.file("2027.json", SAMPLE_2027);
    let run = env.run(&format!("calendar import {file}")).output();
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("calendar 2027 imported, now official")
            && stderr.contains("2 open clock(s) moved"),
        "{stderr}"
    );
    let table = String::from_utf8_lossy(&run.stdout);
    for due in ["2027-02-03 23:59", "2027-02-02 23:59", "2027-02-01 23:59"] {
        assert!(table.contains(due), "{due}: {table}");
    }
    // With Sunday 01-31 worked, the 45th working day from acceptance (12-01) is 02-02, from
    // receipt (11-30) 02-01.
    let complaint = env.json("complaint show 1");
    assert_eq!(complaint["resolve_due"], "2027-02-02T23:59:59+08:00");
    assert_eq!(complaint["provisional"], Value::Null);
    assert_eq!(
        env.json("complaint show 3")["resolve_due"],
        "2027-02-01T23:59:59+08:00"
    );
    // Accepted now, complaint 2's resolve clock is counted on the official 2027.
    let accepted = env.json("complaint accept 2 --at '2026-12-01 09:50'");
    assert_eq!(accepted["resolve_due"], "2027-02-02T23:59:59+08:00");
    assert_eq!(accepted["provisional"], Value::Null);
    let events = env.json("log --entity complaint --id 1");
    let recompute = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "complaint.recompute")
        .expect("a recompute event");
    let detail = &recompute["detail"];
    assert_eq!(detail["moved"][0]["stage"], "resolve");
    assert_eq!(detail["moved"][0]["after"], "2027-02-02T23:59:59+08:00");
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM events WHERE action = 'calendar.import'"),
        1
    );
    let (shown, _) = days(&env, 2027);
    assert_eq!(shown["standing"], "official");
    assert_eq!(shown["workdays"], 1);
    let status = env.run("status").output();
    assert!(!String::from_utf8_lossy(&status.stderr).contains("provisional"));
    // Again: the same days, nothing moves; the earlier import is closed, not deleted.
    let again = env.json(&format!("calendar import {file}"));
    assert_eq!(again["moved"], serde_json::json!([]));
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM calendar_years WHERE replaced_at IS NOT NULL"),
        1
    );
    // The moved deadlines went through baton: the audit chain and the row seals hold.
    env.ok("log --verify");
}

#[test]
fn a_toml_import_in_chinese() {
    let env = started(TestEnv::new().at("2026-12-01T10:00:00+08:00"));
    let file = env.file(
        "cn-2027.toml",
        "year = 2027\nsource = \"国务院办公厅通知(样例)\"\n\n[[holiday]]\nname = \"元旦\"\n\
         from = 2027-01-01\nto = 2027-01-03\n\n[[holiday]]\nname = \"春节\"\n\
         from = 2027-02-05\nto = 2027-02-12\nworkdays = [2027-02-13]\n",
    );
    let run = env
        .run(&format!("calendar import {file} --lang zh"))
        .output();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("已导入 2027 年日历，现为官方安排：放假 11 天，调休上班 1 天"),
        "{stderr}"
    );
    let years = env.ok("calendar years --lang zh");
    assert!(
        years.contains("已导入") && years.contains("官方"),
        "{years}"
    );
}

#[test]
fn bad_files_are_refused_with_file_and_line_and_change_nothing() {
    let env = december();
    let events: i64 = env.sql("SELECT count(*) FROM events");
    let cases = [
        (
            "moved.json",
            SAMPLE_2027.replace("2027-02-11", "2028-02-11"),
            "moved.json:13: 2028-02-11 is not in 2027",
        ),
        (
            "twice.json",
            SAMPLE_2027.replace("2027-02-11", "2027-02-10"),
            "twice.json:13: 2027-02-10 is listed twice",
        ),
        (
            "weekday.json",
            SAMPLE_2027.replace("2027-01-31", "2027-01-29"),
            "weekday.json:6: make-up working day 2027-01-29 is a weekday already",
        ),
        (
            "syntax.json",
            SAMPLE_2027.replace("\"isOffDay\": false", "\"isOffDay\": no"),
            "syntax.json:6: ",
        ),
        (
            "range.toml",
            "year = 2027\n[[holiday]]\nname = \"元旦\"\nfrom = 2027-01-03\nto = 2027-01-01\n"
                .to_string(),
            "range.toml:4: holiday 元旦 ends on 2027-01-01, before it starts on 2027-01-03",
        ),
    ];
    for (name, text, expected) in cases {
        let file = env.file(name, text);
        let err = env.fails(&format!("calendar import {file}"), 4);
        assert!(err.contains(expected), "{err}");
        assert!(err.contains("hint:"), "{err}");
    }
    let zh = env.fails(
        &format!(
            "calendar import {} --lang zh",
            env.path("moved.json").display()
        ),
        4,
    );
    assert!(
        zh.contains("moved.json:13：2028-02-11 不在 2027 年内"),
        "{zh}"
    );
    env.fails("calendar import /nonexistent/2027.json", 1);
    env.fails(&format!("calendar import {}", env.dir.path().display()), 4);
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM events"), events);
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM calendar_years"), 0);
    assert_eq!(
        env.json("complaint show 1")["resolve_due"],
        "2027-02-03T23:59:59+08:00"
    );
}
