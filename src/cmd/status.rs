use std::collections::HashMap;
use std::fmt::Write as _;

use anyhow::Result;
use serde::Serialize;

use crate::app::Context;
use crate::cli::StatusArgs;
use crate::domain::checklist::Risk;
use crate::domain::complaint::{self, Stage};
use crate::domain::status::{self, Attention, CompanyAttention, StatusRow};
use crate::i18n::Lang;
use crate::output::{Compact, Format};
use crate::{time, tr};

/// `status` as a table: one short line per company, every count folded into a few columns
/// (CSV, JSON and Markdown keep every field of [`StatusRow`]).
#[derive(Debug, Default, Serialize)]
struct Line {
    company: String,
    employees: String,
    customers: String,
    handovers: String,
    notices: String,
    complaints: String,
    checklist: String,
    credit: i64,
}

/// How many companies, and how many lines of attention, make one screen.
const SCREEN: usize = 15;

pub fn run(ctx: &mut Context, args: &StatusArgs) -> Result<()> {
    warn_provisional_clocks(ctx)?;
    let clock = &ctx.settings.clock;
    let (now, today) = (clock.now(), clock.today());
    let config = &ctx.settings.config;
    let scope = ctx.scope()?;
    let mut rows = status::rows(&ctx.conn, config, now, today, scope.as_ref())?;
    if ctx.out().format != Format::Table {
        if let Some(sort) = args.sort {
            status::sort(&mut rows, sort);
        }
        return ctx.out().rows(&rows);
    }
    let lang = ctx.lang();
    if rows.is_empty() {
        return ctx.out().text(&tr!(
            lang,
            "No company yet: add one with `baton company add --code USCC --name NAME`, or try `baton demo`.\n",
            "还没有公司：用 `baton company add --code 统一社会信用代码 --name 名称` 添加，或先试试 `baton demo`。\n"
        ));
    }
    status::sort(&mut rows, args.sort.unwrap_or_default());
    let mut attention = status::attention(&ctx.conn, config, now, today, scope.as_ref())?;
    let order: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| (row.company.as_str(), i))
        .collect();
    attention.sort_by_key(|c| order.get(c.company.as_str()).copied());
    let hint = Hint {
        db: ctx.settings.db_unless_default(),
        scope: scope.map(|c| format!(" -c {}", c.code)).unwrap_or_default(),
        lang,
    };
    let shown = if args.all {
        rows.len()
    } else {
        rows.len().min(SCREEN)
    };
    let lines: Vec<Line> = rows[..shown].iter().map(|row| line(row, lang)).collect();
    let mut text = String::new();
    if shown < rows.len() {
        let (more, all) = (rows.len() - shown, hint.all());
        text.push_str(&tr!(
            lang,
            "… and {more} more companies → {all}\n",
            "… 另有 {more} 家公司 → {all}\n"
        ));
    }
    text.push_str(&attention_text(&attention, &hint, args.all));
    ctx.out().rows_then_text(&lines, &text)
}

/// What every command line printed as a hint carries: the database when it is not the
/// default, the company `status` was narrowed to.
struct Hint {
    db: String,
    scope: String,
    lang: Lang,
}

impl Hint {
    /// `baton [--db PATH] {command}`.
    fn command(&self, command: &str) -> String {
        format!("baton {}{command}", self.db)
    }

    /// The `status --all` that shows what one screen left out.
    fn all(&self) -> String {
        self.command(&format!("status --all{}", self.scope))
    }
}

/// Warns for each provisional year that open complaint clocks reach, with the command that
/// makes it official.
fn warn_provisional_clocks(ctx: &Context) -> Result<()> {
    let lang = ctx.lang();
    for (year, n) in complaint::provisional_reach(&ctx.conn, &ctx.settings.calendar)? {
        ctx.out().warn(&tr!(
            lang,
            "open clocks of {n} complaint(s) reach provisional year {year} (statutory holidays only, no make-up working days): import the State Council's arrangement with `baton calendar import FILE`",
            "{n} 件投诉的未结时限进入暂定年份 {year} 年（仅按法定节假日，不含调休）：请用 `baton calendar import FILE` 导入国务院的放假安排"
        ));
    }
    Ok(())
}

fn line(row: &StatusRow, lang: Lang) -> Line {
    let with = |total: i64, extra: i64, en: &str, zh: &str| match (extra, lang) {
        (0, _) => total.to_string(),
        (_, Lang::En) => format!("{total}, {extra} {en}"),
        (_, Lang::Zh) => format!("{total}，{zh} {extra}"),
    };
    let notices = match (row.notices_due, row.notices_late) {
        (0, 0) => "0".to_string(),
        (due, 0) => tr!(lang, "{due} due", "待发 {due}"),
        (0, late) => tr!(lang, "{late} late", "逾期 {late}"),
        (due, late) => tr!(lang, "{due} due, {late} late", "待发 {due}，逾期 {late}"),
    };
    let checklist = row.checklist_score.map_or_else(String::new, |score| {
        let risk = match (Risk::of(score), lang) {
            (risk, Lang::En) => risk.to_string(),
            (Risk::High, Lang::Zh) => "高风险".into(),
            (Risk::Medium, Lang::Zh) => "中风险".into(),
            (Risk::Low, Lang::Zh) => "低风险".into(),
        };
        format!("{score:.1} {risk}")
    });
    Line {
        company: row.name.clone(),
        employees: with(row.employees, row.leaving, "leaving", "离职中"),
        customers: with(row.customers, row.at_risk_customers, "at risk", "有风险"),
        handovers: with(
            row.open_handovers,
            row.overdue_items,
            "overdue items",
            "逾期事项",
        ),
        notices,
        complaints: with(
            row.complaints_open,
            row.complaints_overdue,
            "overdue",
            "超时",
        ),
        checklist,
        credit: row.credit_score,
    }
}

/// The "needs attention" list under the table: per company (in the table's order), one line
/// per group of items with the command that deals with them; unless `all`, cut at one
/// screen with the count of what was left out.
fn attention_text(companies: &[CompanyAttention], hint: &Hint, all: bool) -> String {
    let lang = hint.lang;
    let total: usize = companies.iter().map(CompanyAttention::items).sum();
    if total == 0 {
        return tr!(
            lang,
            "\nNothing needs attention.\n",
            "\n目前没有需要处理的事项。\n"
        );
    }
    let mut text = tr!(
        lang,
        "\nNeeds attention ({total}):\n",
        "\n需要处理（{total} 项）：\n"
    );
    let (mut lines, mut left_out) = (0, 0);
    for company in companies {
        if !all && lines + 2 > SCREEN {
            left_out += company.groups.len();
            continue;
        }
        let _ = writeln!(text, "{} {}", company.name, company.company);
        lines += 1;
        for group in &company.groups {
            if !all && lines >= SCREEN {
                left_out += 1;
                continue;
            }
            let (what, command) = match group.as_slice() {
                [item] => describe(item, &company.company, lang),
                _ => describe_group(group, &company.company, lang),
            };
            let _ = writeln!(text, "  - {what}\n      → {}", hint.command(&command));
            lines += 1;
        }
    }
    if left_out > 0 {
        let all = hint.all();
        text.push_str(&tr!(
            lang,
            "… and {left_out} more → {all}\n",
            "… 另有 {left_out} 条 → {all}\n"
        ));
    }
    text
}

/// What a group of several items of one rank says, and the list command that shows them.
fn describe_group(group: &[Attention], company: &str, lang: Lang) -> (String, String) {
    let n = group.len();
    match &group[0] {
        Attention::OverdueItems { .. } => {
            let items: i64 = group
                .iter()
                .map(|item| match item {
                    Attention::OverdueItems { items_overdue, .. } => *items_overdue,
                    _ => 0,
                })
                .sum();
            (
                tr!(
                    lang,
                    "{n} handovers with {items} item(s) past due",
                    "{n} 个交接共 {items} 项已逾期"
                ),
                format!("handover list --overdue -c {company}"),
            )
        }
        Attention::Notice { late: true, .. } => (
            tr!(lang, "{n} notices are late", "{n} 份告知已逾期"),
            format!("notify list --late -c {company}"),
        ),
        Attention::Notice { .. } => (
            tr!(
                lang,
                "{n} notices are to be sent soon",
                "{n} 份告知即将到发出期限"
            ),
            format!("notify list --due -c {company}"),
        ),
        Attention::Complaint {
            stage, breached, ..
        } => {
            let (en, zh) = (stage.label(Lang::En), stage.label(Lang::Zh));
            let (things, zh_things) = match stage {
                Stage::Check => ("reports", "件举报"),
                _ => ("complaints", "件投诉"),
            };
            if *breached {
                (
                    tr!(
                        lang,
                        "{n} {things} past the {en} clock",
                        "{n} {zh_things}{zh}已超时"
                    ),
                    format!("complaint list --overdue -c {company}"),
                )
            } else {
                let filter = match stage {
                    Stage::Accept | Stage::Check => "--status received",
                    Stage::Feedback | Stage::Resolve | Stage::Inform => "--open",
                };
                (
                    tr!(
                        lang,
                        "{n} {things}: the {en} clock runs out within 24 h",
                        "{n} {zh_things}：{zh}时限 24 小时内到期"
                    ),
                    format!("complaint list {filter} -c {company}"),
                )
            }
        }
        Attention::Credit { official: true, .. } => (
            tr!(
                lang,
                "{n} subjects are on an official list by an agency decision",
                "{n} 个主体经行政机关决定列入官方名单"
            ),
            "credit list --official".to_string(),
        ),
        Attention::Credit { .. } => (
            tr!(
                lang,
                "{n} subjects are on the internal attention list",
                "{n} 个主体在内部关注名单上"
            ),
            "credit list --attention".to_string(),
        ),
        Attention::ChecklistRisk { .. } => describe(&group[0], company, lang),
    }
}

/// What an attention item says, and the command that deals with it.
fn describe(item: &Attention, company: &str, lang: Lang) -> (String, String) {
    match item {
        Attention::OverdueItems {
            handover,
            employee_name,
            items_overdue,
        } => (
            tr!(
                lang,
                "handover {handover} ({employee_name}): {items_overdue} item(s) past due",
                "交接 {handover}（{employee_name}）：{items_overdue} 项已逾期"
            ),
            format!("handover show {handover}"),
        ),
        Attention::Notice {
            notice,
            customer_name,
            send_by,
            late,
        } => (
            if *late {
                tr!(
                    lang,
                    "notice {notice} to {customer_name} is late: it was due by {send_by}",
                    "致{customer_name}的告知 {notice} 已逾期：最迟应于 {send_by} 发出"
                )
            } else {
                tr!(
                    lang,
                    "notice {notice} to {customer_name} is to be sent by {send_by}",
                    "致{customer_name}的告知 {notice} 须于 {send_by} 前发出"
                )
            },
            format!("notify render {notice}"),
        ),
        Attention::Complaint {
            complaint,
            stage,
            due,
            breached,
            resolve_pending,
        } => {
            let due = time::to_local_short(*due);
            let (en, zh, command) = match stage {
                Stage::Accept => ("accept", "受理", format!("complaint accept {complaint}")),
                Stage::Feedback => (
                    "feedback",
                    "反馈",
                    format!("complaint feedback {complaint} --note \"...\""),
                ),
                Stage::Resolve => ("resolve", "办结", format!("complaint show {complaint}")),
                Stage::Check => ("check", "核查", format!("complaint show {complaint}")),
                Stage::Inform => ("inform", "告知", format!("complaint inform {complaint}")),
            };
            let what = if *breached {
                tr!(
                    lang,
                    "complaint {complaint}: the {en} clock was breached at {due}",
                    "投诉 {complaint}：{zh}时限已于 {due} 超时"
                )
            } else {
                tr!(
                    lang,
                    "complaint {complaint}: the {en} clock runs out at {due}",
                    "投诉 {complaint}：{zh}时限 {due} 到期"
                )
            };
            let pending = if *resolve_pending {
                tr!(
                    lang,
                    "; resolve clock: pending acceptance",
                    "；办结时限：待受理后起算"
                )
            } else {
                String::new()
            };
            (what + &pending, command)
        }
        Attention::Credit {
            subject,
            subject_name,
            official,
            scoped,
        } => {
            let context = if *scoped {
                format!(" -c {company}")
            } else {
                String::new()
            };
            (
                if *official {
                    tr!(
                        lang,
                        "{subject_name} ({subject}) is on an official list by an agency decision",
                        "{subject_name}（{subject}）经行政机关决定列入官方名单"
                    )
                } else {
                    tr!(
                        lang,
                        "{subject_name} ({subject}) is on the internal attention list",
                        "{subject_name}（{subject}）在内部关注名单上"
                    )
                },
                format!("credit history {subject}{context}"),
            )
        }
        Attention::ChecklistRisk { run, score } => (
            tr!(
                lang,
                "self-check run {run} scored {score:.1}: high risk",
                "自查 {run} 得分 {score:.1}：高风险"
            ),
            format!("checklist report {run}"),
        ),
    }
}

impl Compact for StatusRow {
    const SHEET: (&'static str, &'static str) = ("status", "概况");
}

impl Compact for Line {
    const SHEET: (&'static str, &'static str) = ("attention", "待处理");
}
