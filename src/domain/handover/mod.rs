//! Handovers: the departure ledger (客户需求交接台账), every customer, contract, document and
//! access a leaver hands over. Here the records, their SQL, the handover sheet and closing;
//! opening one in `opening`, the changes to its items in `items`, the company-wide lists in
//! `lists`, its import adapter in `import`. Handover knows nothing of notices or complaints:
//! what spans them (`handover show`, closing over unsent notices, re-assigning a customer with
//! its notice) is [`crate::domain::departure`]. The handover statement (工作交接说明) is a
//! document: [`crate::domain::document::statement`].

mod import;
mod items;
mod lists;
mod opening;

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

pub use self::import::Import;
pub(super) use items::assign;
pub use items::{add_item, done_item, waive_item, NewItem};
pub use lists::{counts, ledger, list, overdue_items, tallies, Filter, ReportBy, Tally};
pub use opening::{open, open_warned, OpenRequest, Rules};

use super::company::required;
use super::customer::Tier;
use super::employee::{EmployeeStatus, Role};
use super::{local_instant, today_of};
use crate::audit::{self, Stamp};
use crate::error::Failure;
use crate::i18n::{Lang, Text};
use crate::time;
use crate::{refused, text, text_enum};

text_enum! { "reason" / "离职原因":
    /// Why the employee leaves.
    pub enum Reason {
        Resign = "resign" / "辞职",
        Dismissal = "dismissal" / "解除劳动合同",
        /// A fixed-term contract ends (劳动合同法 art. 44(1)).
        Expiry = "expiry" / "期满终止",
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

/// The handover sheet (交接单): the handover, who is involved, and every item.
#[derive(Debug, Clone, Serialize)]
pub struct Sheet {
    #[serde(flatten)]
    pub handover: Handover,
    pub company: String,
    pub company_name: String,
    pub role: Role,
    pub successor_name: Option<String>,
    pub close_reason: Option<String>,
    pub items: Vec<ItemDetail>,
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
        Failure::bad_input(text!("no handover {id}", "没有编号为 {id} 的交接"))
            .hint(text!(
                "see `baton handover list`",
                "用 `baton handover list` 查看"
            ))
            .into()
    })
}

/// The hint that points at a handover: `see it with baton handover show ID`.
fn see_it(id: i64) -> Text {
    text!(
        "see it with `baton handover show {id}`",
        "用 `baton handover show {id}` 查看"
    )
}

/// The hint when the employee who leaves is named to take over.
fn name_the_taker() -> Text {
    Text::new("name the colleague who takes over", "请指定接手工作的同事")
}

/// The stored handover, refusing one that is closed.
pub(super) fn open_one(conn: &Connection, id: i64) -> Result<Stored> {
    let h = stored(conn, id)?;
    if h.status == HandoverStatus::Closed {
        return Err(refused!(
            "handover {id} is closed; its items cannot change",
            "交接 {id} 已关闭，其事项不能再修改"
        )
        .hint(see_it(id))
        .into());
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

/// The open items of a handover, one line each in both languages: they keep it from closing.
pub(super) fn blockers(conn: &Connection, handover_id: i64) -> Result<Vec<Text>> {
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
        let (kind_en, kind_zh) = (item.kind.as_str(), item.kind.label(Lang::Zh));
        let (who_en, who_zh) = match item.assignee.as_deref() {
            Some(code) => (code, code),
            None => ("nobody", "尚未指定"),
        };
        Ok(text!(
            "item {id} ({kind_en} {what}): open, assigned to {who_en}, due {due}",
            "事项 {id}（{kind_zh} {what}）：未完成，接手人 {who_zh}，截止 {due}"
        ))
    })
    .collect()
}

/// A handover that may close: it exists and is open, and a forced close has a reason. What
/// blocks it is for the caller to weigh ([`crate::domain::departure::close`]).
pub(super) struct Closing {
    id: i64,
    handover: Stored,
    force_reason: Option<String>,
}

impl Closing {
    /// Whether the close overrides what blocks it.
    pub(super) fn forced(&self) -> bool {
        self.force_reason.is_some()
    }
}

/// The first step of closing a handover: refuses one that is closed already, and a forced
/// close with an empty reason.
pub(super) fn closing(conn: &Connection, id: i64, force_reason: Option<&str>) -> Result<Closing> {
    let handover = stored(conn, id)?;
    if handover.status == HandoverStatus::Closed {
        return Err(
            refused!("handover {id} is closed already", "交接 {id} 已关闭")
                .hint(see_it(id))
                .into(),
        );
    }
    let force_reason = force_reason.map(|r| required("reason", r)).transpose()?;
    Ok(Closing {
        id,
        handover,
        force_reason,
    })
}

/// Closes a handover; the blockers a forced close overrides go into the audit event. The
/// employee becomes `left`.
pub(super) fn close(
    conn: &Connection,
    stamp: &Stamp,
    closing: Closing,
    overridden: &[Text],
) -> Result<Handover> {
    let Closing {
        id,
        handover,
        force_reason,
    } = closing;
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
            "overridden": overridden.iter().map(|b| &b.en).collect::<Vec<_>>(),
            "employee": { "id": handover.employee, "after": EmployeeStatus::Left, "left_on": handover.leaving_on },
        }),
    )?;
    Ok(after)
}

/// The handover sheet of one handover, as of `today`.
pub fn sheet(conn: &Connection, id: i64, today: NaiveDate) -> Result<Sheet> {
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
    Ok(Sheet {
        handover,
        company,
        company_name,
        role,
        successor_name,
        close_reason,
        items,
    })
}

/// What the unit tests of the children start from: a company with three employees, and two
/// core customers of E001 (one with a backup).
#[cfg(test)]
mod fixture {
    use chrono::{NaiveDate, TimeZone, Utc};
    use rusqlite::Connection;

    use super::{OpenRequest, Reason, Rules};
    use crate::audit::Stamp;
    use crate::domain::customer::{self, CustomerPatch, Tier};
    use crate::domain::employee::{self, EmployeePatch, Role};
    use crate::i18n::Lang;

    pub(super) fn stamp() -> Stamp {
        Stamp {
            actor: "test".into(),
            at: Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap(),
        }
    }

    pub(super) fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    pub(super) fn setup() -> (Connection, i64) {
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

    pub(super) fn rules() -> Rules {
        Rules::new(&crate::config::Handover::default(), Lang::En)
    }

    pub(super) fn request(successor: Option<&str>) -> OpenRequest {
        OpenRequest {
            employee: "E001".into(),
            leaving_on: date("2026-03-20"),
            successor: successor.map(String::from),
            reason: Reason::Resign,
        }
    }
}
