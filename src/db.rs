//! Opening the database file and keeping its schema current.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context as _, Result};
use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::outfile::OutFile;
use crate::{audit, refused, text, time};

/// The schema a new database gets, in one piece.
const SCHEMA: &str = include_str!("../schema.sql");

/// Append-only upgrade steps: step N brings `user_version` N-1 to N. Never edit or
/// reorder a step that has shipped; add a new one and mirror it in `schema.sql`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_registry.sql"),
    include_str!("../migrations/0002_handover.sql"),
    include_str!("../migrations/0003_notify.sql"),
    include_str!("../migrations/0004_credit.sql"),
    include_str!("../migrations/0005_complaint.sql"),
    include_str!("../migrations/0006_credit_evidence.sql"),
    include_str!("../migrations/0007_checklist.sql"),
    include_str!("../migrations/0008_customer_checks.sql"),
    include_str!("../migrations/0010_calendar.sql"),
    include_str!("../migrations/0011_complaint_rules.sql"),
    include_str!("../migrations/0012_credit_law.sql"),
    include_str!("../migrations/0013_letters.sql"),
    include_str!("../migrations/0016_checklist_drafts.sql"),
    include_str!("../migrations/0017_audit_anchor.sql"),
    include_str!("../migrations/0018_customer_key_index.sql"),
];

/// The page size of a new database (see [`open`]).
const PAGE_SIZE: i64 = 8192;

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Opens (creating if needed, mode 0600) and migrates the database at `path`. An existing
/// empty file is refused (it is not a database, and may be one truncated). When the file or
/// its folder is read-only, a current database is opened read-only instead: reads work,
/// writes fail with SQLite's read-only error.
pub fn open(path: &Path) -> Result<Connection> {
    refuse_empty(path)?;
    match open_writable(path) {
        Err(err) if is_read_only(&err) && path.is_file() => open_read_only(path).or(Err(err)),
        opened => opened,
    }
}

/// `open` with write access, creating the folder and the file if needed.
fn open_writable(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    create_private(path)?;
    let mut conn = Connection::open(path)
        .with_context(|| format!("cannot open the database {}", path.display()))?;
    // A new database gets 8 KiB pages (SQLite's default is 4 KiB): a bulk load writes, and
    // an index rebuild scans, half as many pages: 1M customers 1.63 s -> 1.54 s. No effect
    // on a database that has pages already.
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    configure(&conn).with_context(|| format!("cannot use the database {}", path.display()))?;
    migrate(&mut conn).with_context(|| format!("database {}", path.display()))?;
    Ok(conn)
}

/// Refuses an existing file of 0 bytes: SQLite would silently make it a new, empty database.
fn refuse_empty(path: &Path) -> Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
        let shown = path.display();
        return Err(refused!(
            "the database file {shown} is empty (0 bytes): not a baton database",
            "数据库文件 {shown} 为空（0 字节）：不是 baton 数据库"
        )
        .hint(text!(
            "restore it from a backup, or remove it to start a new database",
            "请从备份恢复，或删除该文件以新建数据库"
        ))
        .into());
    }
    Ok(())
}

/// Whether opening failed because the file or its folder cannot be written (SQLite needs
/// to create the `-wal` and `-shm` files next to the database).
fn is_read_only(err: &anyhow::Error) -> bool {
    use rusqlite::ErrorCode::{CannotOpen, ReadOnly};
    err.chain().any(|e| {
        matches!(
            e.downcast_ref::<rusqlite::Error>()
                .and_then(rusqlite::Error::sqlite_error_code),
            Some(ReadOnly | CannotOpen)
        )
    })
}

/// Opens a current database read-only. Without a `-wal` file (none is left once the last
/// writer closed, and none can appear in a folder nobody can write) the file holds every
/// commit and is opened `immutable`, which needs no `-shm` file; with one, SQLite reads it.
fn open_read_only(path: &Path) -> Result<Connection> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
    let conn = if Path::new(&wal).exists() {
        Connection::open_with_flags(path, flags)?
    } else {
        let uri = file_uri(&path.canonicalize()?);
        Connection::open_with_flags(format!("{uri}?immutable=1"), flags)?
    };
    conn.busy_timeout(BUSY_TIMEOUT)?;
    audit::register(&conn)?;
    if user_version(&conn)? != MIGRATIONS.len() as i64 {
        bail!("the read-only database {} needs an upgrade", path.display());
    }
    Ok(conn)
}

/// The SQLite URI (`file:/a/b%20c.db`) of an absolute path, every byte but unreserved ones
/// and `/` percent-encoded.
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for &byte in path.as_os_str().as_encoded_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// Creates an empty file readable by its owner only, unless it exists already.
fn create_private(path: &Path) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot create the database {}", path.display())),
    }
}

/// The settings every connection needs.
pub fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    wal_journal(conn)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Sets the WAL (again, after [`bulk_journal`]). While a bulk load holds the database with
/// its rollback journal, the switch cannot be made (SQLite answers "busy" at once instead of
/// waiting): the connection then uses the rollback journal, durably, and its reads and
/// writes wait for the load like any lock; a later connection sets the WAL.
pub fn wal_journal(conn: &Connection) -> Result<()> {
    let mode = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0));
    let wal = match mode {
        Ok(mode) => mode.eq_ignore_ascii_case("wal"),
        Err(e) if is_busy(&e) => false,
        Err(e) => return Err(e.into()),
    };
    conn.pragma_update(None, "synchronous", if wal { "NORMAL" } else { "FULL" })?;
    Ok(())
}

/// Whether SQLite gave up waiting for another connection's lock.
fn is_busy(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
}

/// Registers the functions the triggers of sealed rows call ([`audit::register`]), then
/// builds a new database from `schema.sql`, or upgrades an older one step by step, in one
/// immediate transaction. A database newer than this binary is left untouched.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    audit::register(conn).context("cannot register baton's SQL functions")?;
    let latest = MIGRATIONS.len() as i64;
    if user_version(conn)? == latest {
        return Ok(());
    }
    // A step may rebuild a table that others refer to (SQLite's way of changing a table):
    // foreign keys are off for the steps and checked before the commit. The pragma is a
    // no-op inside a transaction, so it is set around it.
    let checked: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", false)?;
    let migrated = migrate_to(conn, latest);
    if checked {
        conn.pragma_update(None, "foreign_keys", true)?;
    }
    migrated
}

/// The steps of `migrate` up to version `latest`, in one immediate transaction.
fn migrate_to(conn: &mut Connection, latest: i64) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version = user_version(&tx)?;
    if version < 0 {
        return Err(refused!(
            "the database has the schema version {version}, which baton never writes",
            "数据库的架构版本为 {version}，baton 从不写入此值"
        )
        .hint(text!(
            "the file was changed outside baton: restore it from a backup",
            "该文件曾在 baton 之外被修改：请从备份恢复"
        ))
        .into());
    }
    if version > latest {
        bail!(
            "the database has schema version {version}, newer than this baton knows ({latest}); \
             upgrade baton to use it"
        );
    }
    if version == 0 {
        let tables: i64 = tx.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        if tables > 0 {
            bail!("this file is an SQLite database but not a baton database");
        }
        tx.execute_batch(SCHEMA)
            .context("cannot create the schema")?;
    } else {
        for (step, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql)
                .with_context(|| format!("migration step {} failed", step + 1))?;
        }
        let broken = tx.prepare("PRAGMA foreign_key_check")?.exists([])?;
        if broken {
            bail!("the migration to schema version {latest} would break references; nothing was changed");
        }
    }
    tx.pragma_update(None, "user_version", latest)?;
    tx.commit()?;
    Ok(())
}

/// A text column into `text`, reusing its buffer (a long list allocates nothing per row).
pub fn text_into(row: &rusqlite::Row<'_>, idx: usize, text: &mut String) -> rusqlite::Result<()> {
    let value = row.get_ref(idx)?.as_str().map_err(|e| conversion(idx, e))?;
    text.clear();
    text.push_str(value);
    Ok(())
}

/// [`text_into`] for a column that may be NULL.
pub fn optional_text_into(
    row: &rusqlite::Row<'_>,
    idx: usize,
    text: &mut Option<String>,
) -> rusqlite::Result<()> {
    match row
        .get_ref(idx)?
        .as_str_or_null()
        .map_err(|e| conversion(idx, e))?
    {
        Some(value) => {
            let text = text.get_or_insert_with(String::new);
            text.clear();
            text.push_str(value);
        }
        None => *text = None,
    }
    Ok(())
}

/// The error of a column whose value is not of the type asked for.
fn conversion(idx: usize, e: rusqlite::types::FromSqlError) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
}

/// A `YYYY-MM-DD` column, or NULL, read by [`time::date_from_db`] (chrono's `FromSql` parses
/// with its general parser: slow over a million rows).
pub fn date_column(row: &rusqlite::Row<'_>, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let Some(text) = row
        .get_ref(idx)?
        .as_str_or_null()
        .map_err(|e| conversion(idx, e))?
    else {
        return Ok(None);
    };
    time::date_from_db(text).map(Some).ok_or_else(|| {
        let message = format!("not a date: {text:?}");
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, message.into())
    })
}

/// Whether `table` (a constant name) has no rows.
pub fn is_empty(conn: &Connection, table: &str) -> Result<bool> {
    let empty = conn.query_row(
        &format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"),
        [],
        |r| r.get(0),
    )?;
    Ok(empty)
}

/// The schema version stored in the database (`PRAGMA user_version`; 0 when new).
pub fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// For a bulk load into an empty table, switches this connection's database from the WAL
/// to a rollback journal, and returns whether it did. A WAL has every new page written
/// twice (to the WAL, then by the checkpoint into the database); a rollback journal keeps
/// only the pages that existed before, so the new ones are written once: 0.4 s of a
/// million-row import. Durability stays (`synchronous = FULL`, as a rollback journal needs).
/// The switch needs the database to itself: while another connection has it open, it is
/// not made (and not waited for). Commands that start during the load wait for it (the busy
/// timeout, see [`wal_journal`]); [`wal_journal`] sets the WAL again after the load.
pub fn bulk_journal(conn: &Connection) -> Result<bool> {
    conn.busy_timeout(Duration::ZERO)?;
    let mode =
        conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0));
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let switched = match mode {
        Ok(mode) => mode.eq_ignore_ascii_case("delete"),
        Err(e) if is_busy(&e) => false,
        Err(e) => return Err(e).context("cannot prepare the bulk load"),
    };
    if switched {
        conn.pragma_update(None, "synchronous", "FULL")?;
    }
    Ok(switched)
}

/// Starts the transaction of a command that writes: immediate, so that concurrent writers
/// queue on the busy timeout instead of failing halfway.
pub fn write(conn: &mut Connection) -> Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .context("cannot start a write transaction")
}

/// Copies the database to `dest` with SQLite's online backup, consistent even while others
/// write; the copy appears under its name only once complete (an [`OutFile`]), and nothing
/// is left behind when it fails. Returns the pages copied.
pub fn backup(conn: &Connection, dest: &Path) -> Result<i32> {
    let copy = OutFile::create(dest)?;
    let journal = {
        let mut journal = copy.temp_path().as_os_str().to_owned();
        journal.push("-journal");
        PathBuf::from(journal)
    };
    let pages = (|| -> Result<i32> {
        let mut target = Connection::open(copy.temp_path())?;
        let backup = rusqlite::backup::Backup::new(conn, &mut target)?;
        backup.run_to_completion(1024, Duration::ZERO, None)?;
        let pages = backup.progress().pagecount;
        drop(backup);
        target.pragma_update(None, "journal_mode", "DELETE")?;
        target.close().map_err(|(_, e)| e)?;
        Ok(pages)
    })()
    .with_context(|| format!("cannot back up to {}", dest.display()));
    if pages.is_err() {
        let _ = std::fs::remove_file(journal);
        return pages;
    }
    copy.commit()
        .with_context(|| format!("cannot back up to {}", dest.display()))?;
    pages
}

/// The steps of SQLite's plan for `sql` (its parameters bound to NULL), for tests that
/// prove a query reads from an index.
#[cfg(test)]
pub fn query_plan(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
    stmt.query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Fails when the plan of `sql` reads a whole table (reading the rows of a subquery, whose
/// own steps are checked too, is not a table scan).
#[cfg(test)]
pub fn assert_no_scan(conn: &Connection, sql: &str) {
    let plan = query_plan(conn, sql);
    assert!(
        plan.iter()
            .all(|step| !step.starts_with("SCAN") || step.starts_with("SCAN (subquery")),
        "{sql}\n{plan:#?}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The schema as SQLite reports it, comments and layout aside.
    fn schema_of(conn: &Connection) -> Vec<(String, String, String)> {
        let mut stmt = conn
            .prepare(
                "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?)))
            .unwrap()
            .map(|row| {
                let (kind, name, sql) = row.unwrap();
                let code: Vec<&str> = sql
                    .lines()
                    .map(|l| l.split("--").next().unwrap_or_default())
                    .flat_map(str::split_whitespace)
                    .collect();
                (kind, name, code.join(" "))
            })
            .collect()
    }

    #[test]
    fn stepwise_migration_gives_the_schema_of_schema_sql() {
        let mut fresh = Connection::open_in_memory().unwrap();
        migrate(&mut fresh).unwrap();

        let stepped = Connection::open_in_memory().unwrap();
        audit::register(&stepped).unwrap();
        for sql in MIGRATIONS {
            stepped.execute_batch(sql).unwrap();
        }
        assert_eq!(schema_of(&fresh), schema_of(&stepped));
        assert_eq!(user_version(&fresh).unwrap(), MIGRATIONS.len() as i64);
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let before = schema_of(&conn);
        migrate(&mut conn).unwrap();
        assert_eq!(schema_of(&conn), before);
    }

    #[test]
    fn an_older_database_is_upgraded_step_by_step() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(user_version(&conn).unwrap(), MIGRATIONS.len() as i64);
    }

    #[test]
    fn rebuilding_customers_keeps_them_and_what_refers_to_them() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..7] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 7).unwrap();
        conn.execute_batch(
            "INSERT INTO companies VALUES (1, '91440300MA5G00001W', '甲', NULL, '2026-01-01T00:00:00Z');
             INSERT INTO employees (id, company_id, code, name, role) VALUES (1, 1, 'E1', '王', 'sales');
             INSERT INTO customers (id, company_id, code, name, tier, owner_id, since)
                 VALUES (7, 1, 'C1', '乙', 'key', 1, '2020-01-02');
             INSERT INTO customer_owner_history (customer_id, to_owner_id, changed_at)
                 VALUES (7, 1, '2026-01-01T00:00:00Z');",
        )
        .unwrap();
        configure(&conn).unwrap();
        migrate(&mut conn).unwrap();

        let kept: (i64, String, String) = conn
            .query_row(
                "SELECT id, tier, since FROM customers WHERE code = 'C1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(kept, (7, "key".into(), "2020-01-02".into()));
        assert!(!conn
            .prepare("PRAGMA foreign_key_check")
            .unwrap()
            .exists([])
            .unwrap());
        let foreign_keys: bool = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert!(foreign_keys);
        let bad_tier = conn.execute(
            "INSERT INTO customers (company_id, code, name, tier, owner_id) VALUES (1, 'C2', '丙', 'gold', 1)",
            [],
        );
        assert!(bad_tier.is_err());
        let history: i64 = conn
            .query_row("SELECT customer_id FROM customer_owner_history", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(history, 7);
    }

    #[test]
    fn rebuilding_handovers_keeps_them_and_their_items_and_takes_expiry() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..8] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 8).unwrap();
        conn.execute_batch(
            "INSERT INTO companies VALUES (1, '91440300MA5G00001W', '甲', NULL, '2026-01-01T00:00:00Z');
             INSERT INTO employees (id, company_id, code, name, role) VALUES (1, 1, 'E1', '王', 'sales');
             INSERT INTO handovers (id, company_id, employee_id, leaving_on, reason, opened_at)
                 VALUES (4, 1, 1, '2026-03-20', 'resign', '2026-03-01T00:00:00Z');
             INSERT INTO handover_items (handover_id, kind, title, due_on)
                 VALUES (4, 'task', '交还门禁卡', '2026-03-20');",
        )
        .unwrap();
        configure(&conn).unwrap();
        migrate(&mut conn).unwrap();
        let kept: (i64, String) = conn
            .query_row(
                "SELECT h.id, h.reason FROM handovers h JOIN handover_items i ON i.handover_id = h.id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kept, (4, "resign".into()));
        conn.execute("UPDATE handovers SET reason = 'expiry' WHERE id = 4", [])
            .unwrap();
        assert!(conn
            .execute("UPDATE handovers SET reason = 'fired' WHERE id = 4", [])
            .is_err());
        let consent: Option<String> = conn
            .query_row("SELECT publish_consent_on FROM employees", [], |r| r.get(0))
            .unwrap();
        assert_eq!(consent, None);
    }

    #[test]
    fn a_newer_database_is_refused_and_left_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        let newer = MIGRATIONS.len() as i64 + 1;
        conn.pragma_update(None, "user_version", newer).unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(err.to_string().contains("newer"), "{err}");
        assert_eq!(user_version(&conn).unwrap(), newer);
    }

    #[test]
    fn a_foreign_sqlite_file_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (x)").unwrap();
        assert!(migrate(&mut conn).is_err());
    }
}
