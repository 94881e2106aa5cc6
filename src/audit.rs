//! The append-only audit log (table `events`), hash-chained so that an edited, removed or
//! re-ordered event is detected by `baton log --verify`.

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::time;

/// Who acts and when: every change carries one.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub actor: String,
    pub at: DateTime<Utc>,
}

/// The hash that the first event chains from.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Appends an event; call it inside the transaction that makes the change.
pub fn record(
    conn: &Connection,
    stamp: &Stamp,
    action: &str,
    entity: &str,
    entity_id: Option<&str>,
    detail: &Value,
) -> Result<i64> {
    let (prev_id, prev_hash): (i64, String) = conn
        .prepare_cached("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
        .context("cannot read the last audit event")?
        .unwrap_or((0, GENESIS.to_string()));
    let event = Event {
        id: prev_id + 1,
        at: time::to_db(stamp.at),
        actor: stamp.actor.clone(),
        action: action.to_string(),
        entity: entity.to_string(),
        entity_id: entity_id.map(str::to_string),
        detail: detail.to_string(),
    };
    let hash = event.hash(&prev_hash);
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
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Filters of `baton log`.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub actor: Option<String>,
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

/// Events matching `filter`, oldest first.
pub fn list(
    conn: &Connection,
    filter: &Filter,
    mut each: impl FnMut(LogEntry) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, actor, action, entity, entity_id, detail FROM events
         WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2)
           AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR actor = ?4)
         ORDER BY id",
    )?;
    let since = filter.since.map(time::to_db);
    let mut rows = stmt.query(params![
        filter.entity,
        filter.entity_id,
        since,
        filter.actor
    ])?;
    while let Some(row) = rows.next()? {
        each(Event::from_row(row)?.into())?;
    }
    Ok(())
}

/// The first place where the chain breaks, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The event's stored hash does not match its content and its predecessor.
    Altered { id: i64 },
    /// Ids jump: events in between were removed.
    Missing { after: i64, next: i64 },
}

/// Walks the whole chain; returns the number of events checked or the first break.
pub fn verify(conn: &Connection) -> Result<Result<u64, Break>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, entity, entity_id, detail, hash FROM events ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = (0_i64, GENESIS.to_string());
    let mut count = 0;
    while let Some(row) = rows.next()? {
        let event = Event::from_row(row)?;
        let stored: String = row.get("hash")?;
        if event.id != prev.0 + 1 {
            return Ok(Err(Break::Missing {
                after: prev.0,
                next: event.id,
            }));
        }
        if event.hash(&prev.1) != stored {
            return Ok(Err(Break::Altered { id: event.id }));
        }
        prev = (event.id, stored);
        count += 1;
    }
    Ok(Ok(count))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn db_with_events(n: usize) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let stamp = Stamp {
            actor: "tester".into(),
            at: "2026-03-02T01:00:00Z".parse().unwrap(),
        };
        for i in 0..n {
            record(
                &conn,
                &stamp,
                "customer.add",
                "customer",
                Some(&format!("C{i}")),
                &json!({"i": i}),
            )
            .unwrap();
        }
        conn
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&db_with_events(5)).unwrap(), Ok(5));
        assert_eq!(verify(&db_with_events(0)).unwrap(), Ok(0));
    }

    #[test]
    fn an_edited_event_is_found() {
        let conn = db_with_events(5);
        conn.execute("UPDATE events SET actor = 'mallory' WHERE id = 3", [])
            .unwrap();
        assert_eq!(verify(&conn).unwrap(), Err(Break::Altered { id: 3 }));
    }

    #[test]
    fn a_removed_event_is_found() {
        let conn = db_with_events(5);
        conn.execute("DELETE FROM events WHERE id = 2", []).unwrap();
        assert_eq!(
            verify(&conn).unwrap(),
            Err(Break::Missing { after: 1, next: 3 })
        );
    }

    #[test]
    fn swapped_events_are_found() {
        let conn = db_with_events(5);
        conn.execute_batch(
            "UPDATE events SET id = 100 WHERE id = 2; UPDATE events SET id = 2 WHERE id = 3;
             UPDATE events SET id = 3 WHERE id = 100;",
        )
        .unwrap();
        assert_eq!(verify(&conn).unwrap(), Err(Break::Altered { id: 2 }));
    }
}
