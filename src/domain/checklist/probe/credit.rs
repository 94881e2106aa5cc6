//! Probes of the credit dimension: violations on record.

use std::collections::BTreeMap;

use anyhow::Result;

use super::{Finding, Probe};
use crate::domain::credit;
use crate::tr;

/// The company and its employees with a record: those with a violation still active
/// (neither repaired, revoked nor expired).
pub(super) fn credit_violations_active(p: &Probe) -> Result<Finding> {
    let lang = p.lang;
    let (subjects, violations) = credit::active_violations(p.conn, p.company_id, p.today)?;
    let mut by_subject: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for v in violations {
        by_subject
            .entry((v.subject, v.subject_name))
            .or_default()
            .push(format!("{} {}", v.code, v.occurred_on));
    }
    let failing = by_subject
        .into_iter()
        .map(|((subject, name), codes)| {
            let codes = codes.join(", ");
            tr!(
                lang,
                "{subject} {name} ({codes})",
                "{subject} {name}（{codes}）"
            )
        })
        .collect();
    Ok(p.judge(subjects, failing))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::super::fixture::{assert_finding, Fixture};
    use crate::domain::checklist::Answer;
    use crate::domain::company;
    use crate::domain::employee::Role;

    #[test]
    fn credit_violations_active() {
        use crate::domain::credit::{self, catalog::Catalog, NewEvent, SubjectArg};
        let f = Fixture::new();
        f.employee("E001", Role::Service, true, true);
        let catalog = Catalog::builtin();
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let record = |subject: SubjectArg, code: &str, occurred_on: &str| {
            let new = NewEvent {
                subject,
                code: code.into(),
                occurred_on: occurred_on.parse().unwrap(),
                note: None,
                decision: None,
            };
            credit::record(&f.conn, &f.stamp, &catalog, Some(f.company), today, &new)
                .unwrap()
                .id
        };
        let company = || SubjectArg::Company("914403001922038216".into());
        // An incentive, and a violation that expired on 2026-03-01 (two years).
        record(
            SubjectArg::Employee("E001".into()),
            "service-manual-handover",
            "2026-01-10",
        );
        record(company(), "contact-change-not-notified", "2024-03-01");
        assert_finding(&f.ask("credit_violations_active"), Answer::Yes, &["2"], &[]);
        let active = record(company(), "no-handover-rules", "2025-06-01");
        let found = f.ask("credit_violations_active");
        assert_finding(
            &found,
            Answer::Partial,
            &[
                "1 of 2",
                "company:914403001922038216 示例 (no-handover-rules 2025-06-01)",
            ],
            &["contact-change", "employee:E001"],
        );
        record(
            SubjectArg::Employee("E001".into()),
            "handover-refused",
            "2025-12-01",
        );
        let found = f.ask("credit_violations_active");
        assert_finding(
            &found,
            Answer::No,
            &["2 of 2", "employee:E001 员工E001 (handover-refused"],
            &[],
        );
        // Another company's records are not this one's.
        company::add(&f.conn, &f.stamp, "91320500MA1MXX0Q17", "乙", None).unwrap();
        record(
            SubjectArg::Company("91320500MA1MXX0Q17".into()),
            "no-handover-rules",
            "2025-06-01",
        );
        credit::revoke(&f.conn, &f.stamp, today, active, "recorded in error").unwrap();
        let found = f.ask("credit_violations_active");
        assert_finding(
            &found,
            Answer::Partial,
            &["1 of 2", "handover-refused"],
            &["乙", "no-handover"],
        );
    }
}
