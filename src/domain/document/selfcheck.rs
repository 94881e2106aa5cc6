//! The self-check report as a document: who and when, the score and its risk level, the
//! score of each dimension, the company's runs so far and the remediation plan (each gap's
//! question, answer and advice, largest loss first): a printable page with a radar of the
//! dimensions and a line of the scores ([`page`]), from Markdown parts ([`render`]).

use chrono::NaiveDate;

use crate::domain::checklist::{Report, Run};
use crate::i18n::{long_date, Lang};
use crate::output::html::Page;
use crate::output::svg::{self, Axis, Point};
use crate::tr;

/// The parts of the report, in the order of the page: `head` and `dimensions` before the
/// radar chart, `history` before the line chart, then `plan`.
#[derive(Debug, Clone)]
struct SelfCheck {
    /// The page's title.
    pub title: String,
    pub head: String,
    pub dimensions: String,
    pub history: String,
    pub plan: String,
}

/// The date part of a stored time (`2026-03-02T10:00:00+08:00`).
fn day_of(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// A date in words when it is one (`2 March 2026`, `2026年3月2日`), else as stored.
fn shown_date(at: &str, lang: Lang) -> String {
    NaiveDate::parse_from_str(day_of(at), "%Y-%m-%d")
        .map_or_else(|_| at.to_string(), |d| long_date(d, lang))
}

fn shown_score(score: Option<f64>) -> String {
    score.map_or_else(|| "-".to_string(), |s| format!("{s:.1}"))
}

/// Text for a Markdown table cell or a line: no `|`, no line break, and nothing read as
/// markup.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' | '<' | '>' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The printable report of `report`'s run for `company` (its name), with every run of the
/// company in `runs`: the head and the dimensions with their radar, then on a new sheet
/// the score history with its line, and the remediation plan.
pub fn page(report: &Report, company: &str, runs: &[Run], lang: Lang) -> Page {
    let document = render(report, company, runs, lang);
    let axes: Vec<Axis> = report
        .dimensions
        .iter()
        .map(|d| Axis {
            label: &d.dimension,
            score: d.score,
        })
        .collect();
    let points: Vec<Point> = runs
        .iter()
        .filter_map(|r| {
            Some(Point {
                label: day_of(&r.started_at),
                score: r.score?,
            })
        })
        .collect();
    let mut page = Page::new(&document.title, lang);
    page.markdown(&document.head)
        .markdown(&document.dimensions)
        .trusted(&svg::radar(
            &tr!(lang, "Scores by dimension", "各维度得分"),
            &axes,
        ))
        .page_break()
        .markdown(&document.history)
        .trusted(&svg::line(&tr!(lang, "Score history", "得分变化"), &points))
        .markdown(&document.plan);
    page
}

/// The Markdown parts of the report of `report`'s run for `company` (its name) with every
/// run of the company in `runs`.
fn render(report: &Report, company: &str, runs: &[Run], lang: Lang) -> SelfCheck {
    let run = &report.run;
    let (template, name, code) = (md(&report.title), md(company), md(&report.company));
    let date = shown_date(&run.started_at, lang);
    let score = shown_score(run.score);
    let risk = run.risk.map_or("-", |r| r.label(lang));
    let (id, answered, skipped) = (run.id, run.answered, run.skipped);
    let title = tr!(lang, "Self-check report: {company}", "自查报告：{company}");
    let head = tr!(
        lang,
        "# Self-check report\n\n{template}\n\n**Company:** {name} ({code})\n**Date:** {date} (run {id})\n**Score:** {score} of 100\n**Risk level:** {risk}\n**Items answered:** {answered} ({skipped} left out)\n",
        "# 自查报告\n\n{template}\n\n**公司**：{name}（{code}）\n**日期**：{date}（第 {id} 次自查）\n**总分**：{score} 分（满分 100）\n**风险等级**：{risk}\n**已答条目**：{answered} 项（未计 {skipped} 项）\n"
    );
    let mut dimensions = tr!(
        lang,
        "\n## Scores by dimension\n\n| Dimension | Score | Risk level | Items answered |\n|---|---|---|---|\n",
        "\n## 各维度得分\n\n| 维度 | 得分 | 风险等级 | 已答条目 |\n|---|---|---|---|\n"
    );
    for d in &report.dimensions {
        dimensions.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            md(&d.dimension),
            shown_score(d.score),
            d.risk.map_or("-", |r| r.label(lang)),
            d.answered
        ));
    }
    let scored: Vec<&Run> = runs.iter().filter(|r| r.score.is_some()).collect();
    let history = match (scored.first(), scored.last()) {
        (Some(first), Some(last)) if scored.len() > 1 => {
            let (n, from, to) = (
                scored.len(),
                shown_date(&first.started_at, lang),
                shown_date(&last.started_at, lang),
            );
            let (before, now) = (shown_score(first.score), shown_score(last.score));
            tr!(
                lang,
                "\n## Score history\n\n{n} self-checks from {from} to {to}: the score went from {before} to {now}.\n",
                "\n## 得分变化\n\n自{from}至{to}共 {n} 次自查：得分由 {before} 变为 {now}。\n"
            )
        }
        _ => tr!(
            lang,
            "\n## Score history\n\nOne self-check so far: the next one will show the trend.\n",
            "\n## 得分变化\n\n目前只有一次自查，下次自查后可见趋势。\n"
        ),
    };
    let gaps = report.gaps.len();
    let mut plan = if gaps == 0 {
        tr!(
            lang,
            "\n## Remediation plan\n\nNo gaps: every answered item is fully met.\n",
            "\n## 整改计划\n\n没有差距：所有已答条目均已完全达到。\n"
        )
    } else {
        tr!(
            lang,
            "\n## Remediation plan\n\n{gaps} items are not fully met. The largest loss comes first: do these first.\n",
            "\n## 整改计划\n\n共 {gaps} 个条目未完全达到，按失分从多到少排列，请优先整改靠前的条目。\n"
        )
    };
    for (n, gap) in report.gaps.iter().enumerate() {
        let (n, item, dimension, weight, lost) = (
            n + 1,
            md(&gap.item),
            md(&gap.dimension),
            gap.weight,
            gap.lost,
        );
        let (question, advice) = (md(&gap.question), md(&gap.advice));
        let (answer, source) = (gap.answer.label(lang), gap.source.label(lang));
        let note = match gap.note.as_deref() {
            Some(note) => {
                let note = md(note);
                tr!(lang, ": {note}", "：{note}")
            }
            None => String::new(),
        };
        plan.push_str(&tr!(
            lang,
            "\n### {n}. {question}\n\n{item} · {dimension} · weight {weight} · {lost} points lost\n**Answer:** {answer} ({source}){note}\n**What to do:** {advice}\n",
            "\n### {n}. {question}\n\n{item} · {dimension} · 权重 {weight} · 失分 {lost}\n**回答**：{answer}（{source}）{note}\n**整改建议**：{advice}\n"
        ));
    }
    SelfCheck {
        title,
        head,
        dimensions,
        history,
        plan,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checklist::{Answer, DimensionScore, Gap, Risk, Source};

    fn report() -> Report {
        Report {
            run: Run {
                id: 2,
                template: "core-departure".into(),
                score: Some(72.5),
                risk: Some(Risk::Medium),
                answered: 30,
                skipped: 1,
                started_at: "2026-03-02T10:00:00+08:00".into(),
            },
            company: "91320500MA1MXX0Q17".into(),
            title: "Core-employee departure risk self-check".into(),
            dimensions: vec![DimensionScore {
                dimension: "Credit".into(),
                score: Some(50.0),
                risk: Some(Risk::High),
                answered: 5,
                bar: String::new(),
            }],
            gaps: vec![Gap {
                item: "R1".into(),
                dimension: "Credit".into(),
                weight: 5,
                answer: Answer::No,
                lost: 4.2,
                source: Source::Manual,
                note: Some("not | yet *done*\n<b> R&D".into()),
                advice: "Keep a list".into(),
                question: "Is there a list?".into(),
            }],
        }
    }

    #[test]
    fn the_report_has_its_head_dimensions_and_plan() {
        let doc = render(&report(), "苏州示例", &[report().run], Lang::En);
        assert_eq!(doc.title, "Self-check report: 苏州示例");
        assert!(
            doc.head.starts_with("# Self-check report\n"),
            "{}",
            doc.head
        );
        assert!(doc.head.contains("**Score:** 72.5 of 100"), "{}", doc.head);
        assert!(doc.head.contains("**Risk level:** medium"), "{}", doc.head);
        assert!(doc.head.contains("2 March 2026 (run 2)"), "{}", doc.head);
        assert!(doc.dimensions.contains("| Credit | 50.0 | high | 5 |"));
        assert!(doc.history.contains("One self-check so far"));
        assert!(doc.plan.contains("### 1. Is there a list?"), "{}", doc.plan);
        assert!(doc
            .plan
            .contains("R1 · Credit · weight 5 · 4.2 points lost"));
        assert!(
            doc.plan
                .contains(r"**Answer:** no (manual): not \| yet \*done\* \<b\> R\&D"),
            "{}",
            doc.plan
        );
        assert!(doc.plan.contains("**What to do:** Keep a list"));
    }

    #[test]
    fn in_chinese_with_a_history() {
        let mut first = report().run;
        first.id = 1;
        first.score = Some(40.0);
        first.started_at = "2026-01-05T09:00:00+08:00".into();
        let doc = render(&report(), "苏州示例", &[first, report().run], Lang::Zh);
        assert!(doc.head.contains("**总分**：72.5 分"), "{}", doc.head);
        assert!(doc.head.contains("**风险等级**：中"), "{}", doc.head);
        assert!(
            doc.history
                .contains("自2026年1月5日至2026年3月2日共 2 次自查：得分由 40.0 变为 72.5。"),
            "{}",
            doc.history
        );
        assert!(doc.plan.contains("**整改建议**：Keep a list"));
    }

    #[test]
    fn no_gaps_says_so() {
        let mut report = report();
        report.gaps.clear();
        let doc = render(&report, "x", &[], Lang::En);
        assert!(doc.plan.contains("No gaps"));
    }
}
