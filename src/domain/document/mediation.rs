//! The paper an ended mediation leaves (art. 22 of 《市场监督管理投诉举报处理暂行办法》): a
//! 调解书 for an agreement reached on site, signed or sealed by the complainant and the company
//! complained about, sealed by the market regulation department, one copy each and one kept on
//! file; otherwise a 调解记录 kept for reference. Markdown, in `lang`. It names the parties, the
//! complaint, the mediation sessions and the terms; never a reporter (art. 33): the company
//! complained about receives it.

use std::fmt::Write as _;

use crate::domain::complaint::{MediationPaper, Outcome, Paper};
use crate::i18n::{long_date, Lang};
use crate::output::html::{Class, Page};
use crate::tr;

/// The local day of an RFC 3339 field (`2026-02-25T10:00:00+08:00` → `2026-02-25`).
fn day(field: &str) -> &str {
    field.get(..10).unwrap_or(field)
}

/// The 调解书 or 调解记录 of `p` in `lang`, dated the day mediation ended.
pub fn render(p: &MediationPaper, lang: Lang) -> String {
    format!("{}\n{}\n", body(p, lang), signatures(p, lang).join("\n\n"))
}

/// The 调解书 or 调解记录 as a printable page, its signature lines kept together on one sheet.
pub fn page(p: &MediationPaper, lang: Lang) -> Page {
    let mut page = Page::of_markdown(&body(p, lang), lang);
    page.section(Class::Signatures, &signatures(p, lang).join("\n\n"));
    page
}

/// The paper up to the lines the parties sign.
fn body(p: &MediationPaper, lang: Lang) -> String {
    let mut s = String::new();
    let id = p.complaint;
    let title = match (p.paper, lang) {
        (Paper::Document, Lang::En) => "MEDIATION AGREEMENT (调解书)",
        (Paper::Record, Lang::En) => "MEDIATION RECORD (调解记录)",
        (paper, Lang::Zh) => paper.label(Lang::Zh),
    };
    let _ = writeln!(s, "# {title}\n");
    let (company, code, complainant) = (&p.company_name, &p.company, &p.complainant);
    let kind = p.complainant_kind.label(lang);
    let customer = match &p.customer {
        Some(customer) => tr!(lang, ", customer {customer}", "，客户编号 {customer}"),
        None => String::new(),
    };
    let (received, category, summary) = (day(&p.received_at), p.category.label(lang), &p.summary);
    let accepted = p.accepted_at.as_deref().map(day).unwrap_or("-");
    let _ = writeln!(
        s,
        "{}",
        tr!(
            lang,
            "Complaint No. {id}\n\n- Complainant: {complainant} ({kind}{customer})\n- Respondent (the company complained about): {company} (unified social credit code {code})\n\n## The complaint\n\n{summary} ({category}; received {received}, accepted {accepted})\n\n## Mediation sessions\n",
            "投诉编号：{id}\n\n- 投诉人：{complainant}（{kind}{customer}）\n- 被投诉人：{company}（统一社会信用代码 {code}）\n\n## 投诉事项\n\n{summary}（{category}；{received} 收到，{accepted} 受理）\n\n## 调解经过\n"
        )
    );
    if p.sessions.is_empty() {
        let _ = writeln!(s, "{}", tr!(lang, "- none recorded", "- 无记录"));
    }
    for (n, session) in p.sessions.iter().enumerate() {
        let (n, on, note) = (
            n + 1,
            day(&session.at),
            session.note.as_deref().unwrap_or(""),
        );
        let _ = writeln!(s, "{n}. {on}{}", tr!(lang, ": {note}", "：{note}"));
    }
    let (outcome, terms) = (p.outcome.label(lang), &p.terms);
    let terms_heading = match p.outcome {
        Outcome::Agreement => tr!(lang, "Agreed terms", "协议内容"),
        _ => tr!(lang, "Why it ended so", "结果说明"),
    };
    let _ = writeln!(
        s,
        "\n{}",
        tr!(
            lang,
            "## Outcome\n\n{outcome}\n\n## {terms_heading}\n\n{terms}\n",
            "## 调解结果\n\n{outcome}\n\n## {terms_heading}\n\n{terms}\n"
        )
    );
    let copies = match p.paper {
        Paper::Document => tr!(
            lang,
            "Signed or sealed by the complainant and the respondent and sealed by the market regulation department; one copy for the complainant, one for the respondent, one kept on file by the department (art. 22): three copies.",
            "本调解书由投诉人和被投诉人双方签字或者盖章，并加盖市场监督管理部门印章，投诉人和被投诉人各执一份，市场监督管理部门留存一份归档（第二十二条），共三份。"
        ),
        Paper::Record => tr!(
            lang,
            "No mediation agreement (调解书) was made; this record is kept for reference (art. 22).",
            "未制作调解书，本调解记录留存备查（第二十二条）。"
        ),
    };
    let _ = writeln!(s, "{copies}");
    s
}

/// The lines the parties of a mediation sign, then its date.
fn signatures(p: &MediationPaper, lang: Lang) -> [String; 4] {
    [
        tr!(
            lang,
            "Complainant (signature or seal): ________________    Date: ____________",
            "投诉人（签字或者盖章）：________________    日期：____年____月____日"
        ),
        tr!(
            lang,
            "Respondent (signature or seal): ________________    Date: ____________",
            "被投诉人（签字或者盖章）：________________    日期：____年____月____日"
        ),
        tr!(
            lang,
            "Mediator (signature): ________________    Market regulation department (seal): ________________",
            "调解人员（签字）：________________    市场监督管理部门（印章）：________________"
        ),
        long_date(p.resolved_on, lang),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::complaint::{Category, ComplainantKind, Session};

    fn paper(paper: Paper) -> MediationPaper {
        MediationPaper {
            complaint: 7,
            paper,
            company: "91310000MA1FL0001X".into(),
            company_name: "星河装饰".into(),
            customer: None,
            complainant: "王先生".into(),
            complainant_kind: ComplainantKind::Consumer,
            summary: "墙面开裂".into(),
            category: Category::Quality,
            received_at: "2026-02-24T09:00:00+08:00".into(),
            accepted_at: Some("2026-02-24T10:00:00+08:00".into()),
            sessions: vec![Session {
                at: "2026-02-25T09:00:00+08:00".into(),
                note: Some("现场调解".into()),
            }],
            outcome: Outcome::Agreement,
            terms: "返工并赔偿 500 元".into(),
            resolved_at: "2026-02-25T10:00:00+08:00".into(),
            resolved_on: chrono::NaiveDate::from_ymd_opt(2026, 2, 25).unwrap(),
        }
    }

    #[test]
    fn a_mediation_document_names_the_parties_and_its_three_copies() {
        let zh = render(&paper(Paper::Document), Lang::Zh);
        for part in [
            "# 调解书",
            "投诉人：王先生（消费者）",
            "被投诉人：星河装饰",
            "1. 2026-02-25：现场调解",
            "返工并赔偿 500 元",
            "共三份",
            "市场监督管理部门（印章）",
            "2026年2月25日",
        ] {
            assert!(zh.contains(part), "{part}: {zh}");
        }
        let en = render(&paper(Paper::Document), Lang::En);
        assert!(
            en.contains("MEDIATION AGREEMENT") && en.contains("three copies"),
            "{en}"
        );
    }

    #[test]
    fn a_mediation_record_has_no_copies_note() {
        let zh = render(&paper(Paper::Record), Lang::Zh);
        assert!(
            zh.starts_with("# 调解记录") && !zh.contains("共三份"),
            "{zh}"
        );
        assert!(zh.contains("留存备查"), "{zh}");
    }
}
