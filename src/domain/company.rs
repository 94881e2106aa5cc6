//! Companies, keyed by their 统一社会信用代码, and the company context of a command.

use foldhash::HashMap;

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Stamp};
use crate::error::Failure;
use crate::i18n::Text;
use crate::import::{self, Column, Keys, Outcome, Row};
use crate::time::Clock;
use crate::{bad_input, ids, refused, text, time};

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
        created_at: time::stored_to_local(created_at),
    })
}

pub fn add(
    conn: &Connection,
    stamp: &Stamp,
    code: &str,
    name: &str,
    short: Option<&str>,
) -> Result<Company> {
    let (code, name, short) = validate(code, name, short)?;
    if find(conn, &code)?.is_some() {
        return Err(
            refused!("company {code} exists already", "公司 {code} 已存在")
                .hint(text!(
                    "see it with `baton company show {code}`",
                    "用 `baton company show {code}` 查看"
                ))
                .into(),
        );
    }
    insert(conn, None, &code, &name, short.as_deref(), stamp.at)?;
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

/// The rules of a company's fields: a valid USCC, a name; returns them normalized.
fn validate(
    code: &str,
    name: &str,
    short: Option<&str>,
) -> Result<(String, String, Option<String>), Failure> {
    let code = ids::validate_uscc(code).map_err(|e| e.field("code"))?;
    let name = required("name", name)?;
    let short = short
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    Ok((code, name, short))
}

fn insert(
    conn: &Connection,
    rowid: Option<i64>,
    code: &str,
    name: &str,
    short: Option<&str>,
    created_at: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO companies (id, code, name, short_name, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![rowid, code, name, short, time::to_db(created_at)])
    .context("cannot add the company")?;
    Ok(())
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

/// The company `wanted` names: its code, else its full or short name when only one company
/// bears it.
pub fn get(conn: &Connection, wanted: &str) -> Result<Company> {
    let code = resolve(conn, Some(wanted))?.code;
    Ok(find(conn, &code)?.expect("a resolved company exists"))
}

/// Resolves the company context: the company asked for (by code, full name or short name),
/// else the only company there is.
pub fn resolve(conn: &Connection, wanted: Option<&str>) -> Result<CompanyRef> {
    match wanted {
        Some(wanted) => named(conn, wanted),
        None => only(conn),
    }
}

fn as_ref(r: &rusqlite::Row<'_>) -> rusqlite::Result<CompanyRef> {
    Ok(CompanyRef {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
    })
}

/// The one company whose code is `wanted`, or failing that whose name or short name is; an
/// ambiguous name is refused with every company that bears it.
fn named(conn: &Connection, wanted: &str) -> Result<CompanyRef> {
    let wanted = wanted.trim();
    let by_code = conn
        .prepare_cached("SELECT id, code, name FROM companies WHERE code = ?1")?
        .query_row([wanted.to_uppercase()], as_ref)
        .optional()?;
    if let Some(company) = by_code {
        return Ok(company);
    }
    let mut found: Vec<CompanyRef> = conn
        .prepare_cached(
            "SELECT id, code, name FROM companies WHERE name = ?1 OR short_name = ?1 ORDER BY code",
        )?
        .query_map([wanted], as_ref)?
        .collect::<rusqlite::Result<_>>()?;
    match found.len() {
        0 => Err(unknown(conn, wanted)?),
        1 => Ok(found.remove(0)),
        n => {
            let (all, all_zh) = listed(found.iter().map(|c| (c.code.as_str(), c.name.as_str())));
            Err(Failure::usage(text!(
                "{n} companies are named {wanted:?}: {all}",
                "有 {n} 家公司名为 {wanted:?}：{all_zh}"
            ))
            .hint(text!(
                "name the company by its code: -c CODE",
                "请用统一社会信用代码指明公司：-c 代码"
            ))
            .into())
        }
    }
}

/// The only company there is.
fn only(conn: &Connection) -> Result<CompanyRef> {
    let mut stmt =
        conn.prepare_cached("SELECT id, code, name FROM companies ORDER BY code LIMIT 2")?;
    let found: Vec<CompanyRef> = stmt
        .query_map([], as_ref)?
        .collect::<rusqlite::Result<_>>()?;
    match found.as_slice() {
        [only] => Ok(only.clone()),
        [] => Err(
            bad_input!("the database holds no company yet", "数据库中还没有公司")
                .hint(text!(
                    "add one: baton company add --code USCC --name NAME",
                    "先添加一家：baton company add --code 统一社会信用代码 --name 名称"
                ))
                .into(),
        ),
        _ => Err(Failure::usage(text!(
            "the database holds several companies; say which one",
            "数据库中有多家公司，请指明是哪一家"
        ))
        .hint(how_to_name(conn)?)
        .into()),
    }
}

/// A row of a list that spans companies: the company's code, then the row (so that the
/// list imports back, each row into its company).
#[derive(Debug, Clone, Default, Serialize)]
pub struct OfCompany<T> {
    pub company: String,
    #[serde(flatten)]
    pub row: T,
}

/// Whether the database holds more than one company.
pub fn several(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT count(*) > 1 FROM (SELECT 1 FROM companies LIMIT 2)")?
        .query_row([], |r| r.get(0))?)
}

/// Every company by its 统一社会信用代码 and by its name, read once: the rows of an import
/// name their company in a `company` column, by either.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    by_code: HashMap<String, CompanyRef>,
    /// The company of each name; `None` for a name that several companies have.
    by_name: HashMap<String, Option<CompanyRef>>,
}

impl Directory {
    pub fn load(conn: &Connection) -> Result<Directory> {
        let mut directory = Directory::default();
        let mut stmt = conn.prepare_cached("SELECT id, code, name FROM companies")?;
        let mut rows = stmt.query([]).context("cannot read the companies")?;
        while let Some(r) = rows.next()? {
            let company = CompanyRef {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
            };
            directory
                .by_name
                .entry(company.name.clone())
                .and_modify(|shared| *shared = None)
                .or_insert_with(|| Some(company.clone()));
            directory.by_code.insert(company.code.clone(), company);
        }
        Ok(directory)
    }

    /// The company a cell names: its code (in any case), else its name when no other
    /// company has that name.
    pub fn find(&self, cell: &str) -> Result<&CompanyRef, Failure> {
        let cell = cell.trim();
        if let Some(company) = self.by_code.get(cell) {
            return Ok(company);
        }
        if let Some(company) = self.by_code.get(&cell.to_uppercase()) {
            return Ok(company);
        }
        match self.by_name.get(cell) {
            Some(Some(company)) => Ok(company),
            Some(None) => Err(bad_input!(
                "several companies are named {cell:?}",
                "有多家公司名为 {cell:?}"
            )
            .hint(text!(
                "name the company by its 统一社会信用代码",
                "请用统一社会信用代码指明公司"
            ))),
            None => Err(bad_input!(
                "no company {cell:?} in the database",
                "数据库中没有公司 {cell:?}"
            )
            .hint(text!(
                "import the companies first, or correct the code",
                "请先导入公司，或更正代码"
            ))),
        }
    }
}

/// How to name one of several companies: all of them when a line holds them, else where to
/// see them.
fn how_to_name(conn: &Connection) -> Result<Text> {
    const SHOWN: usize = 10;
    let companies = list(conn)?;
    let how = text!(
        "use -c CODE or NAME, BATON_COMPANY or config `company`",
        "使用 -c 代码或名称、环境变量 BATON_COMPANY 或配置项 `company`"
    );
    if companies.len() > SHOWN {
        let n = companies.len();
        let Text { en, zh } = how;
        return Ok(text!(
            "{en}; `baton company list` shows all {n}",
            "{zh}；`baton company list` 列出全部 {n} 家"
        ));
    }
    let (all, all_zh) = listed(
        companies
            .iter()
            .map(|c| (c.code.as_str(), c.short_name.as_deref().unwrap_or(&c.name))),
    );
    let Text { en, zh } = how;
    Ok(text!("{en}: {all}", "{zh}：{all_zh}"))
}

/// `code (name), …` in English and `code（name）、…` in Chinese.
fn listed<'a>(companies: impl Iterator<Item = (&'a str, &'a str)>) -> (String, String) {
    let (en, zh): (Vec<String>, Vec<String>) = companies
        .map(|(code, name)| (format!("{code} ({name})"), format!("{code}（{name}）")))
        .unzip();
    (en.join(", "), zh.join("、"))
}

/// No company is `wanted`: the hint lists the companies whose name contains it, or says
/// where to see them all.
fn unknown(conn: &Connection, wanted: &str) -> Result<anyhow::Error> {
    let pattern = format!("%{}%", wanted.replace(['%', '_', '\\'], ""));
    let similar: Vec<String> = conn
        .prepare_cached(
            "SELECT code, name FROM companies WHERE name LIKE ?1 OR short_name LIKE ?1 ORDER BY code",
        )?
        .query_map([&pattern], |r| {
            Ok(format!("{} ({})", r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let hint = if similar.is_empty() {
        text!(
            "`baton company list` shows every company",
            "`baton company list` 列出全部公司"
        )
    } else {
        let similar = similar.join(", ");
        text!("did you mean: {similar}", "是否指：{similar}")
    };
    Ok(bad_input!(
        "no company {wanted:?} in the database (by code, name or short name)",
        "数据库中没有公司 {wanted:?}（按代码、名称或简称均未找到）"
    )
    .hint(hint)
    .into())
}

/// A required text field: trimmed, not empty.
pub fn required(field: &'static str, value: &str) -> Result<String, Failure> {
    let value = value.trim();
    if value.is_empty() {
        Err(bad_input!("{field} must not be empty", "{field} 不能为空")
            .hint(text!(
                "give {field} a value that is not blank",
                "为 {field} 给一个非空的值"
            ))
            .field(field))
    } else {
        Ok(value.to_string())
    }
}

/// [`required`] of a value owned already: kept as it is when it needs no trimming (an
/// import's cells are trimmed), which spares a copy per field of a million-row load.
pub fn required_owned(field: &'static str, value: String) -> Result<String, Failure> {
    match super::trimmed(value) {
        empty if empty.is_empty() => required(field, &empty),
        value => Ok(value),
    }
}

/// `baton import companies`: the columns of `company list --format csv`; `created_at` is
/// kept for a new company (loading history) and ignored for an existing one.
pub struct Import {
    clock: Clock,
    stamp: Stamp,
    keys: Option<Keys>,
}

const CODE: usize = 0;
const NAME: usize = 1;
const SHORT_NAME: usize = 2;
const CREATED_AT: usize = 3;
const IMPORT_COLUMNS: &[Column] = &[
    Column::required("code"),
    Column::required("name"),
    Column::optional("short_name"),
    Column::optional("created_at"),
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
        "companies"
    }

    fn columns(&self) -> &'static [Column] {
        IMPORT_COLUMNS
    }

    fn begin(&mut self, conn: &Connection) -> Result<()> {
        self.keys = Some(Keys::new(conn, "companies")?);
        Ok(())
    }

    fn apply(&mut self, conn: &Connection, row: &Row<'_>) -> Result<Outcome> {
        let Some(keys) = &mut self.keys else {
            anyhow::bail!("import not begun");
        };
        let (code, name, short) = validate(
            row.required(CODE)?,
            row.required(NAME)?,
            row.get(SHORT_NAME),
        )?;
        let created_at = row.parse(CREATED_AT, |s| time::parse_instant(s, &self.clock))?;
        let stored: Option<(i64, Company)> = conn
            .prepare_cached(&format!(
                "SELECT id, {COLUMNS} FROM companies WHERE code = ?1"
            ))?
            .query_row([&code], |r| Ok((r.get(0)?, from_row(r)?)))
            .optional()?;
        let Some((rowid, before)) = stored else {
            let at = created_at.unwrap_or(self.stamp.at);
            insert(
                conn,
                Some(keys.rowid(row.position)),
                &code,
                &name,
                short.as_deref(),
                at,
            )?;
            return Ok(Outcome::Inserted);
        };
        if let Some(first) = keys.seen(conn, rowid, row.position)? {
            return Err(row.duplicate(CODE, first).into());
        }
        let short = if row.get(SHORT_NAME).is_some() {
            short
        } else {
            before.short_name.clone()
        };
        if before.name == name && before.short_name == short {
            return Ok(Outcome::Unchanged);
        }
        conn.prepare_cached("UPDATE companies SET name = ?1, short_name = ?2 WHERE id = ?3")?
            .execute(params![name, short, rowid])
            .context("cannot update the company")?;
        let after = Company {
            name,
            short_name: short,
            ..before.clone()
        };
        audit::record(
            conn,
            &self.stamp,
            "company.update",
            "company",
            Some(&code),
            &json!({ "before": before, "after": after }),
        )?;
        Ok(Outcome::Updated)
    }

    fn finish(&mut self, _conn: &Connection) -> Result<()> {
        Ok(())
    }
}
