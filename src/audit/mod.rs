//! The append-only audit log (table `events`), hash-chained so that an edited, removed or
//! re-ordered event is detected by `baton log --verify`; anchored (table `audit_anchor`:
//! the count and the last hash, written with every event) so that removing the last events
//! is detected too; and the rows that matter sealed ([`seal`]) so that their direct edit is.

mod seal;

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{refused, text, time};

pub use seal::{register, Finding, SEALED};

/// Who acts and when: every change carries one.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// The hash that the first event chains from, and the digest of no sealed rows.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The one row of `audit_anchor`: how many events there are, the hash of the last, and the
/// digest of the row seals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub events: i64,
    pub head: String,
    pub seals: String,
}

/// The anchor, unless its row was removed.
fn anchor(conn: &Connection) -> Result<Option<Anchor>> {
    conn.prepare_cached("SELECT events, head, seals FROM audit_anchor WHERE id = 1")?
        .query_row([], |r| {
            Ok(Anchor {
                events: r.get(0)?,
                head: r.get(1)?,
                seals: r.get(2)?,
            })
        })
        .optional()
        .context("cannot read the audit anchor")
}

/// Appends an event; call it inside the transaction that makes the change. It chains from
/// the anchor, not from the last row of `events`: after the last events were removed, the
/// next one leaves a gap that `verify` reports, instead of hiding the removal.
pub fn record(
    conn: &Connection,
    stamp: &Stamp,
    action: &str,
    entity: &str,
    entity_id: Option<&str>,
    detail: &Value,
) -> Result<i64> {
    let Some(anchor) = anchor(conn)? else {
        return Err(refused!(
            "the audit anchor is missing: the database was changed outside baton",
            "审计锚点缺失：数据库曾在 baton 之外被修改"
        )
        .hint(text!(
            "run `baton log --verify` to see what changed, and restore the database from a backup",
            "请运行 `baton log --verify` 查看改动，并从备份恢复数据库"
        ))
        .into());
    };
    let event = Event {
        id: anchor.events + 1,
        at: time::to_db(stamp.at),
        actor: stamp.actor.clone(),
        action: action.to_string(),
        entity: entity.to_string(),
        entity_id: entity_id.map(str::to_string),
        detail: detail.to_string(),
    };
    let hash = event.hash(&anchor.head);
    conn.prepare_cached(
        "INSERT INTO events (id, at, actor, action, entity, entity_id, detail, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        event.id,
        event.at,
        event.actor,
        event.action,
        event.entity,
        event.entity_id,
        event.detail,
        hash
    ])
    .context("cannot write the audit event")?;
    conn.prepare_cached("UPDATE audit_anchor SET events = ?1, head = ?2 WHERE id = 1")?
        .execute(params![event.id, hash])
        .context("cannot write the audit anchor")?;
    Ok(event.id)
}

/// One event as stored, `detail` being JSON text.
#[derive(Debug, Clone)]
struct Event {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub detail: String,
}

impl Event {
    /// The hash that chains this event to the one before: SHA-256 of the previous hash and
    /// the event's fields.
    fn hash(&self, prev_hash: &str) -> String {
        let content = serde_json::json!([
            self.id,
            self.at,
            self.actor,
            self.action,
            self.entity,
            self.entity_id,
            self.detail
        ]);
        let mut hasher = Sha256::new();
        hasher.update(prev_hash.as_bytes());
        hasher.update(content.to_string().as_bytes());
        hex(&hasher.finalize())
    }

    /// An event from a row of the `events` table.
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
        Ok(Event {
            id: row.get("id")?,
            at: row.get("at")?,
            actor: row.get("actor")?,
            action: row.get("action")?,
            entity: row.get("entity")?,
            entity_id: row.get("entity_id")?,
            detail: row.get("detail")?,
        })
    }
}

/// Bytes as lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Filters of `baton log`; each given one narrows the events by an indexed column.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub actor: Option<String>,
}

impl Filter {
    /// The WHERE clause of the filters given, and its parameters: only the conditions given,
    /// so that SQLite picks the index that answers them.
    fn clause(&self) -> (String, Vec<SqlValue>) {
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        let given = [
            ("entity = ?", self.entity.clone()),
            ("entity_id = ?", self.entity_id.clone()),
            ("at >= ?", self.since.map(time::to_db)),
            ("at < ?", self.until.map(time::to_db)),
            ("actor = ?", self.actor.clone()),
        ];
        for (condition, value) in given {
            if let Some(value) = value {
                conditions.push(condition);
                values.push(SqlValue::Text(value));
            }
        }
        let clause = match conditions.is_empty() {
            true => String::new(),
            false => format!(" WHERE {}", conditions.join(" AND ")),
        };
        (clause, values)
    }

    /// The events matching in `order`, the first `limit` of them (all with `None`).
    fn select(&self, order: &str, limit: Option<u64>) -> (String, Vec<SqlValue>) {
        let (clause, mut values) = self.clause();
        let mut sql = format!(
            "SELECT id, at, actor, action, entity, entity_id, detail FROM events{clause}
             ORDER BY {order}"
        );
        if let Some(limit) = limit {
            sql.push_str(" LIMIT ?");
            values.push(SqlValue::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
        }
        (sql, values)
    }
}

/// An event as `baton log` shows it: local time, and the detail as JSON, so that the
/// personal data in before/after is masked like any other output.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub detail: Value,
}

impl From<Event> for LogEntry {
    fn from(event: Event) -> LogEntry {
        LogEntry {
            at: time::stored_to_local(event.at),
            detail: serde_json::from_str(&event.detail).unwrap_or(Value::String(event.detail)),
            id: event.id,
            actor: event.actor,
            action: event.action,
            entity: event.entity,
            entity_id: event.entity_id,
        }
    }
}

/// The order of the newest events, which the indexes on `at` (with the id at their end)
/// answer without sorting.
const NEWEST_FIRST: &str = "at DESC, id DESC";

/// How many events match `filter`.
pub fn count(conn: &Connection, filter: &Filter) -> Result<u64> {
    let (clause, values) = filter.clause();
    conn.prepare_cached(&format!("SELECT count(*) FROM events{clause}"))?
        .query_row(params_from_iter(values), |r| r.get(0))
        .context("cannot count the audit events")
}

/// The newest `limit` events matching `filter` (every one with `None`), oldest first, as
/// `tail` shows the end of a file.
pub fn list(
    conn: &Connection,
    filter: &Filter,
    limit: Option<u64>,
    mut each: impl FnMut(LogEntry) -> Result<()>,
) -> Result<()> {
    let (sql, values) = match limit {
        Some(_) => {
            let (latest, values) = filter.select(NEWEST_FIRST, limit);
            (format!("SELECT * FROM ({latest}) ORDER BY at, id"), values)
        }
        None => filter.select("at, id", None),
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt
        .query(params_from_iter(values))
        .context("cannot read the audit log")?;
    while let Some(row) = rows.next()? {
        each(Event::from_row(row)?.into())?;
    }
    Ok(())
}

/// Where the chain of events breaks (the first place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The event's stored hash does not match its content and its predecessor.
    Altered { id: i64 },
    /// Ids jump: events in between were removed.
    Missing { after: i64, next: i64 },
}

/// Something `verify` found out of place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The first break in the chain of events.
    Chain(Break),
    /// The anchor's row is gone.
    AnchorMissing,
    /// The anchor names another last event, or another hash of it, than the log holds
    /// (`events` is the id of the log's last event): the last events were removed, or
    /// written past baton.
    Anchor {
        anchor: Anchor,
        events: i64,
        head: String,
    },
    /// A sealed row, a seal, a trigger or the seals' digest.
    Seal(Finding),
}

/// What `verify` walked and found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Events in the log, and the hash of the last (the head).
    pub events: i64,
    pub head: String,
    /// The anchor as stored.
    pub anchor: Option<Anchor>,
    /// The sealed rows and the digest of their seals.
    pub sealed_rows: u64,
    pub seal_digest: String,
    /// The event whose hash starts with the expected head, when one was given and found.
    pub expected_at: Option<i64>,
    pub problems: Vec<Problem>,
}

/// Walks the whole chain, compares its end with the anchor, re-seals the sealed rows, and
/// looks for the event whose hash starts with `expect` (lower-case hex), if given.
pub fn verify(conn: &Connection, expect: Option<&str>) -> Result<Verified> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, entity, entity_id, detail, hash FROM events ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = (0_i64, GENESIS.to_string());
    let mut broken = None;
    let mut expected_at = None;
    let mut count = 0;
    while let Some(row) = rows.next()? {
        let event = Event::from_row(row)?;
        let stored: String = row.get("hash")?;
        if broken.is_none() {
            if event.id != prev.0 + 1 {
                broken = Some(Break::Missing {
                    after: prev.0,
                    next: event.id,
                });
            } else if event.hash(&prev.1) != stored {
                broken = Some(Break::Altered { id: event.id });
            }
        }
        if expect.is_some_and(|e| stored.starts_with(e)) {
            expected_at = Some(event.id);
        }
        prev = (event.id, stored);
        count += 1;
    }
    let mut problems: Vec<Problem> = broken.into_iter().map(Problem::Chain).collect();
    let anchor = anchor(conn)?;
    match &anchor {
        None => problems.push(Problem::AnchorMissing),
        Some(a) if a.events != prev.0 || a.head != prev.1 => problems.push(Problem::Anchor {
            anchor: a.clone(),
            events: prev.0,
            head: prev.1.clone(),
        }),
        Some(_) => {}
    }
    let seals = seal::check(conn, anchor.as_ref().map(|a| a.seals.as_str()))?;
    problems.extend(seals.findings.into_iter().map(Problem::Seal));
    Ok(Verified {
        events: count,
        head: prev.1,
        anchor,
        sealed_rows: seals.rows,
        seal_digest: seals.digest,
        expected_at,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stamp() -> Stamp {
        Stamp {
            actor: "tester".into(),
            at: "2026-03-02T01:00:00Z".parse().unwrap(),
        }
    }

    fn db_with_events(n: usize) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        for i in 0..n {
            record(
                &conn,
                &stamp(),
                "customer.add",
                "customer",
                Some(&format!("C{i}")),
                &json!({"i": i}),
            )
            .unwrap();
        }
        conn
    }

    /// The problems `verify` finds, expecting no head.
    fn problems(conn: &Connection) -> Vec<Problem> {
        verify(conn, None).unwrap().problems
    }

    /// Runs `sql` on the events as an attacker would: after dropping the triggers that
    /// refuse it.
    fn tamper(conn: &Connection, sql: &str) {
        conn.execute_batch(&format!(
            "DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; {sql}"
        ))
        .unwrap();
    }

    /// `first`, then the findings of [`tamper`]'s dropped triggers.
    fn with_dropped(first: Problem) -> Vec<Problem> {
        let dropped = ["events_no_update", "events_no_delete"].map(|name| {
            Problem::Seal(Finding::Trigger {
                name: name.into(),
                missing: true,
            })
        });
        [vec![first], dropped.to_vec()].concat()
    }

    #[test]
    fn an_intact_chain_verifies() {
        let verified = verify(&db_with_events(5), None).unwrap();
        assert_eq!((verified.events, verified.problems), (5, vec![]));
        assert_eq!(verified.anchor.unwrap().head, verified.head);
        assert_eq!(problems(&db_with_events(0)), vec![]);
    }

    #[test]
    fn an_edited_event_is_found() {
        let conn = db_with_events(5);
        assert!(conn
            .execute("UPDATE events SET actor = 'mallory' WHERE id = 3", [])
            .is_err());
        tamper(&conn, "UPDATE events SET actor = 'mallory' WHERE id = 3");
        assert_eq!(
            problems(&conn),
            with_dropped(Problem::Chain(Break::Altered { id: 3 }))
        );
    }

    #[test]
    fn a_removed_event_is_found() {
        let conn = db_with_events(5);
        assert!(conn.execute("DELETE FROM events WHERE id = 2", []).is_err());
        tamper(&conn, "DELETE FROM events WHERE id = 2");
        assert_eq!(
            problems(&conn),
            with_dropped(Problem::Chain(Break::Missing { after: 1, next: 3 }))
        );
    }

    #[test]
    fn swapped_events_are_found() {
        let conn = db_with_events(5);
        tamper(
            &conn,
            "UPDATE events SET id = 100 WHERE id = 2; UPDATE events SET id = 2 WHERE id = 3;
             UPDATE events SET id = 3 WHERE id = 100;",
        );
        assert_eq!(
            problems(&conn),
            with_dropped(Problem::Chain(Break::Altered { id: 2 }))
        );
    }

    #[test]
    fn removing_the_last_events_breaks_the_anchor() {
        let conn = db_with_events(5);
        tamper(&conn, "DELETE FROM events WHERE id > 3");
        assert!(matches!(
            problems(&conn)[..],
            [Problem::Anchor { events: 3, .. }, _, _]
        ));
        conn.execute("DELETE FROM events", []).unwrap();
        assert!(matches!(
            problems(&conn)[..],
            [Problem::Anchor { events: 0, .. }, _, _]
        ));
    }

    #[test]
    fn the_next_event_after_a_truncation_leaves_a_gap() {
        let conn = db_with_events(5);
        tamper(&conn, "DELETE FROM events WHERE id = 5");
        record(
            &conn,
            &stamp(),
            "customer.add",
            "customer",
            None,
            &json!({}),
        )
        .unwrap();
        assert_eq!(
            problems(&conn),
            with_dropped(Problem::Chain(Break::Missing { after: 4, next: 6 }))
        );
    }

    #[test]
    fn without_its_anchor_the_log_takes_no_event() {
        let conn = db_with_events(2);
        conn.execute("DELETE FROM audit_anchor", []).unwrap();
        assert_eq!(problems(&conn), vec![Problem::AnchorMissing]);
        assert!(record(
            &conn,
            &stamp(),
            "customer.add",
            "customer",
            None,
            &json!({})
        )
        .is_err());
    }

    #[test]
    fn an_expected_head_is_found_by_its_prefix() {
        let conn = db_with_events(3);
        let head: String = conn
            .query_row("SELECT hash FROM events WHERE id = 2", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            verify(&conn, Some(&head[..12])).unwrap().expected_at,
            Some(2)
        );
        assert_eq!(
            verify(&conn, Some("0123456789ab")).unwrap().expected_at,
            None
        );
    }

    #[test]
    fn every_page_of_the_log_is_read_from_an_index() {
        let conn = db_with_events(0);
        let at = Some("2026-03-02T01:00:00Z".parse().unwrap());
        let text = Some("x".to_string());
        let filters = [
            Filter::default(),
            Filter {
                since: at,
                until: at,
                ..Filter::default()
            },
            Filter {
                actor: text.clone(),
                since: at,
                ..Filter::default()
            },
            Filter {
                entity: text.clone(),
                ..Filter::default()
            },
            Filter {
                entity: text.clone(),
                entity_id: text.clone(),
                ..Filter::default()
            },
            Filter {
                entity_id: text.clone(),
                until: at,
                ..Filter::default()
            },
        ];
        // An unfiltered count reads a whole index (the smallest): that is still an index.
        let from_index = |sql: &str| {
            let plan = crate::db::query_plan(&conn, sql);
            assert!(
                plan.iter()
                    .all(|step| step.contains("USING") && !step.contains("TEMP B-TREE")),
                "{sql}\n{plan:#?}"
            );
        };
        for filter in filters {
            for (order, limit) in [(NEWEST_FIRST, Some(50)), ("at, id", None)] {
                from_index(&filter.select(order, limit).0);
            }
            from_index(&format!("SELECT count(*) FROM events{}", filter.clause().0));
        }
    }

    #[test]
    fn an_edited_sealed_row_is_named_with_its_column() {
        let conn = db_with_events(1);
        conn.execute_batch(
            "INSERT INTO companies VALUES (1, '91440300MA5G00001W', '甲', NULL, '2026-01-01T00:00:00Z');
             INSERT INTO complaints (company_id, complainant, category, channel, summary, received_at,
                 accept_due, feedback_due, resolve_due, accept_clock)
             VALUES (1, '刘', 'other', 'phone', 's', '2026-03-02T01:00:00Z', '2026-03-03T01:00:00Z',
                 '2026-03-04T01:00:00Z', '2026-05-01T01:00:00Z', '24h');
             UPDATE complaints SET status = 'accepted', accepted_at = '2026-03-02T02:00:00Z';",
        )
        .unwrap();
        assert_eq!(problems(&conn), vec![]);
        conn.execute_batch(
            "DROP TRIGGER seal_complaints_update;
             UPDATE complaints SET accept_due = '2026-04-01T00:00:00Z';",
        )
        .unwrap();
        assert_eq!(
            problems(&conn),
            vec![
                Problem::Seal(Finding::Trigger {
                    name: "seal_complaints_update".into(),
                    missing: true
                }),
                Problem::Seal(Finding::Edited {
                    table: "complaints",
                    id: 1,
                    columns: vec!["accept_due"]
                }),
            ]
        );
    }

    #[test]
    fn the_triggers_are_the_ones_the_schema_creates() {
        let conn = db_with_events(0);
        assert_eq!(seal::check(&conn, None).unwrap().findings, vec![]);
        let count: usize = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(count, seal::triggers().len());
    }

    #[test]
    fn an_upgraded_database_is_anchored_and_sealed() {
        let mut conn = Connection::open_in_memory().unwrap();
        let anchoring = include_str!("../../migrations/0017_audit_anchor.sql");
        let before = crate::db::MIGRATIONS
            .iter()
            .position(|step| *step == anchoring)
            .unwrap();
        for sql in &crate::db::MIGRATIONS[..before] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", before as i64)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO companies VALUES (1, '91440300MA5G00001W', '甲', NULL, '2026-01-01T00:00:00Z');
             INSERT INTO complaints (company_id, complainant, category, channel, summary, received_at,
                 accept_due, feedback_due, resolve_due, accept_clock)
             VALUES (1, '刘', 'other', 'phone', 's', '2026-03-02T01:00:00Z', '2026-03-03T01:00:00Z',
                 '2026-03-04T01:00:00Z', '2026-05-01T01:00:00Z', '24h');",
        )
        .unwrap();
        let mut prev = GENESIS.to_string();
        for id in 1..=3 {
            let event = Event {
                id,
                at: "2026-03-02T01:00:00Z".into(),
                actor: "tester".into(),
                action: "complaint.file".into(),
                entity: "complaint".into(),
                entity_id: Some("1".into()),
                detail: "{}".into(),
            };
            prev = event.hash(&prev);
            conn.execute(
                "INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    event.id,
                    event.at,
                    event.actor,
                    event.action,
                    event.entity,
                    event.entity_id,
                    event.detail,
                    prev
                ],
            )
            .unwrap();
        }
        crate::db::migrate(&mut conn).unwrap();
        let verified = verify(&conn, None).unwrap();
        assert_eq!(verified.problems, vec![]);
        assert_eq!((verified.events, verified.sealed_rows), (3, 1));
        assert_eq!(verified.anchor.unwrap().head, prev);
    }
}
