use std::collections::BTreeSet;
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::app::Context;
use crate::cli::ChecklistCmd;
use crate::domain::checklist::draft::{Settled, Want};
use crate::domain::checklist::template::{self, Item, Template};
use crate::domain::checklist::{self, draft, Answer, Answers, Given, Which};
use crate::domain::company;
use crate::domain::document::selfcheck;
use crate::error::Failure;
use crate::i18n::Lang;
use crate::output::html::Page;
use crate::output::{Compact, Format};
use crate::{refused, text, tr};

impl ChecklistCmd {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let folder = templates_folder(ctx);
        let lang = ctx.lang();
        match self {
            ChecklistCmd::Templates => {
                let templates = template::available(&folder)?;
                ctx.out().rows(&checklist::template_rows(&templates, lang))
            }
            ChecklistCmd::Show { template } => {
                let template = template::resolve(template.as_deref(), &folder)?;
                warn_missing_probes(ctx, &template);
                ctx.out().rows(&checklist::item_rows(&template, lang))
            }
            ChecklistCmd::Run {
                template,
                answers,
                skip,
                fail_under,
                resume,
                restart,
            } => {
                let template = template::resolve(template.as_deref(), &folder)?;
                let draft = match (resume, restart) {
                    (true, _) => Want::Resume,
                    (_, true) => Want::Restart,
                    _ => Want::New,
                };
                run(ctx, &template, answers.as_deref(), skip, fail_under, draft)
            }
            ChecklistCmd::Report { run, explain } => {
                let which = match run {
                    Some(id) => Which::Run(id),
                    None => Which::LatestOf(ctx.company()?.id),
                };
                if explain {
                    let explanation = checklist::explain(&ctx.conn, which, lang)?;
                    match ctx.out().format {
                        Format::Csv => ctx.out().rows(&explanation.breakdown),
                        _ => ctx.out().record(&explanation),
                    }
                } else {
                    let report = checklist::report(&ctx.conn, which, lang)?;
                    match ctx.out().format {
                        Format::Csv => ctx.out().rows(&report.gaps),
                        Format::Html => ctx.out().page(&report_page(ctx, &report)?),
                        Format::Table if !ctx.out().wide => {
                            let head = ReportHead {
                                run: &report.run,
                                company: &report.company,
                                title: &report.title,
                                dimensions: &report.dimensions,
                            };
                            let gaps: Vec<GapBlock> =
                                report.gaps.iter().cloned().map(GapBlock::of).collect();
                            ctx.out().record_then_rows(&head, "gaps", &gaps)
                        }
                        _ => ctx.out().record(&report),
                    }
                }
            }
            ChecklistCmd::History => {
                let company = ctx.company()?;
                ctx.out().rows(&checklist::history(&ctx.conn, company.id)?)
            }
            ChecklistCmd::Diff { a, b } => {
                let diff = checklist::diff(&ctx.conn, a, b, lang)?;
                let (before, after) = (shown(diff.before.score), shown(diff.after.score));
                let count = |c| diff.rows.iter().filter(|r| r.change == c).count();
                let (up, down) = (
                    count(checklist::Change::Improved),
                    count(checklist::Change::Slipped),
                );
                ctx.out().say(&tr!(
                    lang,
                    "run {a} → {b}: score {before} → {after}; {up} improved, {down} slipped",
                    "第 {a} 次 → 第 {b} 次自查：得分 {before} → {after}；{up} 项改进，{down} 项退步"
                ));
                match ctx.out().format {
                    Format::Table => {
                        let rows: Vec<DiffBlock> =
                            diff.rows.into_iter().map(DiffBlock::of).collect();
                        ctx.out().rows(&rows)
                    }
                    _ => ctx.out().rows(&diff.rows),
                }
            }
        }
    }
}

/// The printable report ([`selfcheck::page`]) with every run of the report's company.
fn report_page(ctx: &Context, report: &checklist::Report) -> Result<Page> {
    let company = company::resolve(&ctx.conn, Some(&report.company))?;
    let runs = checklist::history(&ctx.conn, company.id)?;
    Ok(selfcheck::page(report, &company.name, &runs, ctx.lang()))
}

/// Custom templates live in `checklists/` next to the config file.
fn templates_folder(ctx: &Context) -> PathBuf {
    ctx.settings
        .config_path
        .parent()
        .unwrap_or(Path::new("."))
        .join("checklists")
}

fn shown(score: Option<f64>) -> String {
    score.map_or_else(|| "-".to_string(), |s| format!("{s:.1}"))
}

/// Says which items name a probe this binary does not have.
fn warn_missing_probes(ctx: &Context, template: &Template) {
    let missing = checklist::missing_probes(template);
    if missing.is_empty() {
        return;
    }
    let list = missing
        .iter()
        .map(|(item, probe)| format!("{item} ({probe})"))
        .collect::<Vec<_>>()
        .join(", ");
    ctx.out().say(&tr!(
        ctx.lang(),
        "no probe in this baton for {list}: these items are answered by hand",
        "本程序尚无以下探针：{list}，这些条目需人工回答"
    ));
}

fn run(
    ctx: &mut Context,
    template: &Template,
    answers_file: Option<&Path>,
    skip: Vec<String>,
    fail_under: Option<f64>,
    want: Want,
) -> Result<()> {
    let lang = ctx.lang();
    if let Some(min) = fail_under.filter(|m| !(0.0..=100.0).contains(m)) {
        return Err(Failure::usage(text!(
            "--fail-under {min}: a score is between 0 and 100",
            "--fail-under {min}：得分在 0 到 100 之间"
        ))
        .into());
    }
    let company = ctx.company()?;
    let mut skip: BTreeSet<String> = skip
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    checklist::check_ids(template, &skip, "--skip")?;
    warn_missing_probes(ctx, template);
    let mut answers = match answers_file {
        Some(path) => {
            let shown = path.display();
            let text = std::fs::read_to_string(path).with_context(|| {
                tr!(
                    lang,
                    "cannot read the answers file {shown}",
                    "无法读取回答文件 {shown}"
                )
            })?;
            checklist::parse_answers(&text, &shown.to_string())?
        }
        None => Answers::new(),
    };
    checklist::check_ids(template, answers.keys(), "answers")?;
    let mut draft_id = None;
    if answers_file.is_none() {
        if let Some(unfinished) = unfinished(ctx, company.id, template, want)? {
            skip.extend(unfinished.skip);
            answers = unfinished.answers;
            draft_id = Some(unfinished.id);
        }
    }
    let todo = checklist::unanswered(template, &answers, &skip);
    if answers_file.is_none() && !todo.is_empty() {
        if !io::stdin().is_terminal() {
            let n = todo.len();
            return Err(Failure::usage(text!(
                "{n} items need an answer and stdin is not a terminal",
                "有 {n} 个条目需要回答，但标准输入不是终端"
            ))
            .hint(text!(
                "pass --answers FILE (see `baton help checklist run`), or run it in a terminal",
                "请用 --answers FILE 给出回答文件（见 `baton help checklist run`），或在终端中运行"
            ))
            .into());
        }
        let id = match draft_id {
            Some(id) => id,
            None => ctx.transact(|w| draft::start(w, w.stamp(), company.id, template, &skip))?,
        };
        draft_id = Some(id);
        let from_data = checklist::probed_count(template, &skip);
        ctx.out().say(&tr!(
            lang,
            "{from_data} items are answered from the data; each answer is kept as it is given",
            "{from_data} 个条目由数据自动回答；每个回答在输入时即已保存"
        ));
        let asked = ask(
            template,
            &todo,
            lang,
            io::stdin().lock(),
            io::stderr().lock(),
            |item, given| ctx.transact(|w| draft::answer(w, w.stamp(), id, item, given)),
        )?;
        answers.extend(asked);
    }
    let today = ctx.settings.clock.today();
    let run = ctx.transact(|w| {
        let run = checklist::run(
            w,
            w.stamp(),
            company.id,
            lang,
            today,
            template,
            &answers,
            &skip,
        )?;
        if let Some(id) = draft_id {
            draft::finish(w, w.stamp(), id, run.id)?;
        }
        Ok(run)
    })?;
    let (id, score, answered, skipped) = (run.id, shown(run.score), run.answered, run.skipped);
    let risk = run.risk.map_or("-", |r| r.as_str());
    ctx.out().changed(
        &tr!(
            lang,
            "checklist run {id} stored: score {score}, risk {risk} ({answered} answered, {skipped} left out); next: baton checklist report {id}",
            "第 {id} 次自查已保存：得分 {score}，风险 {risk}（已答 {answered} 项，未计 {skipped} 项）；下一步：baton checklist report {id}"
        ),
        &run,
    )?;
    match fail_under {
        Some(min) if run.score.is_none_or(|s| s < min) => Err(refused!(
            "score {score} is under --fail-under {min}",
            "得分 {score} 低于 --fail-under {min}"
        )
        .hint(text!(
            "see the gaps with `baton checklist report {id}`",
            "用 `baton checklist report {id}` 查看差距"
        ))
        .into()),
        _ => Ok(()),
    }
}

/// The company's unfinished self-check to continue (`--resume`), after setting it aside
/// (`--restart`) or refusing to start over it ([`draft::settle`]).
fn unfinished(
    ctx: &mut Context,
    company_id: i64,
    template: &Template,
    want: Want,
) -> Result<Option<draft::Draft>> {
    let found = draft::open(&ctx.conn, company_id)?;
    match draft::settle(found, template, want)? {
        Settled::Fresh => Ok(None),
        Settled::Continue(found) => {
            let (n, started) = (found.answers.len(), &found.started_at);
            ctx.out().say(&tr!(
                ctx.lang(),
                "continuing the self-check started {started}: {n} answered already",
                "继续 {started} 开始的自查：已答 {n} 项"
            ));
            Ok(Some(found))
        }
        Settled::Discard(id) => {
            ctx.transact(|w| draft::discard(w, w.stamp(), id))?;
            Ok(None)
        }
    }
}

/// A reply at the prompt.
#[derive(Debug, PartialEq)]
enum Reply {
    Answer(Given),
    Advice,
    Unknown,
}

/// `y`, `p`, `n`, `-` (or the words), optionally followed by a note; `?` for the advice.
fn parse_reply(line: &str) -> Reply {
    let line = line.trim();
    let (key, note) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let answer = match key.to_lowercase().as_str() {
        "?" => return Reply::Advice,
        "y" | "yes" | "是" => Answer::Yes,
        "p" | "partial" | "部分" => Answer::Partial,
        "n" | "no" | "否" => Answer::No,
        "-" | "n/a" | "na" => Answer::Na,
        _ => return Reply::Unknown,
    };
    let note = note.trim();
    Reply::Answer(Given {
        answer,
        note: (!note.is_empty()).then(|| note.to_string()),
    })
}

/// Asks each item in turn, prompts on `out`, replies from `input`; `keep` stores each answer
/// as it is given.
fn ask<R: BufRead, W: Write>(
    template: &Template,
    items: &[&Item],
    lang: Lang,
    mut input: R,
    mut out: W,
    mut keep: impl FnMut(&str, &Given) -> Result<()>,
) -> Result<Answers> {
    let total = items.len();
    writeln!(
        out,
        "{}",
        tr!(
            lang,
            "{total} items to answer: y(es), p(artial), n(o), - (n/a), ? (advice); a note may follow, e.g. \"n not in the contracts yet\"",
            "共 {total} 个条目需回答：y（是）、p（部分）、n（否）、-（不适用）、?（查看建议）；可在后面附备注，例如 “n 合同里还没写”"
        )
    )?;
    let mut answers = Answers::new();
    for (n, item) in items.iter().enumerate() {
        let (number, id, weight) = (n + 1, &item.id, item.weight);
        let dimension = template
            .dimension(&item.dimension)
            .map_or(item.dimension.as_str(), |d| d.title.get(lang));
        let heading = tr!(
            lang,
            "[{number}/{total}] {id} · {dimension} · weight {weight}",
            "[{number}/{total}] {id} · {dimension} · 权重 {weight}"
        );
        writeln!(out, "\n{heading}\n{}", item.question.get(lang))?;
        loop {
            write!(out, "> ")?;
            out.flush()?;
            let mut line = String::new();
            if input.read_line(&mut line)? == 0 {
                return Err(Failure::usage(text!(
                    "input ended at item {id}; the answers given before it are kept",
                    "输入在条目 {id} 处结束；此前的回答均已保存"
                ))
                .hint(text!(
                    "continue with: baton checklist run --resume",
                    "继续作答：baton checklist run --resume"
                ))
                .into());
            }
            match parse_reply(&line) {
                Reply::Answer(given) => {
                    keep(id, &given)?;
                    answers.insert(id.clone(), given);
                    break;
                }
                Reply::Advice => writeln!(out, "{}", item.advice.get(lang))?,
                Reply::Unknown => writeln!(
                    out,
                    "{}",
                    tr!(lang, "answer y, p, n, - or ?", "请输入 y、p、n、- 或 ?")
                )?,
            }
        }
    }
    Ok(answers)
}

impl Compact for checklist::TemplateRow {
    const SHEET: (&'static str, &'static str) = ("templates", "自查模板");
}

impl Compact for checklist::ItemRow {
    const SHEET: (&'static str, &'static str) = ("items", "自查项目");
    const COLUMNS: &'static [&'static str] = &["id", "dimension", "weight"];
    const TEXT: &'static [&'static str] = &["question", "advice"];
}

impl Compact for checklist::Explained {
    const SHEET: (&'static str, &'static str) = ("points", "得分明细");
}

impl Compact for checklist::Gap {
    const SHEET: (&'static str, &'static str) = ("gaps", "差距");
}

impl Compact for checklist::Run {
    const SHEET: (&'static str, &'static str) = ("runs", "自查记录");
}

impl Compact for checklist::DiffRow {
    const SHEET: (&'static str, &'static str) = ("changes", "变化");
}

/// `checklist report` in a table, before its gaps: the run and the score of each dimension.
#[derive(Serialize)]
struct ReportHead<'r> {
    #[serde(flatten)]
    run: &'r checklist::Run,
    company: &'r str,
    title: &'r str,
    dimensions: &'r [checklist::DimensionScore],
}

/// A gap of `checklist report` in a table: what it costs, then the question, the note and
/// the advice as paragraphs.
#[derive(Debug, Default, Serialize)]
struct GapBlock {
    #[serde(flatten)]
    gap: checklist::Gap,
    question: String,
}

impl GapBlock {
    fn of(gap: checklist::Gap) -> GapBlock {
        GapBlock {
            question: gap.question.clone(),
            gap,
        }
    }
}

impl Compact for GapBlock {
    const SHEET: (&'static str, &'static str) = ("gaps", "差距");
    const COLUMNS: &'static [&'static str] =
        &["item", "dimension", "weight", "answer", "lost", "source"];
    const TEXT: &'static [&'static str] = &["question", "note", "advice"];
}

/// A row of `checklist diff` in a table: the change, then the item's question and the note.
#[derive(Debug, Default, Serialize)]
struct DiffBlock {
    #[serde(flatten)]
    row: checklist::DiffRow,
    question: String,
}

impl DiffBlock {
    fn of(row: checklist::DiffRow) -> DiffBlock {
        DiffBlock {
            question: row.question.clone(),
            row,
        }
    }
}

impl Compact for DiffBlock {
    const SHEET: (&'static str, &'static str) = ("changes", "变化");
    const COLUMNS: &'static [&'static str] =
        &["item", "dimension", "weight", "before", "after", "change"];
    const TEXT: &'static [&'static str] = &["question", "note"];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> Template {
        Template::parse(
            r#"
id = "t"
version = 1
title = { zh = "测试", en = "Test" }
[[dimensions]]
id = "prevention"
title = { zh = "预警", en = "Prevention" }
[[items]]
id = "P1"
dimension = "prevention"
weight = 5
question = { zh = "有名单吗？", en = "Is there a list?" }
advice = { zh = "建立名单", en = "Make a list" }
[[items]]
id = "P2"
dimension = "prevention"
weight = 2
question = { zh = "有备份吗?", en = "Is there a backup?" }
advice = { zh = "指定备份", en = "Name a backup" }
"#,
            "t.toml",
        )
        .unwrap()
    }

    fn answer(text: &str, lang: Lang) -> (Result<Answers>, String) {
        let t = template();
        let items: Vec<&Item> = t.items.iter().collect();
        let mut out = Vec::new();
        let mut kept = Vec::new();
        let result = ask(&t, &items, lang, text.as_bytes(), &mut out, |item, _| {
            kept.push(item.to_string());
            Ok(())
        });
        if let Ok(answers) = &result {
            assert_eq!(kept, answers.keys().cloned().collect::<Vec<_>>());
        }
        (result, String::from_utf8(out).unwrap())
    }

    #[test]
    fn replies() {
        assert_eq!(
            parse_reply("n  not in the contracts yet\n"),
            Reply::Answer(Given {
                answer: Answer::No,
                note: Some("not in the contracts yet".into())
            })
        );
        assert_eq!(
            parse_reply("Y"),
            Reply::Answer(Given {
                answer: Answer::Yes,
                note: None
            })
        );
        assert!(matches!(
            parse_reply("- 无研发岗位"),
            Reply::Answer(Given {
                answer: Answer::Na,
                ..
            })
        ));
        assert!(matches!(
            parse_reply("partial"),
            Reply::Answer(Given {
                answer: Answer::Partial,
                ..
            })
        ));
        assert_eq!(parse_reply("?"), Reply::Advice);
        assert_eq!(parse_reply("maybe"), Reply::Unknown);
        assert_eq!(parse_reply(""), Reply::Unknown);
    }

    #[test]
    fn the_prompt_asks_each_item_shows_advice_and_re_asks_after_a_bad_key() {
        let (answers, shown) = answer("?\nx\np only some\n-\n", Lang::En);
        let answers = answers.unwrap();
        assert_eq!(answers["P1"].answer, Answer::Partial);
        assert_eq!(answers["P1"].note.as_deref(), Some("only some"));
        assert_eq!(answers["P2"].answer, Answer::Na);
        assert!(
            shown.contains("[1/2] P1 · Prevention · weight 5"),
            "{shown}"
        );
        assert!(
            shown.contains("Is there a list?") && shown.contains("Make a list"),
            "{shown}"
        );
        assert!(shown.contains("answer y, p, n, - or ?"), "{shown}");
        assert!(shown.contains("[2/2] P2"), "{shown}");
        assert!(
            !shown.contains("Name a backup"),
            "advice only on ?: {shown}"
        );
    }

    #[test]
    fn the_prompt_speaks_chinese() {
        let (answers, shown) = answer("y\nn 还没有\n", Lang::Zh);
        assert_eq!(answers.unwrap()["P2"].note.as_deref(), Some("还没有"));
        assert!(
            shown.contains("预警 · 权重 5") && shown.contains("有名单吗？"),
            "{shown}"
        );
    }

    #[test]
    fn input_ending_early_says_the_answers_given_are_kept() {
        let (answers, _) = answer("y\n", Lang::En);
        let err = answers.unwrap_err();
        let failure = err.downcast_ref::<Failure>().unwrap();
        assert_eq!(failure.exit_code(), 2);
        assert!(
            failure.message.en.contains("P2") && failure.message.en.contains("kept"),
            "{}",
            failure.message.en
        );
    }

    proptest::proptest! {
        #[test]
        fn no_reply_panics(line in "\\PC*") {
            let _ = parse_reply(&line);
        }
    }
}
