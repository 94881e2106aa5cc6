use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};

use crate::app::Context;
use crate::cli::NotifyCmd;
use crate::domain::document::letter::{self, Template};
use crate::domain::document::roster;
use crate::domain::notify::{self, Filter, Notice, NoticeStatus, RosterRow, Scope};
use crate::i18n::Lang;
use crate::outfile;
use crate::output::html::{self, Page};
use crate::output::{Compact, Format, Output};
use crate::time;
use crate::{bad_input, text, tr};

impl NotifyCmd {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let today = ctx.settings.clock.today();
        let lang = ctx.lang();
        match self {
            NotifyCmd::Plan { handover } => {
                let lead_days = ctx.settings.config.notify.lead_days;
                let planned = ctx.transact(|w| notify::plan(w, w.stamp(), handover, lead_days))?;
                if !planned.unassigned.is_empty() {
                    let codes = planned.unassigned.join(", ");
                    ctx.out().warn(&tr!(
                        lang,
                        "no notice for customer(s) {codes}: nobody takes them yet; assign them with `baton handover assign {handover} --customer CODE --to EMPLOYEE`, then plan again",
                        "客户 {codes} 尚无接手人，暂不生成告知：请先运行 `baton handover assign {handover} --customer 客户编号 --to 员工编号`，再重新计划"
                    ));
                }
                let past: Vec<String> = planned
                    .notices
                    .iter()
                    .filter(|n| n.status == NoticeStatus::Planned && n.send_by < today)
                    .map(|n| format!("{} ({})", n.id, n.customer))
                    .collect();
                if let Some(send_by) = planned.notices.first().map(|n| n.send_by) {
                    if !past.is_empty() {
                        let past = past.join(", ");
                        ctx.out().warn(&tr!(
                            lang,
                            "the send-by date {send_by} has passed: notices {past} are late already; send them now",
                            "最迟发送日期 {send_by} 已过：告知 {past} 已逾期，请立即发送"
                        ));
                    }
                }
                let (created, updated, total) =
                    (planned.created, planned.updated, planned.notices.len());
                ctx.out().say(&match total {
                    0 => tr!(
                        lang,
                        "handover {handover}: no customer to notify, no notice planned",
                        "交接 {handover}：没有需要告知的客户，未计划任何告知"
                    ),
                    _ => tr!(
                        lang,
                        "handover {handover}: {created} notice(s) planned, {updated} updated, {total} in all; next: baton notify render --handover {handover}",
                        "交接 {handover}：新计划 {created} 份告知，更新 {updated} 份，共 {total} 份；下一步：baton notify render --handover {handover}"
                    ),
                });
                changed_rows(ctx.out(), &planned.notices)
            }
            NotifyCmd::List {
                handover,
                status,
                due,
                late,
            } => {
                let scope = match handover {
                    Some(id) => Scope::Handover(id),
                    None => Scope::Company(ctx.company()?.id),
                };
                let window = ctx.settings.config.notify.due_window_days;
                let filter = Filter { status, due, late };
                let mut list = ctx.out().list::<Notice>()?;
                notify::list(&ctx.conn, scope, &filter, today, window, |n| list.push(&n))?;
                list.finish()
            }
            NotifyCmd::Render {
                notices,
                handover,
                all,
                template,
                out,
            } => {
                let html = ctx.out().format == Format::Html;
                let template = match &template {
                    Some(path) => read_template(path)?,
                    None => Template::builtin(lang),
                };
                let hotline = ctx.settings.config.notify.hotline.clone();
                let company = match all {
                    true => Some(ctx.company()?.id),
                    false => None,
                };
                let letters = ctx.transact(|w| {
                    let ids = match (handover, company) {
                        (Some(id), _) => notify::letter_ids(w, id)?,
                        (None, Some(company)) => {
                            let mut ids = Vec::new();
                            let planned = Filter {
                                status: Some(NoticeStatus::Planned),
                                ..Filter::default()
                            };
                            notify::list(w, Scope::Company(company), &planned, today, 0, |n| {
                                ids.push(n.id);
                                Ok(())
                            })?;
                            ids
                        }
                        (None, None) => notices,
                    };
                    notify::letters(
                        w,
                        w.stamp(),
                        &ids,
                        lang,
                        hotline.as_deref().unwrap_or_default(),
                    )
                })?;
                if hotline.is_none() {
                    ctx.out().warn(&tr!(
                        lang,
                        "no company hotline in the config: the letters give customers no number to check who speaks for the company; set `hotline` under [notify]",
                        "配置中没有公司服务热线：告知函中没有供客户核实的公司电话；请在 [notify] 下设置 `hotline`"
                    ));
                }
                for l in &letters {
                    if l.new_contact_phone.is_empty() && l.new_contact_email.is_empty() {
                        let (id, who) = (l.notice, &l.new_contact);
                        ctx.out().warn(&tr!(
                            lang,
                            "notice {id}: the new contact {who} has no phone and no e-mail on record",
                            "告知 {id}：新对接人 {who} 没有登记电话和邮箱"
                        ));
                    }
                }
                match out {
                    Some(dir) => {
                        let shown = dir.display();
                        let extension = match html {
                            true => "html",
                            false => "md",
                        };
                        std::fs::create_dir_all(&dir).with_context(|| {
                            tr!(lang, "cannot create {shown}", "无法创建 {shown}")
                        })?;
                        let files: Vec<PathBuf> = letters
                            .iter()
                            .map(|l| {
                                let code: String = l
                                    .customer_code
                                    .chars()
                                    .map(|c| {
                                        if c.is_alphanumeric() || c == '-' {
                                            c
                                        } else {
                                            '_'
                                        }
                                    })
                                    .collect();
                                dir.join(format!("notice-{}-{code}.{extension}", l.notice))
                            })
                            .collect();
                        // A target that is not a regular file stops the render before any
                        // letter is written.
                        for file in &files {
                            outfile::refuse_special(file)?;
                        }
                        for (l, file) in letters.iter().zip(files) {
                            let sink = Output {
                                path: Some(file),
                                ..ctx.out().clone()
                            };
                            let text = template.fill(l);
                            match html {
                                true => {
                                    let mut page = Page::new(&title(&text, lang), lang);
                                    letter::print(&mut page, &text);
                                    sink.page(&page)?
                                }
                                false => sink.text(&text)?,
                            }
                        }
                        let (count, dir) = (letters.len(), dir.display());
                        ctx.out().say(&tr!(
                            lang,
                            "{count} letter(s) written to {dir}",
                            "已将 {count} 份告知函写入 {dir}"
                        ));
                        Ok(())
                    }
                    None if html => {
                        let texts: Vec<String> = letters.iter().map(|l| template.fill(l)).collect();
                        let mut page =
                            Page::new(&title(texts.first().map_or("", String::as_str), lang), lang);
                        for (n, text) in texts.iter().enumerate() {
                            if n > 0 {
                                page.page_break();
                            }
                            letter::print(&mut page, text);
                        }
                        ctx.out().page(&page)
                    }
                    None => {
                        let text: Vec<String> = letters.iter().map(|l| template.fill(l)).collect();
                        ctx.out().text(&text.join("\n---\n\n"))
                    }
                }
            }
            NotifyCmd::Sent {
                notices,
                channel,
                at,
            } => {
                let at = parse_at(at.as_deref(), ctx)?;
                let sent = ctx.transact(|w| {
                    let at = at.unwrap_or(w.stamp().at);
                    notify::sent(w, w.stamp(), &notices, channel, at)
                })?;
                let ids = notices
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                let late: Vec<String> = sent
                    .iter()
                    .filter(|n| n.late)
                    .map(|n| n.id.to_string())
                    .collect();
                if !late.is_empty() {
                    let late = late.join(", ");
                    ctx.out().warn(&tr!(
                        lang,
                        "notice(s) {late} went out after their send-by date",
                        "告知 {late} 晚于最迟发送日期发出"
                    ));
                }
                ctx.out().say(&tr!(
                    lang,
                    "notice(s) {ids} sent by {channel}",
                    "告知 {ids} 已通过 {channel} 发出"
                ));
                changed_rows(ctx.out(), &sent)
            }
            NotifyCmd::Ack { notice, at } => {
                let at = parse_at(at.as_deref(), ctx)?;
                let acked = ctx.transact(|w| {
                    let at = at.unwrap_or(w.stamp().at);
                    notify::ack(w, w.stamp(), notice, at)
                })?;
                ctx.out().changed(
                    &tr!(
                        lang,
                        "notice {notice} acknowledged by the customer",
                        "客户已确认告知 {notice}"
                    ),
                    &acked,
                )
            }
            NotifyCmd::Cancel { notice, reason } => {
                let cancelled = ctx.transact(|w| notify::cancel(w, w.stamp(), notice, &reason))?;
                ctx.out().changed(
                    &tr!(lang, "notice {notice} cancelled", "告知 {notice} 已取消"),
                    &cancelled,
                )
            }
            NotifyCmd::Roster => {
                let company = ctx.company()?;
                let days = ctx.settings.config.notify.roster_days;
                let roster = notify::roster(&ctx.conn, company.id, today, days)?;
                let (gone, no_consent) = (roster.gone, roster.no_consent);
                if gone > 0 {
                    ctx.out().warn(&tr!(
                        lang,
                        "{gone} customer-facing employee(s) left out: they have left or their leaving date has passed",
                        "{gone} 名对接客户的员工未列入：已离职或离职日期已过"
                    ));
                }
                if no_consent > 0 {
                    ctx.out().warn(&tr!(
                        lang,
                        "{no_consent} customer-facing employee(s) left out: no consent to publish their work contact on record; record it with `baton employee update CODE --publish-consent DATE`",
                        "{no_consent} 名对接客户的员工未列入：没有登记其同意公示工作联系方式；请用 `baton employee update 员工编号 --publish-consent 日期` 登记"
                    ));
                }
                if matches!(ctx.out().format, Format::Md | Format::Html) {
                    ctx.out()
                        .text(&roster::page(&company.name, &roster.rows, lang, today))
                } else {
                    ctx.out().rows::<RosterRow>(&roster.rows)
                }
            }
        }
    }
}

/// The `--at` of a notice, if given; absent, it is the time the change is stamped with.
fn parse_at(at: Option<&str>, ctx: &Context) -> Result<Option<DateTime<Utc>>> {
    Ok(at
        .map(|at| time::parse_instant(at, &ctx.settings.clock))
        .transpose()?)
}

/// With `--format json|csv`, the notices a command changed.
fn changed_rows(out: &Output, notices: &[Notice]) -> Result<()> {
    if out.format == Format::Table {
        Ok(())
    } else {
        out.rows(notices)
    }
}

/// A letter's title on its page: its first heading, else what it is.
fn title(letter: &str, lang: Lang) -> String {
    html::title_of(letter).map_or_else(
        || tr!(lang, "Notice of a change of contact", "客户告知函"),
        str::to_string,
    )
}

fn read_template(path: &Path) -> Result<Template> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| {
        bad_input!(
            "cannot read the template {shown}: {e}",
            "无法读取模板 {shown}：{e}"
        )
        .hint(text!(
            "name a UTF-8 text file; `baton notify render 1` shows the built-in letter",
            "请指定 UTF-8 文本文件；`baton notify render 1` 可查看内置告知函"
        ))
    })?;
    Template::parse(&text).map_err(|failure| failure.within(text!("{shown}", "{shown}")).into())
}

impl Compact for Notice {
    const SHEET: (&'static str, &'static str) = ("notices", "告知");
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "customer_name",
        "new_contact",
        "send_by",
        "status",
        "channel",
        "late",
    ];
}

impl Compact for RosterRow {
    const SHEET: (&'static str, &'static str) = ("roster", "公示名单");
}
