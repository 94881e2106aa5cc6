//! The customer notice letter (客户告知函): a template with `{placeholders}`, built in or
//! the company's own, filled with the values of one notice. A line whose placeholders are
//! all empty (no e-mail, no hotline) is left out rather than printed half-empty.

use crate::domain::notify::{Letter, PLACEHOLDERS};
use crate::error::Failure;
use crate::i18n::Lang;
use crate::output::html::{Class, Page};
use crate::{bad_input, text};

/// A piece of a template: text as it is, or a placeholder.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Field(&'static str),
}

/// A letter template, checked: every `{placeholder}` is known. `{{` and `}}` are braces.
/// The pieces of each line.
#[derive(Debug, Clone)]
pub struct Template(Vec<Vec<Piece>>);

impl Template {
    /// The built-in 客户告知函 in `lang`.
    pub fn builtin(lang: Lang) -> Template {
        let text = match lang {
            Lang::En => include_str!("../../../assets/notices/en.md"),
            Lang::Zh => include_str!("../../../assets/notices/zh.md"),
        };
        Template::parse(text).expect("the built-in templates use known placeholders")
    }

    /// Parses a template; an unknown placeholder is bad input naming it.
    pub fn parse(text: &str) -> Result<Template, Failure> {
        text.split('\n')
            .map(parse_line)
            .collect::<Result<_, _>>()
            .map(Template)
    }

    /// The letter: the template with every placeholder replaced by its value, without the
    /// lines whose placeholders are all empty.
    pub fn fill(&self, letter: &Letter) -> String {
        let kept: Vec<String> = self
            .0
            .iter()
            .filter(|line| {
                let mut values = line.iter().filter_map(|piece| match piece {
                    Piece::Field(name) => Some(letter.value(name)),
                    Piece::Text(_) => None,
                });
                let fields = line.iter().any(|piece| matches!(piece, Piece::Field(_)));
                !fields || values.any(|value| !value.is_empty())
            })
            .map(|line| {
                line.iter()
                    .map(|piece| match piece {
                        Piece::Text(text) => text.as_str(),
                        Piece::Field(name) => letter.value(name),
                    })
                    .collect()
            })
            .collect();
        kept.join("\n")
    }
}

/// A filled letter added to a printable page: Markdown, and from its cut line on (a line of
/// dashes with a note, `- - - - (cut here…)`, or a line with `✂`) the slip the customer
/// returns (回执), under a dashed line and kept on one sheet. A letter without a cut line is
/// Markdown throughout; a seal marker in it is drawn as the seal area ([`Page`]).
pub fn print(page: &mut Page, letter: &str) {
    let lines: Vec<&str> = letter.split('\n').collect();
    match lines.iter().position(|line| cut_note(line).is_some()) {
        Some(at) => {
            let note = cut_note(lines[at]).unwrap_or_default();
            page.markdown(&lines[..at].join("\n")).section(
                Class::Slip,
                &format!("{note}\n\n{}", lines[at + 1..].join("\n")),
            );
        }
        None => {
            page.markdown(letter);
        }
    }
}

/// The note of a cut line (`- - - - (cut here)` gives `(cut here)`, `✂ cut` gives `cut`):
/// three or more dashes then some text, or a line with a pair of scissors. A line of
/// dashes alone is a rule, not a cut line.
fn cut_note(line: &str) -> Option<&str> {
    let line = line.trim();
    if let Some(at) = line.find(['✂', '✄']) {
        let note = line[at..].trim_start_matches(['✂', '✄']);
        return Some(note.trim_matches(|c: char| c == '-' || c.is_whitespace()));
    }
    let note = line.trim_start_matches(['-', ' ']);
    let dashes = line[..line.len() - note.len()].matches('-').count();
    (dashes >= 3 && !note.is_empty()).then_some(note)
}

/// The pieces of one line of a template.
fn parse_line(text: &str) -> Result<Vec<Piece>, Failure> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(['{', '}']) {
        literal.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            literal.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        let name = tail[1..]
            .find('}')
            .map(|end| &tail[1..=end])
            .filter(|name| {
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
        match name {
            Some(name) => {
                let field = PLACEHOLDERS
                    .iter()
                    .find(|p| **p == name)
                    .ok_or_else(|| unknown_placeholder(name))?;
                pieces.push(Piece::Text(std::mem::take(&mut literal)));
                pieces.push(Piece::Field(field));
                rest = &tail[name.len() + 2..];
            }
            None => {
                literal.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    literal.push_str(rest);
    pieces.push(Piece::Text(literal));
    Ok(pieces)
}

/// A `{name}` that is not one of [`PLACEHOLDERS`], with the list of the known ones.
fn unknown_placeholder(name: &str) -> Failure {
    let known = PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(" ");
    bad_input!(
        "unknown placeholder {{{name}}} in the template",
        "模板中有未知占位符 {{{name}}}"
    )
    .hint(text!(
        "known placeholders: {known}; write {{{{ and }}}} for braces",
        "可用的占位符：{known}；花括号本身写作 {{{{ 和 }}}}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tr;

    #[test]
    fn templates_fill_known_placeholders_and_keep_escaped_braces() {
        let t = Template::parse("{{x}} {company}: {new_contact} {nope 1} {").unwrap();
        let letter = Letter {
            company: "甲".into(),
            new_contact: "李娜".into(),
            ..Letter::default()
        };
        assert_eq!(t.fill(&letter), "{x} 甲: 李娜 {nope 1} {");
    }

    #[test]
    fn a_line_whose_placeholders_are_all_empty_is_left_out() {
        let t = Template::parse("To {customer}\nE-mail: {new_contact_email}\n{new_contact_phone} {new_contact_email}\n\nend\n").unwrap();
        let letter = Letter {
            customer: "乙".into(),
            new_contact_phone: "138".into(),
            ..Letter::default()
        };
        assert_eq!(t.fill(&letter), "To 乙\n138 \n\nend\n");
    }

    #[test]
    fn an_unknown_placeholder_is_named() {
        let err = Template::parse("Dear {customer}, {salutation}").unwrap_err();
        assert_eq!(err.exit_code(), 4);
        assert!(
            err.message.en.contains("{salutation}"),
            "{}",
            err.message.en
        );
        assert!(
            err.message.zh.contains("{salutation}"),
            "{}",
            err.message.zh
        );
    }

    #[test]
    fn the_built_in_templates_use_every_placeholder() {
        for lang in [Lang::En, Lang::Zh] {
            let Template(lines) = Template::builtin(lang);
            for p in PLACEHOLDERS {
                assert!(
                    lines
                        .iter()
                        .flatten()
                        .any(|piece| *piece == Piece::Field(p)),
                    "{lang:?} lacks {p}"
                );
            }
        }
    }

    #[test]
    fn a_printed_letter_has_its_slip_after_the_cut_line() {
        for lang in [Lang::En, Lang::Zh] {
            let letter = Template::builtin(lang).fill(&Letter {
                company: "甲公司".into(),
                customer: "<script>乙</script>".into(),
                ..Letter::default()
            });
            let mut page = Page::new("x", lang);
            print(&mut page, &letter);
            let html = page.finish();
            let (body, slip) = html.split_once("<section class=\"slip\">").expect(&html);
            assert!(body.contains("<span class=\"seal\">"), "{body}");
            assert!(!body.contains("- - -"), "{body}");
            assert!(
                slip.contains(tr!(lang, "ACKNOWLEDGEMENT", "回执").as_str()),
                "{slip}"
            );
            assert!(slip.contains("&lt;script&gt;乙"), "{slip}");
            assert!(!html.contains("<script"));
        }
        let mut page = Page::new("x", Lang::En);
        print(&mut page, "# Notice\n\n---\n\nno slip");
        let html = page.finish();
        assert!(
            html.contains("<hr />") && !html.contains("slip\">"),
            "{html}"
        );
    }

    #[test]
    fn cut_lines() {
        assert_eq!(cut_note("- - - - - (cut here)"), Some("(cut here)"));
        assert_eq!(cut_note("------ 剪下"), Some("剪下"));
        assert_eq!(cut_note("✂ - - - cut - - -"), Some("cut"));
        assert_eq!(cut_note("---"), None);
        assert_eq!(cut_note("- item"), None);
        assert_eq!(cut_note("a - - - b"), None);
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC*") {
            let _ = Template::parse(&text);
        }
    }
}
