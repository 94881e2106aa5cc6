//! The public roster (公示): the customer-facing contacts of a company and the changes of
//! contact, as a Markdown page for its website.

use chrono::NaiveDate;

use crate::domain::notify::RosterRow;
use crate::i18n::{long_date, Lang};
use crate::output::markdown_table;
use crate::tr;

/// The roster as a Markdown page for the company's website, with the work phones and
/// e-mails of the contacts who agreed to publish them (customers call them).
pub fn page(company: &str, rows: &[RosterRow], lang: Lang, today: NaiveDate) -> String {
    let today = long_date(today, lang);
    let mut page = tr!(
        lang,
        "# {company}: customer contacts\n\nAs of {today}\n\n",
        "# {company} 客户对接人公示\n\n更新日期：{today}\n\n"
    );
    let header = match lang {
        Lang::En => ["Contact", "Role", "Work phone", "Work e-mail"],
        Lang::Zh => ["对接人", "岗位", "工作电话", "工作邮箱"],
    };
    let (current, changes): (Vec<&RosterRow>, Vec<&RosterRow>) =
        rows.iter().partition(|r| r.effective_on.is_none());
    let current = current.iter().map(|r| {
        vec![
            r.contact.clone(),
            r.role.label(lang).to_string(),
            r.phone.clone().unwrap_or_default(),
            r.email.clone().unwrap_or_default(),
        ]
    });
    page.push_str(&markdown_table(&header, current.collect()));
    if !changes.is_empty() {
        page.push_str(&tr!(
            lang,
            "\n## Changes of contact\n\n",
            "\n## 对接人变更\n\n"
        ));
        for r in changes {
            let new = &r.contact;
            let date = r
                .effective_on
                .map(|d| long_date(d, lang))
                .unwrap_or_default();
            let phone = match r.phone.as_deref() {
                Some(phone) => tr!(lang, " (work phone {phone})", "（工作电话 {phone}）"),
                None => String::new(),
            };
            page.push_str(&match r.replaces.as_deref() {
                Some(old) => tr!(
                    lang,
                    "- {new} replaces {old} from {date}{phone}\n",
                    "- 自{date}起，{new}接替{old}负责客户对接{phone}\n"
                ),
                None => tr!(
                    lang,
                    "- {new} takes over customer contact from {date}{phone}\n",
                    "- 自{date}起，{new}负责相关客户对接{phone}\n"
                ),
            });
        }
    }
    page.push_str(&tr!(
        lang,
        "\nA change of contact changes no contract: the contracts in force continue as agreed.\n",
        "\n对接人变更不影响已签订合同的履行，合同按原约定继续履行。\n"
    ));
    page
}
