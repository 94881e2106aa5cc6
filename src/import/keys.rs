//! The table being loaded: row ids that find a key seen twice in one file ([`Keys`]), the
//! keys of a bulk load without their unique index ([`LoadedKeys`]), and the indexes of an
//! empty table, dropped and rebuilt around a bulk load ([`DeferredIndexes`]).

use std::hash::{BuildHasher, Hash};

use foldhash::fast::RandomState;

use anyhow::{Context as _, Result};
use rusqlite::Connection;

use super::{Position, CACHE_KIB};

/// The page cache while indexes are rebuilt, in KiB (see [`DeferredIndexes::rebuild`]).
const SORT_KIB: i64 = 2 * 1024;

/// Row ids for this file's new rows, and the existing rows it has named, so that a key
/// seen twice in one file is found with the line of its first appearance. The line of each
/// existing row named is kept by row id in memory (4 bytes per row of the table, for the
/// first [`DENSE_ROWS`] row ids; a million rows looked up in a temporary table took a
/// second of a nightly re-import), the others in a temporary table, so that memory stays
/// bounded.
#[derive(Clone)]
pub struct Keys {
    base: i64,
    lines: Vec<u32>,
}

/// Row ids below this have their lines kept in memory (16 MiB at most).
const DENSE_ROWS: usize = 1 << 22;

impl Keys {
    /// `table` is a constant table name with an `INTEGER PRIMARY KEY` named `id`.
    pub fn new(conn: &Connection, table: &str) -> Result<Keys> {
        let base: Option<i64> = conn
            .query_row(&format!("SELECT max(id) FROM {table}"), [], |r| r.get(0))
            .with_context(|| format!("cannot read {table}"))?;
        conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS import_seen (id INTEGER PRIMARY KEY, line INTEGER NOT NULL);
             DELETE FROM temp.import_seen;",
        )
        .context("cannot prepare the import")?;
        Ok(Keys {
            base: base.unwrap_or(0),
            lines: Vec::new(),
        })
    }

    /// The row id for a new row at `position`.
    pub fn rowid(&self, position: Position) -> i64 {
        self.base.saturating_add_unsigned(position.number)
    }

    /// The number in the file of the new row stored at `rowid` (see [`Keys::rowid`]).
    pub fn number(&self, rowid: i64) -> u64 {
        rowid.abs_diff(self.base)
    }

    /// Whether this file already named the record stored at `rowid`: the position of its
    /// first appearance. Otherwise remembers that `position` names it.
    pub fn seen(
        &mut self,
        conn: &Connection,
        rowid: i64,
        position: Position,
    ) -> Result<Option<u64>> {
        if rowid > self.base {
            return Ok(Some(self.number(rowid)));
        }
        // A line past `u32::MAX - 1` is kept in the table, its slot marked `u32::MAX`.
        if let Some(at) = usize::try_from(rowid).ok().filter(|&i| i < DENSE_ROWS) {
            if at >= self.lines.len() {
                let len = self.base.clamp(0, DENSE_ROWS as i64) as usize;
                self.lines.resize(len.max(at + 1), 0);
            }
            match self.lines[at] {
                0 => {
                    let line = u32::try_from(position.number).unwrap_or(u32::MAX);
                    self.lines[at] = line;
                    if line < u32::MAX {
                        return Ok(None);
                    }
                }
                u32::MAX => {}
                first => return Ok(Some(u64::from(first))),
            }
        }
        let line = i64::try_from(position.number).context("a line number past 2^63")?;
        let added = conn
            .prepare_cached(
                "INSERT INTO temp.import_seen (id, line) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?
            .execute(rusqlite::params![rowid, line])?;
        if added == 1 {
            return Ok(None);
        }
        let first: u64 = conn
            .prepare_cached("SELECT line FROM temp.import_seen WHERE id = ?1")?
            .query_row([rowid], |r| r.get(0))?;
        Ok(Some(first))
    }
}

/// The keys of the rows of a bulk load, whose unique index is dropped until the end
/// ([`DeferredIndexes`]): a key seen twice in the file is found here.
///
/// While the keys arrive in order (each above every earlier key of its company, as in an
/// export), no key can repeat one before it: only the last key of each company is kept
/// ([`LoadedKeys::rising`]). From the first key out of order on, every key goes into a
/// hash table, the earlier ones first ([`LoadedKeys::note`]): each takes one slot of 8
/// bytes (32 bits of its hash, and its number in the file) in a table kept at most half
/// full, 16 MiB for a million rows; a slot whose hash bits match is compared with the
/// stored row by the caller, so a collision is never taken for a repeated key. Hashing every
/// key of a million-row file in order took a third of a second of the writing thread.
pub struct LoadedKeys {
    hasher: RandomState,
    /// The last key of each company while every key so far was in order; `None` after.
    last: Option<foldhash::HashMap<i64, String>>,
    slots: Vec<u64>,
    len: usize,
}

impl Default for LoadedKeys {
    fn default() -> LoadedKeys {
        LoadedKeys {
            hasher: RandomState::default(),
            last: Some(foldhash::HashMap::default()),
            slots: Vec::new(),
            len: 0,
        }
    }
}

/// What [`LoadedKeys::rising`] says of a key.
#[derive(Debug, PartialEq, Eq)]
pub enum Order {
    /// Above every earlier key of its company: it repeats none.
    Rising,
    /// The first key out of order: the earlier keys are to be noted, then this one looked up.
    Broken,
    /// A key after the first out of order: to be looked up.
    Unordered,
}

impl LoadedKeys {
    /// Whether `code` comes after every earlier code of `company` (compared as bytes, as the
    /// index compares them), noting it as the last one.
    pub fn rising(&mut self, company: i64, code: &str) -> Order {
        let Some(last) = &mut self.last else {
            return Order::Unordered;
        };
        match last.get_mut(&company) {
            Some(last) if last.as_str() >= code => {
                self.last = None;
                return Order::Broken;
            }
            Some(last) => {
                last.clear();
                last.push_str(code);
            }
            None => {
                last.insert(company, code.to_string());
            }
        }
        Order::Rising
    }

    /// Notes that the row at `number` has `key`, a key no other noted row has.
    pub fn note(&mut self, key: impl Hash, number: u64) -> Result<()> {
        self.first(key, number, |_| Ok(false)).map(|_| ())
    }

    /// The number of the earlier row with the same `key` (for which `same` says yes), or
    /// `None` after noting that the row at `number` has it.
    pub fn first(
        &mut self,
        key: impl Hash,
        number: u64,
        mut same: impl FnMut(u64) -> Result<bool>,
    ) -> Result<Option<u64>> {
        if self.slots.is_empty() {
            self.slots = vec![0; 1024];
        }
        let tag = self.hasher.hash_one(key) >> 32;
        let stored = u32::try_from(number)
            .ok()
            .and_then(|n| n.checked_add(1))
            .context("a row number past 2^32 - 1 in a bulk load")?;
        let mask = self.slots.len() - 1;
        let mut at = tag as usize & mask;
        while self.slots[at] != 0 {
            let slot = self.slots[at];
            if slot >> 32 == tag {
                let earlier = (slot & u64::from(u32::MAX)) - 1;
                if same(earlier)? {
                    return Ok(Some(earlier));
                }
            }
            at = (at + 1) & mask;
        }
        self.slots[at] = tag << 32 | u64::from(stored);
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            self.grow();
        }
        Ok(None)
    }

    /// Twice the slots, every key moved to its place among them.
    fn grow(&mut self) {
        let doubled = vec![0; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let mut at = (slot >> 32) as usize & mask;
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = slot;
        }
    }
}

/// Secondary indexes dropped for a bulk load into an empty table and rebuilt after it, in
/// the same transaction: one sort per index instead of a B-tree insert per row. The
/// exception is the key index while the rows come in its order ([`DeferredIndexes::follow`]):
/// appending to it costs less than the scan and sort of rebuilding it (a million customers
/// in order: 2.08 -> 1.83 s); at the first key out of order it is dropped like the others
/// (inserting out of order into it took a spread file from 2.4 to 6 s).
pub struct DeferredIndexes {
    create: Vec<String>,
    in_order: Option<InOrder>,
}

/// The key index kept while the keys rise: its name, its SQL, and the last key it took.
struct InOrder {
    name: String,
    sql: String,
    last: Option<(i64, String)>,
}

impl DeferredIndexes {
    /// Drops the explicitly created indexes of `table` when it is empty (`None` otherwise),
    /// unique ones too (the entity finds a key repeated in the file: [`LoadedKeys`]), but
    /// not those named in `kept`, nor the key index `key` (on the company and the code)
    /// until the keys leave its order. Unique constraints stay: they find duplicate keys
    /// as the rows arrive.
    pub fn drop_if_empty(
        conn: &Connection,
        table: &str,
        kept: &[&str],
        key: &str,
    ) -> Result<Option<DeferredIndexes>> {
        if !crate::db::is_empty(conn, table)? {
            return Ok(None);
        }
        let mut stmt = conn.prepare(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
        )?;
        let indexes = stmt
            .query_map([table], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))?
            .filter(|index| !matches!(index, Ok((name, _)) if kept.contains(&name.as_str())))
            .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
        let mut deferred = DeferredIndexes {
            create: Vec::new(),
            in_order: None,
        };
        for (name, sql) in indexes {
            if name == key {
                deferred.in_order = Some(InOrder {
                    name,
                    sql,
                    last: None,
                });
            } else {
                drop_index(conn, &name)?;
                deferred.create.push(sql);
            }
        }
        Ok(Some(deferred))
    }

    /// Follows the keys (company, code) of the rows about to be inserted, in order: the
    /// key index is dropped, to be rebuilt, before the first key that is not above the one
    /// before it (a repeated key included, which the index would refuse).
    pub fn follow<'k>(
        &mut self,
        conn: &Connection,
        keys: impl IntoIterator<Item = (i64, &'k str)>,
    ) -> Result<()> {
        let Some(index) = &mut self.in_order else {
            return Ok(());
        };
        for (company, code) in keys {
            match &mut index.last {
                Some(last) if (last.0, last.1.as_str()) < (company, code) => {
                    last.0 = company;
                    last.1.clear();
                    last.1.push_str(code);
                }
                Some(_) => {
                    drop_index(conn, &index.name)?;
                    self.create.push(std::mem::take(&mut index.sql));
                    self.in_order = None;
                    return Ok(());
                }
                None => index.last = Some((company, code.to_string())),
            }
        }
        Ok(())
    }

    /// Creates the indexes again. SQLite sorts the entries in runs the size of its page
    /// cache: runs that fit the CPU cache, sorted by a helper thread while this one scans
    /// the table, took the three customer indexes from 0.95 s to 0.45 s on 1M rows.
    pub fn rebuild(self, conn: &Connection) -> Result<()> {
        conn.pragma_update(None, "cache_size", -SORT_KIB)?;
        conn.pragma_update(None, "threads", 2)?;
        for sql in &self.create {
            conn.execute_batch(sql)
                .with_context(|| format!("cannot rebuild the index: {sql}"))?;
        }
        conn.pragma_update(None, "threads", 0)?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        Ok(())
    }
}

fn drop_index(conn: &Connection, name: &str) -> Result<()> {
    conn.execute_batch(&format!("DROP INDEX \"{name}\""))
        .with_context(|| format!("cannot drop the index {name}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Unit;

    #[test]
    fn a_repeated_key_finds_its_first_row_and_a_colliding_one_does_not() {
        let mut keys = LoadedKeys::default();
        let keys_of: Vec<(i64, String)> = (0..5000).map(|n| (n % 7, format!("C{n}"))).collect();
        for (number, key) in keys_of.iter().enumerate() {
            let found = keys.first(key, number as u64, |earlier| {
                Ok(keys_of[earlier as usize] == *key)
            });
            assert_eq!(found.unwrap(), None, "{key:?}");
        }
        assert!(keys.slots.len() >= 2 * 5000);
        let again = keys.first(&keys_of[4321], 9000, |earlier| {
            Ok(keys_of.get(earlier as usize) == Some(&keys_of[4321]))
        });
        assert_eq!(again.unwrap(), Some(4321));
        let mut asked = 0;
        let mut colliding = LoadedKeys::default();
        assert_eq!(colliding.first("a", 1, |_| Ok(true)).unwrap(), None);
        let told_apart = colliding.first("a", 2, |_| {
            asked += 1;
            Ok(false)
        });
        assert_eq!(told_apart.unwrap(), None, "the caller said the rows differ");
        assert_eq!(asked, 1);
        assert_eq!(colliding.first("a", 3, |n| Ok(n == 2)).unwrap(), Some(2));
        assert!(LoadedKeys::default()
            .first("a", 1 << 32, |_| Ok(false))
            .is_err());
    }

    #[test]
    fn keys_in_order_of_each_company_are_rising_until_one_is_not() {
        let mut keys = LoadedKeys::default();
        for (company, code) in [(1, "C1"), (2, "C1"), (1, "C2"), (2, "C9"), (1, "C3")] {
            assert_eq!(
                keys.rising(company, code),
                Order::Rising,
                "{company} {code}"
            );
        }
        assert!(keys.slots.is_empty(), "no key is hashed while they rise");
        assert_eq!(
            keys.rising(2, "C10"),
            Order::Broken,
            "\"C10\" < \"C9\" as bytes"
        );
        assert_eq!(
            keys.rising(1, "C4"),
            Order::Unordered,
            "every key after is looked up"
        );
        let mut again = LoadedKeys::default();
        assert_eq!(again.rising(1, "C1"), Order::Rising);
        assert_eq!(
            again.rising(1, "C1"),
            Order::Broken,
            "a repeated key is not rising"
        );
        again.note((1, "C1"), 1).unwrap();
        let first = again.first((1, "C1"), 2, |earlier| Ok(earlier == 1));
        assert_eq!(first.unwrap(), Some(1));
    }

    #[test]
    fn a_new_row_and_an_existing_record_named_twice_find_their_first_line() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (5);")
            .unwrap();
        let mut keys = Keys::new(&conn, "t").unwrap();
        let at = |number| Position {
            number,
            unit: Unit::Line,
        };
        assert_eq!(keys.rowid(at(3)), 8);
        assert_eq!(keys.seen(&conn, 8, at(9)).unwrap(), Some(3));
        assert_eq!(keys.seen(&conn, 5, at(4)).unwrap(), None);
        assert_eq!(keys.seen(&conn, 5, at(6)).unwrap(), Some(4));
        let past = (DENSE_ROWS + 1) as i64;
        conn.execute("INSERT INTO t VALUES (?1)", [past]).unwrap();
        let mut keys = Keys::new(&conn, "t").unwrap();
        assert_eq!(keys.seen(&conn, past, at(7)).unwrap(), None, "{past}");
        assert_eq!(keys.seen(&conn, past, at(9)).unwrap(), Some(7));
        let far = Position {
            number: u64::from(u32::MAX) + 1,
            unit: Unit::Line,
        };
        assert_eq!(keys.seen(&conn, 2, far).unwrap(), None);
        assert_eq!(keys.seen(&conn, 2, at(3)).unwrap(), Some(far.number));
    }

    #[test]
    fn the_key_index_is_kept_while_the_keys_rise_then_rebuilt_with_the_others() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let indexes = |conn: &Connection| -> Vec<String> {
            let mut stmt = conn
                .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'customers' AND sql IS NOT NULL ORDER BY name")
                .unwrap();
            let names = stmt.query_map([], |r| r.get(0)).unwrap();
            names.collect::<rusqlite::Result<_>>().unwrap()
        };
        let all = indexes(&conn);
        let mut deferred = DeferredIndexes::drop_if_empty(
            &conn,
            "customers",
            &["customers_unbacked"],
            "customers_key",
        )
        .unwrap()
        .unwrap();
        let kept = ["customers_key", "customers_unbacked"];
        assert_eq!(indexes(&conn), kept);
        let rising = [(1, "C1"), (1, "C2"), (2, "C0")];
        deferred.follow(&conn, rising).unwrap();
        deferred.follow(&conn, [(2, "C1")]).unwrap();
        assert_eq!(indexes(&conn), kept, "the keys still rise");
        deferred.follow(&conn, [(2, "C2"), (2, "C2")]).unwrap();
        assert_eq!(indexes(&conn), ["customers_unbacked"], "a key repeated");
        deferred.follow(&conn, [(1, "C0")]).unwrap();
        deferred.rebuild(&conn).unwrap();
        assert_eq!(indexes(&conn), all);
    }
}
