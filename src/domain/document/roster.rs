//! The public roster (公示): the customer-facing contacts of a company and the changes of
//! contact, as a Markdown page for its website.

use chrono::NaiveDate;

use crate::domain::notify::RosterRow;
use crate::i18n::Lang;
use crate::tr;

/// The roster as a Markdown page for the company's website, contacts unmasked (they are
/// published so that customers can call).
pub fn page(company: &str, rows: &[RosterRow], lang: Lang, today: NaiveDate) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut page = tr!(
        lang,
        "# {company}: customer contacts\n\nAs of {today}\n\n| Contact | Role | Phone | E-mail |\n|---|---|---|---|\n",
        "# {company} 客户对接人公示\n\n更新日期:{today}\n\n| 对接人 | 岗位 | 电话 | 邮箱 |\n|---|---|---|---|\n"
    );
    for r in rows.iter().filter(|r| r.replaces.is_none()) {
        page.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            cell(&r.contact),
            r.role.label(lang),
            cell(r.phone.as_deref().unwrap_or_default()),
            cell(r.email.as_deref().unwrap_or_default()),
        ));
    }
    let changes: Vec<&RosterRow> = rows.iter().filter(|r| r.replaces.is_some()).collect();
    if !changes.is_empty() {
        page.push_str(&tr!(
            lang,
            "\n## Changes of contact\n\n",
            "\n## 对接人变更\n\n"
        ));
        for r in changes {
            let (new, old) = (&r.contact, r.replaces.as_deref().unwrap_or_default());
            let date = r.effective_on.map(|d| d.to_string()).unwrap_or_default();
            let phone = match r.phone.as_deref() {
                Some(phone) => tr!(lang, " (phone {phone})", "(电话 {phone})"),
                None => String::new(),
            };
            page.push_str(&tr!(
                lang,
                "- {new} replaces {old} from {date}{phone}\n",
                "- 自 {date} 起,{new} 接替 {old} 负责客户对接{phone}\n"
            ));
        }
    }
    page.push_str(&tr!(
        lang,
        "\nOur commitment: a change of contact changes no contract and no service commitment; \
         every open order and request is handed over in writing and continues as agreed.\n",
        "\n服务承诺:对接人变更不影响既有合同与服务承诺;所有在途订单与客户需求均已书面交接,按原约定继续履行。\n"
    ));
    page
}
