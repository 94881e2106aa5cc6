//! The catalogue of violations and incentives: built in (`assets/credit/catalog.toml`),
//! extended or overridden by the file that config `[credit] catalog` names. An entry with an
//! `official` list is an agency's decision, whose periods the law sets; every other entry is
//! an internal risk record, whose validity the catalogue sets.

use std::path::Path;

use chrono::Months;

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

use crate::error::Failure;
use crate::i18n::{Lang, Text};
use crate::{bad_input, text, text_enum};

const BUILTIN: &str = include_str!("../../../assets/credit/catalog.toml");

text_enum! { "credit kind" / "信用类型":
    /// A violation takes points off a score, an incentive adds them.
    pub enum CreditKind {
        Violation = "violation" / "违规",
        Incentive = "incentive" / "激励",
    }
}

text_enum! { "severity" / "严重程度":
    /// How bad a violation is: one active severe internal record puts a subject on the
    /// internal attention list.
    pub enum Severity {
        Minor = "minor" / "轻微",
        Major = "major" / "较重",
        Severe = "severe" / "严重",
    }
}

text_enum! { "official record" / "官方记录":
    /// What an agency decided: a listing or a published administrative penalty.
    pub enum Official {
        AbnormalOperations = "abnormal-operations-list" / "经营异常名录",
        SeriousIllegal = "serious-illegal-list" / "严重违法失信名单",
        PenaltyMinor = "penalty-minor" / "行政处罚（通报批评或较低数额罚款）",
        Penalty = "penalty" / "行政处罚",
    }
}

text_enum! { "sector" / "领域":
    /// The field of a penalty: food, drugs and special equipment wait longer for repair.
    pub enum Sector {
        Food = "food" / "食品",
        Drugs = "drugs" / "药品",
        SpecialEquipment = "special-equipment" / "特种设备",
        Other = "other" / "其他",
    }
}

impl Official {
    /// How long the record counts from the decision (publication) date; `None`: until the
    /// agency removes it (经营异常名录, 企业信息公示暂行条例 art. 17).
    pub fn period(self) -> Option<Months> {
        match self {
            Official::AbnormalOperations => None,
            Official::SeriousIllegal | Official::Penalty => Some(Months::new(36)),
            Official::PenaltyMinor => Some(Months::new(3)),
        }
    }

    /// How long after the decision date repair (early removal, 信用修复) may be applied for;
    /// `None`: never, the publication ends by itself.
    pub fn repair_after(self, sector: Option<Sector>) -> Option<Months> {
        match self {
            Official::AbnormalOperations => Some(Months::new(0)),
            Official::SeriousIllegal => Some(Months::new(12)),
            Official::PenaltyMinor => None,
            Official::Penalty => match sector {
                Some(Sector::Food | Sector::Drugs | Sector::SpecialEquipment) => {
                    Some(Months::new(12))
                }
                Some(Sector::Other) | None => Some(Months::new(6)),
            },
        }
    }

    /// A list an agency keeps (as against a published penalty).
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Official::AbnormalOperations | Official::SeriousIllegal
        )
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
    /// An internal record's validity; an official one's period is the law's.
    pub validity_years: Option<u32>,
    /// The agency list or publication this entry records a decision of.
    pub official: Option<Official>,
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
                    "{code}：违规条目需要 severity（严重程度）"
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
                    "{code}：违规条目的 points 必须为负数，不能是 {points}"
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
        match (self.official, self.validity_years) {
            (Some(_), Some(_)) => Err(text!(
                "{code}: an official entry's period is set by law, not by validity_years",
                "{code}：官方记录的期限由法规确定，不能设 validity_years"
            )),
            (Some(official), None) if !self.applies_to(AppliesTo::Company) => {
                let official_zh = official.label(Lang::Zh);
                Err(text!(
                    "{code}: {official} is recorded against a company",
                    "{code}：{official_zh}只能针对企业"
                ))
            }
            (Some(_), None) => Ok(()),
            (None, None) => Err(text!(
                "{code}: an internal entry needs validity_years",
                "{code}：内部记录条目需要 validity_years"
            )),
            (None, Some(years)) if !(1..=100).contains(&years) => Err(text!(
                "{code}: validity_years {years} is out of range 1..=100",
                "{code}：validity_years {years} 超出范围 1..=100"
            )),
            (None, Some(_)) => Ok(()),
        }
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
    pub validity_years: Option<u32>,
    pub official: Option<Official>,
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
                official: e.official,
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
        let listed = catalog.get("serious-illegal-list").unwrap();
        assert_eq!(listed.official, Some(Official::SeriousIllegal));
        assert_eq!(listed.validity_years, None);
        let internal = catalog.entries().iter().filter(|e| e.official.is_none());
        for entry in internal.filter(|e| e.severity == Some(Severity::Severe)) {
            assert_eq!(entry.validity_years, Some(3), "{}", entry.code);
        }
    }

    #[test]
    fn official_periods_and_repair_waits_follow_the_rules() {
        assert_eq!(Official::AbnormalOperations.period(), None);
        assert_eq!(Official::SeriousIllegal.period(), Some(Months::new(36)));
        assert_eq!(Official::PenaltyMinor.period(), Some(Months::new(3)));
        assert_eq!(Official::PenaltyMinor.repair_after(None), None);
        assert_eq!(
            Official::Penalty.repair_after(Some(Sector::Other)),
            Some(Months::new(6))
        );
        for sector in [Sector::Food, Sector::Drugs, Sector::SpecialEquipment] {
            assert_eq!(
                Official::Penalty.repair_after(Some(sector)),
                Some(Months::new(12))
            );
        }
        assert_eq!(
            Official::SeriousIllegal.repair_after(None),
            Some(Months::new(12))
        );
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
            ("kind = \"incentive\"\npoints = 5\n", "needs validity_years"),
            (
                "kind = \"violation\"\npoints = -5\nseverity = \"major\"\nofficial = \"penalty\"\nvalidity_years = 1\n",
                "set by law",
            ),
            (
                "kind = \"violation\"\npoints = -5\nseverity = \"major\"\nofficial = \"penalty\"\n",
                "against a company",
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
