//! Probes of the bridging dimension: customers told in time, not left with a leaver,
//! reachable.

use anyhow::Result;
use chrono::NaiveDate;

use super::{code_name, Finding, Probe, CORE_CUSTOMERS};
use crate::domain::employee::EmployeeStatus;
use crate::domain::notify::{self, NoticeStatus, Scope};
use crate::tr;

/// Notices (not cancelled) that are late: planned and past their send-by date, or sent after it.
pub(super) fn notices_past_send_by(p: &Probe) -> Result<Finding> {
    let lang = p.lang;
    let (mut total, mut failing) = (0, Vec::new());
    let all = notify::Filter::default();
    notify::list(
        p.conn,
        Scope::Company(p.company_id),
        &all,
        p.today,
        0,
        |n| {
            if n.status == NoticeStatus::Cancelled {
                return Ok(());
            }
            total += 1;
            if n.late {
                let (id, customer, name, send_by) = (n.id, n.customer, n.customer_name, n.send_by);
                failing.push(match n.sent_at {
                    None => tr!(
                        lang,
                        "notice {id} {customer} {name} (not sent, send by {send_by})",
                        "告知 {id} {customer} {name}（未发送，最迟 {send_by}）"
                    ),
                    Some(sent) => {
                        let sent = sent.get(..10).unwrap_or(&sent).to_string();
                        tr!(
                            lang,
                            "notice {id} {customer} {name} (sent {sent}, send by {send_by})",
                            "告知 {id} {customer} {name}（{sent} 发出，最迟应于 {send_by}）"
                        )
                    }
                });
            }
            Ok(())
        },
    )?;
    Ok(p.judge(total, failing))
}

/// Active customers still owned by an employee who is leaving or has left.
pub(super) fn leavers_with_customers(p: &Probe) -> Result<Finding> {
    let lang = p.lang;
    p.check(
        "SELECT count(*) FROM customers WHERE company_id = ?1 AND status = 'active'",
        "SELECT c.code, c.name, o.code, o.status, o.leaving_on FROM customers c
         JOIN employees o ON o.id = c.owner_id
         WHERE o.company_id = ?1 AND o.status IN ('leaving', 'left') AND c.status = 'active'
         ORDER BY c.code",
        |r| {
            let (who, owner) = (code_name(r)?, r.get::<_, String>(2)?);
            let status = r.get::<_, EmployeeStatus>(3)?.label(lang);
            Ok(match r.get::<_, Option<NaiveDate>>(4)? {
                Some(on) => tr!(
                    lang,
                    "{who} (owner {owner} {status}, {on})",
                    "{who}（负责人 {owner} {status}，{on}）"
                ),
                None => tr!(
                    lang,
                    "{who} (owner {owner} {status})",
                    "{who}（负责人 {owner} {status}）"
                ),
            })
        },
    )
}

/// Core and key customers without a contact person, or with neither phone nor e-mail.
pub(super) fn core_customers_without_contact(p: &Probe) -> Result<Finding> {
    let lang = p.lang;
    p.check(
        CORE_CUSTOMERS,
        "SELECT code, name, contact IS NULL FROM customers
         WHERE company_id = ?1 AND tier IN ('core', 'key') AND status = 'active'
           AND (contact IS NULL OR (phone IS NULL AND email IS NULL))
         ORDER BY code",
        |r| {
            let who = code_name(r)?;
            Ok(if r.get(2)? {
                tr!(lang, "{who} (no contact person)", "{who}（无联系人）")
            } else {
                tr!(lang, "{who} (no phone or e-mail)", "{who}（无电话和邮箱）")
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{assert_finding, Fixture};
    use crate::domain::checklist::Answer;
    use crate::domain::customer::{CustomerPatch, Tier};
    use crate::domain::employee::Role;
    use crate::domain::notify;
    use crate::i18n::Lang;

    #[test]
    fn notices_past_send_by() {
        let f = Fixture::new();
        f.employee("E001", Role::Sales, true, true)
            .employee("E002", Role::Sales, true, true)
            .employee("E003", Role::Service, false, false)
            .customer("C001", Tier::Core, "E001", None)
            .customer("C002", Tier::Key, "E002", None)
            .customer("C003", Tier::Key, "E002", None);
        let on_time = f.handover("E001", "E003", "2026-03-20");
        notify::plan(&f.conn, &f.stamp, on_time, 3).unwrap();
        assert_finding(&f.ask("notices_past_send_by"), Answer::Yes, &["1"], &[]);
        // Send-by 03-01, yesterday.
        let late = f.handover("E002", "E003", "2026-03-04");
        let planned = notify::plan(&f.conn, &f.stamp, late, 3).unwrap().notices;
        let found = f.ask("notices_past_send_by");
        assert_finding(
            &found,
            Answer::Partial,
            &[
                "2 of 3",
                "C002 客户C002 (not sent, send by 2026-03-01)",
                "C003",
            ],
            &["C001"],
        );
        // Sent today is still late; cancelled is no longer counted.
        let (c002, c003) = (planned[0].id, planned[1].id);
        let channel = notify::Channel::Letter;
        notify::sent(&f.conn, &f.stamp, &[c002], channel, f.stamp.at).unwrap();
        notify::cancel(&f.conn, &f.stamp, c003, "customer left").unwrap();
        let found = f.ask("notices_past_send_by");
        assert_finding(
            &found,
            Answer::Partial,
            &[
                "1 of 2",
                "C002 客户C002 (sent 2026-03-02, send by 2026-03-01)",
            ],
            &["C003", "C001"],
        );
    }

    #[test]
    fn leavers_with_customers() {
        let f = Fixture::new();
        f.employee("E001", Role::Rnd, true, true)
            .employee("E002", Role::Sales, true, true)
            .customer("C001", Tier::Core, "E001", Some("E002"))
            .customer("C002", Tier::Normal, "E002", None);
        assert_finding(&f.ask("leavers_with_customers"), Answer::Yes, &["2"], &[]);
        f.sql("UPDATE employees SET status = 'leaving', leaving_on = '2026-03-20' WHERE code = 'E001'");
        let found = f.ask("leavers_with_customers");
        assert_finding(
            &found,
            Answer::Partial,
            &["1 of 2", "C001", "E001 leaving, 2026-03-20"],
            &["C002"],
        );
        let found = f.ask_in("leavers_with_customers", Lang::Zh);
        assert_finding(
            &found,
            Answer::Partial,
            &["负责人 E001 离职中"],
            &["leaving"],
        );
        f.update_customer(
            "C001",
            CustomerPatch {
                owner: Some("E002".into()),
                backup: Some(None),
                ..CustomerPatch::default()
            },
        );
        assert_finding(&f.ask("leavers_with_customers"), Answer::Yes, &[], &[]);
    }

    #[test]
    fn core_customers_without_contact() {
        let f = Fixture::new();
        f.employee("E001", Role::Sales, true, true)
            .customer("C001", Tier::Core, "E001", None)
            .customer("C002", Tier::Key, "E001", None)
            .customer("C003", Tier::Normal, "E001", None);
        assert_finding(
            &f.ask("core_customers_without_contact"),
            Answer::Yes,
            &["2"],
            &[],
        );
        f.update_customer(
            "C001",
            CustomerPatch {
                phone: Some(None),
                ..CustomerPatch::default()
            },
        )
        .update_customer(
            "C002",
            CustomerPatch {
                contact: Some(None),
                ..CustomerPatch::default()
            },
        )
        .update_customer(
            "C003",
            CustomerPatch {
                contact: Some(None),
                ..CustomerPatch::default()
            },
        );
        let found = f.ask("core_customers_without_contact");
        assert_finding(
            &found,
            Answer::No,
            &[
                "2 of 2",
                "C001 客户C001 (no phone or e-mail)",
                "C002 客户C002 (no contact person)",
            ],
            &["C003"],
        );
    }
}
