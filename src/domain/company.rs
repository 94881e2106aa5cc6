//! Companies, keyed by their 统一社会信用代码, and the company context of a command.

use anyhow::{Context as _, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Stamp};
use crate::error::Failure;
use crate::{ids, time};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Company {
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub created_at: String,
}

/// The company a command works in.
#[derive(Debug, Clone)]
pub struct CompanyRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

const COLUMNS: &str = "code, name, short_name, created_at";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Company> {
    let created_at: String = row.get("created_at")?;
    Ok(Company {
        code: row.get("code")?,
        name: row.get("name")?,
        short_name: row.get("short_name")?,
        created_at: time::from_db(&created_at)
            .map(time::to_local_rfc3339)
            .unwrap_or(created_at),
    })
}

pub fn add(
    conn: &Connection,
    stamp: &Stamp,
    code: &str,
    name: &str,
    short: Option<&str>,
) -> Result<Company> {
    let code = ids::validate_uscc(code)?;
    let name = required("name", name)?;
    let short = short.map(str::trim).filter(|s| !s.is_empty());
    if find(conn, &code)?.is_some() {
        return Err(Failure::refused(format!("company {code} exists already"))
            .zh(format!("公司 {code} 已存在"))
            .hint(format!("see it with `baton company show {code}`"))
            .hint_zh(format!("用 `baton company show {code}` 查看"))
            .into());
    }
    conn.execute(
        "INSERT INTO companies (code, name, short_name, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![code, name, short, time::to_db(stamp.at)],
    )
    .context("cannot add the company")?;
    let company = get(conn, &code)?;
    audit::record(
        conn,
        stamp,
        "company.add",
        "company",
        Some(&code),
        &json!({ "after": company }),
    )?;
    Ok(company)
}

pub fn list(conn: &Connection) -> Result<Vec<Company>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM companies ORDER BY code"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn find(conn: &Connection, code: &str) -> Result<Option<Company>> {
    let code = code.trim().to_uppercase();
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM companies WHERE code = ?1"))?
        .query_row([&code], from_row)
        .optional()?)
}

pub fn get(conn: &Connection, code: &str) -> Result<Company> {
    find(conn, code)?.ok_or_else(|| unknown(conn, code))
}

fn unknown(conn: &Connection, code: &str) -> anyhow::Error {
    let (en, zh) = choices(conn);
    Failure::bad_input(format!("no company {:?} in the database", code.trim()))
        .zh(format!("数据库中没有公司 {:?}", code.trim()))
        .hint(en)
        .hint_zh(zh)
        .into()
}

/// Resolves the company context: the code asked for, else the only company there is.
pub fn resolve(conn: &Connection, wanted: Option<&str>) -> Result<CompanyRef> {
    let query = "SELECT id, code, name FROM companies";
    let as_ref = |r: &rusqlite::Row<'_>| {
        Ok(CompanyRef {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
        })
    };
    if let Some(code) = wanted {
        let code_upper = code.trim().to_uppercase();
        return conn
            .prepare_cached(&format!("{query} WHERE code = ?1"))?
            .query_row([&code_upper], as_ref)
            .optional()?
            .ok_or_else(|| unknown(conn, code));
    }
    let mut stmt = conn.prepare_cached(&format!("{query} ORDER BY code LIMIT 2"))?;
    let found: Vec<CompanyRef> = stmt
        .query_map([], as_ref)?
        .collect::<rusqlite::Result<_>>()?;
    match found.as_slice() {
        [only] => Ok(only.clone()),
        [] => Err(Failure::bad_input("the database holds no company yet")
            .zh("数据库中还没有公司")
            .hint("add one: baton company add --code USCC --name NAME")
            .hint_zh("先添加一家:baton company add --code 统一社会信用代码 --name 名称")
            .into()),
        _ => {
            let (en, zh) = choices(conn);
            Err(
                Failure::usage("the database holds several companies; say which one")
                    .zh("数据库中有多家公司,请指明是哪一家")
                    .hint(format!(
                        "use --company CODE, BATON_COMPANY or config `company`; {en}"
                    ))
                    .hint_zh(format!(
                        "使用 --company 代码、环境变量 BATON_COMPANY 或配置项 `company`;{zh}"
                    ))
                    .into(),
            )
        }
    }
}

/// "companies: CODE (NAME), ..." for hints, in English and Chinese.
fn choices(conn: &Connection) -> (String, String) {
    let names: Vec<String> = list(conn)
        .unwrap_or_default()
        .into_iter()
        .take(10)
        .map(|c| format!("{} ({})", c.code, c.short_name.unwrap_or(c.name)))
        .collect();
    if names.is_empty() {
        (
            "the database holds no company yet: baton company add --code USCC --name NAME".into(),
            "数据库中还没有公司:baton company add --code 统一社会信用代码 --name 名称".into(),
        )
    } else {
        let names = names.join(", ");
        (format!("companies: {names}"), format!("已有公司:{names}"))
    }
}

/// A required text field: trimmed, not empty.
pub fn required(field: &str, value: &str) -> Result<String, Failure> {
    let value = value.trim();
    if value.is_empty() {
        Err(Failure::bad_input(format!("{field} must not be empty"))
            .zh(format!("{field} 不能为空"))
            .hint_zh(format!("为 {field} 给一个非空的值"))
            .hint(format!("give {field} a value that is not blank")))
    } else {
        Ok(value.to_string())
    }
}
