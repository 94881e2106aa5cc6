//! The catalogue of violations and incentives: built in (`assets/credit/catalog.toml`),
//! extended or overridden by the file that config `[credit] catalog` names.

use std::path::Path;

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

use crate::error::Failure;
use crate::i18n::{Lang, Text};
use crate::{bad_input, text, text_enum};

const BUILTIN: &str = include_str!("../../../assets/credit/catalog.toml");

text_enum! { "credit kind" / "信用类型":
    /// A violation takes points off a score, an incentive adds them.
    pub enum CreditKind {
        Violation = "violation" / "失信",
        Incentive = "incentive" / "激励",
    }
}

text_enum! { "severity" / "严重程度":
    /// How bad a violation is: one active severe violation puts a subject on the dishonest list.
    pub enum Severity {
        Minor = "minor" / "轻微",
        Major = "major" / "较重",
        Severe = "severe" / "严重",
    }
}

text_enum! { "subject kind" / "主体类型":
    /// Whom a catalogue entry may be recorded against: employees and named people are persons.
    pub enum AppliesTo {
        Company = "company" / "企业",
        Person = "person" / "个人",
    }
}

/// One entry as written in a catalogue file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: String,
    pub kind: CreditKind,
    pub name_zh: String,
    pub name_en: String,
    pub points: i64,
    pub severity: Option<Severity>,
    pub applies_to: Vec<AppliesTo>,
    pub validity_years: u32,
    pub source: Option<String>,
}

impl Entry {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.name_en,
            Lang::Zh => &self.name_zh,
        }
    }

    /// Whether the entry may be recorded against this kind of subject.
    pub fn applies_to(&self, to: AppliesTo) -> bool {
        self.applies_to.contains(&to)
    }

    /// The entry's rules: sign of the points, severity only for violations, a validity.
    fn check(&self) -> Result<(), Text> {
        let code = &self.code;
        if code.is_empty() || code.chars().any(char::is_whitespace) {
            return Err(text!(
                "code {code:?} must be one word",
                "代码 {code:?} 必须是一个词（不含空白）"
            ));
        }
        if self.name_zh.trim().is_empty() || self.name_en.trim().is_empty() {
            return Err(text!(
                "{code}: name_zh and name_en must not be empty",
                "{code}：name_zh 和 name_en 不能为空"
            ));
        }
        match (self.kind, self.severity) {
            (CreditKind::Violation, None) => {
                return Err(text!(
                    "{code}: a violation needs a severity",
                    "{code}：失信条目需要 severity（严重程度）"
                ))
            }
            (CreditKind::Incentive, Some(_)) => {
                return Err(text!(
                    "{code}: an incentive has no severity",
                    "{code}：激励条目没有 severity（严重程度）"
                ))
            }
            _ => {}
        }
        let points = self.points;
        match self.kind {
            CreditKind::Violation if points >= 0 => {
                return Err(text!(
                    "{code}: a violation's points must be negative, not {points}",
                    "{code}：失信条目的 points 必须为负数，不能是 {points}"
                ))
            }
            CreditKind::Incentive if points <= 0 => {
                return Err(text!(
                    "{code}: an incentive's points must be positive, not {points}",
                    "{code}：激励条目的 points 必须为正数，不能是 {points}"
                ))
            }
            _ => {}
        }
        if self.applies_to.is_empty() {
            return Err(text!(
                "{code}: applies_to must name company, person or both",
                "{code}：applies_to 须为 company、person 或两者"
            ));
        }
        let years = self.validity_years;
        if !(1..=100).contains(&years) {
            return Err(text!(
                "{code}: validity_years {years} is out of range 1..=100",
                "{code}：validity_years {years} 超出范围 1..=100"
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    entry: Vec<Entry>,
}

/// A row of `credit catalog`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CatalogRow {
    pub code: String,
    pub kind: CreditKind,
    pub name: String,
    pub points: i64,
    pub severity: Option<Severity>,
    pub applies_to: String,
    pub validity_years: u32,
    pub source: Option<String>,
}

/// The catalogue in effect: built-in entries in their order, overrides in place, additions last.
#[derive(Debug, Clone)]
pub struct Catalog {
    entries: Vec<Entry>,
}

impl Catalog {
    /// The built-in catalogue.
    pub fn builtin() -> Catalog {
        let entries = parse(BUILTIN).expect("the built-in credit catalogue is valid");
        Catalog { entries }
    }

    /// The built-in catalogue with the entries of `extra` (config `[credit] catalog`) applied.
    pub fn load(extra: Option<&Path>) -> Result<Catalog> {
        let mut catalog = Catalog::builtin();
        let Some(path) = extra else {
            return Ok(catalog);
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the credit catalogue {}", path.display()))?;
        let entries = parse(&text).map_err(|message| {
            let path = path.display();
            Failure::bad_input(message)
                .within(text!("credit catalogue {path}", "信用目录 {path}"))
                .hint(text!(
                    "see `baton credit catalog` and assets/credit/catalog.toml for the format",
                    "格式见 `baton credit catalog` 和 assets/credit/catalog.toml"
                ))
        })?;
        for entry in entries {
            match catalog.entries.iter_mut().find(|e| e.code == entry.code) {
                Some(existing) => *existing = entry,
                None => catalog.entries.push(entry),
            }
        }
        Ok(catalog)
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with this code, or a `BadInput` naming it.
    pub fn get(&self, code: &str) -> Result<&Entry, Failure> {
        let code = code.trim();
        self.entries.iter().find(|e| e.code == code).ok_or_else(|| {
            bad_input!(
                "no entry {code:?} in the credit catalogue",
                "信用目录中没有条目 {code:?}"
            )
            .hint(text!(
                "see `baton credit catalog` for the codes",
                "用 `baton credit catalog` 查看可用代码"
            ))
        })
    }

    pub fn rows(&self, lang: Lang) -> Vec<CatalogRow> {
        self.entries
            .iter()
            .map(|e| CatalogRow {
                code: e.code.clone(),
                kind: e.kind,
                name: e.name(lang).to_string(),
                points: e.points,
                severity: e.severity,
                applies_to: e
                    .applies_to
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                validity_years: e.validity_years,
                source: e.source.clone(),
            })
            .collect()
    }
}

/// The entries of a catalogue file, each checked, codes unique.
fn parse(text: &str) -> Result<Vec<Entry>, Text> {
    let file: File = toml::from_str(text).map_err(|e| {
        let e = e.to_string();
        let e = e.trim_end();
        text!("{e}", "TOML 格式有误：{e}")
    })?;
    for (i, entry) in file.entry.iter().enumerate() {
        entry.check()?;
        let code = &entry.code;
        if file.entry[..i].iter().any(|e| &e.code == code) {
            return Err(text!(
                "code {code:?} appears twice",
                "代码 {code:?} 出现了两次"
            ));
        }
    }
    Ok(file.entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalogue_has_the_seeds_entries() {
        let catalog = Catalog::builtin();
        let count = |kind| catalog.entries().iter().filter(|e| e.kind == kind).count();
        assert!(count(CreditKind::Violation) >= 7);
        assert!(count(CreditKind::Incentive) >= 3);
        let sold = catalog.get("trade-secret-leaked").unwrap();
        assert_eq!(sold.severity, Some(Severity::Severe));
        assert!(sold.applies_to(AppliesTo::Person) && !sold.applies_to(AppliesTo::Company));
        assert!(catalog.get("nope").is_err());
    }

    #[test]
    fn entries_break_no_rule() {
        let entry = |extra: &str| {
            format!(
                "[[entry]]\ncode = \"x\"\nname_zh = \"甲\"\nname_en = \"a\"\napplies_to = [\"person\"]\n{extra}"
            )
        };
        let ok =
            entry("kind = \"violation\"\npoints = -5\nseverity = \"minor\"\nvalidity_years = 1\n");
        assert!(parse(&ok).is_ok());
        for (bad, says) in [
            (
                "kind = \"violation\"\npoints = 5\nseverity = \"minor\"\nvalidity_years = 1\n",
                "negative",
            ),
            (
                "kind = \"violation\"\npoints = -5\nvalidity_years = 1\n",
                "severity",
            ),
            (
                "kind = \"incentive\"\npoints = 5\nseverity = \"minor\"\nvalidity_years = 1\n",
                "no severity",
            ),
            (
                "kind = \"incentive\"\npoints = 5\nvalidity_years = 0\n",
                "validity_years",
            ),
            (
                "kind = \"violation\"\npoints = -5\nseverity = \"awful\"\nvalidity_years = 1\n",
                "awful",
            ),
        ] {
            let err = parse(&entry(bad)).unwrap_err();
            assert!(err.en.contains(says), "{err:?}");
            assert!(!err.zh.is_empty() && err.zh != err.en, "{err:?}");
        }
        let twice = format!("{ok}{ok}");
        assert!(parse(&twice).unwrap_err().en.contains("twice"));
    }
}
