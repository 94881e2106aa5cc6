//! The changes to a handover's items: add, done (a customer moves to who takes it), waive,
//! and assign a customer to another colleague.

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

use super::{
    insert_item, item_from_row, name_the_taker, open_one, see_it, Item, ItemKind, ItemStatus,
    Stored, ITEM_COLUMNS, ITEM_FROM,
};
use crate::audit::{self, Stamp};
use crate::domain::company::required;
use crate::domain::{customer, employee};
use crate::error::Failure;
use crate::i18n::Lang;
use crate::time;
use crate::{bad_input, refused, text};

/// What `item add` creates.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub kind: ItemKind,
    pub title: String,
    pub reference: Option<String>,
    pub assignee: Option<String>,
    pub due_on: Option<NaiveDate>,
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
        bad_input!("no handover item {id}", "没有编号为 {id} 的交接事项")
            .hint(text!(
                "see the items with `baton handover show HANDOVER`",
                "用 `baton handover show HANDOVER` 查看事项"
            ))
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
        let (status, status_zh) = (stored.item.status, stored.item.status.label(Lang::Zh));
        return Err(refused!(
            "item {id} is {status} already and cannot change",
            "事项 {id} {status_zh}，不能再修改"
        )
        .hint(see_it(stored.item.handover))
        .into());
    }
    let handover = open_one(conn, stored.item.handover)?;
    Ok((stored, handover))
}

/// An employee of the handover's company who can take over (not the one who leaves).
fn taker(conn: &Connection, handover: &Stored, code: &str) -> Result<i64> {
    let id = employee::assignable_id(conn, handover.company_id, code)?;
    if id == handover.employee_id {
        let code = code.trim();
        return Err(bad_input!(
            "{code} is the employee who leaves and cannot take over",
            "{code} 是离职员工本人，不能接手"
        )
        .hint(name_the_taker())
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
            return Err(bad_input!(
                "a customer item needs --ref CUSTOMER",
                "客户类事项需要 --ref CUSTOMER"
            )
            .hint(text!(
                "e.g. `--kind customer --ref C001`",
                "例如 `--kind customer --ref C001`"
            ))
            .into())
        }
        (ItemKind::Customer, Some(code)) => {
            let (customer_id, owner_id) = customer::ids(conn, handover.company_id, code)?;
            if owner_id != handover.employee_id {
                let leaver = &handover.employee;
                return Err(refused!(
                    "customer {code} is not served by {leaver}, who leaves",
                    "客户 {code} 不由离职员工 {leaver} 负责"
                )
                .hint(text!(
                    "change its owner with `baton customer update` instead",
                    "请改用 `baton customer update` 更换负责人"
                ))
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
                return Err(refused!(
                    "customer {code} has an open item in handover {handover_id} already: {item}",
                    "客户 {code} 在交接 {handover_id} 中已有未完成的事项：{item}"
                )
                .hint(text!(
                    "change who takes it with `baton handover assign {handover_id} --customer {code} --to EMPLOYEE`",
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
            let handover_id = before.item.handover;
            return Err(refused!(
                "item {id} (customer {code}) has nobody to take the customer",
                "事项 {id}（客户 {code}）还没有接手人"
            )
            .hint(text!(
                "assign it first: `baton handover assign {handover_id} --customer {code} --to EMPLOYEE`",
                "请先指定接手人：`baton handover assign {handover_id} --customer {code} --to EMPLOYEE`"
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

/// Gives a customer of an open handover to another colleague. The use case is
/// [`crate::domain::departure::assign`], which also readdresses the customer's planned notice.
pub(in crate::domain) fn assign(
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
            Failure::bad_input(text!(
                "handover {handover_id} has no item for customer {code}",
                "交接 {handover_id} 中没有客户 {code} 的事项"
            ))
            .hint(text!(
                "add one with `baton handover item add {handover_id} --kind customer --ref {code} --title NAME`",
                "用 `baton handover item add {handover_id} --kind customer --ref {code} --title NAME` 添加"
                ))
        })?;
    let (before, _) = open_item(conn, item_id)?;
    let to_id = taker(conn, &handover, to)?;
    conn.prepare_cached("UPDATE handover_items SET assignee_id = ?2 WHERE id = ?1")?
        .execute(params![item_id, to_id])
        .context("cannot assign the customer")?;
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
