//! Employees of a company, keyed by the company's own code (E001).

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::company::required;
use super::Patch;
use crate::audit::{self, Stamp};
use crate::error::Failure;
use crate::{ids, text_enum};

text_enum! { "role":
    /// The post an employee holds.
    pub enum Role {
        Sales = "sales",
        Rnd = "rnd",
        Service = "service",
        Tech = "tech",
        Finance = "finance",
        Management = "management",
        Other = "other",
    }
}

text_enum! { "employee status":
    pub enum EmployeeStatus {
        Active = "active",
        Leaving = "leaving",
        Left = "left",
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
}

const COLUMNS: &str =
    "code, name, role, core, phone, email, nda, noncompete_until, status, leaving_on, left_on";

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
    })
}

impl EmployeePatch {
    /// The employee with this patch applied and validated.
    fn apply(&self, mut e: Employee) -> Result<Employee, Failure> {
        if let Some(name) = &self.name {
            e.name = required("name", name)?;
        }
        e.role = self.role.unwrap_or(e.role);
        e.core = self.core.unwrap_or(e.core);
        e.nda = self.nda.unwrap_or(e.nda);
        if let Some(phone) = &self.phone {
            e.phone = phone.as_deref().map(ids::validate_phone).transpose()?;
        }
        if let Some(email) = &self.email {
            e.email = email.as_deref().map(ids::validate_email).transpose()?;
        }
        if let Some(until) = self.noncompete_until {
            e.noncompete_until = until;
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
    Failure::bad_input(format!("no employee {:?} in this company", code.trim()))
        .zh(format!("本公司没有员工 {:?}", code.trim()))
        .hint("see `baton employee list`, or add it with `baton employee add`")
        .hint_zh("用 `baton employee list` 查看,或用 `baton employee add` 添加")
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
    match id_and_status(conn, company_id, code)? {
        (_, EmployeeStatus::Left) => Err(Failure::refused(format!(
            "employee {} has left and cannot take customers",
            code.trim()
        ))
        .zh(format!("员工 {} 已离职,不能再负责客户", code.trim()))
        .hint("choose an active employee")
        .hint_zh("请选择在职员工")
        .into()),
        (id, _) => Ok(id),
    }
}

pub fn add(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    code: &str,
    patch: &EmployeePatch,
) -> Result<Employee> {
    let code = required("id", code)?;
    if find(conn, company_id, &code)?.is_some() {
        return Err(Failure::refused(format!("employee {code} exists already"))
            .zh(format!("员工 {code} 已存在"))
            .hint(format!("change it with `baton employee update {code}`"))
            .hint_zh(format!("用 `baton employee update {code}` 修改"))
            .into());
    }
    let e = patch.apply(Employee {
        id: code.clone(),
        ..Employee::default()
    })?;
    if e.name.is_empty() {
        return Err(Failure::bad_input("name must not be empty")
            .zh("姓名不能为空")
            .hint("give --name")
            .hint_zh("请用 --name 给出姓名")
            .into());
    }
    conn.prepare_cached(
        "INSERT INTO employees (company_id, code, name, role, core, phone, email, nda, noncompete_until)
         VALUES (:company, :code, :name, :role, :core, :phone, :email, :nda, :noncompete_until)",
    )?
    .execute(named_params! {
        ":company": company_id, ":code": e.id, ":name": e.name, ":role": e.role, ":core": e.core,
        ":phone": e.phone, ":email": e.email, ":nda": e.nda, ":noncompete_until": e.noncompete_until,
    })
    .context("cannot add the employee")?;
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

pub fn update(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    code: &str,
    patch: &EmployeePatch,
) -> Result<Employee> {
    let before = get(conn, company_id, code)?;
    let after = patch.apply(before.clone())?;
    if after == before {
        return Ok(after);
    }
    conn.prepare_cached(
        "UPDATE employees SET name = :name, role = :role, core = :core, phone = :phone,
                email = :email, nda = :nda, noncompete_until = :noncompete_until
         WHERE company_id = :company AND code = :code",
    )?
    .execute(named_params! {
        ":company": company_id, ":code": after.id, ":name": after.name, ":role": after.role,
        ":core": after.core, ":phone": after.phone, ":email": after.email, ":nda": after.nda,
        ":noncompete_until": after.noncompete_until,
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
    Ok(after)
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
