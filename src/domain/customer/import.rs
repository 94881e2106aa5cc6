//! `baton import customers`: the adapter of the customer rules to the importer, with the
//! bulk load of an empty table and the refresh of a full one.

use std::ops::Range;

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection};

use super::{
    change, find, insert_one, insert_sql, new_record, stage, values_sql, CustomerPatch, CODE_VALUE,
    COMPANY_VALUE, ROWID_VALUE,
};
use crate::audit::Stamp;
use crate::domain::employee;
use crate::error::Failure;
use crate::import::{
    self, Bulk, Column, DeferredIndexes, Keys, LoadedKeys, Order, Outcome, Position, Refresh, Row,
    Stage, Staged,
};
use crate::time::{self, Clock};

/// `baton import customers`: the columns of `customer list --format csv`, plus
/// `confidential`. New rows go in through `new_record` with employee codes resolved from
/// an in-memory [`employee::Directory`]: on the staging thread for a load into an empty
/// table (`Stager`, [`Bulk`]), else one by one; existing ones through `change`.
pub struct Import {
    clock: Clock,
    stamp: Stamp,
    directory: Option<employee::Directory>,
    keys: Option<Keys>,
    /// Set when the table was empty: no row can exist before this file's own.
    indexes: Option<DeferredIndexes>,
    /// The keys of a bulk load, whose unique index waits in `indexes`.
    loaded: LoadedKeys,
    /// For a refresh: which columns the file has, so which ones to compare.
    present: Vec<bool>,
}

const ID: usize = 0;
const NAME: usize = 1;
const TIER: usize = 2;
const OWNER: usize = 3;
const BACKUP: usize = 4;
const CONTACT: usize = 5;
const PHONE: usize = 6;
const EMAIL: usize = 7;
const SINCE: usize = 8;
const STATUS: usize = 9;
const CONFIDENTIAL: usize = 10;
const IMPORT_COLUMNS: &[Column] = &[
    Column::required("id"),
    Column::required("name"),
    Column::required("tier"),
    Column::required("owner"),
    Column::optional("backup"),
    Column::optional("contact"),
    Column::optional("phone"),
    Column::optional("email"),
    Column::optional("since"),
    Column::optional("status"),
    Column::optional("confidential"),
    Column::optional("company"),
];

/// The index kept through a bulk load: it holds the few core and key customers without a
/// backup (6% of the generated ones), so keeping it up to date row by row costs less than
/// the scan of the whole table that rebuilding it takes (0.2-0.3 s of a million-row load).
const KEPT_INDEXES: &[&str] = &["customers_unbacked"];
/// The index on the key, kept through a bulk load while the keys rise
/// ([`DeferredIndexes::follow`]).
const KEY_INDEX: &str = "customers_key";

impl Import {
    pub fn new(clock: Clock, stamp: Stamp) -> Import {
        Import {
            clock,
            stamp,
            directory: None,
            keys: None,
            indexes: None,
            loaded: LoadedKeys::default(),
            present: Vec::new(),
        }
    }
}

/// A row's fields as a patch: every column the file has.
fn patch_of(row: &Row<'_>, today: NaiveDate) -> Result<CustomerPatch, Failure> {
    Ok(CustomerPatch {
        name: Some(row.required(NAME)?.to_string()),
        tier: Some(row.parse_required(TIER, str::parse)?),
        owner: Some(row.required(OWNER)?.to_string()),
        backup: row.text_patch(BACKUP),
        contact: row.text_patch(CONTACT),
        phone: row.text_patch(PHONE),
        email: row.text_patch(EMAIL),
        confidential: row.text_patch(CONFIDENTIAL),
        since: row.patch(SINCE, |s| time::parse_date_on(s, today))?,
        status: row.parse(STATUS, str::parse)?,
    })
}

/// The rules of a new customer: [`new_record`] with the employees of the directory. In a
/// load into an empty table the row id comes from [`Keys`]; in a refresh the first value
/// is the row's index among the staged ones, to compare with the stored customer.
struct Stager {
    today: NaiveDate,
    directory: employee::Directory,
    keys: Keys,
    refresh: bool,
}

impl Stage for Stager {
    fn stage(&self, row: &Row<'_>, out: &mut Staged) -> Result<()> {
        let company_id = row.company()?.id;
        let code = row.required(ID)?;
        let mut assignable = |code: &str| self.directory.assignable_id(company_id, code);
        let new = new_record(&mut assignable, code, patch_of(row, self.today)?)?;
        let first = match self.refresh {
            true => i64::try_from(out.len())?,
            false => self.keys.rowid(row.position),
        };
        stage(out, row.position, Some(first), company_id, &new);
        Ok(())
    }
}

impl import::Entity for Import {
    fn nouns(&self) -> &'static str {
        "customers"
    }

    fn columns(&self) -> &'static [Column] {
        IMPORT_COLUMNS
    }

    fn begin(&mut self, conn: &Connection) -> Result<()> {
        self.directory = Some(employee::Directory::load(conn)?);
        self.keys = Some(Keys::new(conn, "customers")?);
        self.indexes = DeferredIndexes::drop_if_empty(conn, "customers", KEPT_INDEXES, KEY_INDEX)?;
        Ok(())
    }

    fn apply(&mut self, conn: &Connection, row: &Row<'_>) -> Result<Outcome> {
        let (Some(directory), Some(keys)) = (&self.directory, &mut self.keys) else {
            anyhow::bail!("import not begun");
        };
        let company_id = row.company()?.id;
        let code = row.required(ID)?;
        let patch = patch_of(row, self.clock.today())?;
        let mut assignable = |code: &str| directory.assignable_id(company_id, code);
        if let Some(before) = find(conn, company_id, code)? {
            if let Some(first) = keys.seen(conn, before.rowid, row.position)? {
                return Err(row.duplicate(ID, first).into());
            }
            return Ok(
                match change(conn, &self.stamp, &mut assignable, &before, patch)? {
                    Some(_) => Outcome::Updated,
                    None => Outcome::Unchanged,
                },
            );
        }
        let new = new_record(&mut assignable, code, patch)?;
        if !insert_one(conn, Some(keys.rowid(row.position)), company_id, &new)? {
            anyhow::bail!("customer {} appeared during the import", new.customer.id);
        }
        Ok(Outcome::Inserted)
    }

    fn finish(&mut self, conn: &Connection) -> Result<()> {
        match self.indexes.take() {
            Some(indexes) => indexes.rebuild(conn),
            None => Ok(()),
        }
    }

    /// The references a row writes: `owner_id` and `backup_id` from the [`employee::Directory`]
    /// loaded in `begin`, inside the transaction, from the employees of the row's company (rows
    /// are never deleted, and no other writer runs until the commit); `company_id` is the
    /// company of those employees, so a row can only be written if it exists; an update's owner
    /// history names the stored customer it read and the same directory's ids. Turning the
    /// checks off took 0.4 s (a tenth) off a million-row import.
    fn references_resolved(&self) -> bool {
        true
    }

    fn bulk(&mut self) -> Option<&mut dyn Bulk> {
        Some(self)
    }

    fn refresh(&mut self) -> Option<&mut dyn Refresh> {
        Some(self)
    }
}

/// The values [`stage`] writes that a refresh compares, by the column they come from: the
/// stored column and the place of the value (`columnN` of the `VALUES`, from 1).
const COMPARED: &[(usize, &str, usize)] = &[
    (NAME, "name", 4),
    (TIER, "tier", 5),
    (OWNER, "owner_id", 6),
    (BACKUP, "backup_id", 7),
    (CONTACT, "contact", 8),
    (PHONE, "phone", 9),
    (EMAIL, "email", 10),
    (CONFIDENTIAL, "confidential", 11),
    (SINCE, "since", 12),
    (STATUS, "status", 13),
];

/// A nightly re-import: the rows staged as new ones, compared in SQL with the stored
/// customers by key; only new and changed rows go through `apply`. A column the file lacks
/// keeps what is stored, so it is not compared. Re-importing a million unchanged customers
/// took 8.6 s row by row, 2.4 s compared 256 rows to a query (sqlite3's `.import` into a
/// temporary table and `UPDATE ... FROM` of the same file: 4.8 s).
impl Refresh for Import {
    fn stager(&mut self, present: &[bool]) -> Option<Box<dyn Stage>> {
        self.present = present.to_vec();
        Some(Box::new(Stager {
            today: self.clock.today(),
            directory: self.directory.clone()?,
            keys: self.keys.clone()?,
            refresh: true,
        }))
    }

    fn compare_sql(&self, rows: usize) -> String {
        let differs: Vec<String> = COMPARED
            .iter()
            .filter(|(col, ..)| self.present.get(*col).copied().unwrap_or(false))
            .map(|(_, stored, value)| format!("c.{stored} IS NOT s.column{value}"))
            .collect();
        let differs = match differs.is_empty() {
            true => "0".to_string(),
            false => differs.join(" OR "),
        };
        format!(
            "SELECT s.column1, c.id, {differs} FROM (VALUES {}) AS s
             LEFT JOIN customers c ON c.company_id = s.column2 AND c.code = s.column3",
            values_sql(rows)
        )
    }

    fn unchanged(
        &mut self,
        conn: &Connection,
        rowid: i64,
        position: Position,
    ) -> Result<Option<Failure>> {
        let Some(keys) = &mut self.keys else {
            anyhow::bail!("import not begun");
        };
        Ok(keys
            .seen(conn, rowid, position)?
            .map(|first| import::duplicate("id", position, first)))
    }
}

/// An empty table of customers is loaded in bulk: the rows staged by `Stager`, inserted
/// [`import::BATCH`] to a statement of `insert_sql`.
impl Bulk for Import {
    fn table(&self) -> &'static str {
        "customers"
    }

    fn stager(&mut self) -> Option<Box<dyn Stage>> {
        self.indexes.as_ref()?;
        Some(Box::new(Stager {
            today: self.clock.today(),
            directory: self.directory.take()?,
            keys: self.keys.clone()?,
            refresh: false,
        }))
    }

    fn insert_sql(&self, rows: usize) -> String {
        insert_sql(rows)
    }

    fn before_insert(
        &mut self,
        conn: &Connection,
        staged: &Staged,
        rows: Range<usize>,
    ) -> Result<()> {
        let Some(indexes) = &mut self.indexes else {
            anyhow::bail!("import not begun");
        };
        let keys = rows
            .map(|i| {
                staged
                    .integer(i, COMPANY_VALUE)
                    .zip(staged.text(i, CODE_VALUE))
            })
            .collect::<Option<Vec<_>>>()
            .context("a staged customer has no company or code")?;
        indexes.follow(conn, keys)
    }

    fn refused(
        &mut self,
        conn: &Connection,
        staged: &Staged,
        rows: Range<usize>,
    ) -> Result<Vec<(usize, Failure)>> {
        let Some(keys) = &self.keys else {
            anyhow::bail!("import not begun");
        };
        let mut same = conn
            .prepare_cached("SELECT company_id = ?2 AND code = ?3 FROM customers WHERE id = ?1")?;
        let mut failures = Vec::new();
        for i in rows {
            let (Some(rowid), Some(company_id), Some(code)) = (
                staged.integer(i, ROWID_VALUE),
                staged.integer(i, COMPANY_VALUE),
                staged.text(i, CODE_VALUE),
            ) else {
                anyhow::bail!("a staged customer has no row id, company or code");
            };
            match self.loaded.rising(company_id, code) {
                Order::Rising => continue,
                Order::Broken => note_loaded(conn, keys, &mut self.loaded, rowid)?,
                Order::Unordered => {}
            }
            let position = staged.position(i);
            let first = self
                .loaded
                .first((company_id, code), position.number, |earlier| {
                    let earlier = keys.rowid(Position {
                        number: earlier,
                        ..position
                    });
                    Ok(same.query_row(params![earlier, company_id, code], |r| r.get(0))?)
                })?;
            if let Some(first) = first {
                conn.prepare_cached("DELETE FROM customers WHERE id = ?1")?
                    .execute([rowid])
                    .context("cannot take back a repeated customer")?;
                failures.push((i, import::duplicate("id", position, first)));
            }
        }
        Ok(failures)
    }
}

/// Notes in `loaded` the key of every row this bulk load wrote before `rowid`: all in order,
/// so none repeats another.
fn note_loaded(conn: &Connection, keys: &Keys, loaded: &mut LoadedKeys, rowid: i64) -> Result<()> {
    let mut stmt = conn.prepare("SELECT id, company_id, code FROM customers WHERE id < ?1")?;
    let mut rows = stmt.query([rowid])?;
    while let Some(row) = rows.next()? {
        let code = row.get_ref(2)?.as_str()?;
        loaded.note((row.get::<_, i64>(1)?, code), keys.number(row.get(0)?))?;
    }
    Ok(())
}
