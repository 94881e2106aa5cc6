//! A departure: the handover of the employee who leaves, the notices to the customers they
//! served, and the complaints the departure caused. The use cases that span those three
//! areas live here, above them: `handover show` (the sheet with its notices and
//! complaints), closing (open items and unsent notices both block it), and giving a customer
//! to another colleague (the planned notice follows). [`crate::domain::handover`] depends
//! on neither notify nor complaint; they depend on it.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::complaint::{self, Complaint, ComplaintStatus};
use super::handover::{self, Handover, Item, ItemDetail, ItemKind, ItemStatus, Sheet};
use super::notify::{self, Notice};
use super::today_of;
use crate::audit::Stamp;
use crate::i18n::Lang;
use crate::time::Clock;
use crate::{bad_input, refused, text};

/// `handover show`: the handover sheet, the notices to its customers, and the complaints
/// the departure caused.
#[derive(Debug, Clone, Serialize)]
pub struct HandoverDetail {
    #[serde(flatten)]
    pub sheet: Sheet,
    pub notices: Vec<Notice>,
    /// The complaints this departure caused (filed with `--handover`).
    pub complaints: Vec<Complaint>,
}

/// One handover with every item, its notices and its complaints, as of the clock's now.
pub fn show(conn: &Connection, id: i64, clock: Clock) -> Result<HandoverDetail> {
    let today = clock.today();
    Ok(HandoverDetail {
        sheet: handover::sheet(conn, id, today)?,
        notices: notify::of_handover(conn, id, today)?,
        complaints: complaint::of_handover(conn, id, clock.now())?,
    })
}

/// `handover show ID --customer CODE`: what one customer of a departure is given to sign
/// (交接确认书). Only that customer's matters: its item and the other open items that name
/// it, its notice, and its complaints still open; never another customer's.
#[derive(Debug, Clone, Serialize)]
pub struct CustomerHandover {
    pub handover: i64,
    pub company: String,
    pub company_name: String,
    pub employee: String,
    pub employee_name: String,
    pub leaving_on: NaiveDate,
    pub customer: String,
    pub customer_name: String,
    /// Who serves the customer from the leaving date (接手人), if anyone yet.
    pub assignee: Option<String>,
    pub assignee_name: Option<String>,
    /// The customer's item, and every open item whose reference is the customer's code.
    pub items: Vec<ItemDetail>,
    pub notice: Option<Notice>,
    pub complaints: Vec<Complaint>,
}

/// One customer's part of a handover (see [`CustomerHandover`]); a customer the handover
/// does not hand over is bad input naming the ones it does.
pub fn for_customer(
    conn: &Connection,
    id: i64,
    code: &str,
    clock: Clock,
) -> Result<CustomerHandover> {
    let HandoverDetail {
        sheet,
        notices,
        complaints,
    } = show(conn, id, clock)?;
    let code = code.trim();
    let is_this = |i: &ItemDetail| i.item.reference.as_deref() == Some(code);
    let Some(own) = sheet
        .items
        .iter()
        .find(|i| i.item.kind == ItemKind::Customer && is_this(i))
        .cloned()
    else {
        let listed: Vec<&str> = sheet
            .items
            .iter()
            .filter(|i| i.item.kind == ItemKind::Customer)
            .filter_map(|i| i.item.reference.as_deref())
            .collect();
        let listed = listed.join(", ");
        return Err(bad_input!(
            "handover {id} does not hand over customer {code:?}",
            "交接 {id} 中没有客户 {code:?}"
        )
        .hint(text!("its customers: {listed}", "该交接中的客户：{listed}"))
        .into());
    };
    let items = sheet
        .items
        .iter()
        .filter(|i| i.item.id == own.item.id || (is_this(i) && i.item.status == ItemStatus::Open))
        .cloned()
        .collect();
    let h = sheet.handover;
    Ok(CustomerHandover {
        handover: id,
        company: sheet.company,
        company_name: sheet.company_name,
        employee: h.employee,
        employee_name: h.employee_name,
        leaving_on: h.leaving_on,
        customer: code.to_string(),
        customer_name: own.customer_name.clone().unwrap_or(own.item.title.clone()),
        assignee: own.item.assignee.clone(),
        assignee_name: own.assignee_name.clone(),
        items,
        notice: notices.into_iter().find(|n| n.customer == code),
        complaints: complaints
            .into_iter()
            .filter(|c| c.customer.as_deref() == Some(code))
            .filter(|c| {
                !matches!(
                    c.status,
                    ComplaintStatus::Resolved | ComplaintStatus::Rejected
                )
            })
            .collect(),
    })
}

/// Closes a handover: refused while anything blocks it (open items, planned notices not
/// sent), unless forced with a reason (the blockers overridden go into the audit event). The
/// employee becomes `left`. Returns the handover and how many blockers were overridden.
pub fn close(
    conn: &Connection,
    stamp: &Stamp,
    id: i64,
    force_reason: Option<&str>,
) -> Result<(Handover, usize)> {
    let closing = handover::closing(conn, id, force_reason)?;
    let mut blockers = handover::blockers(conn, id)?;
    blockers.extend(notify::blockers(conn, id, today_of(stamp))?);
    if !blockers.is_empty() && !closing.forced() {
        let count = blockers.len();
        let lines = |lang: Lang| {
            blockers
                .iter()
                .map(|b| b.get(lang))
                .collect::<Vec<_>>()
                .join("\n  - ")
        };
        let (en, zh) = (lines(Lang::En), lines(Lang::Zh));
        return Err(refused!(
            "handover {id} cannot close: {count} blocker(s)\n  - {en}",
            "交接 {id} 不能关闭：还有 {count} 项未了结\n  - {zh}"
        )
        .hint(text!(
            "finish each with `baton handover item done ITEM` or `baton handover item waive ITEM --reason R`, \
             send or cancel each notice (`baton notify sent NOTICE --channel C`, `baton notify cancel NOTICE --reason R`); \
             or `baton handover close {id} --force --reason R`",
            "逐项用 `baton handover item done ITEM` 办结或用 `baton handover item waive ITEM --reason R` 豁免，\
             每份告知函发出或取消（`baton notify sent NOTICE --channel C`、`baton notify cancel NOTICE --reason R`）；\
             或 `baton handover close {id} --force --reason R` 强制关闭"
        ))
        .into());
    }
    let closed = handover::close(conn, stamp, closing, &blockers)?;
    Ok((closed, blockers.len()))
}

/// Gives a customer of an open handover to another colleague; the customer's planned notice
/// names the new contact.
pub fn assign(
    conn: &Connection,
    stamp: &Stamp,
    handover_id: i64,
    customer_code: &str,
    to: &str,
) -> Result<Item> {
    let item = handover::assign(conn, stamp, handover_id, customer_code, to)?;
    notify::follow_assignment(conn, item.id)?;
    Ok(item)
}
