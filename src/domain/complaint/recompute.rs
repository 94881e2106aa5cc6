//! The complaint clocks against a changing working-day calendar: moving the open clocks when
//! a year's official arrangement is imported (through [`Clocks::deadlines`], the one deadline
//! function), and marking the deadlines that reach a provisional year.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use chrono::{DateTime, Utc};
use rusqlite::{named_params, Connection};
use serde::Serialize;
use serde_json::json;

use super::{from_row, shown, Clocks, Complaint, Stage, Stored, COLUMNS, FROM};
use crate::audit::{self, Stamp};
use crate::time::{self, Calendar};

/// The open complaints, as the SQL of `Stored::is_open` says.
const OPEN: &str = "c.status IN ('received', 'accepted', 'mediating')";

/// A clock that a change of the calendar moved.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Moved {
    pub complaint: i64,
    pub stage: Stage,
    pub before: String,
    pub after: String,
}

/// Moves every open clock of every company from the deadline counted on `before`'s calendar
/// to the one counted on `after`'s: a stage not done yet gets the difference, so time on
/// hold stays added. Each complaint moved gets a `complaint.recompute` event with its clocks
/// before and after; the clocks moved are returned in complaint and stage order.
pub fn recompute_open(
    conn: &Connection,
    stamp: &Stamp,
    before: Clocks<'_>,
    after: Clocks<'_>,
) -> Result<Vec<Moved>> {
    let open: Vec<Stored> = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} {FROM} WHERE {OPEN} ORDER BY c.id"
        ))?
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()
        .context("cannot read the open complaints")?;
    let mut moved = Vec::new();
    for mut complaint in open {
        let old = before.deadlines(complaint.received_at)?;
        let new = after.deadlines(complaint.received_at)?;
        let mut changes = Vec::new();
        for (n, &stage) in Stage::ALL.iter().enumerate() {
            if complaint.done(stage).is_some() || old[n] == new[n] {
                continue;
            }
            let id = complaint.id;
            let due = complaint.due_mut(stage);
            let was = *due;
            *due += new[n] - old[n];
            changes.push(Moved {
                complaint: id,
                stage,
                before: shown(was),
                after: shown(*due),
            });
        }
        if changes.is_empty() {
            continue;
        }
        conn.prepare_cached(
            "UPDATE complaints SET accept_due = :accept, feedback_due = :feedback,
                                   resolve_due = :resolve
             WHERE id = :id",
        )?
        .execute(named_params! {
            ":accept": time::to_db(complaint.accept_due),
            ":feedback": time::to_db(complaint.feedback_due),
            ":resolve": time::to_db(complaint.resolve_due),
            ":id": complaint.id,
        })
        .context("cannot move the complaint's deadlines")?;
        audit::record(
            conn,
            stamp,
            "complaint.recompute",
            "complaint",
            Some(&complaint.id.to_string()),
            &json!({ "reason": "calendar", "moved": changes }),
        )?;
        moved.extend(changes);
    }
    Ok(moved)
}

/// The provisional years that open complaints' clocks reach, each with how many complaints.
pub fn provisional_reach(conn: &Connection, calendar: &Calendar) -> Result<BTreeMap<i32, i64>> {
    let mut reach = BTreeMap::new();
    let mut statement = conn.prepare_cached(&format!("SELECT {COLUMNS} {FROM} WHERE {OPEN}"))?;
    for complaint in statement.query_map([], from_row)? {
        let complaint = complaint.context("cannot read the open complaints")?;
        for year in complaint.provisional_years(calendar) {
            *reach.entry(year).or_insert(0) += 1;
        }
    }
    Ok(reach)
}

/// Sets `row.provisional` to the provisional years its open clocks reach (`2027`), from the
/// instants the row shows.
pub fn mark_provisional(row: &mut Complaint, calendar: &Calendar) {
    let instant = |s: &str| DateTime::parse_from_rfc3339(s).ok().map(|t| t.to_utc());
    let open = row.rejected_at.is_none() && row.resolved_at.is_none();
    let latest = [&row.accept_due, &row.feedback_due, &row.resolve_due]
        .into_iter()
        .filter_map(|due| instant(due))
        .max();
    if let (true, Some(from), Some(to)) = (open, instant(&row.received_at), latest) {
        let years: Vec<String> = calendar
            .provisional_between(from, to)
            .iter()
            .map(i32::to_string)
            .collect();
        row.provisional = Some(years.join(",")).filter(|y| !y.is_empty());
    }
}

impl Stored {
    fn due_mut(&mut self, stage: Stage) -> &mut DateTime<Utc> {
        match stage {
            Stage::Accept => &mut self.accept_due,
            Stage::Feedback => &mut self.feedback_due,
            Stage::Resolve => &mut self.resolve_due,
        }
    }

    /// The provisional years from its receipt to its latest deadline, when it is open.
    fn provisional_years(&self, calendar: &Calendar) -> Vec<i32> {
        let latest = self.accept_due.max(self.feedback_due).max(self.resolve_due);
        if self.is_open() {
            calendar.provisional_between(self.received_at, latest)
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{at, db, new, stamp};
    use super::super::{act, file, get, Act};
    use super::*;
    use crate::config::Sla;
    use crate::time::Arrangement;

    #[test]
    fn the_open_complaints_query_uses_an_index() {
        super::super::tests::assert_no_scan(
            &db(),
            &format!("SELECT {COLUMNS} {FROM} WHERE {OPEN}"),
        );
    }

    #[test]
    fn an_import_moves_the_open_clocks_it_changes_and_keeps_time_on_hold() {
        let conn = db();
        let sla = Sla {
            accept: "7wd".parse().unwrap(),
            ..Sla::default()
        };
        let before = Calendar::builtin();
        let clocks = Clocks {
            sla: &sla,
            calendar: &before,
        };
        let s = stamp("2026-12-31T04:00:00Z");
        // Received Thu 2026-12-24: 7 working days on the provisional 2027 (01-01 off) end
        // on Tue 2027-01-05.
        let open = file(&conn, &s, 1, clocks, &new("2026-12-24T02:00:00Z")).unwrap();
        assert!(open.accept_due.starts_with("2027-01-05T23:59:59"));
        let closed = file(&conn, &s, 1, clocks, &new("2026-12-24T03:00:00Z")).unwrap();
        act(
            &conn,
            &s,
            closed.id,
            at("2026-12-24T04:00:00Z"),
            &Act::Accept,
        )
        .unwrap();
        assert_eq!(
            provisional_reach(&conn, &before).unwrap(),
            BTreeMap::from([(2027, 2)])
        );
        // The official 2027 gives 01-04 off as well: the accept clock moves a working day.
        let mut after = before.clone();
        let text = r#"{"year": 2027, "days": [
            {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
            {"name": "元旦", "date": "2027-01-04", "isOffDay": true}]}"#;
        after.set_official(Arrangement::parse("2027.json", text).unwrap());
        let later = Clocks {
            sla: &sla,
            calendar: &after,
        };
        let moved = recompute_open(&conn, &s, clocks, later).unwrap();
        let accept: Vec<(i64, &str)> = moved
            .iter()
            .filter(|m| m.stage == Stage::Accept)
            .map(|m| (m.complaint, &m.after[..19]))
            .collect();
        assert_eq!(accept, [(open.id, "2027-01-06T23:59:59")]);
        let stored = shown(get(&conn, open.id).unwrap().accept_due);
        assert!(stored.starts_with("2027-01-06T23:59:59"), "{stored}");
        assert!(recompute_open(&conn, &s, later, later).unwrap().is_empty());
        assert!(provisional_reach(&conn, &after).unwrap().is_empty());
    }
}
