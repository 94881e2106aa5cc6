//! `baton import complaints`: the adapter between the importer and [`super::file`].

use std::collections::HashMap;

use anyhow::Result;
use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::{named_params, Connection, OptionalExtension};

use super::{
    file, get, Category, Channel, Clocks, ComplainantKind, ComplaintStatus, Kind, NewComplaint,
    Stored,
};
use crate::audit::Stamp;
use crate::domain::customer;
use crate::error::in_field;
use crate::i18n::{label, Lang, Text};
use crate::import::{self, Column, Outcome};
use crate::time;
use crate::{bad_input, refused, text};

/// `baton import complaints`: the columns of `complaint list --format csv`, of which
/// `received_at` (required: the clocks start there), `customer` or `complainant`, `summary`,
/// `category` (default `other`), `channel` (default `phone`), `handover`, `status`,
/// `complainant_kind` (default `consumer`) and `kind` (only `complaint`: a report's reporter
/// is confidential and is filed by hand with `complaint file --report`) are read; the others (deadlines, later stages) are what baton computes or what the complaint
/// commands record, so they are accepted and not read. Each new row goes through [`file`]:
/// the deadlines from `[sla]` and the calendar, the `file` event and its own
/// `complaint.file` audit event.
///
/// Complaints have no natural key of their own, and a file from another system has no
/// baton ids, so a complaint is known by what came in and when: a complaint of the company
/// received at the same second, from the same customer or complainant, with the same summary
/// is the same complaint (the `id` column is not read). Re-importing it is unchanged when
/// category, channel and handover match, else a bad row (an import does not change a
/// complaint). A new row must be `received` (or have no status): the later stages are
/// recorded by the complaint commands, each with its time. The same complaint twice in one
/// file is a bad row naming the first line.
pub struct Import<'a> {
    clock: time::Clock,
    stamp: Stamp,
    clocks: Clocks<'a>,
    /// Complaints this file has named, and the line that first named each.
    seen: HashMap<i64, u64>,
}

const CUSTOMER: usize = 1;
const COMPLAINANT: usize = 2;
const CATEGORY: usize = 3;
const CHANNEL: usize = 4;
const SUMMARY: usize = 5;
const HANDOVER: usize = 6;
const STATUS: usize = 7;
const RECEIVED_AT: usize = 8;
const KIND: usize = 20;
const COMPLAINANT_KIND: usize = 21;
const IMPORT_COLUMNS: &[Column] = &[
    Column::optional("id"),
    Column::optional("customer"),
    Column::optional("complainant"),
    Column::optional("category"),
    Column::optional("channel"),
    Column::required("summary"),
    Column::optional("handover"),
    Column::optional("status"),
    Column::required("received_at"),
    Column::optional("accept_due"),
    Column::optional("feedback_due"),
    Column::optional("resolve_due"),
    Column::optional("accepted_at"),
    Column::optional("feedback_at"),
    Column::optional("resolved_at"),
    Column::optional("outcome"),
    Column::optional("terms"),
    Column::optional("overdue"),
    Column::optional("rejected_at"),
    Column::optional("on_hold_since"),
    Column::optional("kind"),
    Column::optional("complainant_kind"),
    Column::optional("reporter"),
    Column::optional("inform_due"),
    Column::optional("informed_at"),
    Column::optional("reject_ground"),
    Column::optional("paper"),
    Column::optional("extension_reason"),
    Column::optional("company"),
    Column::optional("provisional"),
];

impl<'a> Import<'a> {
    pub fn new(clock: time::Clock, stamp: Stamp, clocks: Clocks<'a>) -> Self {
        Import {
            clock,
            stamp,
            clocks,
            seen: HashMap::new(),
        }
    }
}

const SAME_COMPLAINT_SQL: &str = "SELECT c.id FROM complaints c
    LEFT JOIN customers cu ON cu.id = c.customer_id
    WHERE c.company_id = :company AND c.received_at = :received
      AND c.summary = :summary AND cu.code IS :customer AND c.complainant IS :complainant
    ORDER BY c.id LIMIT 1";

/// The complaint of the company received at `received` from this customer or complainant
/// with this summary.
fn same_complaint(
    conn: &Connection,
    company_id: i64,
    received: DateTime<Utc>,
    new: &NewComplaint,
) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(SAME_COMPLAINT_SQL)?
        .query_row(
            named_params! {
                ":company": company_id, ":received": time::to_db(received),
                ":summary": new.summary.trim(), ":customer": new.customer,
                ":complainant": new.complainant,
            },
            |r| r.get(0),
        )
        .optional()?)
}

impl import::Entity for Import<'_> {
    fn nouns(&self) -> &'static str {
        "complaints"
    }

    fn columns(&self) -> &'static [Column] {
        IMPORT_COLUMNS
    }

    fn begin(&mut self, _conn: &Connection) -> Result<()> {
        self.seen.clear();
        Ok(())
    }

    fn apply(&mut self, conn: &Connection, row: &import::Row<'_>) -> Result<Outcome> {
        let company_id = row.company()?.id;
        let clock = &self.clock;
        let text = |col| row.parse(col, |s| Ok(s.to_string()));
        if let Some(Kind::Report) = row.parse(KIND, str::parse)? {
            return Err(bad_input!(
                "an import files complaints, not reports: a reporter's identity is kept out of files",
                "导入只登记投诉，不登记举报：举报人信息不进文件"
            )
            .hint(Text::new(
                "file a report with `baton complaint file --report`",
                "举报请用 `baton complaint file --report` 登记",
            ))
            .field("kind")
            .into());
        }
        let new = NewComplaint {
            customer: text(CUSTOMER)?,
            complainant: text(COMPLAINANT)?,
            summary: row.required(SUMMARY)?.to_string(),
            category: row.parse(CATEGORY, str::parse)?.unwrap_or(Category::Other),
            channel: row.parse(CHANNEL, str::parse)?.unwrap_or(Channel::Phone),
            received_at: row.parse_required(RECEIVED_AT, |s| time::parse_instant(s, clock))?,
            handover: row.parse(HANDOVER, |s| {
                s.parse().map_err(|_| {
                    bad_input!("invalid handover number {s:?}", "无效的交接编号 {s:?}")
                })
            })?,
            kind: Kind::Complaint,
            complainant_kind: row
                .parse(COMPLAINANT_KIND, str::parse)?
                .unwrap_or(ComplainantKind::Consumer),
            reporter: None,
        };
        let status: Option<ComplaintStatus> = row.parse(STATUS, str::parse)?;
        if let Some(code) = &new.customer {
            customer::ids(conn, company_id, code).map_err(|e| in_field(e, "customer"))?;
        }
        let received = new.received_at.trunc_subsecs(0);
        if let Some(id) = same_complaint(conn, company_id, received, &new)? {
            let Stored {
                category,
                channel,
                handover,
                ..
            } = get(conn, id)?;
            if let Some(&first) = self.seen.get(&id) {
                return Err(row.duplicate(SUMMARY, first).into());
            }
            self.seen.insert(id, row.position.number);
            let differs = |field: &'static str, stored: Text| {
                let (field_zh, stored_en, stored_zh) =
                    (label(field, Lang::Zh), stored.en, stored.zh);
                refused!(
                    "complaint {id} (same time, party and summary) has {field} {stored_en:?}; an import does not change a complaint",
                    "投诉 {id}（接收时间、投诉方和摘要均相同）的{field_zh}为 {stored_zh:?}；导入不会修改已有投诉"
                )
                .hint(text!(
                    "see it with `baton complaint show {id}`",
                    "用 `baton complaint show {id}` 查看"
                ))
                .field(field)
            };
            if category != new.category {
                let stored = Text::new(category.as_str(), category.label(Lang::Zh));
                return Err(differs("category", stored).into());
            }
            if channel != new.channel {
                let stored = Text::new(channel.as_str(), channel.label(Lang::Zh));
                return Err(differs("channel", stored).into());
            }
            if handover != new.handover {
                let stored = handover.map(|h| h.to_string()).unwrap_or_default();
                return Err(differs("handover", Text::new(stored.clone(), stored)).into());
            }
            return Ok(Outcome::Unchanged);
        }
        if let Some(status) = status.filter(|s| *s != ComplaintStatus::Received) {
            let status_zh = status.label(Lang::Zh);
            return Err(bad_input!(
                "an import files new complaints as received, not {status}; record the later stages with the complaint commands",
                "导入只登记状态为已登记（received）的新投诉，不能是{status_zh}；之后的环节请用投诉命令记录"
            )
            .field("status")
            .into());
        }
        let filed = file(conn, &self.stamp, company_id, self.clocks, &new)?;
        self.seen.insert(filed.id, row.position.number);
        Ok(Outcome::Inserted)
    }

    fn finish(&mut self, _conn: &Connection) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_finds_the_same_complaint_by_index() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        crate::domain::customer::tests::assert_indexed(&conn, SAME_COMPLAINT_SQL);
    }
}
