use crate::util::{TestEnv, USCC_B};
use serde_json::Value;

/// Two dimensions; A1 and A2 answered by probes, B1–B3 by hand (B3 names a probe this
/// binary does not have).
const MINI: &str = r#"
id = "mini"
version = 2
title = { zh = "迷你自查", en = "Mini check" }

[[dimensions]]
id = "prevention"
title = { zh = "预警前置", en = "Prevention" }

[[dimensions]]
id = "bridging"
title = { zh = "信息衔接", en = "Bridging" }

[[items]]
id = "A1"
dimension = "prevention"
weight = 5
probe = "core_customers_without_backup"
question = { zh = "核心客户都有备份吗?", en = "Do core customers have a backup?" }
advice = { zh = "指定备份人", en = "Name a backup" }

[[items]]
id = "A2"
dimension = "prevention"
weight = 3
probe = "core_staff_without_nda"
question = { zh = "核心员工都签了保密协议吗?", en = "Have core staff signed an NDA?" }
advice = { zh = "签保密协议", en = "Sign NDAs" }

[[items]]
id = "B1"
dimension = "bridging"
weight = 4
question = { zh = "有告知流程吗?", en = "Is there a notice procedure?" }
advice = { zh = "写告知流程", en = "Write the notice procedure" }

[[items]]
id = "B2"
dimension = "bridging"
weight = 2
question = { zh = "公示了对接人吗?", en = "Is the contact roster published?" }
advice = { zh = "公示对接人名单", en = "Publish the roster" }

[[items]]
id = "B3"
dimension = "bridging"
weight = 1
probe = "promises_kept"
question = { zh = "告知都按时发出了吗?", en = "Did every notice go out in time?" }
advice = { zh = "按时发告知", en = "Send notices in time" }
"#;

/// The registry fixture: C001 core without backup, C002 core and C003 key with one, so the
/// backup probe finds 1 of 3 (partial); E001 has signed, E002 not, so 1 of 2 (partial).
fn env() -> TestEnv {
    let env = TestEnv::new().with_registry();
    env.file("mini.toml", MINI);
    env
}

/// `checklist run` of the mini template with `answers` and the `extra` words: the run.
fn run(env: &TestEnv, answers: &str, extra: &str) -> Value {
    let file = env.file("answers.toml", answers);
    let template = env.path("mini.toml").display().to_string();
    env.json(&format!(
        "checklist run --template {template} --answers {file} {extra}"
    ))
}

#[test]
fn a_run_scores_probes_and_manual_answers_as_computed_by_hand() {
    let env = env();
    let r = run(&env, "B1 = \"yes\"\nB2 = \"no\"\nB3 = \"n/a\"", "");
    // (5·0.5 + 3·0.5 + 4·1 + 2·0) / (5 + 3 + 4 + 2) = 8 / 14 = 57.14…
    assert_eq!(r["score"], 57.1);
    assert_eq!(r["risk"], "high");
    assert_eq!(r["answered"], 4);
    assert_eq!(r["skipped"], 1);
    assert_eq!(r["template"], "mini");

    let report = env.json("checklist report");
    assert_eq!(report["id"], r["id"]);
    let dims = report["dimensions"].as_array().unwrap();
    assert_eq!(dims[0]["dimension"], "Prevention");
    assert_eq!(dims[0]["score"], 50.0); // 4 of 8
    assert_eq!(dims[1]["score"], 66.7); // 4 of 6, B3 left out
    assert_eq!(dims[1]["answered"], 2);
    assert_eq!(dims[0]["bar"], "██████████░░░░░░░░░░");
    // Gaps, largest loss first: A1 loses 100·5/14·0.5 = 17.9, B2 100·2/14 = 14.3, A2 10.7.
    let gaps: Vec<(&str, f64)> = report["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["item"].as_str().unwrap(), g["lost"].as_f64().unwrap()))
        .collect();
    assert_eq!(gaps, [("A1", 17.9), ("B2", 14.3), ("A2", 10.7)]);
    let a1 = &report["gaps"][0];
    assert_eq!(a1["source"], "probe");
    assert_eq!(a1["answer"], "partial");
    assert_eq!(a1["advice"], "Name a backup");
    let note = a1["note"].as_str().unwrap();
    assert!(note.contains("1 of 3") && note.contains("C001"), "{note}");

    let explained = env.json("checklist report --explain");
    let items = explained["breakdown"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    let earned: f64 = items.iter().filter_map(|i| i["earned"].as_f64()).sum();
    assert!((earned - 57.14).abs() < 0.05, "{earned}");
    let b1 = items.iter().find(|i| i["item"] == "B1").unwrap();
    assert_eq!(b1["earned"], 28.57);
    assert_eq!(b1["possible"], 28.57);
    let b3 = items.iter().find(|i| i["item"] == "B3").unwrap();
    assert_eq!(b3["earned"], Value::Null);
    assert_eq!(b3["source"], "manual");

    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM checklist_answers WHERE run_id = 1"),
        5
    );
    assert_eq!(
        env.sql::<String>("SELECT action FROM events ORDER BY id DESC LIMIT 1"),
        "checklist.run"
    );
}

#[test]
fn skip_leaves_items_out_and_a_probe_overrides_a_manual_answer() {
    let env = env();
    let r = run(&env, "A1 = \"yes\"\nB2 = \"no\"\nB3 = \"n/a\"", "--skip B1");
    // (2.5 + 1.5 + 0) / (5 + 3 + 2) = 40.0
    assert_eq!(r["score"], 40.0);
    assert_eq!(r["skipped"], 2);
    let explained = env.json("checklist report --explain");
    let item = |id: &str| {
        explained["breakdown"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["item"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(item("B1")["answer"], "n/a");
    assert_eq!(item("B1")["note"], "skipped");
    assert_eq!(item("A1")["answer"], "partial");
    let note = item("A1")["note"].as_str().unwrap().to_string();
    assert!(note.contains("overrides the manual answer yes"), "{note}");
}

#[test]
fn fail_under_exits_3_and_keeps_the_run() {
    let env = env();
    let answers = env.file("a.toml", "B1 = \"yes\"\nB2 = \"no\"\nB3 = \"no\"");
    let template = env.path("mini.toml").display().to_string();
    let line = |min: &str| {
        format!("checklist run --template {template} --answers {answers} --fail-under {min}")
    };
    // (2.5 + 1.5 + 4 + 0 + 0) / 15 = 53.3
    let err = env.fails(&line("60"), 3);
    assert!(err.contains("53.3") && err.contains("60"), "{err}");
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM checklist_runs"), 1);
    env.ok(&line("53.3"));
    env.fails(&line("150"), 2);
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM checklist_runs"), 2);
}

#[test]
fn answers_file_errors_exit_4_and_store_nothing() {
    let env = env();
    let template = env.path("mini.toml").display().to_string();
    let fails = |answers: &str, extra: &str| {
        let file = env.file("bad.toml", answers);
        env.fails(
            &format!("checklist run --template {template} --answers {file} {extra}"),
            4,
        )
    };
    let err = fails("B1 = \"yes\"\nB2 = \"maybe\"\nB3 = \"no\"", "");
    assert!(
        err.contains("bad.toml") && err.contains("B2") && err.contains("maybe"),
        "{err}"
    );
    let err = fails("B1 = \"yes\"\nB2 = \"no\"\nB3 = \"no\"\nZ9 = \"yes\"", "");
    assert!(err.contains("Z9") && err.contains("hint:"), "{err}");
    let err = fails("B1 = \"yes\"", "");
    assert!(
        err.contains("no answer for B2, B3") && err.contains("--skip B2,B3"),
        "{err}"
    );
    let err = fails("B1 = \"yes\"\nB2 = \"no\"\nB3 = \"no\"", "--skip B1,Q7");
    assert!(err.contains("--skip") && err.contains("Q7"), "{err}");
    let err = fails("B1 = yes", "");
    assert!(err.contains("bad.toml"), "{err}");
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM checklist_runs"), 0);
}

#[test]
fn without_answers_and_without_a_terminal_it_is_a_usage_error() {
    let env = env();
    let err = env.fails("checklist run", 2);
    assert!(
        err.contains("not a terminal") && err.contains("--answers"),
        "{err}"
    );
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM checklist_runs"), 0);
}

#[test]
fn show_lists_items_in_english_and_chinese() {
    let env = env();
    let items = env.json("checklist show");
    let items = items.as_array().unwrap();
    assert!(items.len() >= 25);
    let item = |id: &str| items.iter().find(|i| i["id"] == id).unwrap().clone();
    assert_eq!(item("P4")["probe"], "core_customers_without_backup");
    assert_eq!(item("P4")["dimension"], "Early warning and prevention");
    assert_eq!(item("C6")["probe"], "handover_items_overdue");
    assert_eq!(item("B2")["probe"], "notices_past_send_by");
    assert_eq!(item("D2")["probe"], "complaints_breached_90d");
    assert_eq!(item("R2")["probe"], "credit_violations_active");
    assert!(item("C3")["question"]
        .as_str()
        .unwrap()
        .contains("non-compete"));

    let stderr = env.run("checklist show").ok_stderr();
    assert!(!stderr.contains("no probe in this baton"), "{stderr}");
    let mini = env.path("mini.toml").display().to_string();
    let stderr = env
        .run(&format!("checklist show --template {mini}"))
        .ok_stderr();
    assert!(stderr.contains("B3 (promises_kept)"), "{stderr}");

    let zh = env.ok("checklist show --lang zh --wide");
    assert!(
        zh.contains("问题") && zh.contains("权重") && zh.contains("数据探针"),
        "{zh}"
    );
    assert!(
        zh.contains("竞业限制") && zh.contains("《工作交接说明》"),
        "{zh}"
    );
    let en = env.ok("checklist show --wide");
    assert!(
        en.contains("question") && en.contains("handover statement"),
        "{en}"
    );
    assert!(
        !en.contains("每名核心员工是否都签订了"),
        "refs stay as written, questions do not"
    );
}

#[test]
fn report_reads_in_both_languages_and_exports_csv() {
    let env = env();
    run(&env, "B1 = \"yes\"\nB2 = \"no\"\nB3 = \"n/a\"", "");
    let en = env.ok("checklist report");
    assert!(
        en.contains("Mini check") && en.contains("Prevention"),
        "{en}"
    );
    assert!(
        en.contains("gaps") && en.contains("Publish the roster"),
        "{en}"
    );
    let zh = env.ok("checklist report --lang zh");
    assert!(
        zh.contains("迷你自查") && zh.contains("维度得分") && zh.contains("差距与整改建议"),
        "{zh}"
    );
    assert!(
        zh.contains("公示对接人名单") && !zh.contains("Publish the roster"),
        "{zh}"
    );
    let explained = env.ok("checklist report --explain --lang zh");
    assert!(
        explained.contains("得分明细") && explained.contains("可得分"),
        "{explained}"
    );

    let csv = env.ok("checklist report 1 --format csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "item,dimension,weight,answer,lost,source,note,advice"
    );
    assert!(lines
        .next()
        .unwrap()
        .starts_with("A1,Prevention,5,partial,17.9,probe,"));
    assert_eq!(csv.lines().count(), 4);
    let csv = env.ok("checklist report --explain --format csv");
    assert_eq!(csv.lines().count(), 6);
}

#[test]
fn the_printable_report_draws_its_dimensions_and_history_and_escapes_the_notes() {
    let env = env();
    run(
        &env,
        "B1 = { answer = \"no\", note = \"<script>alert(1)</script> & co\" }\nB2 = \"no\"\nB3 = \"n/a\"",
        "",
    );
    run(&env, "B1 = \"yes\"\nB2 = \"partial\"\nB3 = \"n/a\"", "");
    let scores: Vec<f64> = env
        .json("checklist history")
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    let html = env.ok("checklist report 1 -f html");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert_eq!(
        html.matches("<svg ").count(),
        2,
        "a radar and a line: {html}"
    );
    for part in [
        "<h1>Self-check report</h1>",
        "Mini check",
        "深圳示例科技有限公司",
        "<h2>Scores by dimension</h2>",
        "<h2>Score history</h2>",
        "<h2>Remediation plan</h2>",
        "Is there a notice procedure?",
        "Write the notice procedure",
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co",
        ">Prevention</tspan>",
        ">Bridging</tspan>",
        ">2026-03-02</tspan>",
    ] {
        assert!(html.contains(part), "{part} in {html}");
    }
    assert!(!html.contains("<script"), "{html}");
    let line = &html[html.rfind("<svg ").unwrap()..];
    assert_eq!(
        line.matches("<circle").count(),
        2,
        "every run of the company: {line}"
    );
    for score in scores {
        assert!(line.contains(&format!(">{score}<")), "{score} in {line}");
    }
    let zh = env.ok("checklist report 2 -f html --lang zh");
    for part in [
        "<h1>自查报告</h1>",
        "迷你自查",
        "各维度得分",
        "得分变化",
        "整改计划",
        ">预警前置</tspan>",
    ] {
        assert!(zh.contains(part), "{part} in {zh}");
    }
    let file = env.path("report.html");
    env.ok(&format!("checklist report 1 -f html -o {}", file.display()));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), html);
}

#[test]
fn history_diff_and_status_follow_the_runs() {
    let env = env();
    let err = env.fails("checklist report", 4);
    assert!(
        err.contains("no checklist run") && err.contains("baton checklist run"),
        "{err}"
    );
    let status = env.json("status");
    assert_eq!(status[0]["checklist_score"], Value::Null);

    // (2.5 + 1.5 + 0 + 2) / 14 = 42.9
    let first = run(&env, "B1 = \"no\"\nB2 = \"yes\"\nB3 = \"n/a\"", "");
    assert_eq!(first["score"], 42.9);
    env.ok("customer update C001 --backup E003");
    env.ok("employee update E002 --nda");
    // (5 + 3 + 4 + 0 + 1) / 15 = 86.7
    let second = run(&env, "B1 = \"yes\"\nB2 = \"no\"\nB3 = \"yes\"", "");
    assert_eq!(second["score"], 86.7);
    assert_eq!(second["risk"], "low");

    let history = env.json("checklist history");
    let scores: Vec<(i64, f64, &str)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap(),
                r["score"].as_f64().unwrap(),
                r["risk"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(scores, [(1, 42.9, "high"), (2, 86.7, "low")]);
    assert_eq!(env.json("status")[0]["checklist_score"], 86.7);

    let diff = env.json("checklist diff 1 2");
    let changes: Vec<(&str, &str, &str)> = diff
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["item"].as_str().unwrap(),
                r["before"].as_str().unwrap(),
                r["change"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("A1", "partial", "improved"),
            ("A2", "partial", "improved"),
            ("B1", "no", "improved"),
            ("B2", "yes", "slipped"),
            ("B3", "n/a", "changed"),
        ]
    );
    let stderr = env.run("checklist diff 1 2").ok_stderr();
    assert!(
        stderr.contains("42.9 → 86.7") && stderr.contains("3 improved, 1 slipped"),
        "{stderr}"
    );
    env.fails("checklist diff 1 9", 4);
}

#[test]
fn templates_come_built_in_and_from_the_config_folder() {
    let env = env();
    let folder = env
        .dir
        .path()
        .join("config")
        .join("baton")
        .join("checklists");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("mini.toml"), MINI).unwrap();
    let listed = env.json("checklist templates");
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["mini", "core-departure"]);
    assert_eq!(listed[0]["items"], 5);
    assert!(listed[0]["source"].as_str().unwrap().ends_with("mini.toml"));
    assert_eq!(listed[1]["source"], "built-in");
    let shown = env.json("checklist show --template mini");
    assert_eq!(shown.as_array().unwrap().len(), 5);
    let err = env.fails("checklist show --template nope", 4);
    assert!(
        err.contains("\"nope\"") && err.contains("checklist templates"),
        "{err}"
    );

    std::fs::write(
        folder.join("broken.toml"),
        MINI.replace("weight = 2", "weight = 7"),
    )
    .unwrap();
    let err = env.fails("checklist templates", 4);
    assert!(
        err.contains("broken.toml") && err.contains("item B2") && err.contains("`weight`"),
        "{err}"
    );
}

#[test]
fn the_demo_runs_the_checklist_twice_per_company() {
    let env = TestEnv::new();
    env.ok(&format!("demo --db {}", env.db.display()));
    let history = env.json(&format!("checklist history -c {USCC_B}"));
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert!(history[1]["score"].as_f64() > history[0]["score"].as_f64());
    let diff = env.json("checklist diff 1 2");
    let rows = diff.as_array().unwrap();
    assert!(rows.iter().any(|r| r["change"] == "improved"));
    assert!(rows.iter().any(|r| r["change"] == "slipped"));
    let status = env.json("status");
    assert!(status
        .as_array()
        .unwrap()
        .iter()
        .all(|row| row["checklist_score"].is_number()));
}

/// `baton ARGS` at a terminal (a pseudo-terminal from util-linux `script`) that reads `typed`
/// and then the end of input; returns the exit code and what the terminal showed.
fn at_terminal(env: &TestEnv, args: &str, typed: &str) -> (Option<i32>, String) {
    let out = env
        .shell(&format!("script -qec '\"$BATON\" {args}' /dev/null"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(typed.as_bytes())?;
            child.wait_with_output()
        })
        .expect("script from util-linux");
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code(), shown)
}

#[test]
fn a_self_check_stopped_part_way_keeps_its_answers_and_resumes() {
    let env = env();
    let (code, shown) = at_terminal(&env, "checklist run", "y\np 只有一部分\n");
    assert_eq!(code, Some(2), "{shown}");
    assert!(
        shown.contains("the answers given before it are kept") && shown.contains("--resume"),
        "{shown}"
    );
    let kept = "SELECT count(*) FROM checklist_draft_answers";
    assert_eq!(env.sql::<i64>(kept), 2);

    let err = env.fails("checklist run", 3);
    assert!(
        err.contains("unfinished (2 answered)") && err.contains("--resume"),
        "{err}"
    );
    let err = env.fails("checklist run --resume --answers a.toml", 2);
    assert!(err.contains("--answers"), "{err}");

    let (code, shown) = at_terminal(&env, "checklist run --resume", &"y\n".repeat(80));
    assert_eq!(code, Some(0), "{shown}");
    assert!(
        shown.contains("2 answered already") && shown.contains("[1/"),
        "{shown}"
    );
    let run: i64 = env.sql("SELECT max(id) FROM checklist_runs");
    assert_eq!(env.sql::<i64>("SELECT run_id FROM checklist_drafts"), run);
    let note = format!("SELECT count(*) FROM checklist_answers WHERE run_id = {run} AND note = '只有一部分' AND answer = 'partial'");
    assert_eq!(env.sql::<i64>(&note), 1);
    let err = env.fails("checklist run --resume", 4);
    assert!(err.contains("no unfinished self-check"), "{err}");
    let log = env.json("log --entity checklist_draft");
    assert!(log.as_array().unwrap().len() >= 4, "{log}");
}

#[test]
fn restart_sets_the_unfinished_self_check_aside_and_starts_over() {
    let env = env();
    let (code, _) = at_terminal(&env, "checklist run --lang zh", "n\n");
    assert_eq!(code, Some(2));
    let err = env.fails("checklist run --lang zh", 3);
    assert!(
        err.contains("尚未完成（已答 1 项）") && err.contains("--restart"),
        "{err}"
    );
    let (code, shown) = at_terminal(&env, "checklist run --restart", &"y\n".repeat(80));
    assert_eq!(code, Some(0), "{shown}");
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM checklist_drafts WHERE discarded_at IS NOT NULL"),
        1
    );
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM checklist_drafts WHERE run_id IS NOT NULL"),
        1
    );
    assert_eq!(
        env.sql::<i64>("SELECT count(*) FROM checklist_draft_answers"),
        1 + env.sql::<i64>("SELECT count(*) FROM checklist_answers WHERE source = 'manual'")
    );
}
