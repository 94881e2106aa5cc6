//! Handovers: the departure ledger (客户需求交接台账) that cannot close while a customer is
//! orphaned, and the handover statement (工作交接说明) it prints.

use std::collections::HashMap;
use std::fmt::Write as _;

use anyhow::{Context as _, Result};
use chrono::{Days, NaiveDate};
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::company::required;
use super::complaint::{self, Complaint, ComplaintStatus, Stage};
use super::customer::{self, Tier};
use super::employee::{self, EmployeeStatus, Role};
use super::notify::{self, Channel, Notice, NoticeStatus};
use super::{local_instant, today_of};
use crate::audit::{self, Stamp};
use crate::error::{in_field, Failure};
use crate::i18n::Lang;
use crate::import::{self, Column, Outcome, Row};
use crate::time::{self, Clock};
use crate::{config, text_enum, tr};

text_enum! { "reason" / "离职原因":
    /// Why the employee leaves.
    pub enum Reason {
        Resign = "resign" / "辞职",
        Dismissal = "dismissal" / "解除劳动合同",
        Retire = "retire" / "退休",
        Transfer = "transfer" / "调岗",
        Other = "other" / "其他",
    }
}

text_enum! { "handover status" / "交接状态":
    pub enum HandoverStatus {
        Open = "open" / "进行中",
        Closed = "closed" / "已关闭",
    }
}

text_enum! { "item kind" / "事项类型":
    /// What an item hands over.
    pub enum ItemKind {
        Customer = "customer" / "客户",
        Contract = "contract" / "合同",
        Document = "document" / "文档",
        Access = "access" / "账号权限",
        Task = "task" / "事务",
    }
}

text_enum! { "item status" / "事项状态":
    pub enum ItemStatus {
        Open = "open" / "未完成",
        Done = "done" / "已完成",
        Waived = "waived" / "已豁免",
    }
}

/// A handover with its counts: a row of `handover list`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Handover {
    pub id: i64,
    pub employee: String,
    pub employee_name: String,
    pub leaving_on: NaiveDate,
    pub successor: Option<String>,
    pub reason: Reason,
    pub status: HandoverStatus,
    pub items_total: i64,
    pub items_open: i64,
    pub items_overdue: i64,
    pub notices_total: i64,
    pub notices_sent: i64,
    pub opened_at: String,
    pub closed_at: Option<String>,
}

/// One thing to hand over.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Item {
    pub id: i64,
    pub handover: i64,
    pub kind: ItemKind,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub title: String,
    pub assignee: Option<String>,
    pub due_on: NaiveDate,
    pub status: ItemStatus,
    pub note: Option<String>,
    pub done_at: Option<String>,
}

/// An item as `handover show` lists it: with names, the customer's tier, and whether it is late.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ItemDetail {
    #[serde(flatten)]
    pub item: Item,
    pub assignee_name: Option<String>,
    pub customer_name: Option<String>,
    pub tier: Option<Tier>,
    pub overdue: bool,
}

/// A row of the ledger (台账): an item and whose departure it belongs to.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LedgerRow {
    pub employee: String,
    pub employee_name: String,
    pub leaving_on: NaiveDate,
    #[serde(flatten)]
    pub item: Item,
}

/// `handover show`: the handover, who is involved, and every item.
#[derive(Debug, Clone, Serialize)]
pub struct HandoverDetail {
    #[serde(flatten)]
    pub handover: Handover,
    pub company: String,
    pub company_name: String,
    pub role: Role,
    pub successor_name: Option<String>,
    pub close_reason: Option<String>,
    pub items: Vec<ItemDetail>,
    pub notices: Vec<Notice>,
    /// The complaints this departure caused (filed with `--handover`).
    pub complaints: Vec<Complaint>,
}

/// What `open` needs to know about the departure (one row of `import handovers`, too).
#[derive(Debug, Clone)]
pub struct OpenRequest {
    pub employee: String,
    pub leaving_on: NaiveDate,
    pub successor: Option<String>,
    pub reason: Reason,
}

/// The items every handover gets, from the config, in the language of the titles.
#[derive(Debug, Clone)]
pub struct Rules {
    pub lead_days: u32,
    pub documents: Vec<String>,
    pub lang: Lang,
}

impl Rules {
    pub fn new(config: &config::Handover, lang: Lang) -> Rules {
        let documents = config.documents.clone().unwrap_or_else(|| {
            let built_in: [&str; 4] = match lang {
                Lang::En => [
                    "Customer usage records",
                    "Product maintenance manuals",
                    "Customer requirements ledger",
                    "Open contracts and orders",
                ],
                Lang::Zh => [
                    "客户使用记录",
                    "产品维护手册",
                    "客户需求交接台账",
                    "未完结合同与订单",
                ],
            };
            built_in.map(String::from).to_vec()
        });
        Rules {
            lead_days: config.lead_days,
            documents,
            lang,
        }
    }
}

/// What `item add` creates.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub kind: ItemKind,
    pub title: String,
    pub reference: Option<String>,
    pub assignee: Option<String>,
    pub due_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<HandoverStatus>,
    pub overdue: bool,
}

const HANDOVER_COLUMNS: &str = "h.id, e.code AS employee, e.name AS employee_name, h.leaving_on,
    s.code AS successor, h.reason, h.status,
    (SELECT count(*) FROM handover_items i WHERE i.handover_id = h.id) AS items_total,
    (SELECT count(*) FROM handover_items i WHERE i.handover_id = h.id AND i.status = 'open') AS items_open,
    (SELECT count(*) FROM handover_items i
     WHERE i.handover_id = h.id AND i.status = 'open' AND i.due_on < :today) AS items_overdue,
    (SELECT count(*) FROM notices n WHERE n.handover_id = h.id) AS notices_total,
    (SELECT count(*) FROM notices n
     WHERE n.handover_id = h.id AND n.status IN ('sent', 'acknowledged')) AS notices_sent,
    h.opened_at, h.closed_at";
const HANDOVER_FROM: &str = "FROM handovers h
    JOIN employees e ON e.id = h.employee_id
    LEFT JOIN employees s ON s.id = h.successor_id";

fn handover_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Handover> {
    Ok(Handover {
        id: row.get("id")?,
        employee: row.get("employee")?,
        employee_name: row.get("employee_name")?,
        leaving_on: row.get("leaving_on")?,
        successor: row.get("successor")?,
        reason: row.get("reason")?,
        status: row.get("status")?,
        items_total: row.get("items_total")?,
        items_open: row.get("items_open")?,
        items_overdue: row.get("items_overdue")?,
        notices_total: row.get("notices_total")?,
        notices_sent: row.get("notices_sent")?,
        opened_at: local_instant(row.get("opened_at")?).unwrap_or_default(),
        closed_at: local_instant(row.get("closed_at")?),
    })
}

const ITEM_COLUMNS: &str = "i.id, i.handover_id, i.kind, i.ref, i.title, a.code AS assignee,
    a.name AS assignee_name, i.due_on, i.status, i.note, i.done_at, c.name AS customer_name,
    c.tier, i.customer_id, i.assignee_id";
const ITEM_FROM: &str = "FROM handover_items i
    LEFT JOIN employees a ON a.id = i.assignee_id
    LEFT JOIN customers c ON c.id = i.customer_id";

fn item_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Item> {
    Ok(Item {
        id: row.get("id")?,
        handover: row.get("handover_id")?,
        kind: row.get("kind")?,
        reference: row.get("ref")?,
        title: row.get("title")?,
        assignee: row.get("assignee")?,
        due_on: row.get("due_on")?,
        status: row.get("status")?,
        note: row.get("note")?,
        done_at: local_instant(row.get("done_at")?),
    })
}

/// A handover as stored, with the row ids the rules need.
pub(super) struct Stored {
    pub company_id: i64,
    pub employee_id: i64,
    pub employee: String,
    pub leaving_on: NaiveDate,
    pub status: HandoverStatus,
}

pub(super) fn stored(conn: &Connection, id: i64) -> Result<Stored> {
    conn.prepare_cached(
        "SELECT h.company_id, h.employee_id, e.code, h.leaving_on, h.status
         FROM handovers h JOIN employees e ON e.id = h.employee_id WHERE h.id = ?1",
    )?
    .query_row([id], |r| {
        Ok(Stored {
            company_id: r.get(0)?,
            employee_id: r.get(1)?,
            employee: r.get(2)?,
            leaving_on: r.get(3)?,
            status: r.get(4)?,
        })
    })
    .optional()?
    .ok_or_else(|| {
        Failure::bad_input(format!("no handover {id}"))
            .zh(format!("没有编号为 {id} 的交接"))
            .hint("see `baton handover list`")
            .hint_zh("用 `baton handover list` 查看")
            .into()
    })
}

/// The stored handover, refusing one that is closed.
pub(super) fn open_one(conn: &Connection, id: i64) -> Result<Stored> {
    let h = stored(conn, id)?;
    if h.status == HandoverStatus::Closed {
        return Err(
            Failure::refused(format!("handover {id} is closed; its items cannot change"))
                .zh(format!("交接 {id} 已关闭,其事项不能再修改"))
                .hint(format!("see it with `baton handover show {id}`"))
                .hint_zh(format!("用 `baton handover show {id}` 查看"))
                .into(),
        );
    }
    Ok(h)
}

/// One handover with its counts, as of `today`.
pub fn get(conn: &Connection, id: i64, today: NaiveDate) -> Result<Handover> {
    stored(conn, id)?;
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {HANDOVER_COLUMNS} {HANDOVER_FROM} WHERE h.id = :id"
        ))?
        .query_row(
            named_params! { ":id": id, ":today": today },
            handover_from_row,
        )?)
}

/// Opens the handover of a departing employee: marks them `leaving` and creates the items
/// of the rules (one per customer they own, the documents, access, confidentiality).
pub fn open(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    rules: &Rules,
    request: &OpenRequest,
) -> Result<Handover> {
    let leaver = employee::get(conn, company_id, &request.employee)?;
    let employee_id = employee::get_id(conn, company_id, &leaver.id)?;
    if leaver.status == EmployeeStatus::Left {
        return Err(
            Failure::refused(format!("employee {} has left already", leaver.id))
                .zh(format!("员工 {} 已离职", leaver.id))
                .hint("see `baton handover list --status closed`")
                .hint_zh("用 `baton handover list --status closed` 查看")
                .into(),
        );
    }
    let existing: Option<i64> = conn
        .prepare_cached("SELECT id FROM handovers WHERE employee_id = ?1 AND status = 'open'")?
        .query_row([employee_id], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        return Err(Failure::refused(format!(
            "employee {} has an open handover already: {id}",
            leaver.id
        ))
        .zh(format!("员工 {} 已有进行中的交接:{id}", leaver.id))
        .hint(format!(
            "see it with `baton handover show {id}`; one open handover per employee"
        ))
        .hint_zh(format!(
            "用 `baton handover show {id}` 查看;每位员工同时只能有一个进行中的交接"
        ))
        .into());
    }
    let successor_id = request
        .successor
        .as_deref()
        .map(|code| {
            let code = required("successor", code)?;
            if code == leaver.id {
                return Err(Failure::bad_input(format!(
                    "successor {code} is the employee who leaves"
                ))
                .zh(format!("接替人 {code} 就是离职员工本人"))
                .hint("name the colleague who takes over")
                .hint_zh("请指定接手工作的同事")
                .into());
            }
            employee::assignable_id(conn, company_id, &code)
        })
        .transpose()?;
    conn.prepare_cached(
        "INSERT INTO handovers (company_id, employee_id, successor_id, leaving_on, reason, opened_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        company_id,
        employee_id,
        successor_id,
        request.leaving_on,
        request.reason,
        time::to_db(stamp.at)
    ])
    .context("cannot open the handover")?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached("UPDATE employees SET status = 'leaving', leaving_on = ?2 WHERE id = ?1")?
        .execute(params![employee_id, request.leaving_on])
        .context("cannot mark the employee as leaving")?;

    let customer_due = request
        .leaving_on
        .checked_sub_days(Days::new(rules.lead_days.into()))
        .unwrap_or(request.leaving_on);
    let mut owned = conn.prepare_cached(
        "SELECT c.id, c.code, c.name, CASE WHEN b.status = 'left' THEN NULL ELSE c.backup_id END
         FROM customers c LEFT JOIN employees b ON b.id = c.backup_id
         WHERE c.owner_id = ?1 AND c.status = 'active' ORDER BY c.code",
    )?;
    let customers = owned
        .query_map([employee_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (customer_id, code, name, backup_id) in &customers {
        insert_item(
            conn,
            id,
            ItemKind::Customer,
            Some(*customer_id),
            Some(code),
            name,
            successor_id.or(*backup_id),
            customer_due,
        )?;
    }
    for title in &rules.documents {
        insert_item(
            conn,
            id,
            ItemKind::Document,
            None,
            None,
            title,
            successor_id,
            request.leaving_on,
        )?;
    }
    let lang = rules.lang;
    let access = tr!(
        lang,
        "Revoke accounts and access; from now on view, never copy",
        "收回账号与系统权限:此后只可查看,不得拷贝"
    );
    let task = tr!(
        lang,
        "Written confirmation of confidentiality and non-compete duties",
        "书面确认保密与竞业限制义务"
    );
    insert_item(
        conn,
        id,
        ItemKind::Access,
        None,
        None,
        &access,
        None,
        request.leaving_on,
    )?;
    insert_item(
        conn,
        id,
        ItemKind::Task,
        None,
        None,
        &task,
        None,
        request.leaving_on,
    )?;
    let handover = get(conn, id, today_of(stamp))?;
    audit::record(
        conn,
        stamp,
        "handover.open",
        "handover",
        Some(&id.to_string()),
        &json!({
            "after": handover,
            "employee": { "id": leaver.id, "before": leaver.status, "after": EmployeeStatus::Leaving },
        }),
    )?;
    Ok(handover)
}

#[allow(clippy::too_many_arguments)]
fn insert_item(
    conn: &Connection,
    handover_id: i64,
    kind: ItemKind,
    customer_id: Option<i64>,
    reference: Option<&str>,
    title: &str,
    assignee_id: Option<i64>,
    due_on: NaiveDate,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO handover_items (handover_id, kind, customer_id, ref, title, assignee_id, due_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        handover_id,
        kind,
        customer_id,
        reference,
        title,
        assignee_id,
        due_on
    ])
    .context("cannot add the handover item")?;
    Ok(conn.last_insert_rowid())
}

/// What `handover open` warns about a handover it opened: a leaving date in the past
/// (back-filled), and the customers nobody takes yet (`unassigned`, from
/// [`unassigned_customers`]).
pub fn open_warnings(
    opened: &Handover,
    unassigned: &[String],
    today: NaiveDate,
    lang: Lang,
) -> Vec<String> {
    let (id, employee) = (opened.id, &opened.employee);
    let mut warnings = Vec::new();
    if opened.leaving_on < today {
        let on = opened.leaving_on;
        warnings.push(tr!(
            lang,
            "handover {id} of {employee}: the leaving date {on} is in the past: back-filling, items may be overdue already",
            "{employee} 的交接 {id}:离职日期 {on} 已过:按补录处理,部分事项可能已逾期"
        ));
    }
    if !unassigned.is_empty() {
        let codes = unassigned.join(", ");
        warnings.push(tr!(
            lang,
            "handover {id} of {employee}: nobody takes customer(s) {codes}; next: baton handover assign {id} --customer CODE --to EMPLOYEE",
            "{employee} 的交接 {id}:客户 {codes} 尚无接手人;请运行 baton handover assign {id} --customer 客户编号 --to 员工编号"
        ));
    }
    warnings
}

/// Codes of the customers of a handover whose open item has nobody to take them.
pub fn unassigned_customers(conn: &Connection, handover_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ref FROM handover_items
         WHERE handover_id = ?1 AND status = 'open' AND kind = 'customer' AND assignee_id IS NULL
         ORDER BY ref",
    )?;
    let codes = stmt.query_map([handover_id], |r| r.get(0))?;
    Ok(codes.collect::<rusqlite::Result<_>>()?)
}

/// An item as stored, with the row ids the rules need.
struct StoredItem {
    item: Item,
    customer_id: Option<i64>,
    assignee_id: Option<i64>,
}

fn stored_item(conn: &Connection, id: i64) -> Result<StoredItem> {
    conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} {ITEM_FROM} WHERE i.id = ?1"
    ))?
    .query_row([id], |r| {
        Ok(StoredItem {
            item: item_from_row(r)?,
            customer_id: r.get("customer_id")?,
            assignee_id: r.get("assignee_id")?,
        })
    })
    .optional()?
    .ok_or_else(|| {
        Failure::bad_input(format!("no handover item {id}"))
            .zh(format!("没有编号为 {id} 的交接事项"))
            .hint("see the items with `baton handover show HANDOVER`")
            .hint_zh("用 `baton handover show HANDOVER` 查看事项")
            .into()
    })
}

fn item(conn: &Connection, id: i64) -> Result<Item> {
    Ok(stored_item(conn, id)?.item)
}

/// The stored item, refusing one that is done or waived or whose handover is closed.
fn open_item(conn: &Connection, id: i64) -> Result<(StoredItem, Stored)> {
    let stored = stored_item(conn, id)?;
    if stored.item.status != ItemStatus::Open {
        return Err(Failure::refused(format!(
            "item {id} is {} already and cannot change",
            stored.item.status
        ))
        .zh(format!(
            "事项 {id} 已{},不能再修改",
            if stored.item.status == ItemStatus::Done {
                "完成"
            } else {
                "豁免"
            }
        ))
        .hint(format!(
            "see it with `baton handover show {}`",
            stored.item.handover
        ))
        .hint_zh(format!(
            "用 `baton handover show {}` 查看",
            stored.item.handover
        ))
        .into());
    }
    let handover = open_one(conn, stored.item.handover)?;
    Ok((stored, handover))
}

/// An employee of the handover's company who can take over (not the one who leaves).
fn taker(conn: &Connection, handover: &Stored, code: &str) -> Result<i64> {
    let id = employee::assignable_id(conn, handover.company_id, code)?;
    if id == handover.employee_id {
        return Err(Failure::bad_input(format!(
            "{} is the employee who leaves and cannot take over",
            code.trim()
        ))
        .zh(format!("{} 是离职员工本人,不能接手", code.trim()))
        .hint("name the colleague who takes over")
        .hint_zh("请指定接手工作的同事")
        .into());
    }
    Ok(id)
}

/// Adds an item to an open handover. A customer item names (in `reference`) a customer the
/// leaving employee owns.
pub fn add_item(conn: &Connection, stamp: &Stamp, handover_id: i64, new: &NewItem) -> Result<Item> {
    let handover = open_one(conn, handover_id)?;
    let title = required("title", &new.title)?;
    let reference = new
        .reference
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let customer_id = match (new.kind, reference) {
        (ItemKind::Customer, None) => {
            return Err(Failure::bad_input("a customer item needs --ref CUSTOMER")
                .zh("客户类事项需要 --ref CUSTOMER")
                .hint("e.g. `--kind customer --ref C001`")
                .hint_zh("例如 `--kind customer --ref C001`")
                .into())
        }
        (ItemKind::Customer, Some(code)) => {
            let (customer_id, owner_id) = customer::ids(conn, handover.company_id, code)?;
            if owner_id != handover.employee_id {
                return Err(Failure::refused(format!(
                    "customer {code} is not served by {}, who leaves",
                    handover.employee
                ))
                .zh(format!(
                    "客户 {code} 不由离职员工 {} 负责",
                    handover.employee
                ))
                .hint("change its owner with `baton customer update` instead")
                .hint_zh("请改用 `baton customer update` 更换负责人")
                .into());
            }
            let pending: Option<i64> = conn
                .prepare_cached(
                    "SELECT id FROM handover_items
                     WHERE customer_id = ?1 AND handover_id = ?2 AND status = 'open'",
                )?
                .query_row(params![customer_id, handover_id], |r| r.get(0))
                .optional()?;
            if let Some(item) = pending {
                return Err(Failure::refused(format!(
                    "customer {code} has an open item in handover {handover_id} already: {item}"
                ))
                .zh(format!(
                    "客户 {code} 在交接 {handover_id} 中已有未完成的事项:{item}"
                ))
                .hint(format!(
                    "change who takes it with `baton handover assign {handover_id} --customer {code} --to EMPLOYEE`"
                ))
                .hint_zh(format!(
                    "用 `baton handover assign {handover_id} --customer {code} --to EMPLOYEE` 更换接手人"
                ))
                .into());
            }
            Some(customer_id)
        }
        _ => None,
    };
    let assignee_id = match &new.assignee {
        Some(code) if new.kind == ItemKind::Customer => Some(taker(conn, &handover, code)?),
        Some(code) => Some(employee::assignable_id(conn, handover.company_id, code)?),
        None => None,
    };
    let id = insert_item(
        conn,
        handover_id,
        new.kind,
        customer_id,
        reference,
        &title,
        assignee_id,
        new.due_on.unwrap_or(handover.leaving_on),
    )?;
    let added = item(conn, id)?;
    audit::record(
        conn,
        stamp,
        "handover.item.add",
        "handover_item",
        Some(&id.to_string()),
        &json!({ "after": added }),
    )?;
    Ok(added)
}

/// Marks an item done. A customer item moves the customer to its assignee, and the move is
/// kept in the owner history.
pub fn done_item(conn: &Connection, stamp: &Stamp, id: i64, note: Option<&str>) -> Result<Item> {
    let (before, handover) = open_item(conn, id)?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let mut moved = None;
    if let Some(customer_id) = before.customer_id {
        let code = before.item.reference.clone().unwrap_or_default();
        let (Some(assignee_id), Some(assignee)) = (before.assignee_id, &before.item.assignee)
        else {
            return Err(Failure::refused(format!(
                "item {id} (customer {code}) has nobody to take the customer"
            ))
            .zh(format!("事项 {id}(客户 {code})还没有接手人"))
            .hint(format!(
                "assign it first: `baton handover assign {} --customer {code} --to EMPLOYEE`",
                before.item.handover
            ))
            .hint_zh(format!(
                "请先指定接手人:`baton handover assign {} --customer {code} --to EMPLOYEE`",
                before.item.handover
            ))
            .into());
        };
        employee::assignable_id(conn, handover.company_id, assignee)?;
        let owner_id: i64 = conn
            .prepare_cached("SELECT owner_id FROM customers WHERE id = ?1")?
            .query_row([customer_id], |r| r.get(0))?;
        if owner_id != assignee_id {
            conn.prepare_cached(
                "UPDATE customers SET owner_id = ?2,
                        backup_id = CASE WHEN backup_id = ?2 THEN NULL ELSE backup_id END
                 WHERE id = ?1",
            )?
            .execute(params![customer_id, assignee_id])
            .context("cannot move the customer")?;
            customer::record_owner_change(
                conn,
                stamp,
                customer_id,
                owner_id,
                assignee_id,
                Some(before.item.handover),
                note,
            )?;
            moved = Some(json!({ "customer": code, "to": assignee }));
        }
    }
    resolve_item(conn, stamp, id, ItemStatus::Done, note)?;
    let after = item(conn, id)?;
    audit::record(
        conn,
        stamp,
        "handover.item.done",
        "handover_item",
        Some(&id.to_string()),
        &json!({ "before": before.item, "after": after, "customer_moved": moved }),
    )?;
    Ok(after)
}

/// Waives an item that will not be done, with the reason.
pub fn waive_item(conn: &Connection, stamp: &Stamp, id: i64, reason: &str) -> Result<Item> {
    let reason = required("reason", reason)?;
    let (before, _) = open_item(conn, id)?;
    resolve_item(conn, stamp, id, ItemStatus::Waived, Some(&reason))?;
    let after = item(conn, id)?;
    audit::record(
        conn,
        stamp,
        "handover.item.waive",
        "handover_item",
        Some(&id.to_string()),
        &json!({ "before": before.item, "after": after }),
    )?;
    Ok(after)
}

fn resolve_item(
    conn: &Connection,
    stamp: &Stamp,
    id: i64,
    status: ItemStatus,
    note: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE handover_items SET status = ?2, note = coalesce(?3, note), done_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, status, note, time::to_db(stamp.at)])
    .context("cannot change the handover item")?;
    Ok(())
}

/// Gives a customer of an open handover to another colleague.
pub fn assign(
    conn: &Connection,
    stamp: &Stamp,
    handover_id: i64,
    customer_code: &str,
    to: &str,
) -> Result<Item> {
    let handover = open_one(conn, handover_id)?;
    let code = required("customer", customer_code)?;
    let (customer_id, _) = customer::ids(conn, handover.company_id, &code)?;
    let item_id: i64 = conn
        .prepare_cached(
            "SELECT id FROM handover_items WHERE customer_id = ?1 AND handover_id = ?2
             ORDER BY status = 'open' DESC, id DESC LIMIT 1",
        )?
        .query_row(params![customer_id, handover_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| {
            Failure::bad_input(format!("handover {handover_id} has no item for customer {code}"))
                .zh(format!("交接 {handover_id} 中没有客户 {code} 的事项"))
                .hint(format!(
                    "add one with `baton handover item add {handover_id} --kind customer --ref {code} --title NAME`"
                ))
                .hint_zh(format!(
                    "用 `baton handover item add {handover_id} --kind customer --ref {code} --title NAME` 添加"
                ))
        })?;
    let (before, _) = open_item(conn, item_id)?;
    let to_id = taker(conn, &handover, to)?;
    conn.prepare_cached("UPDATE handover_items SET assignee_id = ?2 WHERE id = ?1")?
        .execute(params![item_id, to_id])
        .context("cannot assign the customer")?;
    notify::follow_assignment(conn, item_id, to_id)?;
    let after = item(conn, item_id)?;
    audit::record(
        conn,
        stamp,
        "handover.assign",
        "handover_item",
        Some(&item_id.to_string()),
        &json!({ "before": before.item, "after": after }),
    )?;
    Ok(after)
}

/// Something that keeps a handover from closing, described in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    pub en: String,
    pub zh: String,
}

/// What keeps a handover from closing, one line each: open items and unsent planned notices.
pub fn blockers(conn: &Connection, handover_id: i64, today: NaiveDate) -> Result<Vec<Blocker>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} {ITEM_FROM} WHERE i.handover_id = ?1 AND i.status = 'open' ORDER BY i.id"
    ))?;
    let open = stmt.query_map([handover_id], item_from_row)?;
    open.map(|item| {
        let item = item?;
        let (id, due) = (item.id, item.due_on);
        let what = match &item.reference {
            Some(reference) => format!("{reference} {}", item.title),
            None => item.title.clone(),
        };
        let (kind_en, kind_zh) = (item.kind, kind_heading(item.kind, Lang::Zh));
        let (who_en, who_zh) = match item.assignee.as_deref() {
            Some(code) => (code.to_string(), code.to_string()),
            None => ("nobody".to_string(), "尚未指定".to_string()),
        };
        Ok(Blocker {
            en: format!("item {id} ({kind_en} {what}): open, assigned to {who_en}, due {due}"),
            zh: format!("事项 {id}({kind_zh} {what}):未完成,接手人 {who_zh},截止 {due}"),
        })
    })
    .chain(
        notify::blockers(conn, handover_id, today)?
            .into_iter()
            .map(Ok),
    )
    .collect()
}

/// Closes a handover: refused while anything blocks it, unless forced with a reason (the
/// blockers overridden go into the audit event). The employee becomes `left`.
/// Returns the handover and how many blockers were overridden.
pub fn close(
    conn: &Connection,
    stamp: &Stamp,
    id: i64,
    force_reason: Option<&str>,
) -> Result<(Handover, usize)> {
    let handover = stored(conn, id)?;
    if handover.status == HandoverStatus::Closed {
        return Err(Failure::refused(format!("handover {id} is closed already"))
            .zh(format!("交接 {id} 已关闭"))
            .hint(format!("see it with `baton handover show {id}`"))
            .hint_zh(format!("用 `baton handover show {id}` 查看"))
            .into());
    }
    let force_reason = force_reason.map(|r| required("reason", r)).transpose()?;
    let blockers = blockers(conn, id, today_of(stamp))?;
    if !blockers.is_empty() && force_reason.is_none() {
        let count = blockers.len();
        let lines = |text: fn(&Blocker) -> &str| {
            blockers.iter().map(text).collect::<Vec<_>>().join("\n  - ")
        };
        return Err(Failure::refused(format!(
            "handover {id} cannot close: {count} blocker(s)\n  - {}",
            lines(|b| &b.en)
        ))
        .zh(format!(
            "交接 {id} 不能关闭:还有 {count} 项未了结\n  - {}",
            lines(|b| &b.zh)
        ))
        .hint(format!(
            "finish each with `baton handover item done ITEM` or `baton handover item waive ITEM --reason R`, \
             send or cancel each notice (`baton notify sent NOTICE --channel C`, `baton notify cancel NOTICE --reason R`); \
             or `baton handover close {id} --force --reason R`"
        ))
        .hint_zh(format!(
            "逐项用 `baton handover item done ITEM` 办结或用 `baton handover item waive ITEM --reason R` 豁免,\
             每份告知函发出或取消(`baton notify sent NOTICE --channel C`、`baton notify cancel NOTICE --reason R`);\
             或 `baton handover close {id} --force --reason R` 强制关闭"
        ))
        .into());
    }
    let before = get(conn, id, today_of(stamp))?;
    conn.prepare_cached(
        "UPDATE handovers SET status = 'closed', closed_at = ?2, close_reason = ?3 WHERE id = ?1",
    )?
    .execute(params![id, time::to_db(stamp.at), force_reason])
    .context("cannot close the handover")?;
    conn.prepare_cached("UPDATE employees SET status = 'left', left_on = ?2 WHERE id = ?1")?
        .execute(params![handover.employee_id, handover.leaving_on])
        .context("cannot mark the employee as left")?;
    let after = get(conn, id, today_of(stamp))?;
    audit::record(
        conn,
        stamp,
        "handover.close",
        "handover",
        Some(&id.to_string()),
        &json!({
            "before": before,
            "after": after,
            "forced": force_reason.is_some(),
            "reason": force_reason,
            "overridden": blockers.iter().map(|b| &b.en).collect::<Vec<_>>(),
            "employee": { "id": handover.employee, "after": EmployeeStatus::Left, "left_on": handover.leaving_on },
        }),
    )?;
    Ok((after, blockers.len()))
}

fn list_sql() -> String {
    format!(
        "SELECT * FROM (SELECT {HANDOVER_COLUMNS} {HANDOVER_FROM}
                       WHERE h.company_id = :company AND (:status IS NULL OR h.status = :status))
         WHERE :overdue = 0 OR items_overdue > 0
         ORDER BY leaving_on DESC, id DESC"
    )
}

/// Handovers of a company, newest departure first.
pub fn list(
    conn: &Connection,
    company_id: i64,
    filter: &Filter,
    today: NaiveDate,
    mut each: impl FnMut(Handover) -> Result<()>,
) -> Result<()> {
    let status = if filter.overdue {
        Some(HandoverStatus::Open)
    } else {
        filter.status
    };
    let mut stmt = conn.prepare_cached(&list_sql())?;
    let mut rows = stmt.query(named_params! {
        ":company": company_id, ":status": status, ":overdue": filter.overdue, ":today": today,
    })?;
    while let Some(row) = rows.next()? {
        each(handover_from_row(row)?)?;
    }
    Ok(())
}

/// One handover with every item, its notices and its complaints, as of the clock's now.
pub fn show(conn: &Connection, id: i64, clock: Clock) -> Result<HandoverDetail> {
    let today = clock.today();
    let handover = get(conn, id, today)?;
    let (company, company_name, role, successor_name, close_reason) = conn
        .prepare_cached(
            "SELECT co.code, co.name, e.role, s.name, h.close_reason
             FROM handovers h JOIN companies co ON co.id = h.company_id
             JOIN employees e ON e.id = h.employee_id
             LEFT JOIN employees s ON s.id = h.successor_id
             WHERE h.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} {ITEM_FROM} WHERE i.handover_id = ?1 ORDER BY i.id"
    ))?;
    let items = stmt
        .query_map([id], |r| {
            let item = item_from_row(r)?;
            Ok(ItemDetail {
                overdue: item.status == ItemStatus::Open && item.due_on < today,
                item,
                assignee_name: r.get("assignee_name")?,
                customer_name: r.get("customer_name")?,
                tier: r.get("tier")?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(HandoverDetail {
        handover,
        company,
        company_name,
        role,
        successor_name,
        close_reason,
        items,
        notices: notify::of_handover(conn, id, today)?,
        complaints: complaint::of_handover(conn, id, clock.now())?,
    })
}

fn ledger_sql() -> String {
    format!(
        "SELECT e.code AS employee, e.name AS employee_name, h.leaving_on, {ITEM_COLUMNS}
         FROM handovers h JOIN employees e ON e.id = h.employee_id
         JOIN handover_items i ON i.handover_id = h.id
         LEFT JOIN employees a ON a.id = i.assignee_id
         LEFT JOIN customers c ON c.id = i.customer_id
         WHERE h.company_id = :company
           AND h.leaving_on >= coalesce(:from, '0000') AND h.leaving_on <= coalesce(:to, '9999')
         ORDER BY h.leaving_on, h.id, i.id"
    )
}

/// The ledger (台账): every item of the company's handovers whose leaving date lies in
/// `from..=to`, by leaving date.
pub fn ledger(
    conn: &Connection,
    company_id: i64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    mut each: impl FnMut(LedgerRow) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&ledger_sql())?;
    let mut rows =
        stmt.query(named_params! { ":company": company_id, ":from": from, ":to": to })?;
    while let Some(row) = rows.next()? {
        each(ledger_row(row)?)?;
    }
    Ok(())
}

fn ledger_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<LedgerRow> {
    Ok(LedgerRow {
        employee: row.get("employee")?,
        employee_name: row.get("employee_name")?,
        leaving_on: row.get("leaving_on")?,
        item: item_from_row(row)?,
    })
}

const OPEN_ITEMS_SQL: &str = "SELECT count(*) FROM handovers h
    JOIN handover_items i ON i.handover_id = h.id
    WHERE h.company_id = :company AND h.status = 'open'";

fn overdue_items_sql() -> String {
    format!(
        "SELECT e.code AS employee, e.name AS employee_name, h.leaving_on, {ITEM_COLUMNS}
         FROM handovers h JOIN employees e ON e.id = h.employee_id
         JOIN handover_items i ON i.handover_id = h.id
         LEFT JOIN employees a ON a.id = i.assignee_id
         LEFT JOIN customers c ON c.id = i.customer_id
         WHERE h.company_id = :company AND h.status = 'open'
           AND i.status = 'open' AND i.due_on < :today
         ORDER BY i.due_on, i.id"
    )
}

/// The items of the company's open handovers: how many, and those open past their due date
/// as of `today`, earliest due first.
pub fn overdue_items(
    conn: &Connection,
    company_id: i64,
    today: NaiveDate,
) -> Result<(i64, Vec<LedgerRow>)> {
    let total: i64 = conn
        .prepare_cached(OPEN_ITEMS_SQL)?
        .query_row(named_params! { ":company": company_id }, |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&overdue_items_sql())?;
    let rows = stmt.query_map(
        named_params! { ":company": company_id, ":today": today },
        ledger_row,
    )?;
    Ok((total, rows.collect::<rusqlite::Result<_>>()?))
}

const COUNTS_SQL: &str = "SELECT count(*),
        coalesce(sum((SELECT count(*) FROM handover_items i
                      WHERE i.handover_id = h.id AND i.status = 'open' AND i.due_on < ?2)), 0)
    FROM handovers h WHERE h.company_id = ?1 AND h.status = 'open'";

/// For `status`: the company's open handovers and their open items past due.
pub fn counts(conn: &Connection, company_id: i64, today: NaiveDate) -> Result<(i64, i64)> {
    Ok(conn
        .prepare_cached(COUNTS_SQL)?
        .query_row(params![company_id, today], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

pub(super) fn role_label(role: Role, lang: Lang) -> String {
    let zh = match role {
        Role::Sales => "销售",
        Role::Rnd => "研发",
        Role::Service => "客服",
        Role::Tech => "技术",
        Role::Finance => "财务",
        Role::Management => "管理",
        Role::Other => "其他",
    };
    match lang {
        Lang::En => role.to_string(),
        Lang::Zh => zh.into(),
    }
}

fn reason_label(reason: Reason, lang: Lang) -> String {
    let zh = match reason {
        Reason::Resign => "辞职",
        Reason::Dismissal => "解除劳动合同",
        Reason::Retire => "退休",
        Reason::Transfer => "调岗",
        Reason::Other => "其他",
    };
    match lang {
        Lang::En => reason.to_string(),
        Lang::Zh => zh.into(),
    }
}

fn tier_label(tier: Option<Tier>, lang: Lang) -> String {
    match (tier, lang) {
        (None, _) => String::new(),
        (Some(t), Lang::En) => t.to_string(),
        (Some(Tier::Core), Lang::Zh) => "核心".into(),
        (Some(Tier::Key), Lang::Zh) => "重要".into(),
        (Some(Tier::Normal), Lang::Zh) => "一般".into(),
    }
}

fn status_label(item: &ItemDetail, lang: Lang) -> String {
    let status = match (item.item.status, lang) {
        (s, Lang::En) => s.to_string(),
        (ItemStatus::Open, Lang::Zh) => "未完成".into(),
        (ItemStatus::Done, Lang::Zh) => "已完成".into(),
        (ItemStatus::Waived, Lang::Zh) => "已豁免".into(),
    };
    if item.overdue {
        status + &tr!(lang, " (overdue)", "(已逾期)")
    } else {
        status
    }
}

fn notice_label(notice: Option<&Notice>, lang: Lang) -> String {
    let Some(n) = notice else {
        return tr!(lang, "not planned", "尚未计划");
    };
    let (send_by, sent) = (n.send_by, n.sent_at.as_deref().unwrap_or_default());
    let sent = sent.get(..10).unwrap_or(sent);
    let channel = match (n.channel, lang) {
        (None, _) => String::new(),
        (Some(c), Lang::En) => c.to_string(),
        (Some(c), Lang::Zh) => match c {
            Channel::Letter => "书面函件",
            Channel::Email => "电子邮件",
            Channel::Sms => "短信",
            Channel::Wechat => "微信",
            Channel::Phone => "电话",
            Channel::Visit => "上门拜访",
        }
        .to_string(),
    };
    let label = match n.status {
        NoticeStatus::Planned => tr!(lang, "planned, send by {send_by}", "待发送,最迟 {send_by}"),
        NoticeStatus::Sent => tr!(
            lang,
            "sent on {sent} by {channel}",
            "已于 {sent} 通过 {channel} 发出"
        ),
        NoticeStatus::Acknowledged => tr!(
            lang,
            "sent on {sent} by {channel}, acknowledged",
            "已于 {sent} 通过 {channel} 发出,客户已确认"
        ),
        NoticeStatus::Cancelled => tr!(lang, "cancelled", "已取消"),
    };
    if n.late {
        label + &tr!(lang, " (LATE)", "(逾期)")
    } else {
        label
    }
}

fn kind_heading(kind: ItemKind, lang: Lang) -> String {
    match kind {
        ItemKind::Customer => tr!(lang, "Customers", "客户"),
        ItemKind::Contract => tr!(lang, "Contracts and orders", "合同与订单"),
        ItemKind::Document => tr!(lang, "Documents", "文件资料"),
        ItemKind::Access => tr!(lang, "Accounts and access", "账号与权限"),
        ItemKind::Task => tr!(lang, "Tasks", "其他事项"),
    }
}

fn person(code: Option<&str>, name: Option<&str>, lang: Lang) -> String {
    match (code, name) {
        (Some(code), Some(name)) => tr!(lang, "{name} ({code})", "{name}({code})"),
        (Some(code), None) => code.to_string(),
        _ => tr!(lang, "nobody yet", "尚未指定"),
    }
}

/// The customers of a handover as a table: who takes each, by when, and its notice.
fn customer_table(d: &HandoverDetail, items: &[&ItemDetail], lang: Lang) -> comfy_table::Table {
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(match lang {
        Lang::En => [
            "#",
            "customer",
            "tier",
            "new owner",
            "due",
            "status",
            "notice",
            "note",
        ],
        Lang::Zh => [
            "#",
            "客户",
            "等级",
            "新负责人",
            "截止",
            "状态",
            "客户告知",
            "备注",
        ],
    });
    for i in items {
        let it = &i.item;
        let code = it.reference.as_deref().unwrap_or_default();
        let name = i.customer_name.as_deref().unwrap_or(&it.title);
        let notice = d.notices.iter().find(|n| n.customer == code);
        table.add_row(vec![
            it.id.to_string(),
            format!("{code} {name}"),
            tier_label(i.tier, lang),
            person(it.assignee.as_deref(), i.assignee_name.as_deref(), lang),
            it.due_on.to_string(),
            status_label(i, lang),
            notice_label(notice, lang),
            it.note.clone().unwrap_or_default(),
        ]);
    }
    table
}

pub(super) fn complaint_status_label(status: ComplaintStatus, lang: Lang) -> String {
    let zh = match status {
        ComplaintStatus::Received => "已登记",
        ComplaintStatus::Accepted => "已受理",
        ComplaintStatus::Mediating => "调解中",
        ComplaintStatus::Resolved => "已办结",
        ComplaintStatus::Rejected => "不予受理",
    };
    match lang {
        Lang::En => status.to_string(),
        Lang::Zh => zh.into(),
    }
}

/// The statement's section on the complaints the departure caused: one line each.
fn complaint_section(s: &mut String, complaints: &[Complaint], lang: Lang) {
    let _ = writeln!(s, "\n{}", tr!(lang, "Complaints", "相关投诉"));
    if complaints.is_empty() {
        let _ = writeln!(
            s,
            "  {}",
            tr!(
                lang,
                "none linked to this departure",
                "无与本次离职相关的投诉"
            )
        );
    }
    for c in complaints {
        let (id, summary) = (c.id, &c.summary);
        let received = c.received_at.get(..10).unwrap_or(&c.received_at);
        let who = c
            .customer
            .as_deref()
            .or(c.complainant.as_deref())
            .unwrap_or_default();
        let status = complaint_status_label(c.status, lang);
        let overdue = match &c.overdue {
            Some(stages) => {
                let stages = Stage::ALL
                    .iter()
                    .filter(|s| stages.split(',').any(|o| o == s.as_str()))
                    .map(|s| s.label(lang))
                    .collect::<Vec<_>>()
                    .join(tr!(lang, ", ", "、").as_str());
                tr!(lang, ", OVERDUE: {stages}", ",已超时:{stages}")
            }
            None => String::new(),
        };
        let _ = writeln!(
            s,
            "{}",
            tr!(
                lang,
                "  - #{id} received {received} from {who}: {summary} ({status}{overdue})",
                "  - #{id} {received} 收到 {who} 的投诉:{summary}({status}{overdue})"
            )
        );
    }
}

/// The handover statement (工作交接说明): who leaves and when, who takes what by when, and
/// what is still open, in `lang`, as of `today`.
pub fn statement(d: &HandoverDetail, lang: Lang, today: NaiveDate) -> String {
    let h = &d.handover;
    let mut s = String::new();
    let (id, company, code, leaving_on) = (h.id, &d.company_name, &d.company, h.leaving_on);
    let leaver = person(Some(&h.employee), Some(&h.employee_name), lang);
    let role = role_label(d.role, lang);
    let reason = reason_label(h.reason, lang);
    let successor = person(h.successor.as_deref(), d.successor_name.as_deref(), lang);
    let status = match (h.status, lang) {
        (HandoverStatus::Open, Lang::En) => "open".to_string(),
        (HandoverStatus::Closed, Lang::En) => "closed".to_string(),
        (HandoverStatus::Open, Lang::Zh) => "进行中".to_string(),
        (HandoverStatus::Closed, Lang::Zh) => "已关闭".to_string(),
    };
    let _ = writeln!(
        s,
        "{}",
        tr!(
            lang,
            "HANDOVER STATEMENT No. {id}\n\nCompany: {company} ({code})\nLeaving: {leaver}, {role}\nLeaving on: {leaving_on}    Reason: {reason}\nSuccessor: {successor}\nStatus: {status}    As of: {today}",
            "工作交接说明(第 {id} 号)\n\n公司:{company}({code})\n离职人员:{leaver},岗位:{role}\n离职日期:{leaving_on}    离职原因:{reason}\n接任者:{successor}\n状态:{status}    截至:{today}"
        )
    );
    if let Some(why) = &d.close_reason {
        let _ = writeln!(
            s,
            "{}",
            tr!(
                lang,
                "Closed with open items, because: {why}",
                "在仍有未完成事项时关闭,原因:{why}"
            )
        );
    }
    for kind in ItemKind::ALL {
        let items: Vec<&ItemDetail> = d.items.iter().filter(|i| i.item.kind == *kind).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{}", kind_heading(*kind, lang));
        if *kind == ItemKind::Customer {
            let _ = writeln!(s, "{}", customer_table(d, &items, lang));
            continue;
        }
        for i in items {
            let it = &i.item;
            let (item_id, due, status) = (it.id, it.due_on, status_label(i, lang));
            let who = person(it.assignee.as_deref(), i.assignee_name.as_deref(), lang);
            let what = match &it.reference {
                Some(reference) => format!("{reference} {}", it.title),
                None => it.title.clone(),
            };
            let _ = writeln!(
                s,
                "{}",
                tr!(
                    lang,
                    "  #{item_id} {what}\n      taken over by {who}, due {due}, {status}",
                    "  #{item_id} {what}\n      接手人:{who},截止:{due},{status}"
                )
            );
            if let Some(note) = &it.note {
                let _ = writeln!(s, "      {}", tr!(lang, "note: {note}", "备注:{note}"));
            }
        }
    }
    complaint_section(&mut s, &d.complaints, lang);
    let open: Vec<&ItemDetail> = d
        .items
        .iter()
        .filter(|i| i.item.status == ItemStatus::Open)
        .collect();
    let overdue = open.iter().filter(|i| i.overdue).count();
    let open_count = open.len();
    let _ = writeln!(s, "\n{}", tr!(lang, "Still open", "尚未完成"));
    if open.is_empty() {
        let _ = writeln!(
            s,
            "  {}",
            tr!(
                lang,
                "nothing: every item is done or waived",
                "无:全部事项已完成或豁免"
            )
        );
    } else {
        let _ = writeln!(
            s,
            "  {}",
            tr!(
                lang,
                "{open_count} item(s) open, {overdue} of them overdue:",
                "{open_count} 项未完成,其中 {overdue} 项已逾期:"
            )
        );
        for i in open {
            let (item_id, due, title) = (i.item.id, i.item.due_on, &i.item.title);
            let late = if i.overdue {
                tr!(lang, ", OVERDUE", ",已逾期")
            } else {
                String::new()
            };
            let unassigned = if i.item.kind == ItemKind::Customer && i.item.assignee.is_none() {
                tr!(lang, ", NOBODY ASSIGNED", ",尚无接手人")
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "{}",
                tr!(
                    lang,
                    "  - #{item_id} {title} (due {due}{late}{unassigned})",
                    "  - #{item_id} {title}(截止 {due}{late}{unassigned})"
                )
            );
        }
    }
    s
}

/// `baton import handovers`: the columns of `handover list --format csv`, of which
/// `employee`, `leaving_on`, `successor`, `reason` (default `resign`, as `handover open`) and
/// `status` are read; the others (counts, times) are what baton computes, so they are
/// accepted and not read. Each new row goes through [`open`], with its refusals and its own
/// `handover.open` event (the employee's change to `leaving` is recorded there).
///
/// Re-importing: a row whose employee already has a handover (open or closed) with the same
/// leaving date is that handover: unchanged when successor and reason match, else a bad row
/// (an import does not change a handover). A row with another leaving date while one is
/// open is refused as `open` refuses it. A `closed` row without its handover is a bad row:
/// an import opens handovers. The same departure twice in one file is a bad row naming the
/// first line (handovers are few: their ids are kept in memory).
pub struct Import {
    company_id: i64,
    clock: Clock,
    stamp: Stamp,
    rules: Rules,
    /// Handovers this file has named, and the line that first named each.
    seen: HashMap<i64, u64>,
    /// What `handover open` would have warned about the handovers opened.
    warnings: Vec<String>,
}

const EMPLOYEE: usize = 1;
const LEAVING_ON: usize = 3;
const SUCCESSOR: usize = 4;
const REASON: usize = 5;
const STATUS: usize = 6;
const IMPORT_COLUMNS: &[Column] = &[
    Column::optional("id"),
    Column::required("employee"),
    Column::optional("employee_name"),
    Column::required("leaving_on"),
    Column::optional("successor"),
    Column::optional("reason"),
    Column::optional("status"),
    Column::optional("items_total"),
    Column::optional("items_open"),
    Column::optional("items_overdue"),
    Column::optional("notices_total"),
    Column::optional("notices_sent"),
    Column::optional("opened_at"),
    Column::optional("closed_at"),
];

impl Import {
    pub fn new(company_id: i64, clock: Clock, stamp: Stamp, rules: Rules) -> Import {
        Import {
            company_id,
            clock,
            stamp,
            rules,
            seen: HashMap::new(),
            warnings: Vec::new(),
        }
    }
}

const DEPARTURE_SQL: &str = "SELECT h.id, s.code, h.reason FROM handovers h
    LEFT JOIN employees s ON s.id = h.successor_id
    WHERE h.company_id = ?1 AND h.leaving_on = ?2 AND h.employee_id = ?3
    ORDER BY h.id DESC LIMIT 1";

/// The handover of an employee's departure on a date: its id, successor and reason.
fn departure(
    conn: &Connection,
    company_id: i64,
    employee_id: i64,
    leaving_on: NaiveDate,
) -> Result<Option<(i64, Option<String>, Reason)>> {
    Ok(conn
        .prepare_cached(DEPARTURE_SQL)?
        .query_row(params![company_id, leaving_on, employee_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

impl import::Entity for Import {
    fn nouns(&self) -> &'static str {
        "handovers"
    }

    fn columns(&self) -> &'static [Column] {
        IMPORT_COLUMNS
    }

    fn begin(&mut self, _conn: &Connection) -> Result<()> {
        self.seen.clear();
        Ok(())
    }

    fn apply(&mut self, conn: &Connection, row: &Row<'_>) -> Result<Outcome> {
        let clock = &self.clock;
        let request = OpenRequest {
            employee: row.required(EMPLOYEE)?.to_string(),
            leaving_on: row.parse_required(LEAVING_ON, |s| time::parse_date(s, clock))?,
            successor: row.parse(SUCCESSOR, |s| Ok(s.to_string()))?,
            reason: row.parse(REASON, str::parse)?.unwrap_or(Reason::Resign),
        };
        let status: Option<HandoverStatus> = row.parse(STATUS, str::parse)?;
        let employee_id = employee::get_id(conn, self.company_id, &request.employee)
            .map_err(|e| in_field(e, "employee"))?;
        let line = row.position.number;
        if let Some((id, successor, reason)) =
            departure(conn, self.company_id, employee_id, request.leaving_on)?
        {
            if let Some(&first) = self.seen.get(&id) {
                return Err(row.duplicate(EMPLOYEE, first).into());
            }
            self.seen.insert(id, line);
            let differs = |field: &'static str, stored: String| {
                Failure::refused(format!(
                    "handover {id} of this departure has {field} {stored:?}; an import does not change a handover"
                ))
                .hint(format!("see it with `baton handover show {id}`"))
                .field(field)
            };
            if successor != request.successor {
                return Err(differs("successor", successor.unwrap_or_default()).into());
            }
            if reason != request.reason {
                return Err(differs("reason", reason.to_string()).into());
            }
            return Ok(Outcome::Unchanged);
        }
        if status == Some(HandoverStatus::Closed) {
            return Err(Failure::bad_input(
                "an import opens handovers; close this one with `baton handover close` after importing it as open",
            )
            .field("status")
            .into());
        }
        let opened = open(conn, &self.stamp, self.company_id, &self.rules, &request)?;
        self.seen.insert(opened.id, line);
        let unassigned = unassigned_customers(conn, opened.id)?;
        let today = self.clock.today();
        self.warnings
            .extend(open_warnings(&opened, &unassigned, today, self.rules.lang));
        Ok(Outcome::Inserted)
    }

    fn finish(&mut self, _conn: &Connection) -> Result<()> {
        Ok(())
    }

    fn warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::CustomerPatch;
    use crate::domain::employee::EmployeePatch;
    use chrono::{TimeZone, Utc};

    fn stamp() -> Stamp {
        Stamp {
            actor: "test".into(),
            at: Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap(),
        }
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn setup() -> (Connection, i64) {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let s = stamp();
        crate::domain::company::add(&conn, &s, "914403001922038216", "甲", None).unwrap();
        let company = crate::domain::company::resolve(&conn, None).unwrap().id;
        for (code, name) in [("E001", "王磊"), ("E002", "李娜"), ("E003", "张伟")] {
            let patch = EmployeePatch {
                name: Some(name.into()),
                role: Some(Role::Sales),
                ..EmployeePatch::default()
            };
            employee::add(&conn, &s, company, code, &patch).unwrap();
        }
        for (code, backup) in [("C001", None), ("C002", Some("E003"))] {
            let patch = CustomerPatch {
                name: Some(format!("客户{code}")),
                tier: Some(Tier::Core),
                owner: Some("E001".into()),
                backup: Some(backup.map(String::from)),
                ..CustomerPatch::default()
            };
            customer::add(&conn, &s, company, code, &patch).unwrap();
        }
        (conn, company)
    }

    fn rules() -> Rules {
        Rules::new(&config::Handover::default(), Lang::En)
    }

    fn request(successor: Option<&str>) -> OpenRequest {
        OpenRequest {
            employee: "E001".into(),
            leaving_on: date("2026-03-20"),
            successor: successor.map(String::from),
            reason: Reason::Resign,
        }
    }

    #[test]
    fn open_creates_the_items_of_the_rules() {
        let (conn, company) = setup();
        let h = open(&conn, &stamp(), company, &rules(), &request(None)).unwrap();
        // two customers, four documents, access, task
        assert_eq!(h.items_total, 8);
        let d = show(&conn, h.id, Clock::fixed(stamp().at)).unwrap();
        let customers: Vec<_> = d
            .items
            .iter()
            .filter(|i| i.item.kind == ItemKind::Customer)
            .collect();
        assert_eq!(customers[0].item.due_on, date("2026-03-17"));
        // no successor: the backup takes the customer, else nobody
        assert_eq!(customers[0].item.assignee, None);
        assert_eq!(customers[1].item.assignee.as_deref(), Some("E003"));
        assert_eq!(unassigned_customers(&conn, h.id).unwrap(), vec!["C001"]);
    }

    #[test]
    fn a_successor_takes_every_customer_and_a_second_open_is_refused() {
        let (conn, company) = setup();
        let h = open(&conn, &stamp(), company, &rules(), &request(Some("E002"))).unwrap();
        assert!(unassigned_customers(&conn, h.id).unwrap().is_empty());
        let err = open(&conn, &stamp(), company, &rules(), &request(Some("E002"))).unwrap_err();
        let failure = err.downcast_ref::<Failure>().unwrap();
        assert_eq!(failure.exit_code(), 3);
    }

    #[test]
    fn lists_ledger_and_counts_answer_from_indexes() {
        let (conn, _) = setup();
        let show_items = format!("SELECT {ITEM_COLUMNS} {ITEM_FROM} WHERE i.handover_id = ?1");
        for sql in [
            list_sql(),
            ledger_sql(),
            COUNTS_SQL.to_string(),
            show_items,
            OPEN_ITEMS_SQL.to_string(),
            overdue_items_sql(),
        ] {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let mut rows = stmt.raw_query();
            let mut plan = Vec::new();
            while let Some(row) = rows.next().unwrap() {
                plan.push(row.get::<_, String>(3).unwrap());
            }
            for step in &plan {
                assert!(
                    !step.starts_with("SCAN")
                        || step.contains("USING")
                        || step.starts_with("SCAN (subquery"),
                    "full scan in {plan:?} of\n{sql}"
                );
            }
        }
    }

    #[test]
    fn overdue_counts_follow_the_date() {
        let (conn, company) = setup();
        let h = open(&conn, &stamp(), company, &rules(), &request(Some("E002"))).unwrap();
        assert_eq!(counts(&conn, company, date("2026-03-17")).unwrap(), (1, 0));
        assert_eq!(counts(&conn, company, date("2026-03-18")).unwrap(), (1, 2));
        assert_eq!(
            get(&conn, h.id, date("2026-03-21")).unwrap().items_overdue,
            8
        );
    }

    #[test]
    fn an_import_finds_a_departure_by_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        crate::domain::customer::tests::assert_indexed(&conn, DEPARTURE_SQL);
    }
}
