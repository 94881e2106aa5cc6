//! Probes of the dispute dimension: complaints handled within their clocks.

use anyhow::Result;
use chrono::Days;

use super::{Finding, Probe};
use crate::domain::complaint;
use crate::{time, tr};

/// How far back the complaint probe looks.
const COMPLAINT_DAYS: u64 = 90;

/// Complaints received in the last 90 days with a clock breached (met late, or outstanding
/// past its deadline), by the stage rules of the complaint module.
pub(super) fn complaints_breached_90d(p: &Probe) -> Result<Finding> {
    let lang = p.lang;
    let since = p
        .today
        .checked_sub_days(Days::new(COMPLAINT_DAYS))
        .unwrap_or(p.today);
    let (total, breaches) =
        complaint::breached_since(p.conn, p.company_id, time::start_of_day(since), p.now)?;
    let failing = breaches
        .into_iter()
        .map(|b| {
            let c = b.complaint;
            let id = c.id;
            let who = c.customer.or(c.complainant).unwrap_or_default();
            let received = c
                .received_at
                .get(..10)
                .unwrap_or(&c.received_at)
                .to_string();
            let stages: Vec<&str> = b.stages.into_iter().map(|s| s.label(lang)).collect();
            let stages = stages.join(tr!(lang, ", ", "、").as_str());
            tr!(
                lang,
                "complaint {id} {who} (received {received}; breached: {stages})",
                "投诉 {id} {who}（{received} 收到；超时：{stages}）"
            )
        })
        .collect();
    Ok(p.judge(total, failing))
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{assert_finding, at, Fixture};
    use crate::domain::checklist::Answer;
    use crate::domain::complaint;
    use crate::domain::customer::Tier;
    use crate::domain::employee::Role;

    #[test]
    fn complaints_breached_90d() {
        use crate::domain::complaint::{Act, Category, Channel, Clocks, NewComplaint};
        let f = Fixture::new();
        f.employee("E001", Role::Sales, true, true)
            .customer("C001", Tier::Core, "E001", None);
        let (sla, calendar) = (
            crate::config::Sla::default(),
            crate::time::Calendar::builtin(),
        );
        let clocks = Clocks {
            sla: &sla,
            calendar: &calendar,
        };
        let file = |received: &str, steps: &[(&str, Act)]| {
            let new = NewComplaint {
                customer: Some("C001".into()),
                complainant: None,
                summary: "s".into(),
                category: Category::Other,
                channel: Channel::Phone,
                received_at: at(received),
                handover: None,
                kind: complaint::Kind::Complaint,
                complainant_kind: complaint::ComplainantKind::Consumer,
                reporter: None,
            };
            let id = complaint::file(&f.conn, &f.stamp, f.company, clocks, &new)
                .unwrap()
                .id;
            for (when, act) in steps {
                complaint::act(&f.conn, &f.stamp, &calendar, id, at(when), act).unwrap();
            }
        };
        // More than 90 days ago (the window opens on 2025-12-02): not checked.
        file("2025-11-20T02:00:00Z", &[]);
        // Accepted and answered in time, resolution not yet due.
        let note = || Act::Feedback { note: "n".into() };
        file(
            "2026-02-24T02:00:00Z",
            &[
                ("2026-02-24T03:00:00Z", Act::Accept),
                ("2026-02-24T04:00:00Z", note()),
            ],
        );
        assert_finding(&f.ask("complaints_breached_90d"), Answer::Yes, &["1"], &[]);
        // Accepted late (met late counts), and one untouched past its accept and feedback clocks.
        file(
            "2026-02-25T02:00:00Z",
            &[
                ("2026-02-26T05:00:00Z", Act::Accept),
                ("2026-02-26T06:00:00Z", note()),
            ],
        );
        file("2026-02-26T02:00:00Z", &[]);
        let found = f.ask("complaints_breached_90d");
        assert_finding(
            &found,
            Answer::Partial,
            &[
                "2 of 3",
                "complaint 3 C001 (received 2026-02-25; breached: accept)",
                "complaint 4 C001 (received 2026-02-26; breached: accept, feedback)",
            ],
            &["complaint 1 ", "complaint 2 "],
        );
    }
}
