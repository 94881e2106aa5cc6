//! What the binary prints in Chinese uses full-width punctuation (，：；（）？！) and the
//! glossary's terms: the demo's tour, every list and show command over the demo database,
//! and errors with their hints, all under `--lang zh`.

use crate::tour::{demo, readers};
use crate::util::TestEnv;

/// Forms a user types, where the half-width character is the syntax: `person:陈立`.
const TYPED: &[&str] = &["person:", "company:", "employee:"];

/// The half-width `,:;()?!` in `text` that touch a Chinese character or Chinese punctuation,
/// with the line they are on.
fn half_width_in_chinese(text: &str) -> Vec<String> {
    let chinese =
        |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c) || "，。、；：？！（）《》“”".contains(c);
    let half = |c: char| ",:;()?!".contains(c);
    text.lines()
        .filter(|line| {
            let plain = TYPED
                .iter()
                .fold(line.to_string(), |l, t| l.replace(t, " "));
            let chars: Vec<char> = plain.chars().collect();
            chars
                .windows(2)
                .any(|w| (chinese(w[0]) && half(w[1])) || (half(w[0]) && chinese(w[1])))
        })
        .map(str::to_string)
        .collect()
}

fn assert_full_width(what: &str, text: &str) {
    let bad = half_width_in_chinese(text);
    assert!(
        bad.is_empty(),
        "{what}: half-width punctuation in Chinese:\n{}",
        bad.join("\n")
    );
    for term in ["是否没有", "驳回", "继任人", "备份人"] {
        assert!(
            !text.contains(term),
            "{what}: {term:?} is not the glossary's term:\n{text}"
        );
    }
}

#[test]
fn the_check_sees_half_width_next_to_chinese_only() {
    assert_eq!(
        half_width_in_chinese("投诉 7:已受理\nok: fine\n（见 `baton x`）\nperson:陈立\n天,调休"),
        ["投诉 7:已受理", "天,调休"]
    );
}

#[test]
fn the_demo_in_chinese_uses_full_width_punctuation() {
    let env = TestEnv::new();
    let tour = env.run("demo --lang zh").ok_stderr();
    assert_full_width("demo", &tour);
    let letters = [
        "notify render 2",
        "handover show 1 --customer C001",
        "calendar show 2027",
        "checklist report 8 --explain",
    ];
    for line in readers().into_iter().chain(letters.map(String::from)) {
        let out = env.run(&format!("{line} --lang zh")).output();
        assert!(out.status.success(), "{line}");
        let text = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        assert_full_width(&line, &text);
    }
    assert_full_width(
        "log --verify",
        &env.run("log --verify --lang zh").ok_stderr(),
    );
    let demo = demo();
    for (line, code) in [
        ("complaint accept 1", 3),
        ("handover close 1", 3),
        ("handover open --employee E002 --leaving-on 2026-02-30", 4),
        ("credit history nobody", 4),
        ("demo", 3),
    ] {
        assert_full_width(line, &demo.fails(&format!("{line} --lang zh"), code));
    }
}
