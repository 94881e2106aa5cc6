//! Tables that fit: every list and show of the demo fits 100 columns in both languages,
//! `--wide` shows every field, a long list shows its first 1,000 rows, and the quick start
//! and its tour run in `--lang zh` and `en`.

use unicode_width::UnicodeWidthStr;

use crate::tour::{demo, readers, tour_commands};
use crate::util::{words, TestEnv};

const WIDTH: usize = 100;

/// The widest line of an output, in display columns (a Chinese character takes two).
fn widest(output: &str) -> (usize, &str) {
    output
        .lines()
        .map(|line| (line.width(), line))
        .max()
        .unwrap_or_default()
}

/// The header cells of the first table in a table output.
fn first_header(output: &str) -> Vec<String> {
    let line = output
        .lines()
        .find(|l| l.starts_with('│'))
        .unwrap_or_else(|| panic!("no table in\n{output}"));
    line.trim_matches('│')
        .split('┆')
        .map(|c| c.trim().to_string())
        .collect()
}

#[test]
fn every_list_and_show_of_the_demo_fits_100_columns_in_en_and_zh() {
    let env = demo();
    let mut lines = readers();
    lines.extend([
        "employee list".to_string(),
        "customer list --at-risk -c 91320500MA1MXX0Q17".to_string(),
        "complaint evidence list 1".to_string(),
        "credit history company:91310115MA1H7HT80T".to_string(),
        "calendar years".to_string(),
    ]);
    for line in lines {
        for lang in ["en", "zh"] {
            let out = env
                .run(&format!("{line} --lang {lang}"))
                .env("COLUMNS", WIDTH.to_string())
                .ok();
            let (width, widest) = widest(&out);
            assert!(
                width <= WIDTH,
                "{line} --lang {lang}: a line of {width} columns:\n{widest}"
            );
            let piped = env.ok(&format!("{line} --lang {lang}"));
            assert_eq!(piped, out, "{line}: piped without $COLUMNS is 100 columns");
        }
    }
}

#[test]
fn wide_shows_every_field_that_csv_holds() {
    let env = demo();
    for line in [
        "complaint list -c 91510107MA6DG8XL2J",
        "handover list -c 91320500MA1MXX0Q17",
        "handover ledger -c 91330106MA2CFYQ242",
        "notify list -c 31440000MD01123K5B",
        "employee list",
        "customer list -c 91320500MA1MXX0Q17",
        "credit catalog",
        "credit list",
        "log --entity handover",
    ] {
        let fields = env
            .ok(&format!("{line} -f csv"))
            .lines()
            .next()
            .unwrap()
            .split(',')
            .count();
        let compact = first_header(&env.ok(line)).len();
        let wide = first_header(&env.ok(&format!("{line} --wide"))).len();
        assert!(
            compact < fields,
            "{line}: {compact} columns of {fields} by default"
        );
        assert_eq!(wide, fields, "{line} --wide: {wide} columns of {fields}");
    }
}

#[test]
fn checklist_show_prints_each_item_as_a_block_and_wide_as_a_table() {
    let env = demo();
    let blocks = env.ok("checklist show");
    assert!(!blocks.contains('│'), "{blocks}");
    assert!(
        blocks
            .starts_with("P1  dimension: Early warning and prevention  weight: 5\n    question: "),
        "{blocks}"
    );
    assert!(blocks.contains("\n    advice: "), "{blocks}");
    let zh = env.ok("checklist show --lang zh");
    assert!(
        zh.contains("\n    问题：") && zh.contains("\n    建议："),
        "{zh}"
    );
    let fields = env
        .ok("checklist show -f csv")
        .lines()
        .next()
        .unwrap()
        .split(',')
        .count();
    assert_eq!(first_header(&env.ok("checklist show --wide")).len(), fields);
}

#[test]
fn checklist_diff_shows_each_item_with_its_question() {
    let env = demo();
    let diff = env.ok("checklist diff 1 2");
    assert!(
        diff.starts_with("P1  dimension: Early warning and prevention  weight: 5  before: no  after: yes  change: improved\n    question: Has the company adopted a handover rule"),
        "{diff}"
    );
    let zh = env.ok("checklist diff 1 2 --lang zh");
    assert!(
        zh.contains("\n    问题：公司是否按《劳动合同法》第四条"),
        "{zh}"
    );
    let csv = env.ok("checklist diff 1 2 -f csv");
    assert!(
        csv.starts_with("item,dimension,weight,before,after,change,note\n"),
        "{csv}"
    );
}

#[test]
fn checklist_report_shows_each_gap_with_its_question_in_one_output() {
    let env = demo();
    let report = env.ok("checklist report 1");
    let gaps = report.split("\ngaps\n").nth(1).expect(&report);
    assert!(
        gaps.starts_with("P1  dimension: Early warning and prevention")
            && gaps.contains("\n    question: Has the company adopted a handover rule"),
        "{report}"
    );
    let (width, line) = widest(&report);
    assert!(width <= 100, "{width} columns: {line}");
    let zh = env.ok("checklist report 1 --lang zh");
    assert!(
        zh.contains("差距与整改建议\n") && zh.contains("\n    问题：公司是否按"),
        "{zh}"
    );
    let file = env.path("report.txt");
    env.ok(&format!("checklist report 1 -o {}", file.display()));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), report);
    let csv = env.ok("checklist report 1 -f csv");
    assert!(
        csv.starts_with("item,dimension,weight,answer,lost,source,note,advice\n"),
        "{csv}"
    );
}

#[test]
fn a_table_shows_the_first_1000_rows_of_a_long_list_and_says_so() {
    let env = TestEnv::new().with_registry();
    let rows: String = (0..1200)
        .map(|i| format!("X{i:04},客户{i},normal,E003\n"))
        .collect();
    let file = env.file("many.csv", format!("id,name,tier,owner\n{rows}"));
    env.ok(&format!("import customers {file}"));
    let out = env.run("customer list").output();
    let table = String::from_utf8_lossy(&out.stdout);
    let lines = table.lines().filter(|l| l.starts_with("│ ")).count();
    assert_eq!(lines, 1 + 1000, "the header and 1,000 rows");
    assert!(
        table.contains("C001") && !table.contains("X1199"),
        "in order, cut at 1,000"
    );
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(
        note.contains("showing the first 1000 of 1204 rows; --format csv or json gives every row"),
        "{note}"
    );
    let zh = env.run("customer list --lang zh").ok_stderr();
    assert!(zh.contains("显示 1204 行中的前 1000 行"), "{zh}");
    assert_eq!(env.ok("customer list -f csv").lines().count(), 1205);
    assert_eq!(env.json("customer list").as_array().unwrap().len(), 1204);
    assert_eq!(env.ok("customer list -f md").lines().count(), 1206);
    let quiet = env.run("-q customer list").output();
    assert!(quiet.stderr.is_empty());
}

#[test]
fn csv_and_json_ignore_wide() {
    let env = demo();
    for line in [
        "complaint list -c 91510107MA6DG8XL2J -f csv",
        "notify list -c 31440000MD01123K5B -f json",
    ] {
        assert_eq!(env.ok(line), env.ok(&format!("{line} --wide")), "{line}");
    }
}

#[test]
fn the_quick_start_and_its_tour_run_on_a_fresh_database_in_zh_and_en() {
    for lang in ["zh", "en"] {
        let env = TestEnv::new();
        let out = env.run(&format!("demo --lang {lang}")).output();
        assert!(out.status.success(), "demo --lang {lang}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        for command in tour_commands(&stderr) {
            let mut run = env.run_args(words(command).into_iter().skip(1));
            if !command.contains("--lang") {
                run = run.words(&format!("--lang {lang}"));
            }
            let printed = run.env("COLUMNS", WIDTH.to_string()).ok();
            let written = words(command)
                .windows(2)
                .find(|w| w[0] == "-o")
                .map(|w| std::fs::read_to_string(env.path(&w[1])).unwrap_or_default());
            let shown = written.unwrap_or(printed);
            assert!(
                !shown.trim().is_empty(),
                "{command} --lang {lang} printed nothing (or wrote nothing to its -o file)"
            );
        }
        env.ok(&format!("status --lang {lang}"));
    }
}
