//! `baton import handovers`: each new row opens a handover as `handover open` does.

use std::collections::HashMap;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::{open_warned, see_it, HandoverStatus, OpenRequest, Reason, Rules};
use crate::audit::Stamp;
use crate::domain::employee;
use crate::error::in_field;
use crate::i18n::Text;
use crate::import::{self, Column, Outcome, Row};
use crate::time::{self, Clock};
use crate::{bad_input, refused};

/// `baton import handovers`: the columns of `handover list --format csv`, of which
/// `employee`, `leaving_on`, `successor`, `reason` (default `resign`, as `handover open`) and
/// `status` are read; the others (counts, times) are what baton computes, so they are
/// accepted and not read. Each new row goes through [`open_warned`], with its refusals and its own
/// `handover.open` event (the employee's change to `leaving` is recorded there).
///
/// Re-importing: a row whose employee already has a handover (open or closed) with the same
/// leaving date is that handover: unchanged when successor and reason match, else a bad row
/// (an import does not change a handover). A row with another leaving date while one is
/// open is refused as `open` refuses it. A `closed` row without its handover is a bad row:
/// an import opens handovers. The same departure twice in one file is a bad row naming the
/// first line (handovers are few: their ids are kept in memory).
pub struct Import {
    company_id: i64,
    clock: Clock,
    stamp: Stamp,
    rules: Rules,
    /// Handovers this file has named, and the line that first named each.
    seen: HashMap<i64, u64>,
    /// What `handover open` would have warned about the handovers opened.
    warnings: Vec<Text>,
}

const EMPLOYEE: usize = 1;
const LEAVING_ON: usize = 3;
const SUCCESSOR: usize = 4;
const REASON: usize = 5;
const STATUS: usize = 6;
const IMPORT_COLUMNS: &[Column] = &[
    Column::optional("id"),
    Column::required("employee"),
    Column::optional("employee_name"),
    Column::required("leaving_on"),
    Column::optional("successor"),
    Column::optional("reason"),
    Column::optional("status"),
    Column::optional("items_total"),
    Column::optional("items_open"),
    Column::optional("items_overdue"),
    Column::optional("notices_total"),
    Column::optional("notices_sent"),
    Column::optional("opened_at"),
    Column::optional("closed_at"),
];

impl Import {
    pub fn new(company_id: i64, clock: Clock, stamp: Stamp, rules: Rules) -> Import {
        Import {
            company_id,
            clock,
            stamp,
            rules,
            seen: HashMap::new(),
            warnings: Vec::new(),
        }
    }
}

const DEPARTURE_SQL: &str = "SELECT h.id, s.code, h.reason FROM handovers h
    LEFT JOIN employees s ON s.id = h.successor_id
    WHERE h.company_id = ?1 AND h.leaving_on = ?2 AND h.employee_id = ?3
    ORDER BY h.id DESC LIMIT 1";

/// The handover of an employee's departure on a date: its id, successor and reason.
fn departure(
    conn: &Connection,
    company_id: i64,
    employee_id: i64,
    leaving_on: NaiveDate,
) -> Result<Option<(i64, Option<String>, Reason)>> {
    Ok(conn
        .prepare_cached(DEPARTURE_SQL)?
        .query_row(params![company_id, leaving_on, employee_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

impl import::Entity for Import {
    fn nouns(&self) -> &'static str {
        "handovers"
    }

    fn columns(&self) -> &'static [Column] {
        IMPORT_COLUMNS
    }

    fn begin(&mut self, _conn: &Connection) -> Result<()> {
        self.seen.clear();
        Ok(())
    }

    fn apply(&mut self, conn: &Connection, row: &Row<'_>) -> Result<Outcome> {
        let clock = &self.clock;
        let request = OpenRequest {
            employee: row.required(EMPLOYEE)?.to_string(),
            leaving_on: row.parse_required(LEAVING_ON, |s| time::parse_date(s, clock))?,
            successor: row.parse(SUCCESSOR, |s| Ok(s.to_string()))?,
            reason: row.parse(REASON, str::parse)?.unwrap_or(Reason::Resign),
        };
        let status: Option<HandoverStatus> = row.parse(STATUS, str::parse)?;
        let employee_id = employee::get_id(conn, self.company_id, &request.employee)
            .map_err(|e| in_field(e, "employee"))?;
        let line = row.position.number;
        if let Some((id, successor, reason)) =
            departure(conn, self.company_id, employee_id, request.leaving_on)?
        {
            if let Some(&first) = self.seen.get(&id) {
                return Err(row.duplicate(EMPLOYEE, first).into());
            }
            self.seen.insert(id, line);
            let differs = |field: &'static str, field_zh: &str, stored: &str| {
                refused!(
                    "handover {id} of this departure has {field} {stored:?}; an import does not change a handover",
                    "本次离职的交接 {id} 的{field_zh}为 {stored:?}；导入不会修改交接"
                )
                .hint(see_it(id))
                .field(field)
            };
            if successor != request.successor {
                let stored = successor.unwrap_or_default();
                return Err(differs("successor", "接任人", &stored).into());
            }
            if reason != request.reason {
                return Err(differs("reason", "离职原因", reason.as_str()).into());
            }
            return Ok(Outcome::Unchanged);
        }
        if status == Some(HandoverStatus::Closed) {
            return Err(bad_input!(
                "an import opens handovers; close this one with `baton handover close` after importing it as open",
                "导入只会发起交接：请先按进行中（open）导入，再用 `baton handover close` 关闭"
            )
            .field("status")
            .into());
        }
        let (opened, warnings) =
            open_warned(conn, &self.stamp, self.company_id, &self.rules, &request)?;
        self.seen.insert(opened.id, line);
        self.warnings.extend(warnings);
        Ok(Outcome::Inserted)
    }

    fn finish(&mut self, _conn: &Connection) -> Result<()> {
        Ok(())
    }

    fn warnings(&mut self) -> Vec<String> {
        let lang = self.rules.lang;
        std::mem::take(&mut self.warnings)
            .into_iter()
            .map(|warning| warning.get(lang).to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_finds_a_departure_by_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        crate::domain::customer::tests::assert_indexed(&conn, DEPARTURE_SQL);
    }
}
