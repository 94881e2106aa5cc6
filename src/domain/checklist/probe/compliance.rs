//! Probes of the compliance dimension: agreements of core staff, handovers done in time.

use anyhow::Result;
use chrono::NaiveDate;

use super::{code_name, Finding, Probe};
use crate::domain::handover;
use crate::tr;

/// Core employees (not yet gone) without a confidentiality agreement.
pub(super) fn core_staff_without_nda(p: &Probe) -> Result<Finding> {
    p.check(
        "SELECT count(*) FROM employees WHERE company_id = ?1 AND core = 1 AND status != 'left'",
        "SELECT code, name FROM employees
         WHERE company_id = ?1 AND core = 1 AND status != 'left' AND nda = 0
         ORDER BY code",
        code_name,
    )
}

/// Core staff (not yet gone) who know trade secrets (a confidentiality agreement on record)
/// with no non-compete terms, or with terms running more than the legal two years past
/// their leaving date. A non-compete binds only those who know secrets (劳动争议解释（二）
/// art. 13), so R&D staff without secrets are not counted, whatever their post.
pub(super) fn core_staff_without_noncompete(p: &Probe) -> Result<Finding> {
    const STAFF: &str =
        "FROM employees WHERE company_id = ?1 AND core = 1 AND status != 'left' AND nda = 1";
    let lang = p.lang;
    p.check(
        &format!("SELECT count(*) {STAFF}"),
        &format!(
            "SELECT code, name, noncompete_until {STAFF}
               AND (noncompete_until IS NULL OR noncompete_until > date(leaving_on, '+2 years'))
             ORDER BY code"
        ),
        |r| {
            let who = code_name(r)?;
            Ok(match r.get::<_, Option<NaiveDate>>(2)? {
                None => tr!(lang, "{who} (none)", "{who}（未约定）"),
                Some(until) => tr!(
                    lang,
                    "{who} (until {until}, more than two years after leaving)",
                    "{who}（至 {until}，超过离职后两年）"
                ),
            })
        },
    )
}

/// Items of open handovers still open after their due date.
pub(super) fn handover_items_overdue(p: &Probe) -> Result<Finding> {
    let lang = p.lang;
    let (total, overdue) = handover::overdue_items(p.conn, p.company_id, p.today)?;
    let failing = overdue
        .into_iter()
        .map(|row| {
            let (id, title, due, who) =
                (row.item.id, row.item.title, row.item.due_on, row.employee);
            let handover = row.item.handover;
            tr!(
                lang,
                "item {id} {title} (handover {handover} of {who}, due {due})",
                "事项 {id} {title}（交接 {handover}，离职人 {who}，截止 {due}）"
            )
        })
        .collect();
    Ok(p.judge(total, failing))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::super::fixture::{assert_finding, Fixture};
    use crate::domain::checklist::Answer;
    use crate::domain::customer::Tier;
    use crate::domain::employee::{EmployeePatch, Role};
    use crate::domain::{departure, handover};

    #[test]
    fn core_staff_without_nda() {
        let f = Fixture::new();
        f.employee("E001", Role::Rnd, true, true)
            .employee("E002", Role::Sales, true, false)
            .employee("E003", Role::Service, false, false);
        let found = f.ask("core_staff_without_nda");
        assert_finding(
            &found,
            Answer::Partial,
            &["1 of 2", "E002"],
            &["E001", "E003"],
        );
        f.sql("UPDATE employees SET status = 'left' WHERE code = 'E002'");
        assert_finding(&f.ask("core_staff_without_nda"), Answer::Yes, &["1"], &[]);
    }

    #[test]
    fn core_staff_without_noncompete() {
        let f = Fixture::new();
        // only core staff who know secrets (NDA) are asked for a non-compete, whatever the post
        f.employee("E001", Role::Rnd, true, true)
            .employee("E002", Role::Sales, true, true)
            .employee("E003", Role::Rnd, true, false)
            .employee("E004", Role::Tech, false, true);
        let found = f.ask("core_staff_without_noncompete");
        assert_finding(
            &found,
            Answer::No,
            &["2 of 2", "E001", "E002"],
            &["E003", "E004"],
        );
        let until = |date: &str| EmployeePatch {
            noncompete_until: Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()),
            ..EmployeePatch::default()
        };
        f.update_employee("E001", until("2028-03-01"));
        let found = f.ask("core_staff_without_noncompete");
        assert_finding(&found, Answer::Partial, &["1 of 2", "E002"], &["E001"]);
        f.update_employee("E002", until("2028-06-30"));
        assert_finding(
            &f.ask("core_staff_without_noncompete"),
            Answer::Yes,
            &[],
            &[],
        );
        f.sql("UPDATE employees SET status = 'leaving', leaving_on = '2026-03-20' WHERE code = 'E002'");
        let found = f.ask("core_staff_without_noncompete");
        assert_finding(
            &found,
            Answer::Partial,
            &["E002", "until 2028-06-30", "two years"],
            &["E001"],
        );
    }

    #[test]
    fn handover_items_overdue() {
        let f = Fixture::new();
        f.employee("E001", Role::Sales, true, true)
            .employee("E002", Role::Sales, true, true)
            .employee("E003", Role::Service, false, false)
            .customer("C001", Tier::Core, "E001", None)
            .customer("C002", Tier::Key, "E002", None);
        // Items fall due three days before the leaving date: 03-17, not yet.
        f.handover("E001", "E003", "2026-03-20");
        let found = f.ask("handover_items_overdue");
        assert_finding(&found, Answer::Yes, &["10"], &[]);
        // Left yesterday (back-filled): every item of handover 2 is overdue until done, but
        // the personnel file, due 15 days after leaving.
        let late = f.handover("E002", "E003", "2026-03-01");
        let found = f.ask("handover_items_overdue");
        assert_finding(
            &found,
            Answer::Partial,
            &[
                "9 of 20",
                "客户C002 (handover 2 of E002, due 2026-02-26)",
                "(handover 2 of E002, due 2026-03-01)",
            ],
            &["handover 1"],
        );
        let today = crate::time::Clock::fixed(f.stamp.at).today();
        let first = handover::sheet(&f.conn, late, today).unwrap().items[0]
            .item
            .id;
        handover::waive_item(&f.conn, &f.stamp, first, "not needed").unwrap();
        assert_finding(
            &f.ask("handover_items_overdue"),
            Answer::Partial,
            &["8 of 20"],
            &[],
        );
        // A closed handover is no longer checked.
        departure::close(&f.conn, &f.stamp, late, Some("left without notice")).unwrap();
        assert_finding(&f.ask("handover_items_overdue"), Answer::Yes, &["10"], &[]);
    }
}
