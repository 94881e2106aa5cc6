use std::fmt::Write as _;

use anyhow::Result;
use serde::Serialize;

use crate::app::Context;
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

pub fn run(ctx: &mut Context) -> Result<()> {
    warn_provisional_clocks(ctx)?;
    let clock = &ctx.settings.clock;
    let (now, today) = (clock.now(), clock.today());
    let config = &ctx.settings.config;
    let rows = status::rows(&ctx.conn, config, now, today)?;
    if ctx.out().format != Format::Table {
        return ctx.out().rows(&rows);
    }
    let lang = ctx.lang();
    if rows.is_empty() {
        return ctx.out().text(&tr!(
            lang,
            "No company yet: add one with `baton company add --code USCC --name NAME`, or try `baton demo`.\n",
            "还没有公司:用 `baton company add --code 统一社会信用代码 --name 名称` 添加,或先试试 `baton demo`。\n"
        ));
    }
    let lines: Vec<Line> = rows.iter().map(|row| line(row, lang)).collect();
    let attention = status::attention(&ctx.conn, config, now, today)?;
    ctx.out()
        .rows_then_text(&lines, &attention_text(&attention, lang))
}

/// Warns for each provisional year that open complaint clocks reach, with the command that
/// makes it official.
fn warn_provisional_clocks(ctx: &Context) -> Result<()> {
    let lang = ctx.lang();
    for (year, n) in complaint::provisional_reach(&ctx.conn, &ctx.settings.calendar)? {
        ctx.out().warn(&tr!(
            lang,
            "open clocks of {n} complaint(s) reach provisional year {year} (statutory holidays only, no make-up working days): import the State Council's arrangement with `baton calendar import FILE`",
            "{n} 件投诉的未结时限进入暂定年份 {year} 年(仅按法定节假日,不含调休):请用 `baton calendar import FILE` 导入国务院的放假安排"
        ));
    }
    Ok(())
}

fn line(row: &StatusRow, lang: Lang) -> Line {
    let with = |total: i64, extra: i64, en: &str, zh: &str| match (extra, lang) {
        (0, _) => total.to_string(),
        (_, Lang::En) => format!("{total}, {extra} {en}"),
        (_, Lang::Zh) => format!("{total},{zh} {extra}"),
    };
    let notices = match (row.notices_due, row.notices_late) {
        (0, 0) => "0".to_string(),
        (due, 0) => tr!(lang, "{due} due", "待发 {due}"),
        (0, late) => tr!(lang, "{late} late", "逾期 {late}"),
        (due, late) => tr!(lang, "{due} due, {late} late", "待发 {due},逾期 {late}"),
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

/// The "needs attention" list under the table: per company, one line per item with the
/// command that deals with it.
fn attention_text(companies: &[CompanyAttention], lang: Lang) -> String {
    let total: usize = companies.iter().map(|c| c.items.len()).sum();
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
        "\n需要处理({total} 项):\n"
    );
    for company in companies {
        let _ = writeln!(text, "{} {}", company.name, company.company);
        for item in &company.items {
            let (what, command) = describe(item, &company.company, lang);
            let _ = writeln!(text, "  - {what}\n      → {command}");
        }
    }
    text
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
                "交接 {handover}({employee_name}):{items_overdue} 项已逾期"
            ),
            format!("baton handover show {handover}"),
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
                    "致{customer_name}的告知 {notice} 已逾期:最迟应于 {send_by} 发出"
                )
            } else {
                tr!(
                    lang,
                    "notice {notice} to {customer_name} is to be sent by {send_by}",
                    "致{customer_name}的告知 {notice} 须于 {send_by} 前发出"
                )
            },
            format!("baton notify render {notice}"),
        ),
        Attention::Complaint {
            complaint,
            stage,
            due,
            breached,
        } => {
            let due = time::to_local_short(*due);
            let (en, zh, command) = match stage {
                Stage::Accept => (
                    "accept",
                    "受理",
                    format!("baton complaint accept {complaint}"),
                ),
                Stage::Feedback => (
                    "feedback",
                    "反馈",
                    format!("baton complaint feedback {complaint} --note \"...\""),
                ),
                Stage::Resolve => (
                    "resolve",
                    "办结",
                    format!("baton complaint show {complaint}"),
                ),
                Stage::Check => ("check", "核查", format!("baton complaint show {complaint}")),
                Stage::Inform => (
                    "inform",
                    "告知",
                    format!("baton complaint inform {complaint}"),
                ),
            };
            let what = if *breached {
                tr!(
                    lang,
                    "complaint {complaint}: the {en} clock was breached at {due}",
                    "投诉 {complaint}:{zh}时限已于 {due} 超时"
                )
            } else {
                tr!(
                    lang,
                    "complaint {complaint}: the {en} clock runs out at {due}",
                    "投诉 {complaint}:{zh}时限 {due} 到期"
                )
            };
            (what, command)
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
                format!("baton credit history {subject}{context}"),
            )
        }
        Attention::ChecklistRisk { run, score } => (
            tr!(
                lang,
                "self-check run {run} scored {score:.1}: high risk",
                "自查 {run} 得分 {score:.1}:高风险"
            ),
            format!("baton checklist report {run}"),
        ),
    }
}

impl Compact for StatusRow {}

impl Compact for Line {}
