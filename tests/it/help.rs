//! Help people can scan, in both languages: every command's help fits 100 columns, the
//! Chinese help holds no English sentence, globals live under `baton --help` only, and
//! clap's own errors speak Chinese too.

use unicode_width::UnicodeWidthStr;

use crate::util::{command_paths, TestEnv};

/// `baton` and every command below it, by path.
fn paths() -> Vec<String> {
    let below = command_paths().into_iter().map(|(path, _)| path);
    std::iter::once(String::new()).chain(below).collect()
}

/// Three or more English words in a row, outside example lines (`baton ...`), code in
/// backticks and bracketed value lists.
fn english_sentence(line: &str) -> Option<String> {
    if line.contains("baton") {
        return None;
    }
    let mut kept = String::new();
    let mut depth = 0;
    for c in line.chars() {
        match c {
            '`' | '[' if depth == 0 => depth = 1,
            '`' | ']' if depth == 1 => depth = 0,
            _ if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    let mut run = Vec::new();
    for word in kept.split(|c: char| c.is_whitespace() || "(),.;:'\"".contains(c)) {
        if word.is_empty() {
            continue;
        }
        if word.chars().all(|c| c.is_ascii_alphabetic()) {
            run.push(word);
            if run.len() >= 3 {
                return Some(run.join(" "));
            }
        } else {
            run.clear();
        }
    }
    None
}

#[test]
fn every_help_fits_100_columns_links_no_source_and_the_chinese_one_holds_no_english() {
    let env = TestEnv::new();
    let mut problems = Vec::new();
    for path in paths() {
        for (lang, flag) in [("en", "--help"), ("zh", "--help"), ("zh", "-h")] {
            let out = env
                .run(&format!("{path} {flag} --lang {lang}"))
                .env("COLUMNS", "100")
                .ok();
            let mut in_examples = false;
            let mut continued = false;
            for line in out.lines() {
                if in_examples && !line.is_empty() {
                    let wrapped = !line.starts_with("  baton ") && !continued;
                    if wrapped {
                        problems.push(format!(
                            "baton {path} {flag} --lang {lang}: an example wraps: {line:?}"
                        ));
                    }
                }
                in_examples = match line {
                    "Examples:" | "Example:" | "示例：" => true,
                    "" => false,
                    _ => in_examples,
                };
                continued = line.ends_with('\\');
                if line.width() > 100 {
                    problems.push(format!(
                        "baton {path} {flag} --lang {lang}: {} columns: {line}",
                        line.width()
                    ));
                }
                if line.contains("[`") || line.contains("::") {
                    problems.push(format!(
                        "baton {path} {flag} --lang {lang}: a link of the source: {line:?}"
                    ));
                }
                if lang == "zh" {
                    if let Some(words) = english_sentence(line) {
                        problems.push(format!(
                            "baton {path} {flag} --lang zh: English {words:?} in {line:?}"
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_top_help_groups_the_commands_and_alone_lists_the_global_options() {
    let env = TestEnv::new();
    let top = env.ok("--help");
    let daily = top.find("Daily work:").expect(&top);
    let setup = top.find("Setup:").expect(&top);
    assert!(top[daily..setup].contains("  handover "), "{top}");
    assert!(
        top.contains("Global options:") && top.contains("--db <PATH>"),
        "{top}"
    );
    let open = env.ok("handover open --help");
    assert!(
        !open.contains("--db <PATH>") && !open.contains("--reveal\n"),
        "{open}"
    );
    assert!(open.contains("Global options (--db, -c"), "{open}");

    let zh = env.run("--help").env("LANG", "zh_CN.UTF-8").ok();
    assert!(
        zh.contains("日常工作：") && zh.contains("全局选项："),
        "{zh}"
    );
    let zh = env.run("employee add --help").env("BATON_LANG", "zh").ok();
    assert!(zh.contains("登记一名员工") && zh.contains("示例："), "{zh}");
}

#[test]
fn clap_errors_speak_the_language_of_the_command_line() {
    let env = TestEnv::new();
    let err = env.fails("employee add --bogus --lang zh", 2);
    assert!(
        err.contains("没有选项 '--bogus'") && err.contains("用法："),
        "{err}"
    );
    let err = env.fails("--lang zh --format xml status", 2);
    assert!(
        err.contains("'xml' 无效") && err.contains("table、csv"),
        "{err}"
    );
    let err = env.run("handover opne").env("BATON_LANG", "zh").fails(2);
    assert!(
        err.contains("没有命令 'opne'") && err.contains("open"),
        "{err}"
    );
    let err = env.fails("employee add --bogus", 2);
    assert!(err.contains("unexpected argument '--bogus'"), "{err}");
}

#[test]
fn man_writes_one_page_per_command_into_a_folder_it_creates() {
    let env = TestEnv::new();
    let dir = env.path("share/man/man1");
    env.ok(&format!("man --dir {}", dir.display()));
    let pages = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(pages, paths().len());
    let open = std::fs::read_to_string(dir.join("baton-handover-open.1")).unwrap();
    assert!(
        open.contains("leaving") && !open.contains("Database file"),
        "{open}"
    );
    let top = std::fs::read_to_string(dir.join("baton.1")).unwrap();
    assert!(top.contains("Database file"), "{top}");

    let zh = env.path("zh/man1");
    env.ok(&format!("man --dir {} --lang zh", zh.display()));
    let open = std::fs::read_to_string(zh.join("baton-handover-open.1")).unwrap();
    assert!(
        open.contains("为离职员工开立交接")
            && open.contains(".SH 选项")
            && !open.contains(".SH OPTIONS"),
        "{open}"
    );
}

#[test]
fn completions_speak_the_language_and_offer_the_global_options_everywhere() {
    let env = TestEnv::new();
    let zh = env.ok("completions fish --lang zh");
    assert!(
        zh.contains("数据库文件") && zh.contains("创建或升级数据库"),
        "{zh}"
    );
    let status_db = zh
        .lines()
        .any(|l| l.contains("__fish_baton_using_subcommand status") && l.contains("-l db"));
    assert!(status_db, "status offers --db");
    let en = env.ok("completions bash");
    assert!(en.contains("--db"));
    // A reader that stops early (head) is no failure.
    let out = env
        .shell("\"$BATON\" completions zsh | head -1")
        .output()
        .unwrap();
    assert!(out.status.success() && out.stderr.is_empty(), "{out:?}");
}
