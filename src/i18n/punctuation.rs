//! Chinese text uses full-width punctuation (，：；（）？！): a scan of every Chinese string
//! literal in the sources and every Chinese value of the assets, the examples and the zh
//! help, for a half-width `,:;()?!` right before or after a Chinese character or mark. The
//! English side of a bilingual call (the first literal of `tr!`, `text!`, `bad_input!`,
//! `refused!`, `Text::new`) and English keys of the assets (`en`, `*_en`) may quote Chinese
//! terms in English punctuation; code spans in backticks and the few forms a user types are
//! exempt.

use std::path::{Path, PathBuf};

/// Forms a user types or a program reads, where the half-width character is the syntax.
const TYPED: &[&str] = &[
    "person:",
    "company:",
    "employee:",
    "“文件:行号”",
    // the CSV header line of a GBK file, as Excel writes it
    "编号,名称",
    // the answer keys of `checklist run`: y（是）、p（部分）、n（否）、-（不适用）、?（查看建议）
    "、?（",
];

/// Literals in English outside a bilingual call: clap's help, doc-like constants.
const ENGLISH: &[&str] = &[
    "A year without an official arrangement is provisional",
    "a USCC (统一社会信用代码)",
    "The food lab's R&D lead",
    "Official records (经营异常名录",
    "Handed over by (移交人)",
    "Reports (举报) are only counted",
    "MEDIATION AGREEMENT (调解书)",
    "MEDIATION RECORD (调解记录)",
];

/// Macros and constructors whose first literal is the English text, with the arguments
/// before it.
const BILINGUAL: &[(&str, usize)] = &[
    ("tr!(", 1),
    ("text!(", 0),
    ("bad_input!(", 0),
    ("refused!(", 0),
    ("Text::new(", 0),
];

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// A Chinese character or Chinese punctuation: what a half-width mark may not touch.
fn is_chinese(c: char) -> bool {
    is_han(c) || "，。、；：？！（）《》“”".contains(c)
}

/// The half-width punctuation next to a Chinese character or mark in `text`, outside backticks and
/// the typed forms, as the offending pairs.
pub(super) fn half_width_next_to_han(text: &str) -> Vec<String> {
    let mut plain = String::new();
    for (i, part) in text.split('`').enumerate() {
        plain.push_str(if i % 2 == 0 { part } else { " " });
        plain.push(' ');
    }
    for form in TYPED {
        plain = plain.replace(form, " ");
    }
    let chars: Vec<char> = plain.chars().collect();
    chars
        .windows(2)
        .filter(|w| {
            let half = |c: char| ",:;()?!".contains(c);
            (is_chinese(w[0]) && half(w[1])) || (half(w[0]) && is_chinese(w[1]))
        })
        .map(|w| w.iter().collect())
        .collect()
}

/// The string literals of Rust source `src` that hold Chinese text, with their line: every
/// literal with a Chinese character except the English one of a bilingual call. Stops at
/// `#[cfg(test)]`: test data is not printed.
fn chinese_literals(src: &str) -> Vec<(usize, String)> {
    let tests = src.match_indices("#[cfg(test)]").find(|(at, m)| {
        let item = src[at + m.len()..].trim_start();
        item.starts_with("mod ") && item.lines().next().is_some_and(|l| l.ends_with('{'))
    });
    let src = &src[..tests.map_or(src.len(), |(at, _)| at)];
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line, mut depth) = (0, 1, 0usize);
    // the depth of the bilingual call whose English argument is being read, and how many
    // arguments come before it
    let mut english_until: Option<(usize, usize)> = None;
    while i < b.len() {
        let c = b[i];
        let rest: String = b[i..b.len().min(i + 12)].iter().collect();
        let word_start = i == 0 || !(b[i - 1].is_alphanumeric() || b[i - 1] == '_');
        if let Some(m) = BILINGUAL
            .iter()
            .find(|(m, _)| word_start && rest.starts_with(m))
        {
            i += m.0.chars().count();
            depth += 1;
            english_until = Some((depth, m.1));
            continue;
        }
        match c {
            '\n' => line += 1,
            '/' if b.get(i + 1) == Some(&'/') => {
                while i < b.len() && b[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            '(' => depth += 1,
            ')' => {
                if english_until.is_some_and(|(d, _)| d == depth) {
                    english_until = None;
                }
                depth = depth.saturating_sub(1);
            }
            ',' => match english_until {
                Some((d, 0)) if d == depth => english_until = None,
                Some((d, n)) if d == depth => english_until = Some((d, n - 1)),
                _ => {}
            },
            '\'' => {
                // a char literal ('x', '\n', '\'') or a lifetime
                if b.get(i + 1) == Some(&'\\') {
                    i += 2;
                    while i < b.len() && b[i] != '\'' {
                        i += 1;
                    }
                } else if b.get(i + 2) == Some(&'\'') {
                    i += 2;
                }
            }
            'r' if matches!(b.get(i + 1), Some('"' | '#'))
                && !b[i.saturating_sub(1)].is_alphanumeric() =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&h| h == '#').count();
                let start = i + 2 + hashes;
                let close: String = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                let body: String = b[start..].iter().collect();
                let len = body.find(&close).expect("raw string ends");
                let text = &body[..len];
                let english = english_until.is_some_and(|(_, n)| n == 0);
                if !english && text.chars().any(is_han) {
                    out.push((line, text.to_string()));
                }
                line += text.matches('\n').count();
                i = start + text.chars().count() + close.chars().count();
                continue;
            }
            '"' => {
                let mut text = String::new();
                i += 1;
                while b[i] != '"' {
                    if b[i] == '\\' {
                        i += 1;
                        if b[i] == '\n' {
                            line += 1;
                            while b[i + 1].is_whitespace() {
                                i += 1;
                            }
                        } else {
                            text.push(b[i]);
                        }
                    } else {
                        if b[i] == '\n' {
                            line += 1;
                        }
                        text.push(b[i]);
                    }
                    i += 1;
                }
                let english = english_until.is_some_and(|(_, n)| n == 0)
                    || ENGLISH.iter().any(|e| text.contains(e));
                if !english && text.chars().any(is_han) {
                    out.push((line, text));
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The Chinese string values of a TOML document: every string with a Chinese character
/// except under an English key (`en`, `*_en`).
fn chinese_values(value: &toml::Value, key: &str, out: &mut Vec<(String, String)>) {
    match value {
        toml::Value::String(s) if key != "en" && !key.ends_with("_en") && s.chars().any(is_han) => {
            out.push((key.to_string(), s.clone()));
        }
        toml::Value::Array(items) => items.iter().for_each(|v| chinese_values(v, key, out)),
        toml::Value::Table(t) => t.iter().for_each(|(k, v)| chinese_values(v, k, out)),
        _ => {}
    }
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

#[test]
fn chinese_text_uses_full_width_punctuation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let mut sources = Vec::new();
    files(&root.join("src"), "rs", &mut sources);
    for path in sources
        .iter()
        .filter(|p| !p.ends_with("i18n/punctuation.rs"))
    {
        let src = std::fs::read_to_string(path).unwrap();
        for (line, text) in chinese_literals(&src) {
            let bad = half_width_next_to_han(&text);
            if !bad.is_empty() {
                found.push(format!("{}:{line}: {bad:?} in {text:?}", path.display()));
            }
        }
    }
    let mut tomls = vec![root.join("src/cli/zh.toml")];
    files(&root.join("assets"), "toml", &mut tomls);
    files(&root.join("examples"), "toml", &mut tomls);
    for path in &tomls {
        let doc: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut values = Vec::new();
        chinese_values(&doc, "", &mut values);
        for (key, text) in values {
            let bad = half_width_next_to_han(&text);
            if !bad.is_empty() {
                found.push(format!("{} {key}: {bad:?} in {text:?}", path.display()));
            }
        }
    }
    let letter = std::fs::read_to_string(root.join("assets/notices/zh.md")).unwrap();
    let bad = half_width_next_to_han(&letter);
    if !bad.is_empty() {
        found.push(format!("assets/notices/zh.md: {bad:?}"));
    }
    assert!(
        found.is_empty(),
        "half-width punctuation in Chinese text:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_sees_the_chinese_side_only() {
    let src = r#"tr!(lang, "case opened (立案)", "已立案(见{id})");
        text!(format!("x (举报)"), "举报:{id}");
        // 注释(不打印)
        let c = '(';
        bad_input!("bad", "用 `baton x --a b,c` 或 person:姓名")"#;
    let texts: Vec<String> = chinese_literals(src).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        texts,
        [
            "已立案(见{id})",
            "举报:{id}",
            "用 `baton x --a b,c` 或 person:姓名"
        ]
    );
    let bad: Vec<Vec<String>> = texts.iter().map(|t| half_width_next_to_han(t)).collect();
    assert_eq!(
        bad,
        [
            vec!["案(".to_string(), "(见".to_string()],
            vec!["报:".to_string()],
            vec![]
        ]
    );
}
