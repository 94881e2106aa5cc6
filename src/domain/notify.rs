//! Notices: every customer of a departure told in writing, in time (客户告知函), and the
//! public roster of customer-facing contacts (公示). The letter and the roster page are
//! rendered in [`crate::domain::document`]; this module plans, records and selects, and
//! gives them their values.

use anyhow::{Context as _, Result};
use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::json;

use super::employee::Role;
use super::handover;
use super::{local_instant, today_of};
use crate::audit::{self, Stamp};
use crate::error::Failure;
use crate::i18n::{long_date, Lang, Text};
use crate::time::{self, Clock};
use crate::{bad_input, refused, text, text_enum};

text_enum! { "notice status" / "告知状态":
    pub enum NoticeStatus {
        Planned = "planned" / "待发送",
        Sent = "sent" / "已发送",
        Acknowledged = "acknowledged" / "已确认",
        Cancelled = "cancelled" / "已取消",
    }
}

text_enum! { "channel" / "渠道":
    /// How a notice reached the customer.
    pub enum Channel {
        Letter = "letter" / "书面函件",
        Email = "email" / "电子邮件",
        Sms = "sms" / "短信",
        Wechat = "wechat" / "微信",
        Phone = "phone" / "电话",
        Visit = "visit" / "上门拜访",
    }
}

/// A written notice to one customer of a departure.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Notice {
    pub id: i64,
    pub handover: i64,
    pub customer: String,
    pub customer_name: String,
    pub old_contact: String,
    pub new_contact: String,
    pub effective_on: NaiveDate,
    pub send_by: NaiveDate,
    pub status: NoticeStatus,
    pub channel: Option<Channel>,
    pub sent_at: Option<String>,
    pub ack_at: Option<String>,
    /// Unsent after its send-by date, or sent after it.
    pub late: bool,
}

/// What `plan` did.
#[derive(Debug, Clone, Default)]
pub struct Planned {
    pub notices: Vec<Notice>,
    pub created: usize,
    pub updated: usize,
    /// Customers whose item has nobody to take them: no notice until assigned.
    pub unassigned: Vec<String>,
}

/// Whose notices a list holds.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Company(i64),
    Handover(i64),
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<NoticeStatus>,
    /// Planned and to be sent by `today + due_window_days`, or already past.
    pub due: bool,
    pub late: bool,
}

const COLUMNS: &str = "n.id, n.handover_id, c.code AS customer, c.name AS customer_name,
    o.code AS old_contact, w.code AS new_contact, n.effective_on, n.send_by, n.status,
    n.channel, n.sent_at, n.ack_at,
    (n.status = 'planned' AND n.send_by < :today)
        OR (n.sent_on IS NOT NULL AND n.sent_on > n.send_by) AS late";
const JOINS: &str = "JOIN customers c ON c.id = n.customer_id
    JOIN employees o ON o.id = n.old_contact_id
    JOIN employees w ON w.id = n.new_contact_id";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Notice> {
    Ok(Notice {
        id: row.get("id")?,
        handover: row.get("handover_id")?,
        customer: row.get("customer")?,
        customer_name: row.get("customer_name")?,
        old_contact: row.get("old_contact")?,
        new_contact: row.get("new_contact")?,
        effective_on: row.get("effective_on")?,
        send_by: row.get("send_by")?,
        status: row.get("status")?,
        channel: row.get("channel")?,
        sent_at: local_instant(row.get("sent_at")?),
        ack_at: local_instant(row.get("ack_at")?),
        late: row.get("late")?,
    })
}

/// One notice, as of `today`.
pub fn get(conn: &Connection, id: i64, today: NaiveDate) -> Result<Notice> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM notices n {JOINS} WHERE n.id = :id"
    ))?
    .query_row(named_params! { ":id": id, ":today": today }, from_row)
    .optional()?
    .ok_or_else(|| no_notice(id).into())
}

/// There is no notice with this id.
fn no_notice(id: i64) -> Failure {
    bad_input!("no notice {id}", "没有编号为 {id} 的客户告知").hint(text!(
        "see `baton notify list`",
        "用 `baton notify list` 查看"
    ))
}

/// The notices of one handover, by customer.
pub fn of_handover(conn: &Connection, handover_id: i64, today: NaiveDate) -> Result<Vec<Notice>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM notices n {JOINS} WHERE n.handover_id = :handover ORDER BY c.code, n.id"
    ))?;
    let rows = stmt.query_map(
        named_params! { ":handover": handover_id, ":today": today },
        from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Plans one notice per customer item of an open handover: from the leaver to the item's
/// assignee, effective on the leaving date, to be sent `lead_days` before. Planning again
/// creates what is missing and brings planned notices up to date (a re-assigned customer).
pub fn plan(conn: &Connection, stamp: &Stamp, handover_id: i64, lead_days: u32) -> Result<Planned> {
    let handover = handover::open_one(conn, handover_id)?;
    let effective_on = handover.leaving_on;
    let send_by = time::days_before(effective_on, lead_days)?;
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.customer_id, i.ref, i.assignee_id, n.id, n.status, n.new_contact_id,
                n.send_by
         FROM handover_items i LEFT JOIN notices n ON n.item_id = i.id
         WHERE i.handover_id = ?1 AND i.kind = 'customer' AND i.status != 'waived'
         ORDER BY i.ref",
    )?;
    type Row = (
        i64,
        i64,
        String,
        Option<i64>,
        Option<i64>,
        Option<NoticeStatus>,
        Option<i64>,
        Option<NaiveDate>,
    );
    let items = stmt
        .query_map([handover_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<Row>>>()?;
    let mut planned = Planned::default();
    let (mut created, mut updated) = (Vec::new(), Vec::new());
    for (item_id, customer_id, code, assignee, notice, status, new_contact, old_send_by) in items {
        let Some(assignee) = assignee else {
            if notice.is_none() {
                planned.unassigned.push(code);
            }
            continue;
        };
        match (notice, status) {
            (None, _) => {
                conn.prepare_cached(
                    "INSERT INTO notices (handover_id, item_id, customer_id, old_contact_id,
                                          new_contact_id, effective_on, send_by, planned_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![
                    handover_id,
                    item_id,
                    customer_id,
                    handover.employee_id,
                    assignee,
                    effective_on,
                    send_by,
                    time::to_db(stamp.at)
                ])
                .context("cannot plan the notice")?;
                created.push(conn.last_insert_rowid());
            }
            (Some(id), Some(NoticeStatus::Planned))
                if new_contact != Some(assignee) || old_send_by != Some(send_by) =>
            {
                conn.prepare_cached(
                    "UPDATE notices SET new_contact_id = ?2, effective_on = ?3, send_by = ?4
                     WHERE id = ?1",
                )?
                .execute(params![id, assignee, effective_on, send_by])
                .context("cannot update the planned notice")?;
                updated.push(id);
            }
            _ => {}
        }
    }
    planned.created = created.len();
    planned.updated = updated.len();
    if !created.is_empty() || !updated.is_empty() {
        audit::record(
            conn,
            stamp,
            "notice.plan",
            "handover",
            Some(&handover_id.to_string()),
            &json!({ "created": created, "updated": updated, "send_by": send_by }),
        )?;
    }
    planned.notices = of_handover(conn, handover_id, today_of(stamp))?;
    Ok(planned)
}

/// After a customer item changes hands: its planned notice names the item's assignee as the
/// new contact.
pub fn follow_assignment(conn: &Connection, item_id: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE notices
         SET new_contact_id = (SELECT assignee_id FROM handover_items WHERE id = ?1)
         WHERE item_id = ?1 AND status = 'planned'",
    )?
    .execute([item_id])
    .context("cannot update the planned notice")?;
    Ok(())
}

/// The planned notices of a handover not sent yet, one line each in both languages: they keep
/// the departure from closing.
pub fn blockers(conn: &Connection, handover_id: i64, today: NaiveDate) -> Result<Vec<Text>> {
    Ok(of_handover(conn, handover_id, today)?
        .into_iter()
        .filter(|n| n.status == NoticeStatus::Planned)
        .map(|n| {
            let (id, customer, name, send_by) = (n.id, n.customer, n.customer_name, n.send_by);
            text!(
                "notice {id} (customer {customer} {name}): planned, not sent, send by {send_by}",
                "告知 {id}（客户 {customer} {name}）：已计划未发送，最迟 {send_by} 发出"
            )
        })
        .collect())
}

fn list_sql(scope: Scope) -> String {
    let scope = match scope {
        Scope::Handover(_) => "n.handover_id = :scope",
        Scope::Company(_) => "h.company_id = :scope",
    };
    format!(
        "SELECT * FROM (SELECT {COLUMNS} FROM handovers h JOIN notices n ON n.handover_id = h.id {JOINS}
                       WHERE {scope} AND (:status IS NULL OR n.status = :status))
         WHERE (:due = 0 OR (status = 'planned' AND send_by <= :due_until))
           AND (:late = 0 OR late)
         ORDER BY send_by, id"
    )
}

/// Notices of a company or of one handover, by send-by date.
pub fn list(
    conn: &Connection,
    scope: Scope,
    filter: &Filter,
    today: NaiveDate,
    due_window_days: u32,
    mut each: impl FnMut(Notice) -> Result<()>,
) -> Result<()> {
    let due_until = today
        .checked_add_days(Days::new(due_window_days.into()))
        .unwrap_or(today);
    let (Scope::Company(id) | Scope::Handover(id)) = scope;
    let mut stmt = conn.prepare_cached(&list_sql(scope))?;
    let mut rows = stmt.query(named_params! {
        ":scope": id, ":status": filter.status,
        ":due": filter.due, ":due_until": due_until, ":late": filter.late, ":today": today,
    })?;
    while let Some(row) = rows.next()? {
        each(from_row(row)?)?;
    }
    Ok(())
}

/// The stored status of a notice, refusing a change from any other than `from`.
fn require(conn: &Connection, id: i64, from: NoticeStatus, to: NoticeStatus) -> Result<()> {
    let status: NoticeStatus = conn
        .prepare_cached("SELECT status FROM notices WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| no_notice(id))?;
    if status != from {
        let (status_zh, from_zh, to_zh) = (
            status.label(Lang::Zh),
            from.label(Lang::Zh),
            to.label(Lang::Zh),
        );
        return Err(refused!(
            "notice {id} is {status}; only a {from} notice can become {to}",
            "客户告知 {id} 的状态是{status_zh}；只有{from_zh}的告知才能变为{to_zh}"
        )
        .hint(text!(
            "see `baton notify list --status {status}`",
            "用 `baton notify list --status {status}` 查看"
        ))
        .into());
    }
    Ok(())
}

/// Records that notices went out, all or none.
pub fn sent(
    conn: &Connection,
    stamp: &Stamp,
    ids: &[i64],
    channel: Channel,
    at: DateTime<Utc>,
) -> Result<Vec<Notice>> {
    not_in_future(stamp, at)?;
    let today = today_of(stamp);
    let sent_on = Clock::fixed(at).today();
    ids.iter()
        .map(|&id| {
            require(conn, id, NoticeStatus::Planned, NoticeStatus::Sent)?;
            conn.prepare_cached(
                "UPDATE notices SET status = 'sent', channel = ?2, sent_at = ?3, sent_on = ?4
                 WHERE id = ?1",
            )?
            .execute(params![id, channel, time::to_db(at), sent_on])
            .context("cannot record the notice as sent")?;
            let notice = get(conn, id, today)?;
            audit::record(
                conn,
                stamp,
                "notice.sent",
                "notice",
                Some(&id.to_string()),
                &json!({ "before": NoticeStatus::Planned, "after": notice }),
            )?;
            Ok(notice)
        })
        .collect()
}

/// A time something happened: not after now.
fn not_in_future(stamp: &Stamp, at: DateTime<Utc>) -> Result<(), Failure> {
    if at > stamp.at {
        let at = time::to_local_rfc3339(at);
        return Err(
            bad_input!("{at} is in the future", "{at} 是将来的时间").hint(text!(
                "give the time it happened with --at, or leave --at out for now",
                "用 --at 给出实际发生的时间，或省略 --at 表示现在"
            )),
        );
    }
    Ok(())
}

/// Records that the customer confirmed a sent notice.
pub fn ack(conn: &Connection, stamp: &Stamp, id: i64, at: DateTime<Utc>) -> Result<Notice> {
    not_in_future(stamp, at)?;
    require(conn, id, NoticeStatus::Sent, NoticeStatus::Acknowledged)?;
    let sent_at: String = conn
        .prepare_cached("SELECT sent_at FROM notices WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    if at < time::from_db(&sent_at)? {
        let sent = time::to_local_rfc3339(time::from_db(&sent_at)?);
        return Err(bad_input!(
            "notice {id} was sent at {sent}; it cannot be acknowledged before",
            "客户告知 {id} 于 {sent} 发出，确认时间不能早于发出时间"
        )
        .hint(text!(
            "give the time of the confirmation with --at",
            "用 --at 给出客户确认的时间"
        ))
        .into());
    }
    conn.prepare_cached("UPDATE notices SET status = 'acknowledged', ack_at = ?2 WHERE id = ?1")?
        .execute(params![id, time::to_db(at)])
        .context("cannot record the acknowledgement")?;
    let notice = get(conn, id, today_of(stamp))?;
    audit::record(
        conn,
        stamp,
        "notice.ack",
        "notice",
        Some(&id.to_string()),
        &json!({ "before": NoticeStatus::Sent, "after": notice }),
    )?;
    Ok(notice)
}

/// Cancels a planned notice, with the reason.
pub fn cancel(conn: &Connection, stamp: &Stamp, id: i64, reason: &str) -> Result<Notice> {
    let reason = super::company::required("reason", reason)?;
    require(conn, id, NoticeStatus::Planned, NoticeStatus::Cancelled)?;
    conn.prepare_cached(
        "UPDATE notices SET status = 'cancelled', cancel_reason = ?2 WHERE id = ?1",
    )?
    .execute(params![id, reason])
    .context("cannot cancel the notice")?;
    let notice = get(conn, id, today_of(stamp))?;
    audit::record(
        conn,
        stamp,
        "notice.cancel",
        "notice",
        Some(&id.to_string()),
        &json!({ "before": NoticeStatus::Planned, "after": notice, "reason": reason }),
    )?;
    Ok(notice)
}

/// The letter of one notice: the values a letter template
/// ([`crate::domain::document::letter`]) fills in.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Letter {
    pub notice: i64,
    pub customer_code: String,
    pub company: String,
    pub customer: String,
    pub customer_contact: String,
    pub old_contact: String,
    pub new_contact: String,
    pub new_contact_phone: String,
    pub new_contact_email: String,
    /// The company's hotline (config `notify.hotline`), to check who speaks for the company.
    pub hotline: String,
    /// The leaving date, written as a letter writes dates (2026年3月20日).
    pub effective_on: String,
    /// The date of the letter.
    pub date: String,
}

/// The placeholders of a letter template.
pub const PLACEHOLDERS: [&str; 10] = [
    "company",
    "customer",
    "customer_contact",
    "old_contact",
    "new_contact",
    "new_contact_phone",
    "new_contact_email",
    "hotline",
    "effective_on",
    "date",
];

impl Letter {
    /// The value of a placeholder, one of [`PLACEHOLDERS`] (any other name has none).
    pub fn value(&self, placeholder: &str) -> &str {
        match placeholder {
            "company" => &self.company,
            "customer" => &self.customer,
            "customer_contact" => &self.customer_contact,
            "old_contact" => &self.old_contact,
            "new_contact" => &self.new_contact,
            "new_contact_phone" => &self.new_contact_phone,
            "new_contact_email" => &self.new_contact_email,
            "hotline" => &self.hotline,
            "effective_on" => &self.effective_on,
            "date" => &self.date,
            _ => "",
        }
    }
}

/// The values of the letters for these notices (a cancelled one is refused), dated `today`,
/// in `lang`, with the company's `hotline` (empty when none is configured). Rendering shows
/// personal data, so it is logged.
pub fn letters(
    conn: &Connection,
    stamp: &Stamp,
    ids: &[i64],
    lang: Lang,
    hotline: &str,
) -> Result<Vec<Letter>> {
    let today = today_of(stamp);
    let letters = ids
        .iter()
        .map(|&id| {
            let notice = get(conn, id, today)?;
            if notice.status == NoticeStatus::Cancelled {
                return Err(refused!(
                    "notice {id} is cancelled; there is no letter to write",
                    "客户告知 {id} 已取消，无需生成告知函"
                )
                .hint(text!(
                    "see `baton notify list --status planned`",
                    "用 `baton notify list --status planned` 查看待发告知"
                ))
                .into());
            }
            Ok(conn
                .prepare_cached(
                    "SELECT co.name, c.code, c.name, coalesce(c.contact, ''), o.name, w.name,
                            coalesce(w.phone, ''), coalesce(w.email, ''), n.effective_on
                     FROM notices n JOIN handovers h ON h.id = n.handover_id
                     JOIN companies co ON co.id = h.company_id
                     JOIN customers c ON c.id = n.customer_id
                     JOIN employees o ON o.id = n.old_contact_id
                     JOIN employees w ON w.id = n.new_contact_id
                     WHERE n.id = ?1",
                )?
                .query_row([id], |r| {
                    Ok(Letter {
                        notice: id,
                        company: r.get(0)?,
                        customer_code: r.get(1)?,
                        customer: r.get(2)?,
                        customer_contact: r.get(3)?,
                        old_contact: r.get(4)?,
                        new_contact: r.get(5)?,
                        new_contact_phone: r.get(6)?,
                        new_contact_email: r.get(7)?,
                        hotline: hotline.to_string(),
                        effective_on: long_date(r.get(8)?, lang),
                        date: long_date(today, lang),
                    })
                })?)
        })
        .collect::<Result<Vec<_>>>()?;
    audit::record(
        conn,
        stamp,
        "notice.render",
        "notice",
        None,
        &json!({ "notices": ids }),
    )?;
    Ok(letters)
}

/// The notices of a handover that have a letter (all but cancelled ones).
pub fn letter_ids(conn: &Connection, handover_id: i64) -> Result<Vec<i64>> {
    handover::stored(conn, handover_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM notices WHERE handover_id = ?1 AND status != 'cancelled' ORDER BY id",
    )?;
    let ids = stmt.query_map([handover_id], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// A line of the public roster: a customer-facing contact, or a change of contact (who takes
/// over, from when, and whom they replace while that person has not left yet).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RosterRow {
    pub contact: String,
    pub role: Role,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub replaces: Option<String>,
    pub effective_on: Option<NaiveDate>,
}

/// The public roster and whom it leaves out.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub rows: Vec<RosterRow>,
    /// Customer-facing employees left out because they have left or their leaving date has
    /// passed.
    pub gone: i64,
    /// Customer-facing employees left out because no consent to publish is recorded.
    pub no_consent: i64,
}

/// Who may be on the public roster as of `:today`: still employed, with a consent to publish
/// their work contact (个人信息保护法 art. 25).
const LISTED: &str = "{e}.status != 'left' AND ({e}.leaving_on IS NULL OR {e}.leaving_on > :today)
    AND {e}.publish_consent_on <= :today";

/// Gone as of `:today`: left, or the leaving date has passed.
const GONE: &str = "({e}.status = 'left' OR coalesce({e}.leaving_on <= :today, 0))";

fn roster_sql() -> String {
    let (listed_e, listed_w, gone_o) = (
        LISTED.replace("{e}", "e"),
        LISTED.replace("{e}", "w"),
        GONE.replace("{e}", "o"),
    );
    format!(
        "SELECT * FROM (
        SELECT e.name, e.role, e.phone, e.email, NULL AS replaces, NULL AS effective_on,
               e.code AS sort
        FROM employees e
        WHERE e.company_id = :company AND {listed_e}
          AND EXISTS (SELECT 1 FROM customers c WHERE c.owner_id = e.id AND c.status = 'active')
        UNION
        SELECT w.name, w.role, w.phone, w.email, CASE WHEN {gone_o} THEN NULL ELSE o.name END,
               n.effective_on, w.code
        FROM handovers h JOIN notices n ON n.handover_id = h.id
        JOIN employees o ON o.id = n.old_contact_id
        JOIN employees w ON w.id = n.new_contact_id
        WHERE h.company_id = :company AND n.status != 'cancelled' AND n.effective_on >= :since
          AND {listed_w})
    ORDER BY effective_on IS NOT NULL, effective_on, sort"
    )
}

fn omitted_sql() -> String {
    let (listed, gone) = (LISTED.replace("{e}", "e"), GONE.replace("{e}", "e"));
    format!(
        "SELECT coalesce(sum({gone}), 0), coalesce(sum(NOT {gone} AND NOT coalesce({listed}, 0)), 0)
         FROM employees e
         WHERE e.id IN (
             SELECT c.owner_id FROM customers c
             WHERE c.company_id = :company AND c.status = 'active'
             UNION
             SELECT n.new_contact_id FROM handovers h JOIN notices n ON n.handover_id = h.id
             WHERE h.company_id = :company AND n.status != 'cancelled' AND n.effective_on >= :since)"
    )
}

/// The public roster (公示): the customer-facing contacts who may be published (not gone,
/// consent recorded), then the changes that took effect within `days` or are planned. Never
/// a customer's name or notes, never a personal contact, never someone who has left.
pub fn roster(conn: &Connection, company_id: i64, today: NaiveDate, days: u32) -> Result<Roster> {
    let since = today
        .checked_sub_days(Days::new(days.into()))
        .unwrap_or(today);
    let params = named_params! { ":company": company_id, ":since": since, ":today": today };
    let mut stmt = conn.prepare_cached(&roster_sql())?;
    let rows = stmt
        .query_map(params, |r| {
            Ok(RosterRow {
                contact: r.get(0)?,
                role: r.get(1)?,
                phone: r.get(2)?,
                email: r.get(3)?,
                replaces: r.get(4)?,
                effective_on: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let (gone, no_consent) = conn
        .prepare_cached(&omitted_sql())?
        .query_row(params, |r| Ok((r.get(0)?, r.get(1)?)))
        .context("cannot count whom the roster leaves out")?;
    Ok(Roster {
        rows,
        gone,
        no_consent,
    })
}

/// For `status`: planned notices due within the window (or past), and late notices.
pub fn counts(
    conn: &Connection,
    company_id: i64,
    today: NaiveDate,
    due_window_days: u32,
) -> Result<(i64, i64)> {
    let sql = format!(
        "SELECT coalesce(sum(status = 'planned' AND send_by <= :due_until), 0),
                coalesce(sum(late), 0)
         FROM ({})",
        list_sql(Scope::Company(company_id))
    );
    let due_until = today
        .checked_add_days(Days::new(due_window_days.into()))
        .unwrap_or(today);
    Ok(conn.prepare_cached(&sql)?.query_row(
        named_params! {
            ":scope": company_id, ":status": None::<NoticeStatus>,
            ":due": false, ":due_until": due_until, ":late": false, ":today": today,
        },
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_counts_and_the_roster_answer_from_indexes() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let handover_notices =
            format!("SELECT {COLUMNS} FROM notices n {JOINS} WHERE n.handover_id = :handover");
        let sqls = [
            list_sql(Scope::Company(1)),
            list_sql(Scope::Handover(1)),
            roster_sql(),
            omitted_sql(),
            handover_notices,
        ];
        for sql in sqls {
            crate::db::assert_no_scan(&conn, &sql);
        }
    }
}
