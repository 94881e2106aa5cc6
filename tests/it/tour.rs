//! The newcomer's tour: the demo holds every story of the seed, `status` shows each kind of
//! attention item, every header is Chinese with `--lang zh`, and the README, `--help` and the
//! man page agree.

use std::collections::BTreeSet;

use crate::util::{command_paths, words, TestEnv};
use baton::i18n::ZH_LABELS;
use serde_json::Value;

const FOOD_LAB: &str = "91320500MA1MXX0Q17";
const MEDICAL: &str = "91440101MA5CQX4R1J";
const CONSULTING: &str = "91110108MA01GLXX35";
const ADVERTISING: &str = "91310106MA1FYL8K3T";
const LAW_FIRM: &str = "31440000MD01123K5B";
const TRADING: &str = "91310115MA1H7HT80T";
const SOFTWARE: &str = "91330106MA2CFYQ242";
const ECOMMERCE: &str = "91440300MA5FUXD369";
const DECORATION: &str = "91310115MA1K4DX87J";
const BOOKKEEPING: &str = "91330106MA2CF7XN4W";
const GYM: &str = "91510107MA6DG8XL2J";
const FOREIGN_TRADE: &str = "91330206MA2GW8TX5H";

pub(crate) fn demo() -> TestEnv {
    let env = TestEnv::new();
    env.ok("demo");
    env
}

/// How many rows a query over the demo database counts.
fn count(env: &TestEnv, query: &str) -> i64 {
    env.sql(query)
}

#[test]
fn the_demo_holds_every_story_of_the_seed() {
    let env = demo();
    let companies = env.json("company list");
    let codes: BTreeSet<&str> = companies
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    for code in [
        FOOD_LAB,
        MEDICAL,
        CONSULTING,
        ADVERTISING,
        LAW_FIRM,
        TRADING,
        SOFTWARE,
        ECOMMERCE,
        DECORATION,
        BOOKKEEPING,
        GYM,
        FOREIGN_TRADE,
    ] {
        assert!(codes.contains(code), "{code} missing from {codes:?}");
    }
    let stories: [(&str, &str); 16] = [
        // The food lab: the R&D lead leaves with the formula and three core customers.
        (
            "food lab: three core customers of the R&D lead in the handover",
            "SELECT count(*) FROM handover_items i JOIN handovers h ON h.id = i.handover_id
             JOIN customers c ON c.company_id = h.company_id AND c.code = i.ref
             WHERE i.kind = 'customer' AND c.tier = 'core'
               AND h.company_id = (SELECT id FROM companies WHERE code = '91320500MA1MXX0Q17')",
        ),
        (
            "food lab: the formula is a handover document",
            "SELECT count(*) FROM handover_items WHERE title LIKE '%配方%'",
        ),
        (
            "medical device: usage records and maintenance manuals to the archive room",
            "SELECT count(*) FROM handover_items WHERE title LIKE '%档案室%'",
        ),
        (
            "consulting: the 《客户信息交接备忘录》",
            "SELECT count(*) FROM handover_items WHERE title LIKE '%客户信息交接备忘录%'",
        ),
        (
            "consulting: the copied client data on the credit record",
            "SELECT count(*) FROM credit_events WHERE code = 'customer-data-taken'",
        ),
        (
            "consulting: notices sent in time for the roster",
            "SELECT count(*) FROM notices n JOIN handovers h ON h.id = n.handover_id
             WHERE n.status = 'sent' AND n.sent_at IS NOT NULL
               AND h.company_id = (SELECT id FROM companies WHERE code = '91110108MA01GLXX35')",
        ),
        (
            "software: the custom requirements ledger",
            "SELECT count(*) FROM handover_items WHERE kind = 'contract' AND ref LIKE 'REQ-%'",
        ),
        (
            "foreign trade: the laptop's customer files, public vs confidential",
            "SELECT count(*) FROM handover_items WHERE title LIKE '%电脑中的客户资料%'",
        ),
        (
            "advertising: three unfinished client plans with owners and dates",
            "SELECT count(*) FROM handover_items
             WHERE kind = 'contract' AND ref LIKE 'HT-2026-%' AND assignee_id IS NOT NULL",
        ),
        (
            "law firm: a client never told",
            "SELECT count(*) FROM notices WHERE status = 'planned' AND send_by < '2026-03-02'",
        ),
        (
            "decoration: the changed design mediated",
            "SELECT count(*) FROM complaints WHERE summary LIKE '%设计%' AND outcome = 'agreement'",
        ),
        (
            "bookkeeping: the tax penalty shared",
            "SELECT count(*) FROM complaints WHERE summary LIKE '%纳税申报%'",
        ),
        (
            "gym: the coaches' members kept",
            "SELECT count(*) FROM complaints WHERE summary LIKE '%教练%'",
        ),
        (
            "trading company: the salesperson's purchase list",
            "SELECT count(*) FROM credit_events WHERE code = 'purchase-list-leaked'",
        ),
        (
            "technical director: the sold code",
            "SELECT count(*) FROM credit_events WHERE code = 'trade-secret-leaked'",
        ),
        (
            "e-commerce: the service manual honoured",
            "SELECT count(*) FROM credit_events WHERE code = 'service-manual-handover'",
        ),
    ];
    for (story, query) in stories {
        assert!(count(&env, query) > 0, "{story}: {query}");
    }
    let confidential = env.json(&format!("customer show C001 -c {FOREIGN_TRADE} --reveal"));
    assert!(
        confidential["confidential"]
            .as_str()
            .is_some_and(|t| t.contains("底价")),
        "{confidential}"
    );
    let public = env.ok(&format!("notify roster -c {FOREIGN_TRADE}"));
    assert!(!public.contains("底价"), "{public}");
}

#[test]
fn status_shows_each_kind_of_attention_with_its_command() {
    let env = demo();
    let en = env.ok("status --all");
    for (kind, line, command) in [
        ("overdue items", "past due", "baton handover show"),
        ("notice due", "is to be sent by", "baton notify render"),
        ("notice late", "is late", "baton notify render"),
        (
            "complaint breached",
            "clock was breached",
            "baton complaint accept",
        ),
        (
            "complaint due soon",
            "clock runs out",
            "baton complaint accept",
        ),
        (
            "official list",
            "on an official list by an agency decision",
            "baton credit history",
        ),
        (
            "attention list",
            "on the internal attention list",
            "baton credit history",
        ),
        ("checklist", "high risk", "baton checklist report"),
    ] {
        assert!(en.contains(line), "{kind}: {en}");
        let command = command.replace("baton ", &format!("baton --db {} ", env.db.display()));
        assert!(en.contains(&command), "{kind}: {en}");
    }
    let zh = env.ok("status --all --lang zh");
    for line in [
        "项已逾期",
        "前发出",
        "已逾期：最迟应于",
        "时限已于",
        "时限 ",
        "经行政机关决定列入官方名单",
        "内部关注名单",
        "高风险",
    ] {
        assert!(zh.contains(line), "{line}: {zh}");
    }
    assert!(zh.contains("需要处理"), "{zh}");
    // The rows stay whole in JSON and CSV.
    let rows = env.json("status");
    assert_eq!(rows.as_array().unwrap().len(), 12);
    assert!(rows[0].get("complaints_overdue").is_some(), "{rows}");
    let csv = env.ok("status --format csv");
    assert!(csv.starts_with("company,name,employees,"), "{csv}");
    assert!(!csv.contains("Needs attention"), "{csv}");
}

#[test]
fn every_command_the_tour_names_runs() {
    let env = demo();
    let out = env.run("demo --db").arg(env.path("tour.db")).output();
    for command in tour_commands(&String::from_utf8_lossy(&out.stderr)) {
        env.run_args(words(command).into_iter().skip(3)).ok();
    }
}

/// The commands of the tour the demo prints on stderr (`baton --db PATH ...`), five to ten.
pub fn tour_commands(stderr: &str) -> Vec<&str> {
    let commands: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("baton --db"))
        .collect();
    assert!((5..=10).contains(&commands.len()), "{stderr}");
    commands
}

/// The list and show commands of the demo database, with the company context they need.
pub(crate) fn readers() -> Vec<String> {
    vec![
        "status".into(),
        "company list".into(),
        format!("company show {FOOD_LAB}"),
        format!("employee list -c {FOOD_LAB}"),
        format!("employee show E001 -c {FOOD_LAB}"),
        format!("customer list -c {FOOD_LAB}"),
        format!("customer show C001 -c {FOREIGN_TRADE}"),
        "checklist templates".into(),
        "checklist show".into(),
        format!("checklist history -c {FOOD_LAB}"),
        "checklist report 2".into(),
        "checklist report 2 --explain".into(),
        "checklist diff 1 2".into(),
        format!("handover list -c {FOOD_LAB}"),
        "handover show 1".into(),
        format!("handover ledger -c {SOFTWARE}"),
        format!("notify list -c {LAW_FIRM}"),
        format!("notify roster -c {CONSULTING}"),
        format!("complaint list -c {GYM}"),
        "complaint show 1".into(),
        format!("complaint stats -c {BOOKKEEPING}"),
        "credit catalog".into(),
        "credit score".into(),
        "credit list".into(),
        "credit history person:陈立".into(),
        "log --entity handover".into(),
    ]
}

/// A line that is a bare field name: the title of a nested list left untranslated.
fn is_field_name(line: &str) -> bool {
    !line.is_empty() && line.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

/// The header cells of every table in a table output: the header row of a list, the first
/// column of a record, and the titles of nested lists left in English.
fn headers(output: &str) -> Vec<String> {
    let mut headers = Vec::new();
    let mut block: Vec<&str> = Vec::new();
    let cells = |line: &str| -> Vec<String> {
        line.trim_matches('│')
            .split(['┆', '│'])
            .map(|c| c.trim().to_string())
            .collect()
    };
    for line in output.lines() {
        if line.starts_with('┌') {
            block.clear();
        } else if line.starts_with('│') {
            block.push(line);
        } else if line.starts_with('╞') {
            headers.extend(block.iter().flat_map(|l| cells(l)));
            block.clear();
            block.push("╞");
        } else if line.starts_with('└') {
            if block.first() != Some(&"╞") {
                headers.extend(block.iter().filter_map(|l| cells(l).into_iter().next()));
            }
            block.clear();
        } else if is_field_name(line.trim()) {
            headers.push(line.trim().to_string());
        }
    }
    headers.retain(|h| !h.is_empty());
    headers
}

#[test]
fn with_lang_zh_every_table_header_is_chinese() {
    let env = demo();
    let zh_labels: BTreeSet<&str> = ZH_LABELS.iter().map(|(_, zh)| *zh).collect();
    for line in readers() {
        let out = env.ok(&format!("{line} --lang zh --wide"));
        let found = headers(&out);
        assert!(!found.is_empty(), "{line}: no table found in\n{out}");
        for header in found {
            let english = header.chars().any(|c| c.is_ascii_lowercase());
            assert!(
                zh_labels.contains(header.as_str()) || !english,
                "{line}: header {header:?} is English, not a label of ZH_LABELS\n{out}"
            );
        }
    }
}

fn keys(value: &Value, into: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                into.insert(key.clone());
                keys(v, into);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, into)),
        _ => {}
    }
}

#[test]
fn zh_labels_cover_every_field_the_commands_print() {
    let env = demo();
    let mut fields = BTreeSet::new();
    for line in readers() {
        keys(&env.json(&line), &mut fields);
    }
    let known: BTreeSet<&str> = ZH_LABELS.iter().map(|(field, _)| *field).collect();
    let missing: Vec<&String> = fields
        .iter()
        .filter(|f| !known.contains(f.as_str()))
        .collect();
    assert!(missing.is_empty(), "fields without a zh label: {missing:?}");
}

/// The command paths of the README's Commands table: the first cell of each row is
/// `` `baton group sub ...` `` optionally followed by `` / `other ...` `` siblings.
fn readme_paths() -> BTreeSet<String> {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("\n## Commands\n")
        .nth(1)
        .expect("README has a Commands section");
    let section = section.split("\n## ").next().unwrap();
    let words = |text: &str| -> Vec<String> {
        text.split_whitespace()
            .take_while(|w| {
                w.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !w.starts_with('-')
            })
            .map(String::from)
            .collect()
    };
    let mut paths = BTreeSet::new();
    for row in section.lines().filter(|l| l.starts_with("| `baton ")) {
        let cell = &row[2..row.find("` |").expect("a first cell in backticks") + 1];
        let mut parent: Vec<String> = Vec::new();
        for (i, segment) in cell.split('`').skip(1).step_by(2).enumerate() {
            let path = if i == 0 {
                let path = words(segment.strip_prefix("baton ").expect("starts with baton"));
                parent = path[..path.len() - 1].to_vec();
                path
            } else {
                [parent.clone(), words(segment)].concat()
            };
            paths.insert(path.join(" "));
        }
    }
    paths
}

#[test]
fn the_readme_command_table_and_help_agree() {
    let help: BTreeSet<String> = command_paths()
        .into_iter()
        .filter_map(|(path, leaf)| leaf.then_some(path))
        .collect();
    let readme = readme_paths();
    let undocumented: Vec<&String> = help.difference(&readme).collect();
    assert!(
        undocumented.is_empty(),
        "in --help but not in the README's Commands table: {undocumented:?}"
    );
    let unknown: Vec<&String> = readme.difference(&help).collect();
    assert!(
        unknown.is_empty(),
        "in the README's Commands table but not a command: {unknown:?}"
    );
    assert!(help.contains("handover item waive"), "{help:?}");
}

#[test]
fn every_group_help_has_examples() {
    let env = TestEnv::new();
    let groups: BTreeSet<String> = command_paths()
        .iter()
        .map(|(p, _)| p.split(' ').next().unwrap().to_string())
        .collect();
    for group in &groups {
        let text = env.ok(&format!("{group} --help"));
        assert!(text.contains("Example"), "baton {group} --help:\n{text}");
    }
}

#[test]
fn without_arguments_a_short_usage_names_the_five_parts() {
    let env = TestEnv::new();
    let usage = env.fails("", 2);
    for group in ["checklist", "handover", "notify", "complaint", "credit"] {
        assert!(usage.contains(group), "{usage}");
    }
    assert!(usage.lines().count() < 20, "{usage}");
    let zh = env.run("").env("BATON_LANG", "zh").output();
    assert_eq!(zh.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&zh.stderr).contains("五个部分"));
}

#[test]
fn the_man_page_is_roff_naming_every_group() {
    let env = TestEnv::new();
    let page = env.ok("man");
    assert!(page.contains(".TH baton 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for group in [
        "checklist",
        "handover",
        "notify",
        "complaint",
        "credit",
        "status",
    ] {
        assert!(
            page.contains(&format!("baton\\-{group}")),
            "{group}: {page}"
        );
    }
    let titles: Vec<&str> = page.lines().filter(|l| l.starts_with(".TH ")).collect();
    for name in [
        "baton-handover-item-add",
        "baton-complaint-evidence-verify",
        "baton-status",
    ] {
        assert!(
            titles
                .iter()
                .any(|t| t.starts_with(&format!(".TH {name} 1"))),
            "no page {name}: {titles:?}"
        );
    }
    assert!(!env.db.exists(), "man must not create a database");
}

#[test]
fn with_lang_zh_common_errors_and_their_hints_are_chinese() {
    let env = demo();
    let cases = [
        ("checklist report 404".into(), 4),
        ("checklist show --template nope".into(), 4),
        ("credit history nobody".into(), 4),
        (
            format!("credit record --employee E001 --code nope -c {FOOD_LAB}"),
            4,
        ),
        ("employee show E001".into(), 2),
        (format!("employee show E404 -c {FOOD_LAB}"), 4),
        (format!("customer show C404 -c {FOOD_LAB}"), 4),
        ("notify ack 404".into(), 4),
        ("customer list -c 91000000000000000X".into(), 4),
        (
            format!("handover open --employee E002 --leaving-on 2026-02-31 -c {FOOD_LAB}"),
            4,
        ),
    ];
    for (line, code) in cases {
        let err = env.fails(&format!("{line} --lang zh"), code);
        assert!(err.starts_with("错误："), "{line}: {err}");
        assert!(err.contains("\n提示："), "{line}: {err}");
        let en = env.fails(&line, code);
        assert!(en.starts_with("error: ") && en.contains("\nhint: "), "{en}");
    }
    let demo_again = env.fails("demo --lang zh", 3);
    assert!(demo_again.contains("已有数据"), "{demo_again}");
}

#[test]
fn the_readme_shows_the_demo_as_it_is() {
    let env = TestEnv::new();
    let out = env.run("demo").output();
    assert!(out.status.success());
    let readme = include_str!("../../README.md");
    let block = |start: &str| -> String {
        let from = readme.find(start).expect(start) + start.len();
        readme[from..][..readme[from..].find("```").unwrap()].to_string()
    };
    // The test's database is not the default one; the README's is (no `--db` in the hints).
    let db = env.db.display().to_string();
    let status = env.ok("status").replace(&format!("--db {db} "), "");
    assert_eq!(
        block("```text\n$ baton status\n"),
        status,
        "README's status sample differs from the demo's status: paste it again"
    );
    let tour = String::from_utf8_lossy(&out.stderr).replace(&db, "~/.local/share/baton/baton.db");
    let tour = tour
        .split_once("\n\n")
        .expect("a tour after the first line")
        .1;
    assert_eq!(
        block("The tour the demo prints after it (on stderr):\n\n```text\n"),
        tour,
        "README's tour differs from the demo's: paste it again"
    );
}

#[test]
fn with_lang_zh_handover_complaint_and_identifier_refusals_are_chinese() {
    let env = TestEnv::new().with_registry();
    env.ok("handover open --employee E001 --leaving-on 2026-03-20");
    let filed = env.json("complaint file --customer C001 --summary 新对接人不了解定制配方");
    let id = filed["id"].as_i64().unwrap().to_string();
    env.ok(&format!("complaint accept {id}"));
    let bad_uscc = format!("{}8", &ECOMMERCE[..17]);
    let cases = [
        (
            "handover close 1".into(),
            3,
            "交接 1 不能关闭",
            "cannot close",
        ),
        (
            format!("complaint accept {id}"),
            3,
            "目前已受理，无法受理",
            "cannot accept",
        ),
        (
            format!("company add --code {bad_uscc} --name 某公司"),
            4,
            "统一社会信用代码 \"91440300MA5FUXD368\" 无效：校验位应为 \"9\"",
            "invalid USCC",
        ),
        (
            "handover open --employee E002 --leaving-on 2026-02-30".into(),
            4,
            "不存在的日期：\"2026-02-30\"",
            "no such date",
        ),
    ];
    let is_chinese = |text: &str| text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for (line, code, zh, en) in cases {
        let err = env.fails(&format!("{line} --lang zh"), code);
        assert!(err.starts_with("错误："), "{line}: {err}");
        assert!(err.contains(zh) && !err.contains(en), "{line}: {err}");
        let hint = err.split_once("\n提示：").map(|(_, h)| h);
        assert!(hint.is_some_and(is_chinese), "{line}: {err}");
        let english = env.fails(&line, code);
        assert!(
            english.starts_with("error: ") && english.contains(en),
            "{english}"
        );
    }
}
