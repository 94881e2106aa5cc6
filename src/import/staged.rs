//! Rows validated ahead of their `INSERT` ([`Stage`], [`Staged`]), and the statement that
//! writes them ([`Insert`]).
//!
//! The only `unsafe` code of the crate: [`Insert`] calls SQLite's C interface to bind text
//! where it lies instead of copying it. Every block says why it is sound; the bindings
//! live in a guard ([`Bound`]) that resets the statement and clears them on every exit path.
#![allow(unsafe_code)]

use std::ffi::{c_int, CStr};
use std::ops::Range;
use std::ptr::{self, NonNull};

use anyhow::{anyhow, Result};
use rusqlite::{ffi, Connection};

use super::{Position, Row};

/// The rules of a new row that need no database (see [`super::Bulk::stager`]): validates
/// a [`Row`] and writes the values of its `INSERT`, in order, into a [`Staged`], ending the
/// row. A refusal is a [`crate::error::Failure`]; any other error stops the import.
pub trait Stage: Send {
    fn stage(&self, row: &Row<'_>, out: &mut Staged) -> Result<()>;
}

/// Rows of SQL values ready to bind, kept in buffers reused from batch to batch: staging
/// a million rows allocates nothing per value.
#[derive(Default)]
pub struct Staged {
    values: Vec<SqlValue>,
    text: String,
    /// Where each row's values start, and the row's place in the file.
    rows: Vec<(usize, Position)>,
    /// Where the row being written starts, in `values` and in `text`.
    next: (usize, usize),
}

#[derive(Clone, Copy)]
enum SqlValue {
    Null,
    Integer(i64),
    /// A range of `Staged::text`.
    Text(usize, usize),
}

impl Staged {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn clear(&mut self) {
        self.values.clear();
        self.text.clear();
        self.rows.clear();
        self.next = (0, 0);
    }

    pub fn push_integer(&mut self, value: impl Into<Option<i64>>) {
        self.values
            .push(value.into().map_or(SqlValue::Null, SqlValue::Integer));
    }

    pub fn push_text(&mut self, value: Option<&str>) {
        self.values.push(match value {
            Some(text) => {
                let start = self.text.len();
                self.text.push_str(text);
                SqlValue::Text(start, self.text.len())
            }
            None => SqlValue::Null,
        });
    }

    /// A text value that `write` appends to the buffer.
    pub fn push_text_with(&mut self, write: impl FnOnce(&mut String)) {
        let start = self.text.len();
        write(&mut self.text);
        self.values.push(SqlValue::Text(start, self.text.len()));
    }

    /// Ends the row whose values were pushed since the last one.
    pub fn end_row(&mut self, position: Position) {
        self.rows.push((self.next.0, position));
        self.next = (self.values.len(), self.text.len());
    }

    /// Stages `row` with `stage`: a refused row leaves nothing behind.
    pub fn stage(&mut self, stage: &dyn Stage, row: &Row<'_>) -> Result<()> {
        let (rows, start) = (self.rows.len(), self.next);
        let result = stage
            .stage(row, self)
            .and_then(|()| match self.rows.len() - rows {
                1 => Ok(()),
                ended => Err(anyhow!("a stage ended {ended} rows instead of one")),
            });
        if result.is_err() {
            self.rows.truncate(rows);
            self.values.truncate(start.0);
            self.text.truncate(start.1);
            self.next = start;
        }
        result
    }

    pub fn position(&self, row: usize) -> Position {
        self.rows[row].1
    }

    fn values(&self, row: usize) -> &[SqlValue] {
        let start = self.rows[row].0;
        let end = self.rows.get(row + 1).map_or(self.next.0, |r| r.0);
        &self.values[start..end]
    }

    /// The integer value `col` of a row (`None` when it is not an integer).
    pub fn integer(&self, row: usize, col: usize) -> Option<i64> {
        match self.values(row).get(col)? {
            SqlValue::Integer(i) => Some(*i),
            _ => None,
        }
    }

    /// The text value `col` of a row (`None` when it is not text).
    pub fn text(&self, row: usize, col: usize) -> Option<&str> {
        match self.values(row).get(col)? {
            SqlValue::Text(a, b) => Some(&self.text[*a..*b]),
            _ => None,
        }
    }
}

/// A prepared `INSERT` run with staged rows (or a query over them: [`Insert::query`]). rusqlite binds text as `SQLITE_TRANSIENT`:
/// SQLite copies every value (a `malloc` and a `free`), a fifth of the writing thread of a
/// million-row load. Here the text is bound where it lies in [`Staged`] (`SQLITE_STATIC`):
/// [`Insert::execute`] borrows the rows for the whole of the statement's run, in a
/// `Bound` guard that clears the bindings before the borrow ends, so SQLite never holds a
/// pointer into them afterwards.
pub struct Insert<'c> {
    conn: &'c Connection,
    stmt: NonNull<ffi::sqlite3_stmt>,
}

impl<'c> Insert<'c> {
    /// Prepares `sql` on `conn`, to be run many times.
    pub fn new(conn: &'c Connection, sql: &str) -> rusqlite::Result<Insert<'c>> {
        let mut stmt = ptr::null_mut();
        let len = c_int::try_from(sql.len()).map_err(|_| too_big())?;
        // SAFETY: the connection handle is valid while `conn` is borrowed, which outlives
        // the statement (finalized in `drop`); `sql` is valid for `len` bytes; `stmt` is a
        // valid place for the new statement's pointer.
        let rc = unsafe {
            ffi::sqlite3_prepare_v3(
                conn.handle(),
                sql.as_ptr().cast(),
                len,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut stmt,
                ptr::null_mut(),
            )
        };
        match NonNull::new(stmt) {
            Some(stmt) if rc == ffi::SQLITE_OK => Ok(Insert { conn, stmt }),
            _ => Err(last_error(conn, rc)),
        }
    }

    /// Binds `rows` (the statement's parameters are their values, in order) and runs the
    /// statement; returns the number of rows written.
    pub fn execute(&mut self, staged: &Staged, rows: Range<usize>) -> rusqlite::Result<usize> {
        let bound = Bound {
            insert: self,
            staged,
        };
        bound.bind_rows(rows)?;
        bound.step()
    }

    /// Binds `rows` as [`Insert::execute`] does and runs the statement as a query: `each`
    /// gets the first `N` columns of every row it gives, as integers (`None`: NULL).
    pub fn query<const N: usize>(
        &mut self,
        staged: &Staged,
        rows: Range<usize>,
        mut each: impl FnMut([Option<i64>; N]),
    ) -> rusqlite::Result<()> {
        let bound = Bound {
            insert: self,
            staged,
        };
        bound.bind_rows(rows)?;
        bound.rows(&mut each)
    }
}

impl Drop for Insert<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement is live and finalized once, here, while `conn` is borrowed
        // (so before the connection can close).
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}

/// The statement of an [`Insert`] with values of `staged` bound to it. Dropping it resets
/// the statement and clears the bindings, whichever way [`Insert::execute`] returns (an
/// error while binding or stepping, or a panic): SQLite keeps no pointer into `staged`
/// once the borrow ends.
struct Bound<'i, 'c, 's> {
    insert: &'i mut Insert<'c>,
    staged: &'s Staged,
}

impl Bound<'_, '_, '_> {
    /// Binds the values of `rows` of `self.staged`, in order, from the first parameter.
    fn bind_rows(&self, rows: Range<usize>) -> rusqlite::Result<()> {
        let mut at: c_int = 1;
        for row in rows {
            for value in self.staged.values(row) {
                self.bind(at, *value)?;
                at = at.checked_add(1).ok_or_else(too_big)?;
            }
        }
        Ok(())
    }

    /// Runs the statement with the values bound, handing `each` the first `N` columns of
    /// every row as integers.
    fn rows<const N: usize>(self, each: &mut dyn FnMut([Option<i64>; N])) -> rusqlite::Result<()> {
        let stmt = self.insert.stmt.as_ptr();
        loop {
            // SAFETY: the statement and the connection are live while the insert is
            // borrowed; the bound text stays borrowed until `self` is dropped, after the
            // last step.
            let rc = unsafe { ffi::sqlite3_step(stmt) };
            match rc {
                ffi::SQLITE_ROW => {
                    let mut values = [None; N];
                    for (col, value) in (0..).zip(values.iter_mut()) {
                        // SAFETY: the statement has a row (`SQLITE_ROW`), and `col` is below
                        // `N`; SQLite answers NULL for a column past the row's last.
                        unsafe {
                            if ffi::sqlite3_column_type(stmt, col) != ffi::SQLITE_NULL {
                                *value = Some(ffi::sqlite3_column_int64(stmt, col));
                            }
                        }
                    }
                    each(values);
                }
                ffi::SQLITE_DONE => return Ok(()),
                _ => return Err(last_error(self.insert.conn, rc)),
            }
        }
    }

    /// Binds parameter `at` (from 1) to a value of `self.staged`.
    fn bind(&self, at: c_int, value: SqlValue) -> rusqlite::Result<()> {
        let stmt = self.insert.stmt.as_ptr();
        let rc = match value {
            // SAFETY: `stmt` is live while the insert is borrowed.
            SqlValue::Null => unsafe { ffi::sqlite3_bind_null(stmt, at) },
            // SAFETY: as above.
            SqlValue::Integer(i) => unsafe { ffi::sqlite3_bind_int64(stmt, at, i) },
            SqlValue::Text(a, b) => {
                let text = &self.staged.text[a..b];
                let len = c_int::try_from(text.len()).map_err(|_| too_big())?;
                // SAFETY: `stmt` is live while the insert is borrowed; `text` is valid for
                // `len` bytes. It is bound as `SQLITE_STATIC`: it lies in `self.staged`,
                // borrowed (so neither changed nor freed) until this guard is dropped, and
                // the drop clears the binding.
                unsafe {
                    ffi::sqlite3_bind_text(
                        stmt,
                        at,
                        text.as_ptr().cast(),
                        len,
                        ffi::SQLITE_STATIC(),
                    )
                }
            }
        };
        match rc {
            ffi::SQLITE_OK => Ok(()),
            _ => Err(last_error(self.insert.conn, rc)),
        }
    }

    /// Runs the statement with the values bound; the number of rows written.
    fn step(self) -> rusqlite::Result<usize> {
        // SAFETY: the statement and the connection are live while the insert is borrowed;
        // the bound text stays borrowed until `self` is dropped, after the step.
        let (rc, written) = unsafe {
            let rc = ffi::sqlite3_step(self.insert.stmt.as_ptr());
            (rc, ffi::sqlite3_changes64(self.insert.conn.handle()))
        };
        match rc {
            ffi::SQLITE_DONE => usize::try_from(written)
                .map_err(|_| rusqlite::Error::IntegralValueOutOfRange(0, written)),
            _ => Err(last_error(self.insert.conn, rc)),
        }
    }
}

impl Drop for Bound<'_, '_, '_> {
    fn drop(&mut self) {
        let stmt = self.insert.stmt.as_ptr();
        // SAFETY: the statement is live while the insert is borrowed; after
        // `sqlite3_clear_bindings` it holds no pointer into `self.staged`. Their results
        // repeat the step's error, already returned.
        unsafe {
            ffi::sqlite3_reset(stmt);
            ffi::sqlite3_clear_bindings(stmt);
        }
    }
}

/// The error of a value or statement too big for SQLite's `int` lengths and counts.
fn too_big() -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_TOOBIG), None)
}

/// The error of the connection's last call that returned `rc`.
fn last_error(conn: &Connection, rc: c_int) -> rusqlite::Error {
    // SAFETY: the handle is live while `conn` is borrowed; SQLite's message is copied
    // before any other call on the connection can change or free it.
    let message = unsafe {
        let text = ffi::sqlite3_errmsg(conn.handle());
        (!text.is_null()).then(|| CStr::from_ptr(text).to_string_lossy().into_owned())
    };
    rusqlite::Error::SqliteFailure(ffi::Error::new(rc), message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bad_input;
    use crate::import::Column;
    use crate::import::Unit;

    /// Stages a number and an optional name; refuses a row without a number.
    struct Numbers;

    impl Stage for Numbers {
        fn stage(&self, row: &Row<'_>, out: &mut Staged) -> Result<()> {
            let number: i64 = row.parse_required(0, |s| {
                s.parse()
                    .map_err(|_| bad_input!("{s:?} is not a number", "{s:?} 不是数字"))
            })?;
            out.push_integer(number);
            out.push_text(row.get(1));
            out.end_row(row.position);
            Ok(())
        }
    }

    /// Pushes a value and ends no row.
    struct Forgetful;

    impl Stage for Forgetful {
        fn stage(&self, _row: &Row<'_>, out: &mut Staged) -> Result<()> {
            out.push_text(Some("lost"));
            Ok(())
        }
    }

    const COLUMNS: &[Column] = &[Column::required("n"), Column::optional("name")];

    fn row<'a>(cells: &'a [Option<&'a str>], line: u64) -> Row<'a> {
        Row {
            cells,
            columns: COLUMNS,
            position: Position {
                number: line,
                unit: Unit::Line,
            },
            company: None,
        }
    }

    #[test]
    fn staged_rows_keep_their_values_and_a_refused_row_leaves_nothing() {
        let mut staged = Staged::default();
        staged
            .stage(&Numbers, &row(&[Some("1"), Some("甲")], 2))
            .unwrap();
        assert!(staged
            .stage(&Numbers, &row(&[Some("x"), Some("乙")], 3))
            .is_err());
        assert!(staged
            .stage(&Forgetful, &row(&[Some("4"), None], 4))
            .is_err());
        staged.stage(&Numbers, &row(&[Some("5"), None], 5)).unwrap();

        assert_eq!(staged.len(), 2);
        assert_eq!(
            (staged.integer(0, 0), staged.text(0, 1)),
            (Some(1), Some("甲"))
        );
        assert_eq!((staged.integer(1, 0), staged.text(1, 1)), (Some(5), None));
        assert_eq!(staged.position(1).number, 5);
        assert_eq!(staged.text, "甲", "no text of a refused row is kept");
        staged.clear();
        assert!(staged.is_empty());
    }

    #[test]
    fn an_insert_binds_the_staged_rows_in_order() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY, name TEXT)")
            .unwrap();
        let mut staged = Staged::default();
        for (line, cells) in (2..).zip([
            [Some("1"), Some("甲")],
            [Some("2"), None],
            [Some("1"), Some("dup")],
        ]) {
            staged.stage(&Numbers, &row(&cells, line)).unwrap();
        }
        let mut insert = Insert::new(
            &conn,
            "INSERT INTO t VALUES (?, ?), (?, ?), (?, ?) ON CONFLICT DO NOTHING",
        )
        .unwrap();
        assert_eq!(insert.execute(&staged, 0..3).unwrap(), 2);
        assert_eq!(rows(&conn), [(1, Some("甲".to_string())), (2, None)]);

        let err = Insert::new(&conn, "INSERT INTO missing VALUES (?)")
            .err()
            .unwrap();
        assert!(err.to_string().contains("no such table: missing"), "{err}");
        let mut strict = Insert::new(&conn, "INSERT INTO t VALUES (?, ?)").unwrap();
        let err = strict.execute(&staged, 2..3).unwrap_err();
        assert!(err.to_string().contains("UNIQUE"), "{err}");
    }

    /// The rows of `t`.
    fn rows(conn: &Connection) -> Vec<(i64, Option<String>)> {
        conn.prepare("SELECT n, name FROM t ORDER BY n")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn the_bindings_are_cleared_whichever_way_an_insert_ends() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY, name TEXT)")
            .unwrap();
        let mut insert = Insert::new(&conn, "INSERT INTO t VALUES (?, ?)").unwrap();
        let mut staged = Staged::default();
        staged
            .stage(&Numbers, &row(&[Some("1"), Some("甲")], 2))
            .unwrap();
        staged
            .stage(&Numbers, &row(&[Some("1"), Some("乙")], 3))
            .unwrap();
        assert_eq!(insert.execute(&staged, 0..1).unwrap(), 1);
        // Stepping fails: a key seen twice.
        let err = insert.execute(&staged, 1..2).unwrap_err();
        assert!(err.to_string().contains("UNIQUE"), "{err}");
        // Binding fails: two rows' values for one row's parameters.
        let err = insert.execute(&staged, 0..2).unwrap_err();
        assert!(err.to_string().contains("out of range"), "{err}");
        drop(staged);
        // Nothing bound: every parameter is NULL again, none points into the freed rows.
        assert_eq!(insert.execute(&Staged::default(), 0..0).unwrap(), 1);
        assert_eq!(rows(&conn), [(1, Some("甲".to_string())), (2, None)]);
    }
}
