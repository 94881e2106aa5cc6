//! Reading stored runs back: the report (scores per dimension and the remediation plan),
//! its explanation point by point, and what changed between two runs. A run carries the
//! texts of its template, so a report reads the same after the template changes.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context as _, Result};
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::template::Dimension;
use super::{round1, run_from_row, score, Answer, Risk, Run, Source, RUN_COLUMNS};
use crate::i18n::{Lang, Text};
use crate::{bad_input, text, text_enum};

/// A run with everything a report needs.
struct Stored {
    run: Run,
    company: String,
    title: Text,
    dimensions: Vec<Dimension>,
    answers: Vec<StoredAnswer>,
}

struct StoredAnswer {
    item: String,
    dimension: String,
    weight: u8,
    answer: Answer,
    source: Source,
    note: Option<String>,
    question: Text,
    advice: Text,
}

/// Which run a report is about.
#[derive(Debug, Clone, Copy)]
pub enum Which {
    /// The run with this id, whatever its company.
    Run(i64),
    /// The latest run of the company with this row id.
    LatestOf(i64),
}

fn load(conn: &Connection, which: Which) -> Result<Stored> {
    let id = match which {
        Which::Run(id) => id,
        Which::LatestOf(company_id) => conn
            .prepare_cached("SELECT max(id) FROM checklist_runs WHERE company_id = ?1")?
            .query_row([company_id], |r| r.get::<_, Option<i64>>(0))?
            .ok_or_else(|| {
                bad_input!(
                    "this company has no checklist run yet",
                    "该公司还没有自查记录"
                )
                .hint(text!(
                    "run one with `baton checklist run`",
                    "用 `baton checklist run` 做一次自查"
                ))
            })?,
    };
    let found = conn
        .prepare_cached(&format!(
            "SELECT {RUN_COLUMNS}, c.code, r.title_en, r.title_zh, r.dimensions
             FROM checklist_runs r JOIN companies c ON c.id = r.company_id WHERE r.id = ?1"
        ))?
        .query_row([id], |r| {
            Ok((
                run_from_row(r)?,
                r.get::<_, String>(7)?,
                Text {
                    en: r.get(8)?,
                    zh: r.get(9)?,
                },
                r.get::<_, String>(10)?,
            ))
        })
        .optional()?;
    let Some((run, company, title, dimensions)) = found else {
        return Err(
            bad_input!("no checklist run {id}", "没有编号为 {id} 的自查记录")
                .hint(text!(
                    "see `baton checklist history`",
                    "用 `baton checklist history` 查看"
                ))
                .into(),
        );
    };
    let dimensions: Vec<serde_json::Value> =
        serde_json::from_str(&dimensions).context("the run's dimensions are not JSON")?;
    let field = |v: &serde_json::Value, key: &str| v[key].as_str().unwrap_or_default().to_string();
    let dimensions = dimensions
        .iter()
        .map(|d| Dimension {
            id: field(d, "id"),
            title: Text {
                en: field(d, "en"),
                zh: field(d, "zh"),
            },
        })
        .collect();
    let mut stmt = conn.prepare_cached(
        "SELECT item, dimension, weight, answer, source, note, question_en, question_zh,
                advice_en, advice_zh
         FROM checklist_answers WHERE run_id = ?1 ORDER BY position",
    )?;
    let answers = stmt
        .query_map([id], |r| {
            Ok(StoredAnswer {
                item: r.get(0)?,
                dimension: r.get(1)?,
                weight: r.get(2)?,
                answer: r.get(3)?,
                source: r.get(4)?,
                note: r.get(5)?,
                question: Text {
                    en: r.get(6)?,
                    zh: r.get(7)?,
                },
                advice: Text {
                    en: r.get(8)?,
                    zh: r.get(9)?,
                },
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Stored {
        run,
        company,
        title,
        dimensions,
        answers,
    })
}

impl Stored {
    fn dimension_title(&self, id: &str, lang: Lang) -> String {
        self.dimensions
            .iter()
            .find(|d| d.id == id)
            .map_or(id, |d| d.title.get(lang))
            .to_string()
    }

    /// Σ weight of the answered items: what 100 points are shared over.
    fn answered_weight(&self) -> f64 {
        self.answers
            .iter()
            .filter(|a| a.answer.value().is_some())
            .map(|a| f64::from(a.weight))
            .sum()
    }

    fn dimension_scores(&self, lang: Lang) -> Vec<DimensionScore> {
        self.dimensions
            .iter()
            .map(|d| {
                let mine = || self.answers.iter().filter(|a| a.dimension == d.id);
                let score = score(mine().map(|a| (a.weight, a.answer)));
                DimensionScore {
                    dimension: d.title.get(lang).to_string(),
                    score,
                    risk: score.map(Risk::of),
                    answered: mine().filter(|a| a.answer.value().is_some()).count() as i64,
                    bar: score.map(bar).unwrap_or_default(),
                }
            })
            .collect()
    }
}

/// A score as a bar of 20 cells.
fn bar(score: f64) -> String {
    let full = ((score / 5.0).round() as usize).min(20);
    format!("{}{}", "█".repeat(full), "░".repeat(20 - full))
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DimensionScore {
    pub dimension: String,
    pub score: Option<f64>,
    pub risk: Option<Risk>,
    pub answered: i64,
    pub bar: String,
}

/// A gap of the remediation plan: an item not fully met, with its advice.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Gap {
    pub item: String,
    pub dimension: String,
    pub weight: u8,
    pub answer: Answer,
    /// Points of the overall 100 this item costs.
    pub lost: f64,
    pub source: Source,
    pub note: Option<String>,
    pub advice: String,
    /// The item's question, for tables only: CSV and JSON keep the fields above.
    #[serde(skip)]
    pub question: String,
}

/// `checklist report`: the scores per dimension, then the gaps, largest loss first.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    #[serde(flatten)]
    pub run: Run,
    pub company: String,
    pub title: String,
    pub dimensions: Vec<DimensionScore>,
    pub gaps: Vec<Gap>,
}

/// One item of `report --explain`: what it could earn and what it earned.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Explained {
    pub item: String,
    pub dimension: String,
    pub weight: u8,
    pub answer: Answer,
    pub earned: Option<f64>,
    pub possible: Option<f64>,
    pub source: Source,
    pub note: Option<String>,
    pub question: String,
}

/// `checklist report --explain`: how every point was earned or lost.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    #[serde(flatten)]
    pub run: Run,
    pub company: String,
    pub title: String,
    pub dimensions: Vec<DimensionScore>,
    pub breakdown: Vec<Explained>,
}

/// The points of the overall 100 an item could earn and did earn (`None` for n/a).
fn points(weight: u8, answer: Answer, total_weight: f64) -> (Option<f64>, Option<f64>) {
    match answer.value() {
        Some(value) if total_weight > 0.0 => {
            let possible = 100.0 * f64::from(weight) / total_weight;
            (Some(possible * value), Some(possible))
        }
        _ => (None, None),
    }
}

pub fn report(conn: &Connection, which: Which, lang: Lang) -> Result<Report> {
    let stored = load(conn, which)?;
    let total = stored.answered_weight();
    let mut gaps: Vec<Gap> = stored
        .answers
        .iter()
        .filter_map(|a| {
            let (earned, possible) = points(a.weight, a.answer, total);
            let lost = possible? - earned?;
            (lost > 0.0).then(|| Gap {
                item: a.item.clone(),
                dimension: stored.dimension_title(&a.dimension, lang),
                weight: a.weight,
                answer: a.answer,
                lost: round1(lost),
                source: a.source,
                note: a.note.clone(),
                advice: a.advice.get(lang).to_string(),
                question: a.question.get(lang).to_string(),
            })
        })
        .collect();
    gaps.sort_by(|a, b| b.lost.total_cmp(&a.lost));
    Ok(Report {
        dimensions: stored.dimension_scores(lang),
        title: stored.title.get(lang).to_string(),
        company: stored.company,
        run: stored.run,
        gaps,
    })
}

pub fn explain(conn: &Connection, which: Which, lang: Lang) -> Result<Explanation> {
    let stored = load(conn, which)?;
    let total = stored.answered_weight();
    let two = |x: Option<f64>| x.map(|x| (x * 100.0).round() / 100.0);
    let breakdown = stored
        .answers
        .iter()
        .map(|a| {
            let (earned, possible) = points(a.weight, a.answer, total);
            Explained {
                item: a.item.clone(),
                dimension: stored.dimension_title(&a.dimension, lang),
                weight: a.weight,
                answer: a.answer,
                earned: two(earned),
                possible: two(possible),
                source: a.source,
                note: a.note.clone(),
                question: a.question.get(lang).to_string(),
            }
        })
        .collect();
    Ok(Explanation {
        dimensions: stored.dimension_scores(lang),
        title: stored.title.get(lang).to_string(),
        company: stored.company,
        run: stored.run,
        breakdown,
    })
}

text_enum! { "change" / "变化":
    pub enum Change {
        Improved = "improved" / "改善",
        Slipped = "slipped" / "退步",
        /// To or from n/a.
        Changed = "changed" / "变更",
        /// In the second run only.
        Added = "added" / "新增",
        /// In the first run only.
        Removed = "removed" / "移除",
    }
}

/// An item whose answer differs between two runs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DiffRow {
    pub item: String,
    pub dimension: String,
    pub weight: u8,
    pub before: Option<Answer>,
    pub after: Option<Answer>,
    pub change: Change,
    pub note: Option<String>,
    /// The item's question, for tables only: CSV and JSON keep the fields above.
    #[serde(skip)]
    pub question: String,
}

pub struct Diff {
    pub before: Run,
    pub after: Run,
    pub rows: Vec<DiffRow>,
}

/// What changed from run `a` to run `b`, in the order of `b`'s template.
pub fn diff(conn: &Connection, a: i64, b: i64, lang: Lang) -> Result<Diff> {
    let (old, new) = (load(conn, Which::Run(a))?, load(conn, Which::Run(b))?);
    let before: BTreeMap<&str, &StoredAnswer> =
        old.answers.iter().map(|x| (x.item.as_str(), x)).collect();
    let after: BTreeSet<&str> = new.answers.iter().map(|x| x.item.as_str()).collect();
    let mut rows = Vec::new();
    for now in &new.answers {
        let was = before.get(now.item.as_str()).map(|w| w.answer);
        let change = match (was.map(Answer::value), now.answer.value()) {
            (None, _) => Change::Added,
            (Some(Some(x)), Some(y)) if y > x => Change::Improved,
            (Some(Some(x)), Some(y)) if y < x => Change::Slipped,
            _ if was == Some(now.answer) => continue,
            _ => Change::Changed,
        };
        rows.push(DiffRow {
            item: now.item.clone(),
            dimension: new.dimension_title(&now.dimension, lang),
            weight: now.weight,
            before: was,
            after: Some(now.answer),
            change,
            note: now.note.clone(),
            question: now.question.get(lang).to_string(),
        });
    }
    for gone in old
        .answers
        .iter()
        .filter(|x| !after.contains(x.item.as_str()))
    {
        rows.push(DiffRow {
            item: gone.item.clone(),
            dimension: old.dimension_title(&gone.dimension, lang),
            weight: gone.weight,
            before: Some(gone.answer),
            after: None,
            change: Change::Removed,
            note: None,
            question: gone.question.get(lang).to_string(),
        });
    }
    Ok(Diff {
        before: old.run,
        after: new.run,
        rows,
    })
}
