//! The complaint and report rules of 《市场监督管理投诉举报处理暂行办法》 through the binary:
//! mediation counted from acceptance (art. 21(5)), holds by working days (art. 20), the inform
//! clock (art. 21), refusal grounds (art. 15), 调解书 / 调解记录 (art. 22), the complainant's
//! kind (arts. 3, 38) and reports with a confidential reporter (arts. 23, 31, 33).

use crate::util::TestEnv;
use serde_json::Value;

/// A company and its customers, with the clock after the example and the samr preset
/// in a config file; returns the `--config` words.
fn samr(now: &str) -> (TestEnv, String) {
    let env = TestEnv::new().at(now).with_registry();
    let cfg = env.file("samr.toml", "[sla]\npreset = \"samr\"\n");
    (env, format!("--config {cfg}"))
}

fn stage<'a>(shown: &'a Value, name: &str) -> &'a Value {
    shown["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == name)
        .unwrap_or_else(|| panic!("no stage {name} in {shown}"))
}

#[test]
fn mediation_runs_45_working_days_from_acceptance() {
    let (env, cfg) = samr("2026-10-30T10:00:00+08:00");
    let c = env.json(&format!(
        "complaint file {cfg} --complainant 王先生 --summary 装修质量 --received-at '2026-09-30 15:00'"
    ));
    // Accept within 7 working days of receipt (art. 14): 10-08, 10-09, 10-10 (make-up day),
    // 10-12..10-15, after the National Day holiday.
    assert_eq!(c["accept_due"], "2026-10-15T23:59:59+08:00");
    assert_eq!(c["resolve_due"], Value::Null);
    let shown = env.json("complaint show 1");
    assert_eq!(stage(&shown, "resolve")["result"], "pending-acceptance");
    assert_eq!(stage(&shown, "resolve")["due"], Value::Null);
    let table = env.ok("complaint show 1 --lang zh");
    assert!(table.contains("待受理后起算"), "{table}");

    let c = env.json("complaint accept 1 --at '2026-10-15 10:00'");
    assert_eq!(c["resolve_due"], "2026-12-17T23:59:59+08:00");
    let shown = env.json("complaint show 1");
    assert_eq!(stage(&shown, "accept")["result"], "met");
    assert_eq!(stage(&shown, "resolve")["result"], "pending");
    assert_eq!(stage(&shown, "inform")["result"], "not-started");
}

#[test]
fn a_hold_over_a_weekend_adds_one_working_day() {
    let (env, cfg) = samr("2026-10-30T10:00:00+08:00");
    env.ok(&format!(
        "complaint file {cfg} --complainant 王先生 --summary 送检 --received-at '2026-09-30 15:00'"
    ));
    env.ok("complaint accept 1 --at '2026-10-15 10:00'");
    // Friday evening to Monday morning: the working days d with 10-23 < d <= 10-26 are 10-26.
    env.ok("complaint hold 1 --reason 送检,等待检测报告 --at '2026-10-23 18:00'");
    let c = env.json("complaint resume 1 --at '2026-10-26 09:00'");
    assert_eq!(c["resolve_due"], "2026-12-18T23:59:59+08:00");
    // The feedback clock counts hours: it moves by the 63 hours on hold.
    assert_eq!(c["feedback_due"], "2026-10-05T06:00:00+08:00");
    let shown = env.json("complaint show 1");
    assert_eq!(shown["holds"].as_array().unwrap().len(), 1);
    assert_eq!(shown["holds"][0]["held_at"], "2026-10-23T18:00:00+08:00");
    assert_eq!(shown["holds"][0]["resumed_at"], "2026-10-26T09:00:00+08:00");
    assert_eq!(shown["holds"][0]["reason"], "送检,等待检测报告");
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM complaint_holds"), 1);
}

#[test]
fn both_parties_are_told_within_7_working_days_after_mediation_ends() {
    let env = TestEnv::new().with_registry();
    env.ok("complaint file --customer C001 --summary 退费 --received-at '2026-02-24 09:00'");
    env.ok("complaint accept 1 --at '2026-02-24 10:00'");
    let c = env.json("complaint resolve 1 --outcome agreement --paper 调解书 --terms 退还预付款 --at '2026-02-25 10:00'");
    assert_eq!(c["paper"], "document");
    // 7 working days after Wednesday 02-25: 02-26, 02-27, 02-28 (a make-up working day),
    // 03-02..03-05.
    assert_eq!(c["inform_due"], "2026-03-05T23:59:59+08:00");
    let list = env.json("complaint list --open");
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");

    let mut later = env;
    later.now = "2026-03-09T10:00:00+08:00".into();
    let overdue = later.json("complaint list --overdue");
    assert_eq!(overdue[0]["overdue"], "inform");
    let status = later.ok("status");
    assert!(
        status.contains("the inform clock was breached") && status.contains("complaint inform 1"),
        "{status}"
    );
    let c = later.json("complaint inform 1 --note 书面告知双方");
    assert_eq!(c["informed_at"], "2026-03-09T10:00:00+08:00");
    assert_eq!(c["overdue"], Value::Null);
    let shown = later.json("complaint show 1");
    assert_eq!(stage(&shown, "inform")["result"], "breached");
    assert_eq!(stage(&shown, "inform")["by_hours"], 82.0);
    later.fails("complaint inform 1", 3);
    assert_eq!(later.json("complaint stats")["inform_met_rate"], 0.0);
}

#[test]
fn a_refusal_names_its_ground_of_article_15() {
    let env = TestEnv::new().with_registry();
    env.ok("complaint file --customer C001 --summary 转售纠纷");
    let err = env.fails("complaint reject 1 --reason 非生活消费", 4);
    assert!(
        err.contains("art. 15") && err.contains("not-consumer") && err.contains("time-barred"),
        "{err}"
    );
    let err = env.fails("complaint reject 1 --reason x --ground 乱说 --lang zh", 2);
    assert!(err.contains("乱说"), "{err}");
    assert_eq!(
        env.sql::<String>("SELECT status FROM complaints WHERE id = 1"),
        "received"
    );
    let c =
        env.json("complaint reject 1 --ground 非生活消费或无法证明消费争议 --reason 购买用于转售");
    assert_eq!(c["reject_ground"], "not-consumer");
    let table = env.ok("complaint show 1 --lang zh");
    assert!(table.contains("非生活消费或无法证明消费争议"), "{table}");

    env.ok("complaint file --customer C001 --summary 调解不成");
    env.ok("complaint accept 2");
    let err = env.fails(
        "complaint resolve 2 --outcome failed --paper document --terms 各执一词",
        4,
    );
    assert!(err.contains("调解书") && err.contains("failed"), "{err}");
    let c = env.json("complaint resolve 2 --outcome failed --terms 各执一词");
    assert_eq!(c["paper"], "record");
}

#[test]
fn wechat_is_a_channel_and_stats_split_by_complainant_kind() {
    let env = TestEnv::new().with_registry();
    let c = env.json("complaint file --complainant 刘女士 --channel 微信 --summary 退费");
    assert_eq!(c["channel"], "wechat");
    assert_eq!(c["complainant_kind"], "consumer");
    let c = env.json(
        "complaint file --customer C001 --complainant-kind 企业 --channel wechat --summary 交付延期",
    );
    assert_eq!(c["complainant_kind"], "business");
    env.ok("complaint file --customer C002 --complainant-kind business --summary 发票");
    env.ok("complaint file --complainant 某协会 --complainant-kind other --summary 广告");
    env.ok("complaint reject 3 --ground not-consumer --reason 经营用途");
    env.ok("complaint file --report --summary 无证经营");
    let s = env.json("complaint stats");
    assert_eq!(s["total"], 4, "{s}");
    assert_eq!(s["reports"], 1);
    assert_eq!(s["rejected"], 1);
    let kinds: Vec<(&str, i64, i64)> = s["by_complainant_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let n = |f: &str| k[f].as_i64().unwrap();
            (
                k["complainant_kind"].as_str().unwrap(),
                n("count"),
                n("rejected"),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [("consumer", 1, 0), ("business", 2, 1), ("other", 1, 0)]
    );
    let zh = env.ok("complaint stats --lang zh");
    assert!(zh.contains("按投诉人类型") && zh.contains("企业"), "{zh}");
}

#[test]
fn a_report_is_checked_in_15_working_days_and_its_reporter_stays_confidential() {
    let env = TestEnv::new().with_registry();
    env.open_handover(None);
    let filed = env.run(
        "complaint file --report --reporter 张举报 --summary 门店销售过期食品 --received-at '2026-02-02 09:00' --handover 1",
    );
    let out = filed.output();
    assert!(out.status.success());
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        !stdout.contains("张举报") && !stderr.contains("张举报"),
        "{stdout}{stderr}"
    );
    assert!(stderr.contains("report 1 filed"), "{stderr}");
    let r = env.json("complaint show 1");
    assert_eq!(r["kind"], "report");
    assert_eq!(r["reporter"], "***");
    // 15 working days after 02-02: the Spring Festival (02-15..02-23) skipped, its make-up
    // working days 02-14 and 02-28 counted.
    assert_eq!(r["accept_due"], "2026-02-28T23:59:59+08:00");
    let stages: Vec<&str> = r["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["check", "inform"]);

    // Masked everywhere without --reveal: list (table, CSV), the statement, the audit log.
    for line in [
        "complaint list",
        "complaint list --format csv",
        "complaint list --format json",
        "handover show 1",
        "log --format json",
        "complaint show 1 --lang zh",
    ] {
        let out = env.ok(line);
        assert!(!out.contains("张举报"), "{line}: {out}");
    }
    let reveals = "SELECT count(*) FROM events WHERE action = 'privacy.reveal'";
    assert_eq!(env.sql::<i64>(reveals), 0);
    let shown = env.json("complaint show 1 --reveal");
    assert_eq!(shown["reporter"], "张举报");
    assert_eq!(env.sql::<i64>(reveals), 1);

    // Extended once, with a reason (art. 23); no mediation, no art. 15 ground.
    let r = env.json("complaint extend 1 --reason 需调取平台交易记录 --at '2026-02-10 09:00'");
    assert_eq!(r["accept_due"], "2026-03-20T23:59:59+08:00");
    assert_eq!(r["extension_reason"], "需调取平台交易记录");
    env.fails("complaint extend 1 --reason again", 3);
    env.fails("complaint feedback 1 --note x", 3);
    env.fails("complaint reject 1 --ground outside-remit --reason x", 4);

    // The case decision starts the 5-working-day clock of telling the reporter (art. 31).
    let r = env.json("complaint accept 1 --at '2026-02-26 09:00'");
    assert_eq!(r["status"], "accepted");
    assert_eq!(r["inform_due"], "2026-03-04T23:59:59+08:00");
    let r = env.json("complaint inform 1 --at '2026-03-02 09:00'");
    assert_eq!(r["informed_at"], "2026-03-02T09:00:00+08:00");
    assert_eq!(env.json("complaint list --open"), Value::Array(vec![]));

    // An anonymous report has nobody to tell; --reporter belongs to reports only.
    let anonymous = env.json("complaint file --report --summary 虚假宣传");
    env.ok(&format!(
        "complaint reject {} --reason 无违法线索",
        anonymous["id"]
    ));
    let shown = env.json(&format!("complaint show {}", anonymous["id"]));
    assert_eq!(stage(&shown, "inform")["result"], "n/a");
    env.fails("complaint file --customer C001 --reporter x --summary y", 4);
    env.fails("complaint file --report --customer C001 --summary y", 2);
}

#[test]
fn an_import_reads_the_complainant_kind_and_refuses_reports() {
    let env = TestEnv::new().with_registry();
    let header = "received_at,customer,complainant,summary,complainant_kind,kind";
    let file = env.file(
        "complaints.csv",
        format!("{header}\n2026-02-27 09:30,C001,,发票开错,企业,complaint\n"),
    );
    assert_eq!(
        env.json(&format!("import complaints {file}"))["inserted"],
        1
    );
    assert_eq!(env.json("complaint show 1")["complainant_kind"], "business");
    let reports = env.file(
        "reports.csv",
        format!("{header}\n2026-02-27 10:30,,,无证经营,,report\n"),
    );
    let err = env.fails(&format!("import complaints {reports}"), 4);
    assert!(
        err.contains("column \"kind\"") && err.contains("not reports"),
        "{err}"
    );
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM complaints"), 1);
}

#[test]
fn a_resolve_clock_waiting_for_acceptance_reads_pending_in_tables_and_null_in_data() {
    let (env, cfg) = samr("2026-10-15T10:00:00+08:00");
    env.ok(&format!(
        "complaint file {cfg} --complainant 王先生 --summary 装修质量 --received-at '2026-09-30 15:00'"
    ));
    let table = env.ok("complaint list --wide --lang zh");
    assert!(table.contains("待受理后起算"), "{table}");
    // The stages past their deadline read in the table's language; data keeps the values.
    let table = env.ok("complaint list --lang zh");
    assert!(
        table.contains("反馈") && !table.contains("feedback"),
        "{table}"
    );
    assert_eq!(env.json("complaint list")[0]["overdue"], "feedback");
    let table = env.ok("complaint list --wide");
    assert!(table.contains("pending acceptance"), "{table}");
    let md = env.ok("complaint list --format md");
    assert!(md.contains("pending acceptance"), "{md}");
    assert_eq!(env.json("complaint list")[0]["resolve_due"], Value::Null);
    let csv = env.ok("complaint list --format csv");
    assert!(!csv.contains("pending"), "{csv}");
    // The accept clock runs out within a day; status says the resolve clock waits for it.
    let status = env.ok(&format!("status {cfg}"));
    assert!(
        status.contains("accept clock runs out")
            && status.contains("resolve clock: pending acceptance"),
        "{status}"
    );
    let status = env.ok(&format!("status {cfg} --lang zh"));
    assert!(status.contains("办结时限：待受理后起算"), "{status}");

    env.ok("complaint accept 1 --at '2026-10-15 10:00'");
    let table = env.ok("complaint list");
    assert!(!table.contains("pending acceptance"), "{table}");
    // A report has no resolve clock at all: nothing pending.
    env.ok("complaint file --report --summary 虚假宣传");
    let table = env.ok("complaint list --status received");
    assert!(!table.contains("pending acceptance"), "{table}");
}

#[test]
fn show_paper_prints_the_mediation_document_or_record_of_article_22() {
    let env = TestEnv::new().with_registry();
    env.ok("complaint file --complainant 王先生 --summary 墙面开裂 --category quality --received-at '2026-02-24 09:00'");
    // Nothing to print before mediation ends.
    let err = env.fails("complaint show 1 --paper", 3);
    assert!(err.contains("resolve 1"), "{err}");
    env.ok("complaint accept 1 --at '2026-02-24 10:00'");
    env.ok("complaint mediate 1 --note 双方到场，现场查看墙面 --at '2026-02-25 09:00'");
    env.ok("complaint resolve 1 --outcome agreement --paper 调解书 --terms 返工并赔偿500元 --at '2026-02-25 11:00'");

    let zh = env.ok("complaint show 1 --paper --lang zh");
    for part in [
        "# 调解书",
        "投诉人：王先生（消费者）",
        "被投诉人：",
        "墙面开裂（质量；2026-02-24 收到，2026-02-24 受理）",
        "1. 2026-02-25：双方到场，现场查看墙面",
        "返工并赔偿500元",
        "共三份",
        "投诉人（签字或者盖章）",
        "被投诉人（签字或者盖章）",
        "市场监督管理部门（印章）",
        "2026年2月25日",
    ] {
        assert!(zh.contains(part), "{part}: {zh}");
    }
    let en = env.ok("complaint show 1 --paper");
    for part in [
        "# MEDIATION AGREEMENT (调解书)",
        "Complainant: 王先生 (consumer)",
        "Respondent (the company complained about):",
        "three copies",
        "25 February 2026",
    ] {
        assert!(en.contains(part), "{part}: {en}");
    }
    let record = env.json("complaint show 1 --paper");
    assert_eq!(record["paper"], "document");
    assert_eq!(record["sessions"][0]["note"], "双方到场，现场查看墙面");

    // A failed mediation leaves a record kept for reference, without the three copies.
    env.ok("complaint file --customer C001 --summary 退费 --received-at '2026-02-24 09:00'");
    env.ok("complaint accept 2 --at '2026-02-24 10:00'");
    env.ok("complaint resolve 2 --outcome failed --terms 各执一词 --at '2026-02-26 10:00'");
    let zh = env.ok("complaint show 2 --paper --lang zh");
    assert!(
        zh.starts_with("# 调解记录") && zh.contains("留存备查"),
        "{zh}"
    );
    assert!(!zh.contains("共三份") && zh.contains("结果说明"), "{zh}");

    // A report has no mediation paper, and its reporter is on no paper (art. 33).
    env.ok("complaint file --report --reporter 张举报 --summary 门店销售过期食品");
    let err = env.fails("complaint show 3 --paper --reveal", 3);
    assert!(err.contains("report") && !err.contains("张举报"), "{err}");
}
