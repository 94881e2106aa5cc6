use crate::util::{Run, TestEnv, USCC_A, USCC_B};
use serde_json::Value;

/// Files a complaint of C001 received at `at`, with the `extra` words; returns the new record.
fn file_at(env: &TestEnv, at: &str, extra: &str) -> Value {
    env.json(&format!(
        "complaint file --customer C001 --summary 新对接人不了解定制配方 \
         --received-at '{at}' {extra}"
    ))
}

/// `baton complaint VERB ID REST` for a `step` written `VERB REST`.
fn act(env: &TestEnv, id: &str, step: &str) -> Run {
    let (verb, rest) = step.split_once(' ').unwrap_or((step, ""));
    env.run(&format!("complaint {verb} {id} {rest}"))
}

fn id_of(v: &Value) -> String {
    v["id"].as_i64().unwrap().to_string()
}

#[test]
fn deadlines_count_the_2025_and_2026_holidays_and_make_up_days() {
    let env = TestEnv::new()
        .at("2026-12-31T12:00:00+08:00")
        .with_registry();
    let cfg = env.file(
        "wd.toml",
        "[sla]\naccept = \"1wd\"\nfeedback = \"2wd\"\nresolve = \"6wd\"\n",
    );
    // (received, accept 1wd, feedback 2wd, resolve 6wd), hand-checked against the State
    // Council notices in assets/holidays/: "M" marks a make-up working day.
    let cases = [
        // Spring Festival 2025: 01-28..02-04 off; 01-26 (Sun) M, 02-08 (Sat) M.
        ("2025-01-24 15:00", "2025-01-26", "2025-01-27", "2025-02-08"),
        // Labour Day 2025: 05-01..05-05 off; 04-27 (Sun) M.
        ("2025-04-25 15:00", "2025-04-27", "2025-04-28", "2025-05-07"),
        // National Day 2025: 10-01..10-08 off; 10-11 (Sat) M.
        ("2025-09-30 15:00", "2025-10-09", "2025-10-10", "2025-10-15"),
        // New Year 2026: 01-01..01-03 off; 01-04 (Sun) M; across the years.
        ("2025-12-31 17:00", "2026-01-04", "2026-01-05", "2026-01-09"),
        // Spring Festival 2026: 02-15..02-23 off; 02-14 (Sat) M, 02-28 (Sat) M. 23:30 local
        // time is still the 13th.
        ("2026-02-13 23:30", "2026-02-14", "2026-02-24", "2026-02-28"),
        // Labour Day 2026: 05-01..05-05 off; 05-09 (Sat) M.
        ("2026-04-30 09:00", "2026-05-06", "2026-05-07", "2026-05-12"),
        // Mid-Autumn 2026: 09-25..09-27 off; 09-20 (Sun) M for National Day.
        ("2026-09-18 09:00", "2026-09-20", "2026-09-21", "2026-09-28"),
        // National Day 2026: 10-01..10-07 off; 10-10 (Sat) M.
        ("2026-09-30 09:00", "2026-10-08", "2026-10-09", "2026-10-14"),
    ];
    for (received, accept, feedback, resolve) in cases {
        let c = file_at(&env, received, &format!("--config {cfg}"));
        for (field, day) in [
            ("accept_due", accept),
            ("feedback_due", feedback),
            ("resolve_due", resolve),
        ] {
            assert_eq!(
                c[field],
                format!("{day}T23:59:59+08:00"),
                "{field} of a complaint received {received}"
            );
        }
    }
}

#[test]
fn default_clocks_and_the_samr_preset() {
    let env = TestEnv::new().with_registry();
    let c = file_at(&env, "2026-02-12 16:00", "");
    assert_eq!(c["received_at"], "2026-02-12T16:00:00+08:00");
    assert_eq!(c["accept_due"], "2026-02-13T16:00:00+08:00");
    assert_eq!(c["feedback_due"], "2026-02-14T16:00:00+08:00");
    // 45 working days: 02-13, 02-14 (M), 02-24..02-28 (M), March (22), 03-30..04-03,
    // 04-07..04-10 (Qingming 04-04..04-06), 04-13..04-17, 04-20..04-23.
    assert_eq!(c["resolve_due"], "2026-04-23T23:59:59+08:00");
    assert_eq!(c["status"], "received");

    let cfg = env.file("samr.toml", "[sla]\npreset = \"samr\"\n");
    let c = file_at(&env, "2026-02-12 16:00", &format!("--config {cfg}"));
    assert_eq!(c["accept_due"], "2026-02-28T23:59:59+08:00");
    assert_eq!(c["feedback_due"], "2026-02-14T16:00:00+08:00");
    // The rules count mediation from acceptance (art. 21(5)): no deadline yet.
    assert_eq!(c["resolve_due"], Value::Null);

    let cfg = env.file("days.toml", "[sla]\naccept = \"3d\"\n");
    let c = file_at(&env, "2026-02-14 09:00", &format!("--config {cfg}"));
    assert_eq!(c["accept_due"], "2026-02-17T23:59:59+08:00");
}

#[test]
fn filing_checks_who_complains_and_when() {
    let env = TestEnv::new().with_registry();
    let c = env.json(
        "complaint file --complainant '会员 刘女士' --summary 教练离职后无人跟进 \
         --category commitment --channel visit",
    );
    assert_eq!(c["customer"], Value::Null);
    assert_eq!(c["complainant"], "会员 刘女士");
    assert_eq!(c["category"], "commitment");
    assert_eq!(c["channel"], "visit");
    assert_eq!(c["received_at"], "2026-03-02T10:00:00+08:00");
    let err = env.fails("complaint file --customer C999 --summary x", 4);
    assert!(err.contains("C999"), "{err}");
    env.fails("complaint file --summary x", 2);
    env.fails(
        "complaint file --customer C001 --complainant x --summary x",
        2,
    );
    let err = env.fails(
        "complaint file --customer C001 --summary x --received-at 2026-03-03",
        4,
    );
    assert!(err.contains("future"), "{err}");
    env.fails("complaint file --customer C001 --summary ' '", 4);
    let err = env.fails(
        "complaint file --customer C001 --summary x --category rude",
        2,
    );
    assert!(err.contains("rude"), "{err}");
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM complaints"), 1);
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM events WHERE action = 'complaint.file'"),
        1
    );
}

/// The states a complaint can be brought to, and the commands that get it there.
const STATES: [(&str, &[&str]); 6] = [
    ("received", &[]),
    ("accepted", &["accept"]),
    ("mediating", &["accept", "mediate --note 第一次调解"]),
    ("accepted and on hold", &["accept", "hold --reason 送检"]),
    (
        "resolved",
        &["accept", "resolve --outcome agreement --terms 减免费用"],
    ),
    (
        "rejected",
        &["reject --ground outside-remit --reason 不属于本公司业务"],
    ),
];

/// Every action and the states that allow it.
const ACTIONS: [(&str, &[&str]); 7] = [
    ("accept", &["received"]),
    (
        "reject --ground handled-elsewhere --reason 重复投诉",
        &["received"],
    ),
    ("feedback --note 已回电", &["accepted", "mediating"]),
    ("mediate --note 调解", &["accepted", "mediating"]),
    ("hold --reason 等待鉴定", &["accepted", "mediating"]),
    ("resume", &["accepted and on hold"]),
    (
        "resolve --outcome withdrawn --terms 撤回",
        &["accepted", "mediating"],
    ),
];

#[test]
fn every_state_change_is_allowed_or_refused_with_the_current_state() {
    let env = TestEnv::new().with_registry();
    for (state, path) in STATES {
        for (action, allowed_in) in ACTIONS {
            let c = file_at(&env, "2026-03-02 09:00", "");
            let id = id_of(&c);
            for step in path {
                act(&env, &id, step).ok();
            }
            if allowed_in.contains(&state) {
                act(&env, &id, action).ok();
            } else {
                let err = act(&env, &id, action).fails(3);
                assert!(
                    err.contains(&format!("complaint {id} is {state}")) && err.contains("hint:"),
                    "{action:?} in {state}: {err}"
                );
            }
        }
    }
    let statuses: Vec<String> = env
        .json("complaint list")
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses.len(), 42);
    // One action in each transition: every event is in the trail and in the audit log.
    let events: i64 = env.sql("SELECT count(*) FROM complaint_events");
    let audited: i64 = env.sql("SELECT count(*) FROM events WHERE entity = 'complaint'");
    assert_eq!(events, audited);
    env.ok("log --verify");
}

#[test]
fn transitions_set_their_times_and_the_trail() {
    let env = TestEnv::new().with_registry();
    let id = id_of(&file_at(&env, "2026-02-26 09:00", ""));
    let id = id.as_str();
    let c = env.json(&format!("complaint accept {id} --at '2026-02-26 10:00'"));
    assert_eq!(c["status"], "accepted");
    assert_eq!(c["accepted_at"], "2026-02-26T10:00:00+08:00");
    let c = env.json(&format!(
        "complaint feedback {id} --note 已电话回复 --at '2026-02-27 09:00'"
    ));
    assert_eq!(c["feedback_at"], "2026-02-27T09:00:00+08:00");
    // A second feedback keeps the first time.
    let c = env.json(&format!(
        "complaint feedback {id} --note 进展 --at '2026-02-28 09:00'"
    ));
    assert_eq!(c["feedback_at"], "2026-02-27T09:00:00+08:00");
    let c = env.json(&format!("complaint mediate {id} --note 第一次调解"));
    assert_eq!(c["status"], "mediating");
    let err = env.fails(
        &format!("complaint mediate {id} --note x --at 2026-03-01"),
        3,
    );
    assert!(
        err.contains("last action") && err.contains("2026-03-02"),
        "{err}"
    );
    let err = env.fails(&format!("complaint mediate {id} --note x --at +1d"), 4);
    assert!(err.contains("future"), "{err}");
    env.fails(&format!("complaint mediate {id} --note ' '"), 4);
    let c = env.json(&format!(
        "complaint resolve {id} --outcome agreement --terms '按原方案施工,减免设计费 20%'"
    ));
    assert_eq!(c["status"], "resolved");
    assert_eq!(c["outcome"], "agreement");
    assert_eq!(c["terms"], "按原方案施工,减免设计费 20%");
    assert_eq!(c["resolved_at"], "2026-03-02T10:00:00+08:00");
    assert_eq!(c["overdue"], Value::Null);
    let shown = env.json(&format!("complaint show {id}"));
    let actions: Vec<&str> = shown["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["file", "accept", "feedback", "feedback", "mediate", "resolve"]
    );
    assert_eq!(shown["events"][1]["actor"], "tester");
    let stages: Vec<(&str, &str)> = shown["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["stage"].as_str().unwrap(), s["result"].as_str().unwrap()))
        .collect();
    assert_eq!(
        stages,
        [
            ("accept", "met"),
            ("feedback", "met"),
            ("resolve", "met"),
            ("inform", "pending")
        ]
    );
    assert_eq!(shown["stages"][0]["by_hours"], 23.0);

    let rejected = id_of(&file_at(&env, "2026-03-01 09:00", ""));
    env.ok(&format!(
        "complaint reject {rejected} --ground outside-remit --reason 不属于本公司业务"
    ));
    let shown = env.json(&format!("complaint show {rejected}"));
    assert_eq!(shown["rejected_at"], "2026-03-02T10:00:00+08:00");
    assert_eq!(shown["stages"][0]["result"], "breached");
    assert_eq!(shown["stages"][0]["by_hours"], 1.0);
    assert_eq!(shown["stages"][1]["result"], "n/a");
    assert_eq!(shown["stages"][2]["result"], "n/a");
    assert_eq!(shown["stages"][3]["result"], "n/a");
    assert_eq!(shown["reject_ground"], "outside-remit");
    assert_eq!(
        shown["events"][1]["note"],
        "outside-remit: 不属于本公司业务"
    );
    env.fails("complaint accept 999", 4);
}

#[test]
fn a_hold_moves_every_open_deadline_by_its_clock() {
    let env = TestEnv::new().with_registry();
    let id = id_of(&file_at(&env, "2026-02-02 09:00", ""));
    let id = id.as_str();
    env.ok(&format!("complaint accept {id} --at '2026-02-02 12:00'"));
    env.ok(&format!(
        "complaint hold {id} --reason 送检,等待检测报告 --at '2026-02-03 09:00'"
    ));
    // On hold since before the feedback deadline (02-04 09:00): the clock is paused, so at
    // 03-02 nothing is overdue and 24 hours remain.
    let held = env.json(&format!("complaint show {id}"));
    assert_eq!(held["on_hold_since"], "2026-02-03T09:00:00+08:00");
    assert_eq!(held["overdue"], Value::Null);
    assert_eq!(held["stages"][1]["result"], "pending");
    assert_eq!(held["stages"][1]["by_hours"], 24.0);
    assert!(env.json("complaint list --overdue") == Value::Array(vec![]));

    // 2 days 6 h 30 min on hold: the hour clock (feedback) gets 54.5 h, the working-day
    // clock (resolve: 45wd after 02-02 ends on 2026-04-13) the 2 working days on hold
    // (02-04, 02-05); accept was met already.
    let c = env.json(&format!("complaint resume {id} --at '2026-02-05 15:30'"));
    assert_eq!(c["accept_due"], "2026-02-03T09:00:00+08:00");
    assert_eq!(c["feedback_due"], "2026-02-06T15:30:00+08:00");
    assert_eq!(c["resolve_due"], "2026-04-15T23:59:59+08:00");
    assert_eq!(c["on_hold_since"], Value::Null);
    env.ok(&format!(
        "complaint feedback {id} --note 检测报告已出 --at '2026-02-06 09:00'"
    ));
    // A second hold within one day: only resolve is still open, and no working day passed.
    env.ok(&format!(
        "complaint hold {id} --reason 等待鉴定 --at '2026-02-09 08:00'"
    ));
    let c = env.json(&format!("complaint resume {id} --at '2026-02-09 18:00'"));
    assert_eq!(c["feedback_due"], "2026-02-06T15:30:00+08:00");
    assert_eq!(c["resolve_due"], "2026-04-15T23:59:59+08:00");
    let shown = env.json(&format!("complaint show {id}"));
    assert_eq!(shown["hold_hours"], 64.5);
    assert_eq!(shown["stages"][1]["result"], "met");
    assert_eq!(shown["stages"][1]["by_hours"], 6.5);
}

#[test]
fn a_stage_breached_before_the_hold_stays_breached() {
    let env = TestEnv::new().with_registry();
    let id = id_of(&file_at(&env, "2026-02-02 09:00", ""));
    env.ok(&format!("complaint accept {id} --at '2026-02-02 10:00'"));
    env.ok(&format!(
        "complaint hold {id} --reason 送检 --at '2026-02-05 09:00'"
    ));
    let c = env.json(&format!("complaint show {id}"));
    assert_eq!(c["overdue"], "feedback");
    assert_eq!(c["stages"][1]["by_hours"], 24.0);
    let c = env.json(&format!("complaint resume {id} --at '2026-02-10 09:00'"));
    assert_eq!(c["feedback_due"], "2026-02-09T09:00:00+08:00");
    assert_eq!(c["overdue"], "feedback");
}

/// The open breaches `complaint list --overdue` names, and the status row, at `now`.
fn overdue_at(env: &mut TestEnv, now: &str) -> (Vec<String>, Value) {
    env.now = now.into();
    let list = env.json("complaint list --overdue");
    let status = env.json("status");
    let stages = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["overdue"].as_str().unwrap().to_string())
        .collect();
    (stages, status[0].clone())
}

#[test]
fn breaches_depend_on_now() {
    let mut env = TestEnv::new().with_registry();
    let id = id_of(&file_at(&env, "2026-03-02 10:00", ""));
    let (list, status) = overdue_at(&mut env, "2026-03-03T09:59:00+08:00");
    assert!(list.is_empty());
    assert_eq!(status["complaints_open"], 1);
    assert_eq!(status["complaints_overdue"], 0);
    let (list, status) = overdue_at(&mut env, "2026-03-03T10:01:00+08:00");
    assert_eq!(list, ["accept"]);
    assert_eq!(status["complaints_overdue"], 1);
    let (list, _) = overdue_at(&mut env, "2026-03-04T10:01:00+08:00");
    assert_eq!(list, ["accept,feedback"]);
    // 45wd after 03-02 (Qingming 04-04..04-06 and Labour Day 05-01..05-05 off) ends on 05-08.
    let (list, _) = overdue_at(&mut env, "2026-05-08T23:59:59+08:00");
    assert_eq!(list, ["accept,feedback"]);
    let (list, _) = overdue_at(&mut env, "2026-05-09T00:00:00+08:00");
    assert_eq!(list, ["accept,feedback,resolve"]);

    env.now = "2026-03-03T12:00:00+08:00".into();
    let c = env.json(&format!("complaint accept {id}"));
    assert_eq!(c["overdue"], Value::Null);
    let shown = env.json(&format!("complaint show {id}"));
    assert_eq!(shown["stages"][0]["result"], "breached");
    assert_eq!(shown["stages"][0]["by_hours"], 2.0);
    assert_eq!(shown["stages"][1]["result"], "pending");
    assert_eq!(shown["stages"][1]["by_hours"], 22.0);
    let (list, status) = overdue_at(&mut env, "2026-03-04T10:00:01+08:00");
    assert_eq!(list, ["feedback"]);
    assert_eq!(status["complaints_open"], 1);
    assert_eq!(status["complaints_overdue"], 1);
}

#[test]
fn evidence_round_trips_is_stored_once_and_tampering_is_named() {
    let env = TestEnv::new().with_registry();
    let first = id_of(&file_at(&env, "2026-03-01 09:00", ""));
    let second = id_of(&file_at(&env, "2026-03-01 10:00", ""));
    let photo: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 256) as u8).collect();
    env.file("现场照片.jpg", &photo);
    env.file("copy.jpg", &photo);
    env.file("合同.pdf", b"%PDF-1.4 signed contract");
    let added = env.json(&format!(
        "complaint evidence add {first} 现场照片.jpg --description 墙面开裂"
    ));
    assert_eq!(added["file_name"], "现场照片.jpg");
    assert_eq!(added["bytes"], 300_000);
    assert_eq!(added["description"], "墙面开裂");
    let sha = added["sha256"].as_str().unwrap().to_string();
    assert_eq!(sha.len(), 64);
    env.ok(&format!("complaint evidence add {first} 合同.pdf"));
    // Evidence arrives when it arrives: back-filling an earlier action stays possible.
    env.ok(&format!("complaint accept {first} --at '2026-03-01 09:30'"));
    let stderr = env
        .run(&format!("complaint evidence add {second} copy.jpg"))
        .ok_stderr();
    assert!(stderr.contains("stored before"), "{stderr}");
    // Three evidence rows, two blobs: the photo is kept once.
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM evidence"), 3);
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM evidence_blobs"), 2);
    let listed = env.json(&format!("complaint evidence list {first}"));
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let shown = env.json(&format!("complaint show {first}"));
    assert_eq!(shown["evidence"][1]["file_name"], "合同.pdf");
    assert_eq!(shown["events"][2]["action"], "evidence");

    env.ok(&format!("complaint evidence export {first} --out exported"));
    assert_eq!(
        std::fs::read(env.path("exported/现场照片.jpg")).unwrap(),
        photo
    );
    assert_eq!(
        std::fs::read(env.path("exported/合同.pdf")).unwrap(),
        b"%PDF-1.4 signed contract"
    );
    let err = env.fails(
        &format!("complaint evidence export {first} --out exported"),
        3,
    );
    assert!(err.contains("exists already"), "{err}");
    env.ok("complaint evidence verify");

    // Someone edits the photo inside the database.
    env.exec(&format!(
        "UPDATE evidence_blobs SET content = zeroblob(length(content)) WHERE sha256 = '{sha}'"
    ));
    let err = env.fails("complaint evidence verify", 1);
    assert!(err.contains(&sha), "{err}");
    assert!(
        err.contains("现场照片.jpg") && err.contains("copy.jpg"),
        "{err}"
    );
    assert!(!err.contains("合同.pdf"), "{err}");
    let err = env.fails(&format!("complaint evidence verify {second}"), 1);
    assert!(err.contains(&sha), "{err}");
    let err = env.fails(&format!("complaint evidence export {first} --out again"), 1);
    assert!(err.contains(&sha), "{err}");
    assert!(!env.path("again/现场照片.jpg").exists());

    // The size limit of the config.
    let cfg = env.file("small.toml", "[evidence]\nmax_bytes = 1000\n");
    let err = env.fails(
        &format!("complaint evidence add {first} copy.jpg --config {cfg}"),
        4,
    );
    assert!(
        err.contains("300000 bytes") && err.contains("max_bytes"),
        "{err}"
    );
    let err = env.fails(&format!("complaint evidence add {first} missing.pdf"), 1);
    assert!(err.contains("missing.pdf"), "{err}");
}

#[test]
fn stats_on_a_fixture_with_known_answers() {
    let env = TestEnv::new()
        .at("2026-03-20T10:00:00+08:00")
        .with_registry();
    let file =
        |at: &str, category: &str| id_of(&file_at(&env, at, &format!("--category {category}")));
    let act_at = |id: &str, step: &str, at: &str| {
        act(&env, id, step).arg("--at").arg(at).ok();
    };
    // Outside the period.
    let early = file("2026-02-20 09:00", "data");
    act_at(&early, "accept", "2026-02-20 10:00");
    // 1: every stage met: accept 1 h, feedback 24 h, resolve 72 h.
    let c1 = file("2026-03-02 09:00", "service-gap");
    act_at(&c1, "accept", "2026-03-02 10:00");
    act_at(&c1, "feedback --note n", "2026-03-03 09:00");
    act_at(
        &c1,
        "resolve --outcome agreement --terms t",
        "2026-03-05 09:00",
    );
    // 2: accept late (30 h), feedback late (72 h), resolved in time (96 h).
    let c2 = file("2026-03-02 09:00", "quality");
    act_at(&c2, "accept", "2026-03-03 15:00");
    act_at(&c2, "feedback --note n", "2026-03-05 09:00");
    act_at(&c2, "mediate --note n", "2026-03-05 10:00");
    act_at(
        &c2,
        "resolve --outcome withdrawn --terms t",
        "2026-03-06 09:00",
    );
    // 3: rejected in 2 h; feedback and resolve do not apply.
    let c3 = file("2026-03-03 09:00", "other");
    act_at(
        &c3,
        "reject --ground time-barred --reason r",
        "2026-03-03 11:00",
    );
    // 4: received yesterday, nothing due yet.
    file("2026-03-19 12:00", "billing");
    // 5: untouched for ten days: accept and feedback breached, resolve not yet due.
    file("2026-03-10 09:00", "service-gap");

    let s = env.json("complaint stats --since 2026-03-01 --until 2026-03-31");
    assert_eq!(
        (&s["total"], &s["open"], &s["resolved"], &s["rejected"]),
        (
            &Value::from(5),
            &Value::from(2),
            &Value::from(2),
            &Value::from(1)
        )
    );
    assert_eq!(s["accept_met_rate"], 0.5); // 1, 3 met; 2, 5 breached; 4 not yet due
    assert_eq!(s["feedback_met_rate"], 0.333); // 1 met; 2, 5 breached
    assert_eq!(s["resolve_met_rate"], 1.0); // 1, 2 met; 4, 5 open and not due
    assert_eq!(s["median_accept_hours"], 2.0); // 1, 2, 30
    assert_eq!(s["median_feedback_hours"], 48.0); // 24, 72
    assert_eq!(s["median_resolve_hours"], 84.0); // 72, 96
    assert_eq!(s["linked_to_handover"], 0);
    let count_of = |list: &str, key: &str, value: &str| -> i64 {
        s[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c[key] == value)
            .map(|c| c["count"].as_i64().unwrap())
            .unwrap()
    };
    assert_eq!(count_of("by_category", "category", "service-gap"), 2);
    assert_eq!(count_of("by_category", "category", "quality"), 1);
    assert_eq!(count_of("by_category", "category", "data"), 0);
    assert_eq!(count_of("by_outcome", "outcome", "agreement"), 1);
    assert_eq!(count_of("by_outcome", "outcome", "withdrawn"), 1);
    assert_eq!(count_of("by_outcome", "outcome", "failed"), 0);

    let s = env.json("complaint stats --until 2026-03-18");
    assert_eq!(s["total"], 5); // the early one in, complaint 4 out
    assert_eq!(s["accept_met_rate"], 0.6);
    let s = env.json("complaint stats --since 2026-03-19");
    assert_eq!(s["total"], 1);
    assert_eq!(s["accept_met_rate"], Value::Null);
    assert_eq!(s["median_accept_hours"], Value::Null);
    let csv = env.ok("complaint stats --format csv");
    assert!(
        csv.starts_with("total,open,resolved,rejected,accept_met_rate,"),
        "{csv}"
    );
    env.fails("complaint stats --since 2026-03-10 --until 2026-03-01", 4);
}

#[test]
fn list_filters_by_status_and_customer() {
    let env = TestEnv::new().with_registry();
    let a = id_of(&file_at(&env, "2026-03-01 09:00", ""));
    env.ok(&format!("complaint accept {a}"));
    env.json("complaint file --customer C002 --summary x");
    let accepted = env.json("complaint list --status accepted");
    assert_eq!(accepted.as_array().unwrap().len(), 1);
    assert_eq!(accepted[0]["id"].to_string(), a);
    let of_c002 = env.json("complaint list --customer C002");
    assert_eq!(of_c002.as_array().unwrap().len(), 1);
    assert_eq!(of_c002[0]["customer"], "C002");
    env.fails("complaint list --customer C999", 4);
    let csv = env.ok("complaint list --format csv");
    assert!(csv.starts_with(
        "id,customer,complainant,category,channel,summary,handover,status,received_at,accept_due,feedback_due,resolve_due,accepted_at,feedback_at,resolved_at,outcome,terms,overdue,"
    ), "{csv}");
    let table = env.ok("complaint list --lang zh --wide");
    assert!(table.contains("受理时限"), "{table}");
}

#[test]
fn the_demo_tells_the_three_mediation_stories_and_one_overdue_complaint() {
    let env = TestEnv::new();
    env.ok(&format!("demo --db {}", env.db.display()));
    let status = env.json("status");
    let row = |code: &str| {
        status
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["company"] == code)
            .unwrap_or_else(|| panic!("no status row for {code}"))
            .clone()
    };
    for (code, open, overdue) in [
        ("91310115MA1K4DX87J", 0, 0),
        ("91330106MA2CF7XN4W", 0, 0),
        // The member's report counts too: the reporter is still to be told, not late yet.
        ("91510107MA6DG8XL2J", 2, 1),
    ] {
        assert_eq!(row(code)["complaints_open"], open, "{code}");
        assert_eq!(row(code)["complaints_overdue"], overdue, "{code}");
    }
    let overdue = env.json("complaint list -c 91510107MA6DG8XL2J --overdue");
    assert_eq!(overdue[0]["overdue"], "accept,feedback");
    assert_eq!(overdue[0]["complainant"], "会员 陈先生");
    // A consumer's complaint goes by the rules: mediation is counted from acceptance.
    assert_eq!(overdue[0]["resolve_due"], Value::Null);
    assert_eq!(overdue[0]["complainant_kind"], "consumer");
    let decoration = env.json("complaint show 1");
    assert_eq!(decoration["outcome"], "agreement");
    assert_eq!(decoration["hold_hours"], 48.0);
    assert!(decoration["terms"].as_str().unwrap().contains("原设计方案"));
    let bookkeeping = env.json("complaint show 2");
    let mediations = bookkeeping["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "mediate")
        .count();
    assert_eq!(mediations, 3);
    let gym = env.json("complaint stats -c 91510107MA6DG8XL2J");
    assert_eq!(gym["total"], 2);
    assert_eq!(gym["accept_met_rate"], 0.5);
    env.ok("log --verify");
}

#[test]
fn complaints_link_to_the_handover_that_caused_them() {
    let env = TestEnv::new()
        .at("2026-03-20T10:00:00+08:00")
        .with_registry();
    env.ok("handover open --employee E001 --leaving-on 2026-03-10 --successor E002");
    let linked = file_at(&env, "2026-03-12 09:00", "--handover 1");
    assert_eq!(linked["handover"], 1);
    let unlinked = id_of(&file_at(&env, "2026-03-13 09:00", ""));
    let by_other = env.json(
        "complaint file --complainant '华丰食品 采购部 刘经理' --summary 离职业务员带走了报价单 \
         --handover 1 --received-at '2026-03-16 09:00'",
    );
    // Refused, naming the handover: one that does not exist, one of another company.
    let err = env.fails("complaint file --customer C001 --summary x --handover 9", 4);
    assert!(err.contains("no handover 9"), "{err}");
    env.ok(&format!("company add --code {USCC_B} --name 乙公司"));
    env.ok(&format!(
        "-c {USCC_B} employee add --id E101 --name 赵六 --role sales"
    ));
    env.ok(&format!(
        "-c {USCC_B} handover open --employee E101 --leaving-on 2026-03-25"
    ));
    let in_a = |line: &str| format!("-c {USCC_A} {line}");
    let err = env.fails(
        &in_a("complaint file --customer C001 --summary x --handover 2"),
        4,
    );
    assert!(
        err.contains("handover 2 belongs to another company"),
        "{err}"
    );
    let err = env.fails(&in_a("complaint list --handover 2"), 4);
    assert!(err.contains("handover 2"), "{err}");
    env.fails(&in_a("complaint list --handover 9"), 4);

    let ids = |line: &str| -> Vec<i64> {
        env.json(&in_a(line))
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let both = vec![
        linked["id"].as_i64().unwrap(),
        by_other["id"].as_i64().unwrap(),
    ];
    assert_eq!(ids("complaint list --handover 1"), both);
    assert_eq!(ids("complaint list").len(), 3);
    assert_eq!(
        env.json(&in_a(&format!("complaint show {unlinked}")))["handover"],
        Value::Null
    );

    // Known answers: two of the three are linked; from the 14th on, one of two.
    let stats = |flags: &str| env.json(&in_a(&format!("complaint stats {flags}")));
    let all = stats("");
    assert_eq!(
        (&all["total"], &all["linked_to_handover"]),
        (&Value::from(3), &Value::from(2))
    );
    let later = stats("--since 2026-03-14");
    assert_eq!(
        (&later["total"], &later["linked_to_handover"]),
        (&Value::from(1), &Value::from(1))
    );
    let early = stats("--until 2026-03-13");
    assert_eq!(
        (&early["total"], &early["linked_to_handover"]),
        (&Value::from(2), &Value::from(1))
    );
}
