//! Opening a handover: the items every departure gets, and what to warn about when one is
//! opened (by `handover open` and by `import handovers` alike).

use anyhow::{Context as _, Result};
use chrono::{Months, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::json;

use super::{get, insert_item, name_the_taker, Handover, ItemKind, Reason};
use crate::audit::{self, Stamp};
use crate::domain::company::required;
use crate::domain::employee::{self, EmployeeStatus};
use crate::domain::today_of;
use crate::i18n::{Lang, Text};
use crate::time;
use crate::{bad_input, config, refused, text, tr};

/// What `open` needs to know about the departure (one row of `import handovers`, too).
#[derive(Debug, Clone)]
pub struct OpenRequest {
    pub employee: String,
    pub leaving_on: NaiveDate,
    pub successor: Option<String>,
    pub reason: Reason,
}

/// The items every handover gets, from the config, in the language of the titles.
#[derive(Debug, Clone)]
pub struct Rules {
    pub lead_days: u32,
    pub documents: Vec<String>,
    pub lang: Lang,
}

impl Rules {
    pub fn new(config: &config::Handover, lang: Lang) -> Rules {
        let documents = config.documents.clone().unwrap_or_else(|| {
            let built_in: [&str; 4] = match lang {
                Lang::En => [
                    "Customer usage records",
                    "Product maintenance manuals",
                    "Customer requirements ledger",
                    "Open contracts and orders",
                ],
                Lang::Zh => [
                    "客户使用记录",
                    "产品维护手册",
                    "客户需求交接台账",
                    "未完结合同与订单",
                ],
            };
            built_in.map(String::from).to_vec()
        });
        Rules {
            lead_days: config.lead_days,
            documents,
            lang,
        }
    }
}

/// Opens the handover of a departing employee: marks them `leaving` and creates the items
/// of the rules (one per customer they own, the documents, access, confidentiality).
pub fn open(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    rules: &Rules,
    request: &OpenRequest,
) -> Result<Handover> {
    let leaver = employee::get(conn, company_id, &request.employee)?;
    let employee_id = employee::get_id(conn, company_id, &leaver.id)?;
    if leaver.status == EmployeeStatus::Left {
        let code = &leaver.id;
        return Err(
            refused!("employee {code} has left already", "员工 {code} 已离职")
                .hint(text!(
                    "see `baton handover list --status closed`",
                    "用 `baton handover list --status closed` 查看"
                ))
                .into(),
        );
    }
    let existing: Option<i64> = conn
        .prepare_cached("SELECT id FROM handovers WHERE employee_id = ?1 AND status = 'open'")?
        .query_row([employee_id], |r| r.get(0))
        .optional()?;
    if let Some(id) = existing {
        let code = &leaver.id;
        return Err(refused!(
            "employee {code} has an open handover already: {id}",
            "员工 {code} 已有进行中的交接：{id}"
        )
        .hint(text!(
            "see it with `baton handover show {id}`; one open handover per employee",
            "用 `baton handover show {id}` 查看；每位员工同时只能有一个进行中的交接"
        ))
        .into());
    }
    let successor_id = request
        .successor
        .as_deref()
        .map(|code| {
            let code = required("successor", code)?;
            if code == leaver.id {
                return Err(bad_input!(
                    "successor {code} is the employee who leaves",
                    "接任人 {code} 就是离职员工本人"
                )
                .hint(name_the_taker())
                .into());
            }
            employee::assignable_id(conn, company_id, &code)
        })
        .transpose()?;
    conn.prepare_cached(
        "INSERT INTO handovers (company_id, employee_id, successor_id, leaving_on, reason, opened_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        company_id,
        employee_id,
        successor_id,
        request.leaving_on,
        request.reason,
        time::to_db(stamp.at)
    ])
    .context("cannot open the handover")?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached("UPDATE employees SET status = 'leaving', leaving_on = ?2 WHERE id = ?1")?
        .execute(params![employee_id, request.leaving_on])
        .context("cannot mark the employee as leaving")?;

    let customer_due = time::days_before(request.leaving_on, rules.lead_days)?;
    let mut owned = conn.prepare_cached(
        "SELECT c.id, c.code, c.name, CASE WHEN b.status = 'left' THEN NULL ELSE c.backup_id END
         FROM customers c LEFT JOIN employees b ON b.id = c.backup_id
         WHERE c.owner_id = ?1 AND c.status = 'active' ORDER BY c.code",
    )?;
    let customers = owned
        .query_map([employee_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (customer_id, code, name, backup_id) in &customers {
        insert_item(
            conn,
            id,
            ItemKind::Customer,
            Some(*customer_id),
            Some(code),
            name,
            successor_id.or(*backup_id),
            customer_due,
        )?;
    }
    for title in &rules.documents {
        insert_item(
            conn,
            id,
            ItemKind::Document,
            None,
            None,
            title,
            successor_id,
            request.leaving_on,
        )?;
    }
    let lang = rules.lang;
    let access = tr!(
        lang,
        "Revoke accounts and access; from now on view, never copy",
        "收回账号与系统权限：此后只可查看，不得拷贝"
    );
    let task = tr!(
        lang,
        "Written confirmation of confidentiality and non-compete duties",
        "书面确认保密与竞业限制义务"
    );
    insert_item(
        conn,
        id,
        ItemKind::Access,
        None,
        None,
        &access,
        None,
        request.leaving_on,
    )?;
    insert_item(
        conn,
        id,
        ItemKind::Task,
        None,
        None,
        &task,
        None,
        request.leaving_on,
    )?;
    for (title, due_on) in employer_duties(request.reason, request.leaving_on, lang)? {
        insert_item(conn, id, ItemKind::Task, None, None, &title, None, due_on)?;
    }
    let handover = get(conn, id, today_of(stamp))?;
    audit::record(
        conn,
        stamp,
        "handover.open",
        "handover",
        Some(&id.to_string()),
        &json!({
            "after": handover,
            "employee": { "id": leaver.id, "before": leaver.status, "after": EmployeeStatus::Leaving },
        }),
    )?;
    Ok(handover)
}

/// The employer's duties when a contract ends (劳动合同法 art. 50), as task items with their
/// deadlines: the termination certificate on the leaving date, the personnel file and social
/// insurance moved within 15 days, the economic compensation owed (after a dismissal or the
/// end of a fixed term, art. 46) paid when the handover is done, the contract kept two years.
/// A transfer ends no contract and has none.
fn employer_duties(
    reason: Reason,
    leaving_on: NaiveDate,
    lang: Lang,
) -> Result<Vec<(String, NaiveDate)>> {
    if reason == Reason::Transfer {
        return Ok(Vec::new());
    }
    let transfer_by = time::days_after(leaving_on, 15)?;
    let keep_until = leaving_on
        .checked_add_months(Months::new(24))
        .unwrap_or(leaving_on);
    let mut duties = vec![
        (
            tr!(
                lang,
                "Issue the certificate of termination of the labour contract (Labour Contract Law art. 50)",
                "出具解除或者终止劳动合同的证明（《劳动合同法》第五十条）"
            ),
            leaving_on,
        ),
        (
            tr!(
                lang,
                "Transfer the personnel file and social insurance within 15 days (Labour Contract Law art. 50)",
                "十五日内办理档案和社会保险关系转移手续（《劳动合同法》第五十条）"
            ),
            transfer_by,
        ),
    ];
    if matches!(reason, Reason::Dismissal | Reason::Expiry) {
        duties.push((
            tr!(
                lang,
                "Pay the economic compensation owed, if any, when the handover is done (Labour Contract Law arts. 46, 50)",
                "依法应支付经济补偿的，在办结工作交接时支付（《劳动合同法》第四十六条、第五十条）"
            ),
            leaving_on,
        ));
    }
    duties.push((
        tr!(
            lang,
            "File the text of the ended contract and keep it at least 2 years, until {keep_until} (Labour Contract Law art. 50)",
            "劳动合同文本存档二年备查，至 {keep_until}（《劳动合同法》第五十条）"
        ),
        leaving_on,
    ));
    Ok(duties)
}

/// Opens the handover (see [`open`]) and says what to warn about it: a leaving date in the
/// past (back-filled), and the customers nobody takes yet. `handover open` and
/// `import handovers` both run it.
pub fn open_warned(
    conn: &Connection,
    stamp: &Stamp,
    company_id: i64,
    rules: &Rules,
    request: &OpenRequest,
) -> Result<(Handover, Vec<Text>)> {
    let opened = open(conn, stamp, company_id, rules, request)?;
    let (id, employee) = (opened.id, &opened.employee);
    let mut warnings = Vec::new();
    if opened.leaving_on < today_of(stamp) {
        let on = opened.leaving_on;
        warnings.push(text!(
            "handover {id} of {employee}: the leaving date {on} is in the past: back-filling, items may be overdue already",
            "{employee} 的交接 {id}：离职日期 {on} 已过：按补录处理，部分事项可能已逾期"
        ));
    }
    let unassigned = unassigned_customers(conn, id)?;
    if !unassigned.is_empty() {
        let codes = unassigned.join(", ");
        warnings.push(text!(
            "handover {id} of {employee}: nobody takes customer(s) {codes}; next: baton handover assign {id} --customer CODE --to EMPLOYEE",
            "{employee} 的交接 {id}：客户 {codes} 尚无接手人；请运行 baton handover assign {id} --customer 客户编号 --to 员工编号"
        ));
    }
    Ok((opened, warnings))
}

/// Codes of the customers of a handover whose open item has nobody to take them.
fn unassigned_customers(conn: &Connection, handover_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ref FROM handover_items
         WHERE handover_id = ?1 AND status = 'open' AND kind = 'customer' AND assignee_id IS NULL
         ORDER BY ref",
    )?;
    let codes = stmt.query_map([handover_id], |r| r.get(0))?;
    Ok(codes.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{date, request, rules, setup, stamp};
    use super::*;
    use crate::domain::handover::sheet;
    use crate::error::Failure;
    use crate::time::Clock;

    #[test]
    fn open_creates_the_items_of_the_rules() {
        let (conn, company) = setup();
        let h = open(&conn, &stamp(), company, &rules(), &request(None)).unwrap();
        // two customers, four documents, access, task, three duties of art. 50
        assert_eq!(h.items_total, 11);
        let d = sheet(&conn, h.id, Clock::fixed(stamp().at).today()).unwrap();
        let customers: Vec<_> = d
            .items
            .iter()
            .filter(|i| i.item.kind == ItemKind::Customer)
            .collect();
        assert_eq!(customers[0].item.due_on, date("2026-03-17"));
        // no successor: the backup takes the customer, else nobody
        assert_eq!(customers[0].item.assignee, None);
        assert_eq!(customers[1].item.assignee.as_deref(), Some("E003"));
        assert_eq!(unassigned_customers(&conn, h.id).unwrap(), vec!["C001"]);
    }

    #[test]
    fn the_employer_duties_of_art_50_follow_the_reason() {
        let titles = |reason| {
            employer_duties(reason, date("2026-03-20"), Lang::En)
                .unwrap()
                .into_iter()
                .map(|(title, due)| format!("{due} {title}"))
                .collect::<Vec<_>>()
        };
        let resign = titles(Reason::Resign);
        assert_eq!(resign.len(), 3, "{resign:?}");
        assert!(resign[0].starts_with("2026-03-20 Issue the certificate"));
        assert!(resign[1].starts_with("2026-04-04 Transfer the personnel file"));
        assert!(resign[2].contains("until 2028-03-20"), "{resign:?}");
        let expiry = titles(Reason::Expiry);
        assert_eq!(expiry.len(), 4);
        assert!(expiry[2].contains("economic compensation"), "{expiry:?}");
        assert!(titles(Reason::Transfer).is_empty());
        let zh = employer_duties(Reason::Dismissal, date("2026-03-20"), Lang::Zh).unwrap();
        assert!(zh[1]
            .0
            .starts_with("十五日内办理档案和社会保险关系转移手续"));
        assert!(employer_duties(Reason::Resign, date("9999-12-20"), Lang::En).is_err());
    }

    #[test]
    fn a_successor_takes_every_customer_and_a_second_open_is_refused() {
        let (conn, company) = setup();
        let h = open(&conn, &stamp(), company, &rules(), &request(Some("E002"))).unwrap();
        assert!(unassigned_customers(&conn, h.id).unwrap().is_empty());
        let err = open(&conn, &stamp(), company, &rules(), &request(Some("E002"))).unwrap_err();
        let failure = err.downcast_ref::<Failure>().unwrap();
        assert_eq!(failure.exit_code(), 3);
    }

    #[test]
    fn a_back_filled_departure_warns_of_its_date_and_of_customers_nobody_takes() {
        let (conn, company) = setup();
        let past = OpenRequest {
            leaving_on: date("2026-02-27"),
            ..request(None)
        };
        let (h, warnings) = open_warned(&conn, &stamp(), company, &rules(), &past).unwrap();
        assert_eq!(h.leaving_on, date("2026-02-27"));
        let en: Vec<&str> = warnings.iter().map(|w| w.get(Lang::En)).collect();
        assert_eq!(en.len(), 2, "{en:?}");
        assert!(en[0].contains("2026-02-27 is in the past"), "{en:?}");
        assert!(en[1].contains("nobody takes customer(s) C001;"), "{en:?}");
        assert!(warnings[1].get(Lang::Zh).contains("客户 C001 尚无接手人"));
    }
}
