//! Employees of a company, keyed by the company's own code (E001).

use foldhash::HashMap;

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::company::{required, OfCompany};
use super::{validated, Patch};
use crate::audit::{self, Stamp};
use crate::error::Failure;
use crate::import::{self, Column, Keys, Outcome, Row};
use crate::time::{self, Clock};
use crate::{bad_input, ids, refused, text, text_enum};

text_enum! { "role" / "岗位":
    /// The post an employee holds.
    pub enum Role {
        Sales = "sales" / "销售",
        Rnd = "rnd" / "研发",
        Service = "service" / "客服",
        Tech = "tech" / "技术",
        Finance = "finance" / "财务",
        Management = "management" / "管理",
        Other = "other" / "其他",
    }
}

text_enum! { "employee status" / "员工状态":
    pub enum EmployeeStatus {
        Active = "active" / "在职",
        Leaving = "leaving" / "离职中",
        Left = "left" / "已离职",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Employee {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub core: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub nda: bool,
    pub noncompete_until: Option<NaiveDate>,
    pub status: EmployeeStatus,
    pub leaving_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
    /// When the employee agreed to their work phone and e-mail being published on the public
    /// roster (个人信息保护法 art. 25); without it they are not listed.
    pub publish_consent_on: Option<NaiveDate>,
}

/// `employee show`: the employee and the customers that depend on them.
#[derive(Debug, Clone, Serialize)]
pub struct EmployeeDetail {
    pub company: String,
    #[serde(flatten)]
    pub employee: Employee,
    pub customers_owned: i64,
    pub customers_backed: i64,
}

/// What `add` and `update` may set.
#[derive(Debug, Clone, Default)]
pub struct EmployeePatch {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub core: Option<bool>,
    pub phone: Patch<String>,
    pub email: Patch<String>,
    pub nda: Option<bool>,
    pub noncompete_until: Patch<NaiveDate>,
    pub publish_consent_on: Patch<NaiveDate>,
}

const COLUMNS: &str =
    "code, name, role, core, phone, email, nda, noncompete_until, status, leaving_on, left_on,
     publish_consent_on";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Employee> {
    Ok(Employee {
        id: row.get("code")?,
        name: row.get("name")?,
        role: row.get("role")?,
        core: row.get("core")?,
        phone: row.get("phone")?,
        email: row.get("email")?,
        nda: row.get("nda")?,
        noncompete_until: row.get("noncompete_until")?,
        status: row.get("status")?,
        leaving_on: row.get("leaving_on")?,
        left_on: row.get("left_on")?,
        publish_consent_on: row.get("publish_consent_on")?,
    })
}

impl EmployeePatch {
    /// The employee with this patch applied and validated (the rules of `add`, `update` and
    /// `import`).
    fn apply(&self, mut e: Employee) -> Result<Employee, Failure> {
        if let Some(name) = &self.name {
            e.name = required("name", name)?;
        }
        e.role = self.role.unwrap_or(e.role);
        e.core = self.core.unwrap_or(e.core);
        e.nda = self.nda.unwrap_or(e.nda);
        if let Some(phone) = &self.phone {
            e.phone = validated(phone.as_deref(), "phone", ids::validate_phone)?;
        }
        if let Some(email) = &self.email {
            e.email = validated(email.as_deref(), "email", ids::validate_email)?;
        }
        if let Some(until) = self.noncompete_until {
            e.noncompete_until = until;
        }
        if let Some(on) = self.publish_consent_on {
            e.publish_consent_on = on;
        }
        Ok(e)
    }
}

pub fn find(conn: &Connection, company_id: i64, code: &str) -> Result<Option<Employee>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM employees WHERE company_id = ?1 AND code = ?2"
        ))?
        .query_row(params![company_id, code.trim()], from_row)
        .optional()?)
}

pub fn get(conn: &Connection, company_id: i64, code: &str) -> Result<Employee> {
    find(conn, company_id, code)?.ok_or_else(|| unknown(code).into())
}

fn unknown(code: &str) -> Failure {
    let code = code.trim();
    bad_input!(
        "no employee {code:?} in this company",
        "本公司没有员工 {code:?}"
    )
    .hint(text!(
        "see `baton employee list`, or add it with `baton employee add`",
        "用 `baton employee list` 查看，或用 `baton employee add` 添加"
    ))
}

fn id_and_status(conn: &Connection, company_id: i64, code: &str) -> Result<(i64, EmployeeStatus)> {
    conn.prepare_cached("SELECT id, status FROM employees WHERE company_id = ?1 AND code = ?2")?
        .query_row(params![company_id, code.trim()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .ok_or_else(|| unknown(code).into())
}

/// The row id of an employee.
pub fn get_id(conn: &Connection, company_id: i64, code: &str) -> Result<i64> {
    Ok(id_and_status(conn, company_id, code)?.0)
}

/// The row id of an employee who may take customers (not one who has left).
pub fn assignable_id(conn: &Connection, company_id: i64, code: &str) -> Result<i64> {
    assignable(code, id_and_status(conn, company_id, code)?)
}

/// The rule of [`assignable_id`], given the employee's row id and status.
fn assignable(code: &str, (id, status): (i64, EmployeeStatus)) -> Result<i64> {
    match status {
        EmployeeStatus::Left => {
            let code = code.trim();
            Err(refused!(
                "employee {code} has left and cannot take customers",
                "员工 {code} 已离职，不能再负责客户"
            )
            .hint(text!("choose an active employee", "请选择在职员工"))
            .into())
        }
        _ => Ok(id),
    }
}

/// Every employee of every company by company and code, read once: an import resolves
/// thousands of references per second through it instead of one query each. A code of up
/// to 16 bytes (nearly all: `E0001`) is held inside its key, so a look-up reads no other
/// memory; longer ones are in a second map.
#[derive(Clone)]
pub struct Directory {
    short: HashMap<(i64, [u8; 16]), (i64, EmployeeStatus)>,
    long: HashMap<(i64, String), (i64, EmployeeStatus)>,
}

/// A code as the key of [`Directory::short`], zero-padded (no code holds NUL); `None` when
/// it is longer than 16 bytes.
fn packed(code: &str) -> Option<[u8; 16]> {
    let bytes = code.as_bytes();
    let mut key = [0; 16];
    key.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(key)
}

impl Directory {
    pub fn load(conn: &Connection) -> Result<Directory> {
        let mut stmt = conn.prepare_cached("SELECT company_id, code, id, status FROM employees")?;
        let mut rows = stmt.query([]).context("cannot read the employees")?;
        let mut directory = Directory {
            short: HashMap::default(),
            long: HashMap::default(),
        };
        while let Some(r) = rows.next()? {
            let (company_id, code): (i64, String) = (r.get(0)?, r.get(1)?);
            let found = (r.get(2)?, r.get(3)?);
            match packed(&code) {
                Some(key) => directory.short.insert((company_id, key), found),
                None => directory.long.insert((company_id, code), found),
            };
        }
        Ok(directory)
    }

    /// Same answer as [`assignable_id`].
    pub fn assignable_id(&self, company_id: i64, code: &str) -> Result<i64> {
        let trimmed = code.trim();
        let found = match packed(trimmed) {
            Some(key) => self.short.get(&(company_id, key)),
            None => self.long.get(&(company_id, trimmed.to_string())),
        };
        match found {
            Some(&found) => assignable(code, found),
            None => Err(unknown(code).into()),
        }
    }
}

pub fn add(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    code: &str,
    patch: &EmployeePatch,
) -> Result<Employee> {
    if let Some(e) = find(conn, company_id, code)? {
        let code = e.id;
        return Err(
            refused!("employee {code} exists already", "员工 {code} 已存在")
                .hint(text!(
                    "change it with `baton employee update {code}`",
                    "用 `baton employee update {code}` 修改"
                ))
                .into(),
        );
    }
    let e = new_record(code, patch)?;
    insert(conn, company_id, None, &e)?;
    audit::record(
        conn,
        stamp,
        "employee.add",
        "employee",
        Some(&e.id),
        &json!({ "after": e }),
    )?;
    Ok(e)
}

/// Validates a new employee against the rules; nothing is written.
fn new_record(code: &str, patch: &EmployeePatch) -> Result<Employee, Failure> {
    let e = patch.apply(Employee {
        id: required("id", code)?,
        ..Employee::default()
    })?;
    if e.name.is_empty() {
        return Err(bad_input!("name must not be empty", "姓名不能为空").field("name"));
    }
    Ok(e)
}

/// Writes a validated new employee; `rowid` picks its row id (imports), else SQLite does.
fn insert(conn: &Connection, company_id: i64, rowid: Option<i64>, e: &Employee) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO employees (id, company_id, code, name, role, core, phone, email, nda,
                                noncompete_until, status, leaving_on, left_on, publish_consent_on)
         VALUES (:rowid, :company, :code, :name, :role, :core, :phone, :email, :nda,
                 :noncompete_until, :status, :leaving_on, :left_on, :publish_consent_on)",
    )?
    .execute(named_params! {
        ":rowid": rowid, ":company": company_id, ":code": e.id, ":name": e.name, ":role": e.role,
        ":core": e.core, ":phone": e.phone, ":email": e.email, ":nda": e.nda,
        ":noncompete_until": e.noncompete_until, ":status": e.status,
        ":leaving_on": e.leaving_on, ":left_on": e.left_on,
        ":publish_consent_on": e.publish_consent_on,
    })
    .context("cannot add the employee")?;
    Ok(())
}

pub fn update(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    code: &str,
    patch: &EmployeePatch,
) -> Result<Employee> {
    let before = get(conn, company_id, code)?;
    Ok(match change(conn, stamp, company_id, &before, patch)? {
        Some(after) => after,
        None => before,
    })
}

/// Applies a patch to a stored employee, with its audit event; `None` when the patch
/// changes nothing.
fn change(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    before: &Employee,
    patch: &EmployeePatch,
) -> Result<Option<Employee>> {
    let after = patch.apply(before.clone())?;
    if after == *before {
        return Ok(None);
    }
    conn.prepare_cached(
        "UPDATE employees SET name = :name, role = :role, core = :core, phone = :phone,
                email = :email, nda = :nda, noncompete_until = :noncompete_until,
                publish_consent_on = :publish_consent_on
         WHERE company_id = :company AND code = :code",
    )?
    .execute(named_params! {
        ":company": company_id, ":code": after.id, ":name": after.name, ":role": after.role,
        ":core": after.core, ":phone": after.phone, ":email": after.email, ":nda": after.nda,
        ":noncompete_until": after.noncompete_until,
        ":publish_consent_on": after.publish_consent_on,
    })
    .context("cannot update the employee")?;
    audit::record(
        conn,
        stamp,
        "employee.update",
        "employee",
        Some(&after.id),
        &json!({ "before": before, "after": after }),
    )?;
    Ok(Some(after))
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub core: bool,
    pub status: Option<EmployeeStatus>,
}

pub fn list(
    conn: &Connection,
    company_id: i64,
    filter: &Filter,
    mut each: impl FnMut(Employee) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM employees
         WHERE company_id = ?1 AND (?2 = 0 OR core = 1) AND (?3 IS NULL OR status = ?3)
         ORDER BY code"
    ))?;
    let mut rows = stmt.query(params![company_id, filter.core, filter.status])?;
    while let Some(row) = rows.next()? {
        each(from_row(row)?)?;
    }
    Ok(())
}

/// [`list`] across every company, by company and code.
pub fn list_all(
    conn: &Connection,
    filter: &Filter,
    mut each: impl FnMut(OfCompany<Employee>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, (SELECT code FROM companies co WHERE co.id = company_id) AS company
         FROM employees
         WHERE (?1 = 0 OR core = 1) AND (?2 IS NULL OR status = ?2)
         ORDER BY company_id, code"
    ))?;
    let mut rows = stmt.query(params![filter.core, filter.status])?;
    while let Some(row) = rows.next()? {
        each(OfCompany {
            company: row.get("company")?,
            row: from_row(row)?,
        })?;
    }
    Ok(())
}

pub fn show(
    conn: &Connection,
    company: &super::company::CompanyRef,
    code: &str,
) -> Result<EmployeeDetail> {
    let employee = get(conn, company.id, code)?;
    let (owned, backed) = conn
        .prepare_cached(
            "SELECT (SELECT count(*) FROM customers WHERE owner_id = e.id),
                    (SELECT count(*) FROM customers WHERE backup_id = e.id)
             FROM employees e WHERE e.company_id = ?1 AND e.code = ?2",
        )?
        .query_row(params![company.id, employee.id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok(EmployeeDetail {
        company: company.code.clone(),
        employee,
        customers_owned: owned,
        customers_backed: backed,
    })
}

/// `baton import employees`: the columns of `employee list --format csv`. `status`,
/// `leaving_on` and `left_on` load the history of a new employee; on an existing one they
/// must match, since only handovers change them.
pub struct Import {
    clock: Clock,
    stamp: Stamp,
    keys: Option<Keys>,
}

const ID: usize = 0;
const NAME: usize = 1;
const ROLE: usize = 2;
const CORE: usize = 3;
const PHONE: usize = 4;
const EMAIL: usize = 5;
const NDA: usize = 6;
const NONCOMPETE_UNTIL: usize = 7;
const STATUS: usize = 8;
const LEAVING_ON: usize = 9;
const LEFT_ON: usize = 10;
const PUBLISH_CONSENT_ON: usize = 11;
const IMPORT_COLUMNS: &[Column] = &[
    Column::required("id"),
    Column::required("name"),
    Column::required("role"),
    Column::optional("core"),
    Column::optional("phone"),
    Column::optional("email"),
    Column::optional("nda"),
    Column::optional("noncompete_until"),
    Column::optional("status"),
    Column::optional("leaving_on"),
    Column::optional("left_on"),
    Column::optional("publish_consent_on"),
    Column::optional("company"),
];

impl Import {
    pub fn new(clock: Clock, stamp: Stamp) -> Import {
        Import {
            clock,
            stamp,
            keys: None,
        }
    }
}

impl import::Entity for Import {
    fn nouns(&self) -> &'static str {
        "employees"
    }

    fn columns(&self) -> &'static [Column] {
        IMPORT_COLUMNS
    }

    fn begin(&mut self, conn: &Connection) -> Result<()> {
        self.keys = Some(Keys::new(conn, "employees")?);
        Ok(())
    }

    fn apply(&mut self, conn: &Connection, row: &Row<'_>) -> Result<Outcome> {
        let Some(keys) = &mut self.keys else {
            anyhow::bail!("import not begun");
        };
        let company_id = row.company()?.id;
        let code = row.required(ID)?;
        let clock = &self.clock;
        let date = |s: &str| time::parse_date(s, clock);
        let patch = EmployeePatch {
            name: Some(row.required(NAME)?.to_string()),
            role: Some(row.parse_required(ROLE, str::parse)?),
            core: row.parse(CORE, import::parse_bool)?,
            phone: row.text_patch(PHONE),
            email: row.text_patch(EMAIL),
            nda: row.parse(NDA, import::parse_bool)?,
            noncompete_until: row.patch(NONCOMPETE_UNTIL, date)?,
            publish_consent_on: row.patch(PUBLISH_CONSENT_ON, date)?,
        };
        let status: Option<EmployeeStatus> = row.parse(STATUS, str::parse)?;
        let leaving_on = row.patch(LEAVING_ON, date)?;
        let left_on = row.patch(LEFT_ON, date)?;
        let rowid: Option<i64> = conn
            .prepare_cached("SELECT id FROM employees WHERE company_id = ?1 AND code = ?2")?
            .query_row(params![company_id, code], |r| r.get(0))
            .optional()?;
        let Some(rowid) = rowid else {
            let mut e = new_record(code, &patch)?;
            e.status = status.unwrap_or_default();
            e.leaving_on = leaving_on.flatten();
            e.left_on = left_on.flatten();
            insert(conn, company_id, Some(keys.rowid(row.position)), &e)?;
            return Ok(Outcome::Inserted);
        };
        if let Some(first) = keys.seen(conn, rowid, row.position)? {
            return Err(row.duplicate(ID, first).into());
        }
        let before = get(conn, company_id, code)?;
        let handover_fields = [
            (STATUS, status.is_some_and(|s| s != before.status)),
            (
                LEAVING_ON,
                leaving_on.is_some_and(|d| d != before.leaving_on),
            ),
            (LEFT_ON, left_on.is_some_and(|d| d != before.left_on)),
        ];
        if let Some((col, _)) = handover_fields.iter().find(|(_, differs)| *differs) {
            let stored = match *col {
                STATUS => before.status.to_string(),
                LEAVING_ON => before.leaving_on.map(|d| d.to_string()).unwrap_or_default(),
                _ => before.left_on.map(|d| d.to_string()).unwrap_or_default(),
            };
            return Err(bad_input!(
                "differs from the database ({stored:?}); only a handover changes it",
                "与数据库中的值（{stored:?}）不同；只有交接才能修改它"
            )
            .field(IMPORT_COLUMNS[*col].name)
            .into());
        }
        Ok(
            match change(conn, &self.stamp, company_id, &before, &patch)? {
                Some(_) => Outcome::Updated,
                None => Outcome::Unchanged,
            },
        )
    }

    fn finish(&mut self, _conn: &Connection) -> Result<()> {
        Ok(())
    }
}
