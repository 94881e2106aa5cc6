//! The catalogue of violations and incentives: built in (`assets/credit/catalog.toml`),
//! extended or overridden by the file that config `[credit] catalog` names.

use std::path::Path;

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

use crate::error::Failure;
use crate::i18n::Lang;
use crate::text_enum;

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
    fn check(&self) -> Result<(), String> {
        let code = &self.code;
        if code.is_empty() || code.chars().any(char::is_whitespace) {
            return Err(format!("code {code:?} must be one word"));
        }
        if self.name_zh.trim().is_empty() || self.name_en.trim().is_empty() {
            return Err(format!("{code}: name_zh and name_en must not be empty"));
        }
        match (self.kind, self.severity) {
            (CreditKind::Violation, None) => {
                return Err(format!("{code}: a violation needs a severity"))
            }
            (CreditKind::Incentive, Some(_)) => {
                return Err(format!("{code}: an incentive has no severity"))
            }
            _ => {}
        }
        let points = self.points;
        match self.kind {
            CreditKind::Violation if points >= 0 => {
                return Err(format!(
                    "{code}: a violation's points must be negative, not {points}"
                ))
            }
            CreditKind::Incentive if points <= 0 => {
                return Err(format!(
                    "{code}: an incentive's points must be positive, not {points}"
                ))
            }
            _ => {}
        }
        if self.applies_to.is_empty() {
            return Err(format!(
                "{code}: applies_to must name company, person or both"
            ));
        }
        if !(1..=100).contains(&self.validity_years) {
            return Err(format!(
                "{code}: validity_years {} is out of range 1..=100",
                self.validity_years
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
            Failure::bad_input(format!("credit catalogue {}: {message}", path.display()))
                .zh(format!("信用目录 {}:{message}", path.display()))
                .hint("see `baton credit catalog` and assets/credit/catalog.toml for the format")
                .hint_zh("格式见 `baton credit catalog` 和 assets/credit/catalog.toml")
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
            Failure::bad_input(format!("no entry {code:?} in the credit catalogue"))
                .zh(format!("信用目录中没有条目 {code:?}"))
                .hint("see `baton credit catalog` for the codes")
                .hint_zh("用 `baton credit catalog` 查看可用代码")
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
fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())?;
    for (i, entry) in file.entry.iter().enumerate() {
        entry.check()?;
        if file.entry[..i].iter().any(|e| e.code == entry.code) {
            return Err(format!("code {:?} appears twice", entry.code));
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
            assert!(err.contains(says), "{err}");
        }
        let twice = format!("{ok}{ok}");
        assert!(parse(&twice).unwrap_err().contains("twice"));
    }
}
