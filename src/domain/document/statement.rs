//! The handover statement (工作交接说明): who leaves and when, who takes what by when, the
//! complaints the departure caused, and what is still open. It names every customer, so it
//! is internal and says so; what a customer is given is its own confirmation (交接确认书,
//! [`confirmation`]): that customer's matters only, with the lines the parties sign.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::domain::complaint::Complaint;
use crate::domain::departure::{CustomerHandover, HandoverDetail};
use crate::domain::handover::{ItemDetail, ItemKind, ItemStatus};
use crate::domain::notify::{Notice, NoticeStatus};
use crate::i18n::{long_date, Lang};
use crate::output::html::{Class, Page};
use crate::output::markdown_table;
use crate::tr;

/// How a statement is written: plain text for a terminal, or Markdown for a printable page,
/// with headings, lists and real tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Text,
    Markdown,
}

impl Form {
    /// What starts a heading of `level` (`#` is the title).
    fn heading(self, level: usize) -> String {
        match self {
            Form::Text => String::new(),
            Form::Markdown => format!("{} ", "#".repeat(level)),
        }
    }
}

/// An item's status, and whether it is late.
fn item_status(item: &ItemDetail, lang: Lang) -> String {
    let status = item.item.status.label(lang);
    if item.overdue {
        format!("{status}{}", tr!(lang, " (overdue)", "（已逾期）"))
    } else {
        status.to_string()
    }
}

/// Where the customer's notice stands: planned by when, sent when and how, and whether late.
fn notice_state(notice: Option<&Notice>, lang: Lang) -> String {
    let Some(n) = notice else {
        return tr!(lang, "not planned", "尚未计划");
    };
    let (send_by, sent) = (n.send_by, n.sent_at.as_deref().unwrap_or_default());
    let sent = sent.get(..10).unwrap_or(sent);
    let channel = n.channel.map(|c| c.label(lang)).unwrap_or_default();
    let state = match n.status {
        NoticeStatus::Planned => tr!(lang, "planned, send by {send_by}", "待发送，最迟 {send_by}"),
        NoticeStatus::Sent => tr!(
            lang,
            "sent on {sent} by {channel}",
            "已于 {sent} 通过 {channel} 发出"
        ),
        NoticeStatus::Acknowledged => tr!(
            lang,
            "sent on {sent} by {channel}, acknowledged",
            "已于 {sent} 通过 {channel} 发出，客户已确认"
        ),
        NoticeStatus::Cancelled => tr!(lang, "cancelled", "已取消"),
    };
    if n.late {
        state + &tr!(lang, " (LATE)", "（逾期）")
    } else {
        state
    }
}

/// The heading of the statement's section on one kind of item.
fn kind_heading(kind: ItemKind, lang: Lang) -> String {
    match kind {
        ItemKind::Customer => tr!(lang, "Customers", "客户"),
        ItemKind::Contract => tr!(lang, "Contracts and orders", "合同与订单"),
        ItemKind::Document => tr!(lang, "Documents", "文件资料"),
        ItemKind::Access => tr!(lang, "Accounts and access", "账号与权限"),
        ItemKind::Task => tr!(lang, "Tasks", "其他事项"),
    }
}

/// A person by name and code, or that nobody is named yet.
fn person(code: Option<&str>, name: Option<&str>, lang: Lang) -> String {
    match (code, name) {
        (Some(code), Some(name)) => tr!(lang, "{name} ({code})", "{name}（{code}）"),
        (Some(code), None) => code.to_string(),
        _ => tr!(lang, "nobody yet", "尚未指定"),
    }
}

/// The customers of a handover as a table: who takes each, by when, and its notice.
fn customer_table(d: &HandoverDetail, items: &[&ItemDetail], lang: Lang, form: Form) -> String {
    let header = match lang {
        Lang::En => [
            "#",
            "customer",
            "tier",
            "new owner",
            "due",
            "status",
            "notice",
            "note",
        ],
        Lang::Zh => [
            "#",
            "客户",
            "等级",
            "接手人",
            "截止",
            "状态",
            "客户告知",
            "备注",
        ],
    };
    let mut rows = Vec::new();
    for i in items {
        let it = &i.item;
        let code = it.reference.as_deref().unwrap_or_default();
        let name = i.customer_name.as_deref().unwrap_or(&it.title);
        let notice = d.notices.iter().find(|n| n.customer == code);
        rows.push(vec![
            it.id.to_string(),
            format!("{code} {name}"),
            i.tier
                .map(|t| t.label(lang))
                .unwrap_or_default()
                .to_string(),
            person(it.assignee.as_deref(), i.assignee_name.as_deref(), lang),
            it.due_on.to_string(),
            item_status(i, lang),
            notice_state(notice, lang),
            it.note.clone().unwrap_or_default(),
        ]);
    }
    if form == Form::Markdown {
        return markdown_table(&header, rows);
    }
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    table.set_width(100);
    table.set_header(header);
    table.add_rows(rows);
    format!("{table}\n")
}

/// The statement's section on the complaints the departure caused: one line each.
fn complaint_section(s: &mut String, complaints: &[Complaint], lang: Lang, form: Form) {
    let h2 = form.heading(2);
    let _ = writeln!(s, "\n{h2}{}", tr!(lang, "Complaints", "相关投诉"));
    if complaints.is_empty() {
        let _ = writeln!(
            s,
            "  {}",
            tr!(
                lang,
                "none linked to this departure",
                "无与本次离职相关的投诉"
            )
        );
    }
    for c in complaints {
        let (id, summary) = (c.id, &c.summary);
        let received = c.received_at.get(..10).unwrap_or(&c.received_at);
        let who = c
            .customer
            .as_deref()
            .or(c.complainant.as_deref())
            .unwrap_or_default();
        let status = c.status.label(lang);
        let overdue = match c.overdue.is_empty() {
            true => String::new(),
            false => {
                let stages = c.overdue.labels(lang);
                tr!(lang, ", OVERDUE: {stages}", "，已超时：{stages}")
            }
        };
        let _ = writeln!(
            s,
            "{}",
            tr!(
                lang,
                "  - #{id} received {received} from {who}: {summary} ({status}{overdue})",
                "  - #{id} {received} 收到 {who} 的投诉：{summary}（{status}{overdue}）"
            )
        );
    }
}

/// The handover statement (工作交接说明) of `d`, in `lang`, as of `today`: internal.
pub fn render(d: &HandoverDetail, lang: Lang, today: NaiveDate) -> String {
    statement(d, lang, today, Form::Text)
}

/// The handover statement as a printable page.
pub fn page(d: &HandoverDetail, lang: Lang, today: NaiveDate) -> Page {
    Page::of_markdown(&statement(d, lang, today, Form::Markdown), lang)
}

/// The handover statement in `form`.
fn statement(d: &HandoverDetail, lang: Lang, today: NaiveDate, form: Form) -> String {
    let (sheet, h) = (&d.sheet, &d.sheet.handover);
    let mut s = String::new();
    let id = h.id;
    let internal = tr!(
        lang,
        "INTERNAL: lists every customer of the departure; never give it to a customer.\nA customer's own confirmation: baton handover show {id} --customer CODE",
        "内部文件：列有本次离职涉及的全部客户，不得交给客户。\n给客户的交接确认书：baton handover show {id} --customer 客户编号"
    );
    for line in internal.lines() {
        let quote = if form == Form::Markdown { "> " } else { "" };
        let _ = writeln!(s, "{quote}{line}");
    }
    s.push('\n');
    let (company, code, leaving_on) = (&sheet.company_name, &sheet.company, h.leaving_on);
    let leaver = person(Some(&h.employee), Some(&h.employee_name), lang);
    let (role, reason, status) = (
        sheet.role.label(lang),
        h.reason.label(lang),
        h.status.label(lang),
    );
    let successor = person(
        h.successor.as_deref(),
        sheet.successor_name.as_deref(),
        lang,
    );
    let h1 = form.heading(1);
    let _ = writeln!(
        s,
        "{h1}{}",
        tr!(
            lang,
            "HANDOVER STATEMENT No. {id}\n\nCompany: {company} ({code})\nLeaving: {leaver}, {role}\nLeaving on: {leaving_on}    Reason: {reason}\nSuccessor: {successor}\nStatus: {status}    As of: {today}",
            "工作交接说明（第 {id} 号）\n\n公司：{company}（{code}）\n离职人员：{leaver}，岗位：{role}\n离职日期：{leaving_on}    离职原因：{reason}\n接任人：{successor}\n状态：{status}    截至：{today}"
        )
    );
    if let Some(why) = &sheet.close_reason {
        let _ = writeln!(
            s,
            "{}",
            tr!(
                lang,
                "Closed with open items, because: {why}",
                "在仍有未完成事项时关闭，原因：{why}"
            )
        );
    }
    for kind in ItemKind::ALL {
        let items: Vec<&ItemDetail> = sheet
            .items
            .iter()
            .filter(|i| i.item.kind == *kind)
            .collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{}{}", form.heading(2), kind_heading(*kind, lang));
        if *kind == ItemKind::Customer {
            s.push_str(&customer_table(d, &items, lang, form));
            continue;
        }
        let (item, more) = match form {
            Form::Text => ("  ", "      "),
            Form::Markdown => ("- ", "  "),
        };
        for i in items {
            let it = &i.item;
            let (item_id, due, status) = (it.id, it.due_on, item_status(i, lang));
            let who = person(it.assignee.as_deref(), i.assignee_name.as_deref(), lang);
            let what = match &it.reference {
                Some(reference) => format!("{reference} {}", it.title),
                None => it.title.clone(),
            };
            let _ = writeln!(
                s,
                "{}",
                tr!(
                    lang,
                    "{item}#{item_id} {what}\n{more}taken over by {who}, due {due}, {status}",
                    "{item}#{item_id} {what}\n{more}接手人：{who}，截止：{due}，{status}"
                )
            );
            if let Some(note) = &it.note {
                let _ = writeln!(s, "{more}{}", tr!(lang, "note: {note}", "备注：{note}"));
            }
        }
    }
    complaint_section(&mut s, &d.complaints, lang, form);
    still_open(&mut s, &sheet.items, lang, form);
    s
}

/// The statement's last section: the items still open, which of them are late, and which
/// customers nobody takes yet.
fn still_open(s: &mut String, items: &[ItemDetail], lang: Lang, form: Form) {
    let open: Vec<&ItemDetail> = items
        .iter()
        .filter(|i| i.item.status == ItemStatus::Open)
        .collect();
    let overdue = open.iter().filter(|i| i.overdue).count();
    let open_count = open.len();
    let h2 = form.heading(2);
    let _ = writeln!(s, "\n{h2}{}", tr!(lang, "Still open", "尚未完成"));
    if open.is_empty() {
        let _ = writeln!(
            s,
            "  {}",
            tr!(
                lang,
                "nothing: every item is done or waived",
                "无：全部事项已完成或豁免"
            )
        );
        return;
    }
    let _ = writeln!(
        s,
        "  {}",
        tr!(
            lang,
            "{open_count} item(s) open, {overdue} of them overdue:",
            "{open_count} 项未完成，其中 {overdue} 项已逾期："
        )
    );
    for i in open {
        let (item_id, due, title) = (i.item.id, i.item.due_on, &i.item.title);
        let late = if i.overdue {
            tr!(lang, ", OVERDUE", "，已逾期")
        } else {
            String::new()
        };
        let unassigned = if i.item.kind == ItemKind::Customer && i.item.assignee.is_none() {
            tr!(lang, ", NOBODY ASSIGNED", "，尚无接手人")
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "{}",
            tr!(
                lang,
                "  - #{item_id} {title} (due {due}{late}{unassigned})",
                "  - #{item_id} {title}（截止 {due}{late}{unassigned}）"
            )
        );
    }
}

/// A customer's handover confirmation (交接确认书) of `c`, in `lang`, dated `today`: who
/// served the customer and who serves it from when, its matters still open with the person
/// responsible and the date, and the lines where the one who hands over (移交人), the one
/// who receives (接收人), the one who oversees (监交人) and the customer sign.
pub fn confirmation(c: &CustomerHandover, lang: Lang, today: NaiveDate) -> String {
    let signatures = signatures(c, lang, today).join("\n");
    format!("{}\n{signatures}\n", confirmation_body(c, lang, Form::Text))
}

/// The customer's handover confirmation as a printable page, its signature lines kept
/// together on one sheet.
pub fn confirmation_page(c: &CustomerHandover, lang: Lang, today: NaiveDate) -> Page {
    let mut page = Page::of_markdown(&confirmation_body(c, lang, Form::Markdown), lang);
    page.section(Class::Signatures, &signatures(c, lang, today).join("\n\n"));
    page
}

/// The confirmation up to the lines the parties sign.
fn confirmation_body(c: &CustomerHandover, lang: Lang, form: Form) -> String {
    let mut s = String::new();
    let (company, customer, code) = (&c.company_name, &c.customer_name, &c.customer);
    let (leaver, on) = (&c.employee_name, long_date(c.leaving_on, lang));
    let taker = c
        .assignee_name
        .clone()
        .unwrap_or_else(|| tr!(lang, "(nobody named yet)", "（尚未指定）"));
    let h1 = form.heading(1);
    let _ = writeln!(
        s,
        "{h1}{}",
        tr!(
            lang,
            "HANDOVER CONFIRMATION\n\nTo: {customer} (customer {code})\nFrom: {company}\n\n{leaver}, who served you, leaves {company} on {on}. From {on}, {taker} serves you.\nYour matters still open, with the person responsible and the date:\n",
            "客户交接确认书\n\n致：{customer}（客户编号 {code}）\n发自：{company}\n\n原负责贵司业务的{leaver}于{on}离职，自{on}起由{taker}负责与贵司对接。\n贵司尚未完成的事项、负责人及完成期限如下：\n"
        )
    );
    let open: Vec<&ItemDetail> = c
        .items
        .iter()
        .filter(|i| i.item.status == ItemStatus::Open)
        .collect();
    if open.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            tr!(
                lang,
                "  none: every matter is done.",
                "  无：全部事项均已完成。"
            )
        );
    }
    for (n, i) in open.iter().enumerate() {
        let n = n + 1;
        let it = &i.item;
        let what = if it.kind == ItemKind::Customer {
            tr!(
                lang,
                "Hand over the service of your account to {taker}",
                "将贵司业务移交给{taker}"
            )
        } else {
            it.title.clone()
        };
        let who = i
            .assignee_name
            .clone()
            .unwrap_or_else(|| tr!(lang, "(nobody named yet)", "（尚未指定）"));
        let due = long_date(it.due_on, lang);
        let _ = writeln!(
            s,
            "{}",
            tr!(
                lang,
                "  {n}. {what}\n     responsible: {who}; by {due}",
                "  {n}. {what}\n     负责人：{who}；完成期限：{due}"
            )
        );
    }
    for complaint in &c.complaints {
        let (id, summary, status) = (
            complaint.id,
            &complaint.summary,
            complaint.status.label(lang),
        );
        let _ = writeln!(
            s,
            "{}",
            tr!(
                lang,
                "  - your complaint {id}: {summary} ({status})",
                "  - 贵司投诉 {id}：{summary}（{status}）"
            )
        );
    }
    s
}

/// The lines the parties of a confirmation sign, then the company's seal and the date.
fn signatures(c: &CustomerHandover, lang: Lang, today: NaiveDate) -> [String; 6] {
    let (company, date) = (&c.company_name, long_date(today, lang));
    [
        tr!(
            lang,
            "Handed over by (移交人): ________________    Date: ____________",
            "移交人（签字）：________________    日期：____年____月____日"
        ),
        tr!(
            lang,
            "Received by (接收人): ________________    Date: ____________",
            "接收人（签字）：________________    日期：____年____月____日"
        ),
        tr!(
            lang,
            "Overseen by (监交人): ________________    Date: ____________",
            "监交人（签字）：________________    日期：____年____月____日"
        ),
        tr!(
            lang,
            "Confirmed by the customer (signature and seal): ________________    Date: ____________",
            "客户确认（签字并盖章）：________________    日期：____年____月____日"
        ),
        String::new(),
        tr!(lang, "{company} (company seal)\n{date}", "{company}（盖章处）\n{date}"),
    ]
}
