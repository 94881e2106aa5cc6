//! Every file in examples/ is used here, so none rots: the import samples in dependency order,
//! the notice and checklist templates with their answers, the config file and the nightly
//! batch script.

use std::path::{Path, PathBuf};

use crate::util::*;
use baton::domain::notify::PLACEHOLDERS;
use baton::i18n::ZH_LABELS;

/// The import entities in the order their references need.
const ENTITIES: [&str; 6] = [
    "companies",
    "employees",
    "customers",
    "handovers",
    "complaints",
    "credit",
];

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// Every examples/import/*.csv with its entity (the name before any `-`), in dependency order.
fn import_files() -> Vec<(&'static str, PathBuf)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(example("import")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("csv") {
            continue;
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap();
        let entity = stem.split('-').next().unwrap();
        let rank = ENTITIES
            .iter()
            .position(|e| *e == entity)
            .unwrap_or_else(|| panic!("{path:?}: `{entity}` is not in ENTITIES"));
        files.push((rank, path));
    }
    files.sort();
    files
        .into_iter()
        .map(|(rank, path)| (ENTITIES[rank], path))
        .collect()
}

/// A database holding the import samples of the entities up to `last`, each checked to
/// import whole.
fn imported(last: &str) -> TestEnv {
    let env = TestEnv::new();
    let last = ENTITIES.iter().position(|e| *e == last).unwrap();
    for (entity, file) in import_files() {
        if ENTITIES.iter().position(|e| *e == entity).unwrap() > last {
            continue;
        }
        let records = csv::Reader::from_path(&file)
            .unwrap()
            .into_byte_records()
            .count();
        let summary = env.run("import").arg(entity).arg(&file).json();
        assert_eq!(summary["rows"], records, "{file:?}: {summary}");
        assert_eq!(summary["rejected"], 0, "{file:?}: {summary}");
        assert!(
            summary["inserted"].as_u64() > Some(0),
            "{file:?}: {summary}"
        );
    }
    env
}

#[test]
fn every_import_sample_imports_in_dependency_order() {
    let files = import_files();
    for entity in ["companies", "employees", "customers"] {
        assert!(
            files.iter().any(|(e, _)| *e == entity),
            "no sample for {entity}"
        );
    }
    let env = imported("credit");
    let gbk = env.json("customer show C009 --reveal");
    assert_eq!(gbk["name"], "龍華精密零件有限公司");
    assert_eq!(gbk["email"], "zhong@longhua.example.cn");
    assert_eq!(gbk["since"], "2023-11-11", "the last column, before a CRLF");
    assert_eq!(
        env.json("customer show C008")["name"],
        "惠民粮油批发部,南山店"
    );
}

#[test]
fn the_gbk_sample_is_what_excel_writes_on_chinese_windows() {
    let bytes = std::fs::read(example("import/customers-gbk.csv")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8");
    assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad, "valid GBK");
    assert!(text.ends_with("\r\n"));
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "CRLF line ends"
    );
    for header in text.lines().next().unwrap().split(',') {
        assert!(
            ZH_LABELS.iter().any(|(_, zh)| *zh == header),
            "{header} is not a zh table header"
        );
    }
}

#[test]
fn the_notice_template_fills_every_placeholder() {
    let template = example("notice-template.md");
    let text = std::fs::read_to_string(&template).unwrap();
    for p in PLACEHOLDERS {
        assert!(
            text.contains(&format!("{{{p}}}")),
            "the template lacks {{{p}}}"
        );
    }
    let env = imported("customers");
    env.ok("handover open --employee E003 --leaving-on 2026-03-10 --successor E002");
    env.ok("notify plan 1");
    let letters = env
        .run("notify render --handover 1 --lang zh --template")
        .arg(&template)
        .ok();
    assert_eq!(
        letters.matches("# 服务对接人变更通知").count(),
        2,
        "{letters}"
    );
    for filled in [
        "邻里超市\n孙老板 先生/女士",
        "惠民粮油批发部,南山店\n吴老板 先生/女士",
        "自2026年3月10日起，张伟不再负责贵方的服务，由李娜接任。",
        "From 2026年3月10日, 李娜 takes over from 张伟 as your contact at 深圳示例科技有限公司.",
        "| 电话 / Phone | 13987654321 |",
        "| 邮箱 / E-mail | lina@example.com |",
        "{请签字或回复邮件确认 / sign or reply to confirm}",
        "深圳示例科技有限公司（盖章处 / seal）\n2026年3月2日",
    ] {
        assert!(letters.contains(filled), "{filled:?} not in\n{letters}");
    }
    assert!(
        !letters.contains("Company hotline"),
        "no hotline configured, no hotline line:\n{letters}"
    );
}

#[test]
fn the_checklist_templates_run_with_their_answers() {
    let env = imported("customers");
    let template = example("checklist-template.toml");
    let run = env
        .run("checklist run --template")
        .arg(&template)
        .arg("--answers")
        .arg(example("checklist-template-answers.toml"))
        .json();
    assert_eq!(run["template"], "monthly-handover");
    let report = env.json("checklist report --explain");
    let answers: Vec<(String, String, String)> = report["breakdown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let text = |k: &str| i[k].as_str().unwrap_or_default().to_string();
            (text("item"), text("answer"), text("source"))
        })
        .collect();
    let expected = [
        ("M1", "partial", "probe"),
        ("M2", "n/a", "probe"),
        ("M3", "partial", "manual"),
        ("M4", "partial", "probe"),
        ("M5", "yes", "manual"),
    ];
    assert_eq!(
        answers,
        expected.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())),
        "{report}"
    );
    assert_eq!(
        report["score"], 57.1,
        "(2.5 + 1.5 + 2 + 2) of the weights 5 + 3 + 4 + 2"
    );
    assert_eq!(
        report["breakdown"][2]["note"],
        "两家客户已回访，一家未联系上"
    );

    let builtin = env
        .run("checklist run --answers")
        .arg(example("checklist-answers.toml"))
        .json();
    assert_eq!(builtin["template"], "core-departure");
    assert_eq!(
        builtin["answered"].as_u64().unwrap() + builtin["skipped"].as_u64().unwrap(),
        34
    );
    let report = env.json("checklist report --explain");
    let p1 = &report["breakdown"][0];
    assert_eq!(
        (&p1["item"], &p1["answer"], &p1["note"]),
        (&"P1".into(), &"no".into(), &"章程未写交接规范".into())
    );
}

#[test]
fn the_example_config_loads_and_says_the_defaults() {
    let env = TestEnv::new();
    let config = example("config.toml");
    let defaults = env.ok("config show");
    let out = env
        .run("--config")
        .arg(&config)
        .words("config show")
        .output();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), defaults);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "no warning");
}

/// One night of examples/nightly-import.sh over DIR: exit code, stdout, stderr.
fn nightly(env: &TestEnv, dir: &Path) -> (Option<i32>, String, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_baton")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = env
        .shell(r#"exec bash "$SCRIPT" "$DIR""#)
        .env("SCRIPT", example("nightly-import.sh"))
        .env("DIR", dir)
        .env("PATH", path)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn contains_all(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} not in\n{text}");
    }
}

#[test]
fn the_nightly_script_imports_plans_reports_and_exits_by_what_it_found() {
    let env = imported("customers");
    env.ok("handover open --employee E003 --leaving-on 2026-03-10 --successor E002");
    let dir = env.path("exports");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("employees.csv"),
        "id,name,role\nE005,刘洋,service\n",
    )
    .unwrap();
    let good = "id,name,tier,owner\nC010,新客户,key,E005\n";
    std::fs::write(dir.join("customers.csv"), good).unwrap();

    let (code, out, err) = nightly(&env, &dir);
    assert_eq!(code, Some(0), "a clean night\n{out}\n{err}");
    contains_all(
        &out,
        &[
            "employees: 1 rows, 1 new, 0 updated, 0 rejected",
            "customers: 1 rows, 1 new, 0 updated, 0 rejected",
            "planning the notices of handover 1",
            "notices to send (baton notify list --due): 2",
            "2026-03-07",
            "handovers with an overdue item (baton handover list --overdue): 0",
            "complaints past a deadline (baton complaint list --overdue): 0",
        ],
    );
    contains_all(&err, &["handover 1: 2 notice(s) planned"]);
    assert!(!err.contains("overdue"), "{err}");
    assert!(!dir.join("customers.rejects.csv").exists());
    assert_eq!(env.json("customer show C010")["owner"], "E005");
    let notices = env.json("notify list --handover 1");
    assert_eq!(notices.as_array().unwrap().len(), 2);

    let env = env.at("2026-03-09T09:00:00+08:00");
    env.ok(
        "complaint file --customer C004 --summary 新对接人没有回电话 \
         --received-at '2026-03-05 10:00' --handover 1",
    );
    std::fs::write(
        dir.join("customers.csv"),
        format!("{good}C011,坏客户,key,E999\n"),
    )
    .unwrap();
    let (code, out, err) = nightly(&env, &dir);
    assert_eq!(code, Some(6), "a bad row and overdue work\n{out}\n{err}");
    contains_all(
        &out,
        &[
            "employees: 1 rows, 0 new, 0 updated, 0 rejected",
            "customers: 2 rows, 0 new, 0 updated, 1 rejected",
            "notices to send (baton notify list --due): 2",
            "handovers with an overdue item (baton handover list --overdue): 1",
            "complaints past a deadline (baton complaint list --overdue): 1",
            "新对接人没有回电话",
        ],
    );
    assert!(!out.contains("planning"), "planned once\n{out}");
    contains_all(
        &err,
        &[
            "E999",
            "customers: rejected rows are in",
            "overdue: 2 notice(s) past their send-by date, 1 handover(s), 1 complaint(s)",
        ],
    );
    let rejects = std::fs::read_to_string(dir.join("customers.rejects.csv")).unwrap();
    assert!(rejects.contains("C011,坏客户,key,E999,"), "{rejects}");
    assert_eq!(
        env.json("notify list --handover 1")
            .as_array()
            .unwrap()
            .len(),
        2
    );

    std::fs::write(dir.join("customers.csv"), good).unwrap();
    let (code, out, err) = nightly(&env, &dir);
    assert_eq!(code, Some(5), "overdue work only\n{out}\n{err}");
    contains_all(&out, &["customers: 1 rows, 0 new, 0 updated, 0 rejected"]);
    assert!(
        !dir.join("customers.rejects.csv").exists(),
        "fixed: removed"
    );

    std::fs::write(dir.join("customers.csv"), "id,name\nC012,没有等级\n").unwrap();
    let (code, out, err) = nightly(&env, &dir);
    assert_eq!(code, Some(6), "a file refused whole\n{out}\n{err}");
    contains_all(&err, &["was refused, nothing imported from it"]);
    assert!(!out.contains("customers:"), "{out}");
    let customers = env.json("customer list");
    assert_eq!(
        customers.as_array().unwrap().len(),
        10,
        "C011 and C012 not imported"
    );
}

#[test]
fn a_night_with_only_rejected_rows_exits_4_and_keeps_the_good_ones() {
    let env = imported("customers");
    let dir = env.path("exports");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("customers.csv"),
        "id,name,tier,owner\nC010,新客户,key,E002\nC011,坏客户,key,E999\n",
    )
    .unwrap();
    let (code, out, err) = nightly(&env, &dir);
    assert_eq!(
        code,
        Some(4),
        "rows rejected, nothing overdue\n{out}\n{err}"
    );
    let rejects = std::fs::read_to_string(dir.join("customers.rejects.csv")).unwrap();
    assert!(rejects.contains("C011,坏客户,key,E999,"), "{rejects}");
    assert_eq!(env.json("customer show C010")["owner"], "E002");
}
