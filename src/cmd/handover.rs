use anyhow::Result;

use crate::app::Context;
use crate::cli::{HandoverCmd, HandoverItemCmd};
use crate::domain::departure;
use crate::domain::document::statement;
use crate::domain::handover::{self, Filter, Handover, LedgerRow, NewItem, OpenRequest, Rules};
use crate::output::{Compact, Format};
use crate::time;
use crate::tr;

impl HandoverCmd {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let today = ctx.settings.clock.today();
        match self {
            HandoverCmd::Open {
                employee,
                leaving_on,
                successor,
                reason,
            } => {
                let request = OpenRequest {
                    employee,
                    leaving_on: time::parse_date(&leaving_on, &ctx.settings.clock)?,
                    successor,
                    reason,
                };
                let rules = Rules::new(&ctx.settings.config.handover, ctx.lang());
                let company = ctx.company()?;
                let (opened, warnings) = ctx.transact(|w| {
                    handover::open_warned(w, w.stamp(), company.id, &rules, &request)
                })?;
                let lang = ctx.lang();
                let (id, items, employee) = (opened.id, opened.items_total, &opened.employee);
                for warning in warnings {
                    ctx.out().warn(warning.get(lang));
                }
                ctx.out().changed(
                    &tr!(
                        lang,
                        "handover {id} opened for {employee} with {items} items; next: baton notify plan {id}, baton handover show {id}",
                        "已为 {employee} 发起交接 {id}，共 {items} 项；下一步：baton notify plan {id}、baton handover show {id}"
                    ),
                    &opened,
                )
            }
            HandoverCmd::List { status, overdue } => {
                let company = ctx.company()?;
                let mut list = ctx.out().list::<Handover>()?;
                let filter = Filter { status, overdue };
                handover::list(&ctx.conn, company.id, &filter, today, |h| list.push(&h))?;
                list.finish()
            }
            HandoverCmd::Show {
                id,
                customer: Some(code),
            } => {
                let confirmation =
                    departure::for_customer(&ctx.conn, id, &code, ctx.settings.clock)?;
                if confirmation.assignee.is_none() {
                    let lang = ctx.lang();
                    ctx.out().warn(&tr!(
                        lang,
                        "nobody takes customer {code} yet: assign someone with `baton handover assign {id} --customer {code} --to EMPLOYEE` before the customer signs",
                        "客户 {code} 尚无接手人：请先用 `baton handover assign {id} --customer {code} --to 员工编号` 指定，再请客户签字"
                    ));
                }
                match ctx.out().format {
                    Format::Table => {
                        ctx.out()
                            .text(&statement::confirmation(&confirmation, ctx.lang(), today))
                    }
                    Format::Html => ctx.out().page(&statement::confirmation_page(
                        &confirmation,
                        ctx.lang(),
                        today,
                    )),
                    _ => ctx.out().record(&confirmation),
                }
            }
            HandoverCmd::Show { id, customer: None } => {
                let detail = departure::show(&ctx.conn, id, ctx.settings.clock)?;
                match ctx.out().format {
                    Format::Table => ctx
                        .out()
                        .text(&statement::render(&detail, ctx.lang(), today)),
                    Format::Html => ctx.out().page(&statement::page(&detail, ctx.lang(), today)),
                    _ => ctx.out().record(&detail),
                }
            }
            HandoverCmd::Item(cmd) => cmd.run(ctx),
            HandoverCmd::Assign { id, customer, to } => {
                let item = ctx.transact(|w| departure::assign(w, w.stamp(), id, &customer, &to))?;
                let (customer, to) = (item.reference.as_deref().unwrap_or_default(), &to);
                ctx.out().changed(
                    &tr!(
                        ctx.lang(),
                        "customer {customer} of handover {id} goes to {to}",
                        "交接 {id} 中的客户 {customer} 改由 {to} 接手"
                    ),
                    &item,
                )
            }
            HandoverCmd::Close { id, force, reason } => {
                let forced = reason.as_deref().filter(|_| force);
                let (closed, count) =
                    ctx.transact(|w| departure::close(w, w.stamp(), id, forced))?;
                let (lang, employee) = (ctx.lang(), &closed.employee);
                let message = if count == 0 {
                    tr!(
                        lang,
                        "handover {id} closed; {employee} has left",
                        "交接 {id} 已关闭；{employee} 已离职"
                    )
                } else {
                    tr!(
                        lang,
                        "handover {id} closed by force over {count} open item(s) (logged); {employee} has left",
                        "交接 {id} 已强制关闭，忽略 {count} 项未完成事项（已记入审计日志）；{employee} 已离职"
                    )
                };
                ctx.out().changed(&message, &closed)
            }
            HandoverCmd::Ledger { from, to } => {
                let company = ctx.company()?;
                let clock = &ctx.settings.clock;
                let from = from.map(|d| time::parse_date(&d, clock)).transpose()?;
                let to = to.map(|d| time::parse_date(&d, clock)).transpose()?;
                let mut list = ctx.out().list::<LedgerRow>()?;
                handover::ledger(&ctx.conn, company.id, from, to, |row| list.push(&row))?;
                list.finish()
            }
        }
    }
}

impl HandoverItemCmd {
    fn run(self, ctx: &mut Context) -> Result<()> {
        let lang = ctx.lang();
        match self {
            HandoverItemCmd::Add {
                id,
                kind,
                title,
                reference,
                assignee,
                due,
            } => {
                let new = NewItem {
                    kind,
                    title,
                    reference,
                    assignee,
                    due_on: due
                        .map(|d| time::parse_date(&d, &ctx.settings.clock))
                        .transpose()?,
                };
                let item = ctx.transact(|w| handover::add_item(w, w.stamp(), id, &new))?;
                let item_id = item.id;
                ctx.out().changed(
                    &tr!(
                        lang,
                        "item {item_id} added to handover {id}",
                        "已向交接 {id} 添加事项 {item_id}"
                    ),
                    &item,
                )
            }
            HandoverItemCmd::Done { item, note } => {
                let done =
                    ctx.transact(|w| handover::done_item(w, w.stamp(), item, note.as_deref()))?;
                let message = match (&done.reference, &done.assignee) {
                    (Some(customer), Some(to)) if done.kind == handover::ItemKind::Customer => {
                        tr!(
                            lang,
                            "item {item} done; customer {customer} is now served by {to}",
                            "事项 {item} 已完成；客户 {customer} 现由 {to} 负责"
                        )
                    }
                    _ => tr!(lang, "item {item} done", "事项 {item} 已完成"),
                };
                ctx.out().changed(&message, &done)
            }
            HandoverItemCmd::Waive { item, reason } => {
                let waived = ctx.transact(|w| handover::waive_item(w, w.stamp(), item, &reason))?;
                ctx.out().changed(
                    &tr!(lang, "item {item} waived", "事项 {item} 已豁免"),
                    &waived,
                )
            }
        }
    }
}

impl Compact for Handover {
    const SHEET: (&'static str, &'static str) = ("handovers", "交接");
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "employee",
        "employee_name",
        "leaving_on",
        "successor",
        "status",
        "items_open",
        "items_overdue",
    ];
}

impl Compact for LedgerRow {
    const SHEET: (&'static str, &'static str) = ("ledger", "交接台账");
    const COLUMNS: &'static [&'static str] = &[
        "handover",
        "employee_name",
        "kind",
        "title",
        "assignee",
        "due_on",
        "status",
    ];
}
