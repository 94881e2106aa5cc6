//! Customers of a company, keyed by the company's own code (C001), and who serves them.
//! Their import adapter ([`Import`]) is in `customer/import.rs`.

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::company::{required, required_owned, CompanyRef, OfCompany};
use super::employee;
use super::{trimmed, validated, Patch};
use crate::audit::{self, Stamp};
use crate::db;
use crate::error::in_field;
use crate::import::{Insert, Position, Staged};
use crate::{bad_input, ids, refused, text, text_enum, time};

mod import;
pub use import::Import;

text_enum! { "tier" / "客户等级":
    /// How much the business depends on a customer.
    pub enum Tier {
        Core = "core" / "核心",
        Key = "key" / "重要",
        Normal = "normal" / "一般",
    }
}

text_enum! { "customer status" / "客户状态":
    pub enum CustomerStatus {
        Active = "active" / "合作中",
        Inactive = "inactive" / "已停止合作",
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
    #[serde(serialize_with = "time::serialize_date")]
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

/// What a list prints, read by position in [`from_row`]: keep the order.
const COLUMNS: &str = "c.code, c.name, c.tier, o.code AS owner, b.code AS backup,
        c.contact, c.phone, c.email, c.since, c.status";
/// What the rules need besides, after [`COLUMNS`] (read by position in [`find`]). A list
/// leaves them out: each column selected is decoded for every row.
const STORED_COLUMNS: &str = "c.id, c.confidential, c.owner_id, c.backup_id";
const FROM: &str = "FROM customers c
    JOIN employees o ON o.id = c.owner_id
    LEFT JOIN employees b ON b.id = c.backup_id";

/// Reads the columns of [`COLUMNS`] by position (finding them by name took a sixth of
/// `customer list --at-risk` on a million customers).
fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Customer> {
    let mut customer = Customer::default();
    read_into(row, &mut customer)?;
    Ok(customer)
}

/// [`from_row`] into a customer read before, reusing its strings: a long list allocates
/// nothing per row.
fn read_into(row: &rusqlite::Row<'_>, c: &mut Customer) -> rusqlite::Result<()> {
    db::text_into(row, 0, &mut c.id)?;
    db::text_into(row, 1, &mut c.name)?;
    c.tier = row.get(2)?;
    db::text_into(row, 3, &mut c.owner)?;
    db::optional_text_into(row, 4, &mut c.backup)?;
    db::optional_text_into(row, 5, &mut c.contact)?;
    db::optional_text_into(row, 6, &mut c.phone)?;
    db::optional_text_into(row, 7, &mut c.email)?;
    c.since = db::date_column(row, 8)?;
    c.status = row.get(9)?;
    Ok(())
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
            "SELECT {COLUMNS}, {STORED_COLUMNS} {FROM} WHERE c.company_id = ?1 AND c.code = ?2"
        ))?
        .query_row(params![company_id, code.trim()], |row| {
            Ok(Stored {
                customer: from_row(row)?,
                rowid: row.get(10)?,
                confidential: row.get(11)?,
                owner_id: row.get(12)?,
                backup_id: row.get(13)?,
            })
        })
        .optional()?)
}

fn get(conn: &Connection, company_id: i64, code: &str) -> Result<Stored> {
    find(conn, company_id, code)?.ok_or_else(|| {
        let code = code.trim();
        bad_input!(
            "no customer {code:?} in this company",
            "本公司没有客户 {code:?}"
        )
        .hint(text!(
            "see `baton customer list`, or add it with `baton customer add`",
            "用 `baton customer list` 查看，或用 `baton customer add` 添加"
        ))
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

/// The rules of a customer record, shared by `add`, `update` and `import`: `assignable`
/// turns an employee code into the row id of someone who may take customers (a query for
/// one command, an in-memory [`employee::Directory`] for an import).
fn resolve(
    assignable: &mut dyn FnMut(&str) -> Result<i64>,
    patch: CustomerPatch,
    before: Option<&Stored>,
) -> Result<Resolved> {
    let mut c = before.map(|s| s.customer.clone()).unwrap_or_default();
    let mut confidential = before.and_then(|s| s.confidential.clone());
    if let Some(name) = patch.name {
        c.name = required_owned("name", name)?;
    }
    c.tier = patch.tier.unwrap_or(c.tier);
    c.status = patch.status.unwrap_or(c.status);
    let text = |value: Option<String>| value.map(trimmed);
    if let Some(contact) = patch.contact {
        c.contact = text(contact);
    }
    if let Some(phone) = &patch.phone {
        c.phone = validated(phone.as_deref(), "phone", ids::validate_phone)?;
    }
    if let Some(email) = &patch.email {
        c.email = validated(email.as_deref(), "email", ids::validate_email)?;
    }
    if let Some(notes) = patch.confidential {
        confidential = text(notes);
    }
    if let Some(since) = patch.since {
        c.since = since;
    }
    let owner_id = match (patch.owner, before) {
        (Some(code), _) => {
            c.owner = required_owned("owner", code)?;
            assignable(&c.owner).map_err(|e| in_field(e, "owner"))?
        }
        (None, Some(stored)) => stored.owner_id,
        (None, None) => {
            return Err(bad_input!("a customer needs an owner", "客户必须有负责人")
                .field("owner")
                .hint(text!(
                    "give --owner E001",
                    "请用 --owner 给出负责人，例如 --owner E001"
                ))
                .into())
        }
    };
    let backup_id = match patch.backup {
        Some(Some(code)) => {
            let code = required_owned("backup", code)?;
            let id = assignable(&code).map_err(|e| in_field(e, "backup"))?;
            c.backup = Some(code);
            Some(id)
        }
        Some(None) => {
            c.backup = None;
            None
        }
        None => before.and_then(|s| s.backup_id),
    };
    if backup_id == Some(owner_id) {
        let owner = &c.owner;
        return Err(bad_input!(
            "backup {owner:?} is the owner; a backup must be a second person",
            "备份联系人 {owner:?} 就是负责人；备份联系人必须是另一个人"
        )
        .hint(text!(
            "name another employee with --backup",
            "用 --backup 指定另一位员工"
        ))
        .field("backup")
        .into());
    }
    Ok(Resolved {
        customer: c,
        confidential,
        owner_id,
        backup_id,
    })
}

/// Validates a new customer against the rules; nothing is written.
fn new_record(
    assignable: &mut dyn FnMut(&str) -> Result<i64>,
    code: &str,
    patch: CustomerPatch,
) -> Result<Resolved> {
    let code = required("id", code)?;
    let mut new = resolve(assignable, patch, None)?;
    new.customer.id = code;
    if new.customer.name.is_empty() {
        return Err(bad_input!("name must not be empty", "名称不能为空")
            .field("name")
            .into());
    }
    Ok(new)
}

/// `INSERT` of `n` customers that skips a row whose key exists: its values are those
/// [`stage`] writes, `n` times.
fn insert_sql(n: usize) -> String {
    format!(
        "INSERT INTO customers (id, company_id, code, name, tier, owner_id, backup_id, contact,
                                phone, email, confidential, since, status)
         VALUES {} ON CONFLICT DO NOTHING",
        values_sql(n)
    )
}

/// The parameters of `n` rows of values [`stage`] writes: `(?, ...), ...`.
fn values_sql(n: usize) -> String {
    let row = format!("({})", vec!["?"; 13].join(", "));
    vec![row; n].join(", ")
}

/// Where [`stage`] puts the row id and the code.
const ROWID_VALUE: usize = 0;
const COMPANY_VALUE: usize = 1;
const CODE_VALUE: usize = 2;

/// Writes the values of a validated new customer for [`insert_sql`]; `Some(rowid)` picks a
/// row id (imports), else SQLite does.
fn stage(
    out: &mut Staged,
    position: Position,
    rowid: Option<i64>,
    company_id: i64,
    new: &Resolved,
) {
    let c = &new.customer;
    out.push_integer(rowid);
    out.push_integer(company_id);
    out.push_text(Some(&c.id));
    out.push_text(Some(&c.name));
    out.push_text(Some(c.tier.as_str()));
    out.push_integer(new.owner_id);
    out.push_integer(new.backup_id);
    out.push_text(c.contact.as_deref());
    out.push_text(c.phone.as_deref());
    out.push_text(c.email.as_deref());
    out.push_text(new.confidential.as_deref());
    match c.since {
        Some(date) => out.push_text_with(|text| time::push_date(text, date)),
        None => out.push_text(None),
    }
    out.push_text(Some(c.status.as_str()));
    out.end_row(position);
}

/// Inserts one validated new customer; whether it was written (not when its key exists).
fn insert_one(
    conn: &Connection,
    rowid: Option<i64>,
    company_id: i64,
    new: &Resolved,
) -> Result<bool> {
    let mut staged = Staged::default();
    stage(&mut staged, Position::default(), rowid, company_id, new);
    let written = Insert::new(conn, &insert_sql(1))?
        .execute(&staged, 0..1)
        .context("cannot add the customer")?;
    Ok(written == 1)
}

pub fn add(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    code: &str,
    patch: &CustomerPatch,
) -> Result<Customer> {
    if let Some(stored) = find(conn, company_id, code)? {
        let code = stored.customer.id;
        return Err(
            refused!("customer {code} exists already", "客户 {code} 已存在")
                .hint(text!(
                    "change it with `baton customer update {code}`",
                    "用 `baton customer update {code}` 修改"
                ))
                .into(),
        );
    }
    let mut assignable = |code: &str| employee::assignable_id(conn, company_id, code);
    let new = new_record(&mut assignable, code, patch.clone())?;
    if !insert_one(conn, None, company_id, &new)? {
        anyhow::bail!(
            "customer {} was added by someone else meanwhile",
            new.customer.id
        );
    }
    audit::record(
        conn,
        stamp,
        "customer.add",
        "customer",
        Some(&new.customer.id),
        &json!({ "after": new.customer }),
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
    let mut assignable = |code: &str| employee::assignable_id(conn, company_id, code);
    Ok(
        match change(conn, stamp, &mut assignable, &before, patch.clone())? {
            Some(after) => after,
            None => before.customer,
        },
    )
}

/// Applies a patch to a stored customer, with its owner history and audit event; `None`
/// when the patch changes nothing.
fn change(
    conn: &Connection,
    stamp: &Stamp,
    assignable: &mut dyn FnMut(&str) -> Result<i64>,
    before: &Stored,
    patch: CustomerPatch,
) -> Result<Option<Customer>> {
    let after = resolve(assignable, patch, Some(before))?;
    if after.customer == before.customer && after.confidential == before.confidential {
        return Ok(None);
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
    Ok(Some(after.customer))
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
    mut each: impl FnMut(&Customer) -> Result<()>,
) -> Result<()> {
    let owner_id = filter
        .owner
        .as_deref()
        .map(|code| employee::get_id(conn, company_id, code))
        .transpose()?;
    let mut stmt = conn.prepare_cached(&list_sql(owner_id.is_some()))?;
    let mut rows = stmt.query(params![company_id, owner_id, filter.tier])?;
    let mut customer = Customer::default();
    while let Some(row) = rows.next()? {
        read_into(row, &mut customer)?;
        each(&customer)?;
    }
    Ok(())
}

/// [`list`] across every company (by tier, not by owner), by company and code.
pub fn list_all(
    conn: &Connection,
    tier: Option<Tier>,
    mut each: impl FnMut(&OfCompany<Customer>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, co.code {FROM} JOIN companies co ON co.id = c.company_id
         WHERE ?1 IS NULL OR c.tier = ?1 ORDER BY c.company_id, c.code"
    ))?;
    let mut rows = stmt.query(params![tier])?;
    let mut customer = OfCompany::<Customer>::default();
    while let Some(row) = rows.next()? {
        db::text_into(row, 10, &mut customer.company)?;
        read_into(row, &mut customer.row)?;
        each(&customer)?;
    }
    Ok(())
}

/// `?1` company, `?2` owner's row id, `?3` tier or NULL.
fn list_sql(by_owner: bool) -> String {
    if by_owner {
        format!("SELECT {COLUMNS} {FROM} WHERE c.owner_id = ?2 AND (?3 IS NULL OR c.tier = ?3) ORDER BY c.code")
    } else {
        format!("SELECT {COLUMNS} {FROM} WHERE c.company_id = ?1 AND (?3 IS NULL OR c.tier = ?3) ORDER BY c.company_id, c.code")
    }
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
                changed_at: time::stored_to_local(changed_at),
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Fails when the plan reads a whole table of customers (or any table but the small ones).
    pub(crate) fn assert_indexed(conn: &Connection, sql: &str) {
        let plan = crate::db::query_plan(conn, sql);
        for step in &plan {
            assert!(
                !step.starts_with("SCAN c ")
                    && !step.starts_with("SCAN customers")
                    && step != "SCAN c",
                "{step:?} in {plan:#?}\nfor {sql}"
            );
        }
        assert!(
            plan.iter().any(|s| s.contains("INDEX")),
            "no index used: {plan:#?}"
        );
    }

    #[test]
    fn the_list_queries_use_indexes() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        assert_indexed(&conn, &list_sql(true));
        assert_indexed(&conn, &list_sql(false));
        assert_indexed(
            &conn,
            &format!("SELECT * FROM ({}) ORDER BY code", at_risk_sql()),
        );
        assert_indexed(&conn, &format!("SELECT count(*) FROM ({})", at_risk_sql()));
        let unbacked = crate::db::query_plan(&conn, &at_risk_sql());
        assert!(
            unbacked.iter().any(|s| s.contains("customers_unbacked")),
            "{unbacked:#?}"
        );
        let by_owner = crate::db::query_plan(&conn, &list_sql(true));
        assert!(
            by_owner.iter().any(|s| s.contains("customers_owner")),
            "{by_owner:#?}"
        );
    }
}
