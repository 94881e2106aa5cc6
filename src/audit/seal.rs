//! Row seals: the columns whose silent edit would change what baton reports (deadlines,
//! statuses, points) are fingerprinted into `row_seals` by triggers on every insert and
//! update, and the seals are folded into one digest in `audit_anchor`. The triggers call
//! functions that only baton registers ([`register`]), so an edit in the `sqlite3` shell fails
//! while they stand; one made after dropping them is found by [`check`], which names the
//! table, the row and the column.

use anyhow::{Context as _, Result};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::hex;

/// A table whose rows are sealed, and the columns the seal covers (in this order: a seal is
/// one 16-digit fingerprint per column). Changing a list needs a migration that re-seals.
pub struct Sealed {
    pub table: &'static str,
    pub columns: &'static [&'static str],
}

/// The sealed tables. Names, codes, summaries and notes are left out: they are covered by
/// the audit events that record them, and their edit changes no clock, score or status.
pub const SEALED: &[Sealed] = &[
    Sealed {
        table: "complaints",
        columns: &[
            "company_id",
            "customer_id",
            "handover_id",
            "status",
            "received_at",
            "accept_due",
            "feedback_due",
            "resolve_due",
            "accepted_at",
            "rejected_at",
            "feedback_at",
            "resolved_at",
            "outcome",
            "on_hold_since",
            "held_seconds",
            "inform_due",
            "informed_at",
        ],
    },
    Sealed {
        table: "credit_events",
        columns: &[
            "subject_id",
            "company_id",
            "code",
            "kind",
            "severity",
            "points",
            "occurred_on",
            "expires_on",
            "status",
            "closed_at",
            "official",
            "decided_on",
        ],
    },
    Sealed {
        table: "handovers",
        columns: &[
            "company_id",
            "employee_id",
            "successor_id",
            "leaving_on",
            "status",
            "closed_at",
        ],
    },
    Sealed {
        table: "handover_items",
        columns: &[
            "handover_id",
            "kind",
            "customer_id",
            "assignee_id",
            "due_on",
            "status",
            "done_at",
        ],
    },
    Sealed {
        table: "notices",
        columns: &[
            "item_id",
            "customer_id",
            "new_contact_id",
            "effective_on",
            "send_by",
            "status",
            "sent_at",
            "sent_on",
            "ack_at",
        ],
    },
];

/// Hex digits of one column's fingerprint in a seal.
const FINGERPRINT: usize = 16;

/// Registers `baton_seal(table, id, value...)` (a row's seal) and `baton_mix(digest, table,
/// id, seal)` (the digest with a seal folded in or out) on `conn`; the triggers call them.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8
        | FunctionFlags::SQLITE_DETERMINISTIC
        | FunctionFlags::SQLITE_INNOCUOUS;
    conn.create_scalar_function("baton_seal", -1, flags, |ctx| {
        let table: String = ctx.get(0)?;
        let id: i64 = ctx.get(1)?;
        let values = (2..ctx.len()).map(|i| ctx.get_raw(i));
        Ok(seal(&table, id, values))
    })?;
    conn.create_scalar_function("baton_mix", 4, flags, |ctx| {
        let digest: String = ctx.get(0)?;
        let table: String = ctx.get(1)?;
        let id: i64 = ctx.get(2)?;
        let seal: String = ctx.get(3)?;
        Ok(mix(&digest, &table, id, &seal))
    })
}

/// The seal of a row: per column, 64 bits of FNV-1a over the table, the row id, the column's
/// position and its typed value, in hex. Not a secret: it finds edits, it does not sign.
fn seal<'a>(table: &str, id: i64, values: impl Iterator<Item = ValueRef<'a>>) -> String {
    let mut row = Fnv::new();
    row.write(table.as_bytes());
    row.write(&id.to_le_bytes());
    let mut out = String::new();
    for (position, value) in values.enumerate() {
        let mut hash = row;
        hash.write(&(position as u32).to_le_bytes());
        let number;
        let (tag, bytes): (u8, &[u8]) = match value {
            ValueRef::Null => (b'n', &[]),
            ValueRef::Integer(i) => {
                number = i.to_le_bytes();
                (b'i', &number)
            }
            ValueRef::Real(r) => {
                number = r.to_bits().to_le_bytes();
                (b'r', &number)
            }
            ValueRef::Text(t) => (b't', t),
            ValueRef::Blob(b) => (b'b', b),
        };
        hash.write(&[tag]);
        hash.write(&(bytes.len() as u64).to_le_bytes());
        hash.write(bytes);
        out.push_str(&hex(&hash.0.to_be_bytes()));
    }
    out
}

/// FNV-1a, 64 bits: fast, and enough to tell an edited value from the sealed one.
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The SHA-256 of a row's table, id and seal: what the digest folds in.
fn row_hash(table: &str, id: i64, seal: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(table.as_bytes());
    hasher.update([0]);
    hasher.update(id.to_le_bytes());
    hasher.update(seal.as_bytes());
    hasher.finalize().into()
}

/// `digest` XOR `row`, in place.
fn fold(digest: &mut [u8; 32], row: &[u8; 32]) {
    for (d, r) in digest.iter_mut().zip(row) {
        *d ^= r;
    }
}

/// `digest` (hex) XOR the [`row_hash`] of (table, id, seal): folding a seal in twice takes
/// it out, so the digest follows inserts, updates and deletes of `row_seals` in any order.
fn mix(digest: &str, table: &str, id: i64, seal: &str) -> String {
    let mut bytes = [0; 32];
    for (b, pair) in bytes.iter_mut().zip(digest.as_bytes().chunks(2)) {
        *b = std::str::from_utf8(pair)
            .ok()
            .and_then(|p| u8::from_str_radix(p, 16).ok())
            .unwrap_or(0);
    }
    fold(&mut bytes, &row_hash(table, id, seal));
    hex(&bytes)
}

/// The triggers that keep `row_seals` and the anchor's digest current, and the two that
/// refuse to change or delete an event: (name, SQL as `sqlite_schema` keeps it). Migration 0017 creates exactly these; [`check`] compares.
pub fn triggers() -> Vec<(String, String)> {
    let mut all = Vec::new();
    for Sealed { table, columns } in SEALED {
        let values: Vec<String> = columns.iter().map(|c| format!("NEW.{c}")).collect();
        let seal = format!("baton_seal('{table}', NEW.id, {})", values.join(", "));
        all.push((
            format!("seal_{table}_insert"),
            format!(
                "CREATE TRIGGER seal_{table}_insert AFTER INSERT ON {table} BEGIN \
                 INSERT INTO row_seals (tbl, row_id, seal) VALUES ('{table}', NEW.id, {seal}); END"
            ),
        ));
        all.push((
            format!("seal_{table}_update"),
            format!(
                "CREATE TRIGGER seal_{table}_update AFTER UPDATE OF id, {} ON {table} BEGIN \
                 UPDATE row_seals SET row_id = NEW.id, seal = {seal} \
                 WHERE tbl = '{table}' AND row_id = OLD.id; END",
                columns.join(", ")
            ),
        ));
    }
    let folds = [
        ("insert", "baton_mix(seals, NEW.tbl, NEW.row_id, NEW.seal)"),
        (
            "update",
            "baton_mix(baton_mix(seals, OLD.tbl, OLD.row_id, OLD.seal), NEW.tbl, NEW.row_id, NEW.seal)",
        ),
        ("delete", "baton_mix(seals, OLD.tbl, OLD.row_id, OLD.seal)"),
    ];
    for (event, fold) in folds {
        all.push((
            format!("row_seals_{event}"),
            format!(
                "CREATE TRIGGER row_seals_{event} AFTER {} ON row_seals BEGIN \
                 UPDATE audit_anchor SET seals = {fold}; END",
                event.to_uppercase()
            ),
        ));
    }
    for event in ["update", "delete"] {
        all.push((
            format!("events_no_{event}"),
            format!(
                "CREATE TRIGGER events_no_{event} BEFORE {} ON events BEGIN \
                 SELECT RAISE(ABORT, 'the audit log is append-only'); END",
                event.to_uppercase()
            ),
        ));
    }
    all
}

/// Something about the sealed rows that is not as baton left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The row's values differ from its seal in these columns.
    Edited {
        table: &'static str,
        id: i64,
        columns: Vec<&'static str>,
    },
    /// A row without a seal: written while the triggers were gone.
    Unsealed { table: &'static str, id: i64 },
    /// A seal without its row: the row was deleted.
    Removed { table: String, id: i64 },
    /// A trigger that keeps the seals is missing or not as baton wrote it.
    Trigger { name: String, missing: bool },
    /// The digest of `row_seals` is not the anchor's: seals were written past the triggers.
    Digest { anchor: String, seals: String },
}

/// What [`check`] found: the sealed rows, their digest, and everything out of place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealCheck {
    pub rows: u64,
    pub digest: String,
    pub findings: Vec<Finding>,
}

/// Re-seals every sealed row and compares with `row_seals`, the triggers with
/// [`triggers`], and the digest of the seals with `anchor_seals`.
pub fn check(conn: &Connection, anchor_seals: Option<&str>) -> Result<SealCheck> {
    let mut findings = Vec::new();
    for (name, sql) in triggers() {
        let stored: Option<String> = conn
            .prepare_cached("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1")?
            .query_row([&name], |r| r.get(0))
            .optional()
            .context("cannot read the triggers")?;
        if stored.as_deref().map(words) != Some(words(&sql)) {
            findings.push(Finding::Trigger {
                missing: stored.is_none(),
                name,
            });
        }
    }
    for sealed in SEALED {
        check_table(conn, sealed, &mut findings)?;
    }
    let names: Vec<String> = SEALED.iter().map(|s| format!("'{}'", s.table)).collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT tbl, row_id FROM row_seals WHERE tbl NOT IN ({})",
        names.join(", ")
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        findings.push(Finding::Removed {
            table: row.get(0)?,
            id: row.get(1)?,
        });
    }
    let mut folded = [0; 32];
    let mut count = 0;
    let mut stmt = conn.prepare("SELECT tbl, row_id, seal FROM row_seals")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let table = row.get_ref(0)?.as_str()?;
        let seal = row.get_ref(2)?.as_str()?;
        fold(&mut folded, &row_hash(table, row.get(1)?, seal));
        count += 1;
    }
    let digest = hex(&folded);
    if let Some(anchor) = anchor_seals.filter(|a| *a != digest) {
        findings.push(Finding::Digest {
            anchor: anchor.to_string(),
            seals: digest.clone(),
        });
    }
    Ok(SealCheck {
        rows: count,
        digest,
        findings,
    })
}

/// SQL with its layout removed, for comparing a stored trigger with the expected one.
fn words(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The findings of one sealed table: edited rows, rows without seal, seals without row.
fn check_table(conn: &Connection, sealed: &Sealed, findings: &mut Vec<Finding>) -> Result<()> {
    let Sealed { table, columns } = sealed;
    let values: Vec<String> = columns.iter().map(|c| format!("t.{c}")).collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT t.id, s.seal, baton_seal('{table}', t.id, {}) FROM {table} t
         LEFT JOIN row_seals s ON s.tbl = '{table}' AND s.row_id = t.id ORDER BY t.id",
        values.join(", ")
    ))?;
    let mut rows = stmt
        .query([])
        .with_context(|| format!("cannot re-seal {table}"))?;
    while let Some(row) = rows.next()? {
        let (id, stored, now): (i64, Option<String>, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?);
        match stored {
            None => findings.push(Finding::Unsealed { table, id }),
            Some(stored) if stored != now => {
                let edited = columns
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| {
                        let at = i * FINGERPRINT..(i + 1) * FINGERPRINT;
                        stored.get(at.clone()) != now.get(at)
                    })
                    .map(|(_, c)| *c)
                    .collect();
                findings.push(Finding::Edited {
                    table,
                    id,
                    columns: edited,
                });
            }
            Some(_) => {}
        }
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT row_id FROM row_seals s WHERE s.tbl = ?1
         AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = s.row_id) ORDER BY row_id"
    ))?;
    let removed = stmt.query_map(params![table], |r| r.get(0))?;
    for id in removed {
        findings.push(Finding::Removed {
            table: table.to_string(),
            id: id?,
        });
    }
    Ok(())
}
