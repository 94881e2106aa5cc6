//! Customers of a company, keyed by the company's own code (C001), and who serves them.

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::company::{required, CompanyRef};
use super::employee;
use super::Patch;
use crate::audit::{self, Stamp};
use crate::error::Failure;
use crate::{ids, text_enum, time};

text_enum! { "tier":
    /// How much the business depends on a customer.
    pub enum Tier {
        Core = "core",
        Key = "key",
        Normal = "normal",
    }
}

text_enum! { "customer status":
    pub enum CustomerStatus {
        Active = "active",
        Inactive = "inactive",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub tier: Tier,
    pub owner: String,
    pub backup: Option<String>,
    pub contact: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub since: Option<NaiveDate>,
    pub status: CustomerStatus,
}

/// A row of `customer list --at-risk`: the customer and why it is at risk.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AtRisk {
    #[serde(flatten)]
    pub customer: Customer,
    pub risk: String,
}

/// `customer show`: the customer, who serves it, and its owner history.
#[derive(Debug, Clone, Serialize)]
pub struct CustomerDetail {
    pub company: String,
    #[serde(flatten)]
    pub customer: Customer,
    pub owner_name: String,
    pub backup_name: Option<String>,
    /// Only with `--reveal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidential: Option<String>,
    pub history: Vec<OwnerChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnerChange {
    pub changed_at: String,
    pub from: Option<String>,
    pub to: String,
    pub handover: Option<i64>,
    pub note: Option<String>,
}

/// What `add` and `update` may set; employees are named by their codes.
#[derive(Debug, Clone, Default)]
pub struct CustomerPatch {
    pub name: Option<String>,
    pub tier: Option<Tier>,
    pub owner: Option<String>,
    pub backup: Patch<String>,
    pub contact: Patch<String>,
    pub phone: Patch<String>,
    pub email: Patch<String>,
    pub confidential: Patch<String>,
    pub since: Patch<NaiveDate>,
    pub status: Option<CustomerStatus>,
}

const COLUMNS: &str = "c.id AS rowid, c.code, c.name, c.tier, o.code AS owner, b.code AS backup,
        c.contact, c.phone, c.email, c.since, c.status, c.confidential, c.owner_id, c.backup_id";
const FROM: &str = "FROM customers c
    JOIN employees o ON o.id = c.owner_id
    LEFT JOIN employees b ON b.id = c.backup_id";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: row.get("code")?,
        name: row.get("name")?,
        tier: row.get("tier")?,
        owner: row.get("owner")?,
        backup: row.get("backup")?,
        contact: row.get("contact")?,
        phone: row.get("phone")?,
        email: row.get("email")?,
        since: row.get("since")?,
        status: row.get("status")?,
    })
}

/// A customer as stored, with the row ids the rules need.
struct Stored {
    rowid: i64,
    customer: Customer,
    confidential: Option<String>,
    owner_id: i64,
    backup_id: Option<i64>,
}

fn find(conn: &Connection, company_id: i64, code: &str) -> Result<Option<Stored>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} {FROM} WHERE c.company_id = ?1 AND c.code = ?2"
        ))?
        .query_row(params![company_id, code.trim()], |row| {
            Ok(Stored {
                rowid: row.get("rowid")?,
                customer: from_row(row)?,
                confidential: row.get("confidential")?,
                owner_id: row.get("owner_id")?,
                backup_id: row.get("backup_id")?,
            })
        })
        .optional()?)
}

fn get(conn: &Connection, company_id: i64, code: &str) -> Result<Stored> {
    find(conn, company_id, code)?.ok_or_else(|| {
        Failure::bad_input(format!("no customer {:?} in this company", code.trim()))
            .zh(format!("本公司没有客户 {:?}", code.trim()))
            .hint("see `baton customer list`, or add it with `baton customer add`")
            .hint_zh("用 `baton customer list` 查看,或用 `baton customer add` 添加")
            .into()
    })
}

/// The row ids of a customer and of its owner.
pub fn ids(conn: &Connection, company_id: i64, code: &str) -> Result<(i64, i64)> {
    let stored = get(conn, company_id, code)?;
    Ok((stored.rowid, stored.owner_id))
}

/// The stored form after a patch, validated, with employee codes resolved to row ids.
struct Resolved {
    customer: Customer,
    confidential: Option<String>,
    owner_id: i64,
    backup_id: Option<i64>,
}

fn resolve(
    conn: &Connection,
    company_id: i64,
    patch: &CustomerPatch,
    before: Option<&Stored>,
) -> Result<Resolved> {
    let mut c = before.map(|s| s.customer.clone()).unwrap_or_default();
    let mut confidential = before.and_then(|s| s.confidential.clone());
    if let Some(name) = &patch.name {
        c.name = required("name", name)?;
    }
    c.tier = patch.tier.unwrap_or(c.tier);
    c.status = patch.status.unwrap_or(c.status);
    let text = |value: &Option<String>| value.as_deref().map(str::trim).map(str::to_string);
    if let Some(contact) = &patch.contact {
        c.contact = text(contact);
    }
    if let Some(phone) = &patch.phone {
        c.phone = phone.as_deref().map(ids::validate_phone).transpose()?;
    }
    if let Some(email) = &patch.email {
        c.email = email.as_deref().map(ids::validate_email).transpose()?;
    }
    if let Some(notes) = &patch.confidential {
        confidential = text(notes);
    }
    if let Some(since) = patch.since {
        c.since = since;
    }
    let owner_id = match (&patch.owner, before) {
        (Some(code), _) => {
            c.owner = required("owner", code)?;
            employee::assignable_id(conn, company_id, code)?
        }
        (None, Some(stored)) => stored.owner_id,
        (None, None) => {
            return Err(Failure::bad_input("a customer needs an owner")
                .zh("客户必须有负责人")
                .hint("give --owner E001")
                .hint_zh("请用 --owner 给出负责人,例如 --owner E001")
                .into())
        }
    };
    let backup_id = match &patch.backup {
        Some(Some(code)) => {
            c.backup = Some(required("backup", code)?);
            Some(employee::assignable_id(conn, company_id, code)?)
        }
        Some(None) => {
            c.backup = None;
            None
        }
        None => before.and_then(|s| s.backup_id),
    };
    if backup_id == Some(owner_id) {
        return Err(Failure::bad_input(format!(
            "backup {:?} is the owner; a backup must be a second person",
            c.owner
        ))
        .zh(format!(
            "备份联系人 {:?} 就是负责人;备份联系人必须是另一个人",
            c.owner
        ))
        .hint("name another employee with --backup")
        .hint_zh("用 --backup 指定另一位员工")
        .into());
    }
    Ok(Resolved {
        customer: c,
        confidential,
        owner_id,
        backup_id,
    })
}

pub fn add(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    code: &str,
    patch: &CustomerPatch,
) -> Result<Customer> {
    let code = required("id", code)?;
    if find(conn, company_id, &code)?.is_some() {
        return Err(Failure::refused(format!("customer {code} exists already"))
            .zh(format!("客户 {code} 已存在"))
            .hint(format!("change it with `baton customer update {code}`"))
            .hint_zh(format!("用 `baton customer update {code}` 修改"))
            .into());
    }
    let mut new = resolve(conn, company_id, patch, None)?;
    new.customer.id = code;
    if new.customer.name.is_empty() {
        return Err(Failure::bad_input("name must not be empty")
            .zh("名称不能为空")
            .hint("give --name")
            .hint_zh("请用 --name 给出名称")
            .into());
    }
    let c = &new.customer;
    conn.prepare_cached(
        "INSERT INTO customers (company_id, code, name, tier, owner_id, backup_id, contact, phone,
                                email, confidential, since, status)
         VALUES (:company, :code, :name, :tier, :owner, :backup, :contact, :phone, :email,
                 :confidential, :since, :status)",
    )?
    .execute(named_params! {
        ":company": company_id, ":code": c.id, ":name": c.name, ":tier": c.tier,
        ":owner": new.owner_id, ":backup": new.backup_id, ":contact": c.contact, ":phone": c.phone,
        ":email": c.email, ":confidential": new.confidential, ":since": c.since, ":status": c.status,
    })
    .context("cannot add the customer")?;
    audit::record(
        conn,
        stamp,
        "customer.add",
        "customer",
        Some(&c.id),
        &json!({ "after": c }),
    )?;
    Ok(new.customer)
}

pub fn update(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    code: &str,
    patch: &CustomerPatch,
) -> Result<Customer> {
    let before = get(conn, company_id, code)?;
    let after = resolve(conn, company_id, patch, Some(&before))?;
    if after.customer == before.customer && after.confidential == before.confidential {
        return Ok(after.customer);
    }
    let c = &after.customer;
    conn.prepare_cached(
        "UPDATE customers SET name = :name, tier = :tier, owner_id = :owner, backup_id = :backup,
                contact = :contact, phone = :phone, email = :email, confidential = :confidential,
                since = :since, status = :status
         WHERE id = :rowid",
    )?
    .execute(named_params! {
        ":rowid": before.rowid, ":name": c.name, ":tier": c.tier, ":owner": after.owner_id,
        ":backup": after.backup_id, ":contact": c.contact, ":phone": c.phone, ":email": c.email,
        ":confidential": after.confidential, ":since": c.since, ":status": c.status,
    })
    .context("cannot update the customer")?;
    if after.owner_id != before.owner_id {
        record_owner_change(
            conn,
            stamp,
            before.rowid,
            before.owner_id,
            after.owner_id,
            None,
            None,
        )?;
    }
    let mut detail = json!({ "before": before.customer, "after": c });
    if after.confidential != before.confidential {
        detail["confidential_changed"] = json!(true);
    }
    audit::record(
        conn,
        stamp,
        "customer.update",
        "customer",
        Some(&c.id),
        &detail,
    )?;
    Ok(after.customer)
}

/// Keeps the owner history; the handover that caused the move, if any.
pub fn record_owner_change(
    conn: &Connection,
    stamp: &Stamp,
    customer_rowid: i64,
    from: i64,
    to: i64,
    handover: Option<i64>,
    note: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO customer_owner_history (customer_id, from_owner_id, to_owner_id, changed_at, handover_id, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![customer_rowid, from, to, time::to_db(stamp.at), handover, note])
    .context("cannot record the owner change")?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub owner: Option<String>,
    pub tier: Option<Tier>,
}

pub fn list(
    conn: &Connection,
    company_id: i64,
    filter: &Filter,
    mut each: impl FnMut(Customer) -> Result<()>,
) -> Result<()> {
    let owner_id = filter
        .owner
        .as_deref()
        .map(|code| employee::get_id(conn, company_id, code))
        .transpose()?;
    let sql = match owner_id {
        Some(_) => format!("SELECT {COLUMNS} {FROM} WHERE c.owner_id = ?2 AND (?3 IS NULL OR c.tier = ?3) ORDER BY c.code"),
        None => format!("SELECT {COLUMNS} {FROM} WHERE c.company_id = ?1 AND (?3 IS NULL OR c.tier = ?3) ORDER BY c.company_id, c.code"),
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![company_id, owner_id, filter.tier])?;
    while let Some(row) = rows.next()? {
        each(from_row(row)?)?;
    }
    Ok(())
}

/// Core and key customers with no backup, and customers whose owner is leaving or has left.
const AT_RISK: &str = "
    SELECT {COLUMNS}, 'no backup' AS risk {FROM}
    WHERE c.company_id = ?1 AND c.tier IN ('core', 'key') AND c.backup_id IS NULL
      AND c.status = 'active' AND o.status = 'active'
    UNION ALL
    SELECT {COLUMNS}, 'owner ' || o.status AS risk {FROM}
    WHERE o.company_id = ?1 AND o.status IN ('leaving', 'left') AND c.status = 'active'";

fn at_risk_sql() -> String {
    AT_RISK
        .replace("{COLUMNS}", COLUMNS)
        .replace("{FROM}", FROM)
}

pub fn at_risk(
    conn: &Connection,
    company_id: i64,
    mut each: impl FnMut(AtRisk) -> Result<()>,
) -> Result<()> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT * FROM ({}) ORDER BY code", at_risk_sql()))?;
    let mut rows = stmt.query(params![company_id])?;
    while let Some(row) = rows.next()? {
        each(AtRisk {
            customer: from_row(row)?,
            risk: row.get("risk")?,
        })?;
    }
    Ok(())
}

pub fn count_at_risk(conn: &Connection, company_id: i64) -> Result<i64> {
    let sql = format!("SELECT count(*) FROM ({})", at_risk_sql());
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([company_id], |r| r.get(0))?)
}

pub fn show(
    conn: &Connection,
    company: &CompanyRef,
    code: &str,
    reveal: bool,
) -> Result<CustomerDetail> {
    let stored = get(conn, company.id, code)?;
    let name_of = |id: i64| -> Result<String> {
        Ok(conn
            .prepare_cached("SELECT name FROM employees WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?)
    };
    let mut stmt = conn.prepare_cached(
        "SELECT h.changed_at, f.code, t.code, h.handover_id, h.note
         FROM customer_owner_history h
         LEFT JOIN employees f ON f.id = h.from_owner_id
         JOIN employees t ON t.id = h.to_owner_id
         WHERE h.customer_id = ?1 ORDER BY h.id",
    )?;
    let history = stmt
        .query_map([stored.rowid], |r| {
            let changed_at: String = r.get(0)?;
            Ok(OwnerChange {
                changed_at: time::from_db(&changed_at)
                    .map(time::to_local_rfc3339)
                    .unwrap_or(changed_at),
                from: r.get(1)?,
                to: r.get(2)?,
                handover: r.get(3)?,
                note: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(CustomerDetail {
        company: company.code.clone(),
        owner_name: name_of(stored.owner_id)?,
        backup_name: stored.backup_id.map(name_of).transpose()?,
        confidential: if reveal { stored.confidential } else { None },
        customer: stored.customer,
        history,
    })
}
