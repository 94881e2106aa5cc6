//! The customer notice letter (客户告知函): a template with `{placeholders}`, built in or
//! the company's own, filled with the values of one notice. A line whose placeholders are
//! all empty (no e-mail, no hotline) is left out rather than printed half-empty.

use crate::domain::notify::{Letter, PLACEHOLDERS};
use crate::error::Failure;
use crate::i18n::Lang;
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

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC*") {
            let _ = Template::parse(&text);
        }
    }
}
