//! The self-check: a template's items answered by hand or by probes, scored per dimension
//! and overall, stored as runs, reported as a remediation plan, compared run to run.

pub mod draft;
pub mod probe;
mod reports;
pub mod template;

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use rusqlite::{named_params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

pub use self::reports::{
    diff, explain, report, Change, Diff, DiffRow, DimensionScore, Explained, Explanation, Gap,
    Report, Which,
};
use self::template::{Item, Template};
use crate::audit::{self, Stamp};
use crate::error::Failure;
use crate::i18n::{Lang, Text};
use crate::{bad_input, text, text_enum, time, tr};

text_enum! { "answer" / "回答":
    /// An answer to an item: yes = 1, partial = 0.5, no = 0, n/a = left out of the score.
    pub enum Answer {
        Yes = "yes" / "是",
        Partial = "partial" / "部分",
        No = "no" / "否",
        Na = "n/a" / "不适用",
    }
}

impl Answer {
    /// What the answer is worth, or `None` when it is left out.
    pub fn value(self) -> Option<f64> {
        match self {
            Answer::Yes => Some(1.0),
            Answer::Partial => Some(0.5),
            Answer::No => Some(0.0),
            Answer::Na => None,
        }
    }
}

text_enum! { "risk" / "风险等级":
    /// high below 60, medium below 85, low from 85.
    pub enum Risk {
        High = "high" / "高",
        Medium = "medium" / "中",
        Low = "low" / "低",
    }
}

impl Risk {
    pub fn of(score: f64) -> Risk {
        if score < 60.0 {
            Risk::High
        } else if score < 85.0 {
            Risk::Medium
        } else {
            Risk::Low
        }
    }
}

text_enum! { "answer source" / "回答来源":
    pub enum Source {
        Manual = "manual" / "人工",
        Probe = "probe" / "数据探针",
    }
}

/// An answer given by hand (answers file or prompt).
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    pub answer: Answer,
    pub note: Option<String>,
}

/// Manual answers by item id.
pub type Answers = BTreeMap<String, Given>;

/// How an answers file is written.
const ANSWERS_HINT: &str = "write one line per item: P1 = \"yes\" (yes, partial, no, n/a) or P1 = { answer = \"no\", note = \"...\" }; examples/checklist-answers.toml shows every item";
const ANSWERS_HINT_ZH: &str = "每个条目一行：P1 = \"yes\"（yes、partial、no、n/a）或 P1 = { answer = \"no\", note = \"...\" }；examples/checklist-answers.toml 列出了全部条目";

/// Reads an answers file: `P1 = "yes"` or `P1 = { answer = "no", note = "..." }`.
pub fn parse_answers(text: &str, source: &str) -> Result<Answers, Failure> {
    let fail = |what: String, what_zh: String| {
        bad_input!("answers {source}: {what}", "回答文件 {source}：{what_zh}")
            .hint(Text::new(ANSWERS_HINT, ANSWERS_HINT_ZH))
    };
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let what = e.to_string().trim().to_string();
        fail(what.clone(), what)
    })?;
    let mut answers = Answers::new();
    for (item, value) in table {
        let answer = |text: &str| {
            text.parse::<Answer>().map_err(|e| {
                fail(
                    format!("item {item}: {}", e.message.en),
                    format!("条目 {item}：{}", e.message_in(Lang::Zh)),
                )
            })
        };
        let given = match &value {
            toml::Value::String(text) => Given {
                answer: answer(text)?,
                note: None,
            },
            toml::Value::Table(fields) => {
                if let Some(unknown) = fields.keys().find(|k| *k != "answer" && *k != "note") {
                    return Err(fail(
                        format!(
                            "item {item}: unknown field `{unknown}`, expected `answer` or `note`"
                        ),
                        format!("条目 {item}：未知字段 `{unknown}`，应为 `answer` 或 `note`"),
                    ));
                }
                let Some(toml::Value::String(text)) = fields.get("answer") else {
                    return Err(fail(
                        format!("item {item}: field `answer` missing or not text"),
                        format!("条目 {item}：字段 `answer` 缺失或不是文本"),
                    ));
                };
                let note = match fields.get("note") {
                    None => None,
                    Some(toml::Value::String(note)) => Some(note.trim().to_string()),
                    Some(_) => {
                        return Err(fail(
                            format!("item {item}: field `note` is not text"),
                            format!("条目 {item}：字段 `note` 不是文本"),
                        ))
                    }
                };
                Given {
                    answer: answer(text)?,
                    note: note.filter(|n| !n.is_empty()),
                }
            }
            other => {
                return Err(fail(
                    format!(
                        "item {item}: expected \"yes\" or {{ answer = \"yes\", note = \"...\" }}, found {other}"
                    ),
                    format!(
                        "条目 {item}：应为 \"yes\" 或 {{ answer = \"yes\", note = \"...\" }}，实际为 {other}"
                    ),
                ))
            }
        };
        answers.insert(item, given);
    }
    Ok(answers)
}

/// 100 × Σ weight·value / Σ weight over the answered items, to one decimal; `None` when
/// nothing was answered.
pub fn score(items: impl IntoIterator<Item = (u8, Answer)>) -> Option<f64> {
    let (mut earned, mut possible) = (0.0, 0.0);
    for (weight, answer) in items {
        if let Some(value) = answer.value() {
            earned += f64::from(weight) * value;
            possible += f64::from(weight);
        }
    }
    (possible > 0.0).then(|| round1(100.0 * earned / possible))
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The items a probe of this binary answers.
fn probed(item: &Item) -> Option<probe::ProbeFn> {
    item.probe.as_deref().and_then(probe::find)
}

/// Items that name a probe this binary does not have: they are answered by hand.
pub fn missing_probes(template: &Template) -> Vec<(&str, &str)> {
    template
        .items
        .iter()
        .filter_map(|i| Some((i.id.as_str(), i.probe.as_deref()?)))
        .filter(|(_, p)| probe::find(p).is_none())
        .collect()
}

/// Refuses item ids the template does not have.
pub fn check_ids<'a>(
    template: &Template,
    ids: impl IntoIterator<Item = &'a String>,
    what: &str,
) -> Result<(), Failure> {
    let unknown: Vec<&str> = ids
        .into_iter()
        .filter(|id| template.item(id).is_none())
        .map(String::as_str)
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    let (id, list, list_zh) = (&template.id, unknown.join(", "), unknown.join("、"));
    Err(bad_input!(
        "{what}: no item {list} in template {id}",
        "{what}：模板 {id} 中没有条目 {list_zh}"
    )
    .hint(text!(
        "see the items with `baton checklist show --template {id}`",
        "用 `baton checklist show --template {id}` 查看条目"
    )))
}

/// How many items (not skipped) a probe of this binary answers.
pub fn probed_count(template: &Template, skip: &BTreeSet<String>) -> usize {
    template
        .items
        .iter()
        .filter(|i| probed(i).is_some() && !skip.contains(&i.id))
        .count()
}

/// Items still to be answered by hand: no probe here, not skipped, not answered.
pub fn unanswered<'t>(
    template: &'t Template,
    answers: &Answers,
    skip: &BTreeSet<String>,
) -> Vec<&'t Item> {
    template
        .items
        .iter()
        .filter(|i| probed(i).is_none() && !skip.contains(&i.id) && !answers.contains_key(&i.id))
        .collect()
}

/// A row of `checklist templates`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TemplateRow {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub items: usize,
    pub source: String,
}

pub fn template_rows(templates: &[Template], lang: Lang) -> Vec<TemplateRow> {
    templates
        .iter()
        .map(|t| TemplateRow {
            id: t.id.clone(),
            version: t.version,
            title: t.title.get(lang).to_string(),
            items: t.items.len(),
            source: t.source.clone(),
        })
        .collect()
}

/// A row of `checklist show`; `probe` only when a probe of this binary answers the item.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ItemRow {
    pub id: String,
    pub dimension: String,
    pub weight: u8,
    pub question: String,
    pub advice: String,
    pub probe: Option<String>,
    pub refs: Vec<String>,
}

pub fn item_rows(template: &Template, lang: Lang) -> Vec<ItemRow> {
    template
        .items
        .iter()
        .map(|i| ItemRow {
            id: i.id.clone(),
            dimension: template
                .dimension(&i.dimension)
                .map_or(i.dimension.as_str(), |d| d.title.get(lang))
                .to_string(),
            weight: i.weight,
            question: i.question.get(lang).to_string(),
            advice: i.advice.get(lang).to_string(),
            probe: probed(i).and(i.probe.clone()),
            refs: i.refs.clone(),
        })
        .collect()
}

/// A stored run (`history` rows, and what `run` returns).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Run {
    pub id: i64,
    pub template: String,
    pub score: Option<f64>,
    pub risk: Option<Risk>,
    pub answered: i64,
    pub skipped: i64,
    pub started_at: String,
}

/// One answer as it goes into the database.
struct Answered<'t> {
    item: &'t Item,
    answer: Answer,
    source: Source,
    note: Option<String>,
}

/// Answers every item (probes first, then the manual answers), scores and stores the run.
#[allow(clippy::too_many_arguments)]
pub fn run(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    lang: Lang,
    today: NaiveDate,
    template: &Template,
    answers: &Answers,
    skip: &BTreeSet<String>,
) -> Result<Run> {
    check_ids(template, answers.keys(), "answers")?;
    check_ids(template, skip, "--skip")?;
    let missing: Vec<&str> = unanswered(template, answers, skip)
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    if !missing.is_empty() {
        let (list, skip) = (missing.join(", "), missing.join(","));
        return Err(
            bad_input!("no answer for {list}", "以下条目没有回答：{list}")
                .hint(text!(
                    "answer them in the answers file (\"n/a\" where they do not apply) or pass --skip {skip}",
                    "在回答文件中作答（不适用的写 \"n/a\"），或加 --skip {skip}"
                ))
                .into(),
        );
    }
    let probe = probe::Probe {
        conn,
        company_id,
        today,
        now: stamp.at,
        lang,
    };
    let mut done = Vec::with_capacity(template.items.len());
    for item in &template.items {
        let given = answers.get(&item.id);
        let answered = if skip.contains(&item.id) {
            Answered {
                item,
                answer: Answer::Na,
                source: Source::Manual,
                note: Some(tr!(lang, "skipped", "已跳过")),
            }
        } else if let Some(check) = probed(item) {
            let finding = check(&probe)
                .with_context(|| format!("probe {:?} of item {}", item.probe, item.id))?;
            let mut note = finding.note;
            if let Some(given) = given.filter(|g| g.answer != finding.answer) {
                let manual = given.answer.label(lang);
                note.push_str(&tr!(
                    lang,
                    " (the data overrides the manual answer {manual})",
                    "（数据结果取代人工回答 {manual}）"
                ));
            }
            Answered {
                item,
                answer: finding.answer,
                source: Source::Probe,
                note: Some(note),
            }
        } else {
            let given = given.context("an item without an answer")?;
            Answered {
                item,
                answer: given.answer,
                source: Source::Manual,
                note: given.note.clone(),
            }
        };
        done.push(answered);
    }
    store(conn, stamp, company_id, template, &done)
}

fn store(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    template: &Template,
    done: &[Answered],
) -> Result<Run> {
    let score = score(done.iter().map(|a| (a.item.weight, a.answer)));
    let answered = done.iter().filter(|a| a.answer.value().is_some()).count() as i64;
    let dimensions: Vec<_> = template
        .dimensions
        .iter()
        .map(|d| json!({ "id": d.id, "en": d.title.en, "zh": d.title.zh }))
        .collect();
    let mut run = Run {
        id: 0,
        template: template.id.clone(),
        score,
        risk: score.map(Risk::of),
        answered,
        skipped: done.len() as i64 - answered,
        started_at: time::to_local_rfc3339(stamp.at),
    };
    conn.prepare_cached(
        "INSERT INTO checklist_runs (company_id, template, template_version, title_en, title_zh,
                                     dimensions, score, risk, answered, skipped, started_at, actor)
         VALUES (:company, :template, :version, :title_en, :title_zh, :dimensions, :score, :risk,
                 :answered, :skipped, :started_at, :actor)",
    )?
    .execute(named_params! {
        ":company": company_id, ":template": template.id, ":version": template.version,
        ":title_en": template.title.en, ":title_zh": template.title.zh,
        ":dimensions": serde_json::Value::from(dimensions).to_string(), ":score": run.score,
        ":risk": run.risk, ":answered": run.answered, ":skipped": run.skipped,
        ":started_at": time::to_db(stamp.at), ":actor": stamp.actor,
    })
    .context("cannot store the checklist run")?;
    run.id = conn.last_insert_rowid();
    let mut insert = conn.prepare_cached(
        "INSERT INTO checklist_answers (run_id, position, item, dimension, weight, answer, source,
                                        probe, note, question_en, question_zh, advice_en, advice_zh)
         VALUES (:run, :position, :item, :dimension, :weight, :answer, :source, :probe, :note,
                 :question_en, :question_zh, :advice_en, :advice_zh)",
    )?;
    for (position, a) in done.iter().enumerate() {
        let i = a.item;
        insert
            .execute(named_params! {
                ":run": run.id, ":position": position as i64, ":item": i.id,
                ":dimension": i.dimension, ":weight": i.weight, ":answer": a.answer,
                ":source": a.source,
                ":probe": (a.source == Source::Probe).then_some(i.probe.as_deref()).flatten(),
                ":note": a.note, ":question_en": i.question.en, ":question_zh": i.question.zh,
                ":advice_en": i.advice.en, ":advice_zh": i.advice.zh,
            })
            .with_context(|| format!("cannot store the answer to {}", i.id))?;
    }
    audit::record(
        conn,
        stamp,
        "checklist.run",
        "checklist_run",
        Some(&run.id.to_string()),
        &json!({ "after": run, "template_version": template.version }),
    )?;
    Ok(run)
}

const RUN_COLUMNS: &str = "r.id, r.template, r.score, r.risk, r.answered, r.skipped, r.started_at";

fn run_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Run> {
    let started: String = row.get(6)?;
    Ok(Run {
        id: row.get(0)?,
        template: row.get(1)?,
        score: row.get(2)?,
        risk: row.get(3)?,
        answered: row.get(4)?,
        skipped: row.get(5)?,
        started_at: time::stored_to_local(started),
    })
}

/// The runs of a company, oldest first.
pub fn history(conn: &Connection, company_id: i64) -> Result<Vec<Run>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RUN_COLUMNS} FROM checklist_runs r WHERE r.company_id = ?1 ORDER BY r.id"
    ))?;
    let runs = stmt
        .query_map([company_id], run_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(runs)
}

/// The latest run's score of a company (for `status`).
pub fn latest_score(conn: &Connection, company_id: i64) -> Result<Option<f64>> {
    Ok(conn
        .prepare_cached(
            "SELECT score FROM checklist_runs WHERE company_id = ?1 ORDER BY id DESC LIMIT 1",
        )?
        .query_row([company_id], |r| r.get(0))
        .optional()?
        .flatten())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Answer::*;

    #[test]
    fn scores_hand_computed() {
        assert_eq!(score([(1, Yes)]), Some(100.0));
        assert_eq!(score([(1, No)]), Some(0.0));
        assert_eq!(score([(1, Partial)]), Some(50.0));
        // 5·1 + 3·0.5 + 2·0 = 6.5 of 10.
        assert_eq!(score([(5, Yes), (3, Partial), (2, No)]), Some(65.0));
        // n/a is left out: 4·1 of 4+2 = 66.666… → 66.7.
        assert_eq!(score([(4, Yes), (5, Na), (2, No)]), Some(66.7));
        // 1·0.5 of 3 = 16.666… → 16.7.
        assert_eq!(score([(1, Partial), (2, No)]), Some(16.7));
        assert_eq!(score([(3, Na)]), None);
        assert_eq!(score([]), None);
    }

    #[test]
    fn risk_levels_at_the_edges() {
        assert_eq!(Risk::of(59.9), Risk::High);
        assert_eq!(Risk::of(60.0), Risk::Medium);
        assert_eq!(Risk::of(84.9), Risk::Medium);
        assert_eq!(Risk::of(85.0), Risk::Low);
    }

    #[test]
    fn answers_files() {
        let answers = parse_answers(
            "P1 = \"yes\"\nP2 = { answer = \"n/a\", note = \" no R&D \" }\nP3 = \"partial\"",
            "a.toml",
        )
        .unwrap();
        assert_eq!(
            answers["P1"],
            Given {
                answer: Yes,
                note: None
            }
        );
        assert_eq!(answers["P2"].answer, Na);
        assert_eq!(answers["P2"].note.as_deref(), Some("no R&D"));
        let err = |text: &str| parse_answers(text, "a.toml").unwrap_err();
        let e = err("P1 = \"maybe\"");
        assert!(
            e.message.en.contains("a.toml")
                && e.message.en.contains("P1")
                && e.message.en.contains("maybe"),
            "{e}"
        );
        assert!(err("P1 = 1").message.en.contains("P1"));
        assert!(err("P1 = { answer = \"yes\", nope = 1 }")
            .message
            .en
            .contains("nope"));
        assert!(err("P1 = { note = \"x\" }").message.en.contains("answer"));
        assert!(err("P1 = ").message.en.contains("a.toml"));
    }

    proptest::proptest! {
        #[test]
        fn no_answers_file_panics(text in "\\PC*") {
            let _ = parse_answers(&text, "a.toml");
        }

        #[test]
        fn answers_files_of_known_keys_and_values_read_back(
            picks in proptest::collection::btree_map("[A-Z][0-9]{1,2}", 0..4usize, 0..10)
        ) {
            let text: String = picks
                .iter()
                .map(|(item, n)| format!("{item} = \"{}\"\n", Answer::ALL[*n].as_str()))
                .collect();
            let answers = parse_answers(&text, "a.toml").unwrap();
            proptest::prop_assert_eq!(answers.len(), picks.len());
            for (item, n) in &picks {
                proptest::prop_assert_eq!(answers[item].answer, Answer::ALL[*n]);
            }
        }

        #[test]
        fn a_score_is_between_0_and_100(
            items in proptest::collection::vec((1u8..=5, 0..4usize), 0..40)
        ) {
            let items: Vec<(u8, Answer)> = items.into_iter().map(|(w, n)| (w, Answer::ALL[n])).collect();
            if let Some(s) = score(items.iter().copied()) {
                proptest::prop_assert!((0.0..=100.0).contains(&s));
            } else {
                proptest::prop_assert!(items.iter().all(|(_, a)| *a == Answer::Na));
            }
        }
    }
}
