use anyhow::Result;
use chrono::{DateTime, Utc};

use crate::app::Context;
use crate::cli::{At, ComplaintCmd, EvidenceCmd};
use crate::domain::complaint::{self, Act, Clocks, Filter, Kind, NewComplaint};
use crate::domain::document::{clocks, mediation};
use crate::output::{Compact, Format};
use crate::{text, time, tr};

impl At {
    fn instant(&self, ctx: &Context) -> Result<DateTime<Utc>> {
        Ok(match &self.time {
            Some(text) => time::parse_instant(text, &ctx.settings.clock)?,
            None => ctx.settings.clock.now(),
        })
    }
}

/// A local RFC 3339 field as a short local time for messages.
fn short(field: &str) -> String {
    DateTime::parse_from_rfc3339(field)
        .map(|t| time::to_local_short(t.to_utc()))
        .unwrap_or_else(|_| field.to_string())
}

impl ComplaintCmd {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let lang = ctx.lang();
        let (id, at, act) = match self {
            ComplaintCmd::File {
                customer,
                complainant,
                complainant_kind,
                report,
                reporter,
                summary,
                category,
                channel,
                received_at,
                handover,
            } => {
                let company = ctx.company()?;
                let received_at = At { time: received_at }.instant(ctx)?;
                let new = NewComplaint {
                    customer,
                    complainant,
                    summary,
                    category,
                    channel,
                    received_at,
                    handover,
                    kind: if report {
                        Kind::Report
                    } else {
                        Kind::Complaint
                    },
                    complainant_kind,
                    reporter,
                };
                let mut filed = ctx.transact(|w| {
                    // The calendar remembers the years it was asked about, for the warning
                    // after the command.
                    let clocks = Clocks {
                        sla: &w.settings().config.sla,
                        calendar: &w.settings().calendar,
                    };
                    complaint::file(w, w.stamp(), company.id, clocks, &new)
                })?;
                complaint::mark_provisional(&mut filed, &ctx.settings.calendar);
                let (id, accept) = (filed.id, short(&filed.accept_due));
                let feedback = filed.feedback_due.as_deref().map(short).unwrap_or_default();
                let message = match (filed.kind, filed.resolve_due.at().map(|due| short(due))) {
                    (Kind::Report, _) => tr!(
                        lang,
                        "report {id} filed: check by {accept}; next: baton complaint accept {id} (case opened) or reject {id} --reason R",
                        "已登记举报 {id}：核查时限 {accept}；下一步：baton complaint accept {id}（立案）或 reject {id} --reason R（不予立案）"
                    ),
                    (Kind::Complaint, Some(resolve)) => tr!(
                        lang,
                        "complaint {id} filed: accept by {accept}, feedback by {feedback}, resolve by {resolve}; next: baton complaint accept {id}",
                        "已登记投诉 {id}：受理时限 {accept}，反馈时限 {feedback}，办结时限 {resolve}；下一步：baton complaint accept {id}"
                    ),
                    (Kind::Complaint, None) => tr!(
                        lang,
                        "complaint {id} filed: accept by {accept}, feedback by {feedback}, resolve: counted from acceptance; next: baton complaint accept {id}",
                        "已登记投诉 {id}：受理时限 {accept}，反馈时限 {feedback}，办结时限自受理之日起算；下一步：baton complaint accept {id}"
                    ),
                };
                return ctx.out().changed(&message, &filed);
            }
            ComplaintCmd::Accept { id, at } => (id, at, Act::Accept),
            ComplaintCmd::Reject {
                id,
                reason,
                ground,
                at,
            } => (id, at, Act::Reject { reason, ground }),
            ComplaintCmd::Feedback { id, note, at } => (id, at, Act::Feedback { note }),
            ComplaintCmd::Mediate { id, note, at } => (id, at, Act::Mediate { note }),
            ComplaintCmd::Hold { id, reason, at } => (id, at, Act::Hold { reason }),
            ComplaintCmd::Resume { id, at } => (id, at, Act::Resume),
            ComplaintCmd::Resolve {
                id,
                outcome,
                paper,
                terms,
                at,
            } => (
                id,
                at,
                Act::Resolve {
                    outcome,
                    paper,
                    terms,
                },
            ),
            ComplaintCmd::Inform { id, note, at } => (id, at, Act::Inform { note }),
            ComplaintCmd::Extend { id, reason, at } => (id, at, Act::Extend { reason }),
            ComplaintCmd::Evidence(cmd) => return cmd.run(ctx),
            ComplaintCmd::List {
                status,
                open,
                overdue,
                customer,
                handover,
            } => {
                let company = ctx.company()?;
                let filter = Filter {
                    status,
                    open,
                    overdue,
                    customer,
                    handover,
                };
                let now = ctx.settings.clock.now();
                let mut list = ctx.out().list::<complaint::Complaint>()?;
                let calendar = &ctx.settings.calendar;
                complaint::list(&ctx.conn, company.id, &filter, now, |mut c| {
                    complaint::mark_provisional(&mut c, calendar);
                    list.push(&c)
                })?;
                return list.finish();
            }
            ComplaintCmd::Show { id, paper: true } => {
                let paper = complaint::paper(&ctx.conn, id)?;
                return match ctx.out().format {
                    Format::Table => ctx.out().text(&mediation::render(&paper, lang)),
                    Format::Html => ctx.out().page(&mediation::page(&paper, lang)),
                    _ => ctx.out().record(&paper),
                };
            }
            ComplaintCmd::Show { id, paper: false } => {
                let now = ctx.settings.clock.now();
                let mut detail = complaint::show(&ctx.conn, id, now)?;
                complaint::mark_provisional(&mut detail.complaint, &ctx.settings.calendar);
                if ctx.out().format != Format::Html {
                    return ctx.out().record(&detail);
                }
                let record = ctx.out().record_markdown(&detail)?;
                return ctx.out().page(&clocks::page(&detail, &record, now, lang));
            }
            ComplaintCmd::Stats { period } => {
                let company = ctx.company()?;
                let clock = ctx.settings.clock;
                let (from, to) = super::period(&period, &clock)?.instants();
                let stats = complaint::stats(&ctx.conn, company.id, from, to, clock.now())?;
                return ctx.out().record(&stats);
            }
        };
        let at = at.instant(ctx)?;
        let mut changed =
            ctx.transact(|w| complaint::act(w, w.stamp(), &w.settings().calendar, id, at, &act))?;
        complaint::mark_provisional(&mut changed, &ctx.settings.calendar);
        let due = |field: Option<&String>| field.map(|f| short(f)).unwrap_or_default();
        let inform = due(changed.inform_due.as_ref());
        let message = match (&act, changed.kind) {
            (Act::Accept | Act::Reject { .. }, Kind::Report) => {
                let decision = match act {
                    Act::Accept => text!("case opened (立案)", "立案"),
                    _ => text!("no case opened", "不予立案"),
                };
                let (en, zh) = (decision.en, decision.zh);
                match changed.inform_due {
                    Some(_) => tr!(
                        lang,
                        "report {id}: {en}; tell the reporter by {inform}: baton complaint inform {id}",
                        "举报 {id}：{zh}；须于 {inform} 前告知举报人：baton complaint inform {id}"
                    ),
                    None => tr!(
                        lang,
                        "report {id}: {en} (anonymous: nobody to tell)",
                        "举报 {id}：{zh}（匿名举报，无须告知）"
                    ),
                }
            }
            (Act::Accept, _) => {
                let feedback = due(changed.feedback_due.as_ref());
                let resolve = due(changed.resolve_due.at());
                tr!(
                    lang,
                    "complaint {id} accepted; feedback due by {feedback}, resolve by {resolve}",
                    "投诉 {id} 已受理；反馈时限 {feedback}，办结时限 {resolve}"
                )
            }
            (Act::Reject { .. }, _) => tr!(lang, "complaint {id} rejected", "投诉 {id} 已不予受理"),
            (Act::Extend { .. }, _) => {
                let check = short(&changed.accept_due);
                tr!(
                    lang,
                    "report {id}: check extended to {check}",
                    "举报 {id}：核查时限延长至 {check}"
                )
            }
            (Act::Inform { .. }, _) => tr!(
                lang,
                "complaint {id}: telling the parties recorded",
                "投诉 {id}：已记录告知当事人"
            ),
            (Act::Feedback { .. }, _) => tr!(
                lang,
                "feedback on complaint {id} recorded",
                "已记录投诉 {id} 的反馈"
            ),
            (Act::Mediate { .. }, _) => tr!(
                lang,
                "mediation of complaint {id} recorded",
                "已记录投诉 {id} 的调解"
            ),
            (Act::Hold { .. }, _) => tr!(
                lang,
                "complaint {id} on hold: its clocks are paused; next: baton complaint resume {id}",
                "投诉 {id} 已中止：时限暂停计算；下一步：baton complaint resume {id}"
            ),
            (Act::Resume, _) => {
                let due = due(changed.resolve_due.at());
                tr!(
                    lang,
                    "complaint {id} resumed: resolve by {due}",
                    "投诉 {id} 已恢复：办结时限 {due}"
                )
            }
            (Act::Resolve { outcome, .. }, _) => tr!(
                lang,
                "complaint {id} resolved ({outcome}); tell both parties by {inform}: baton complaint inform {id}",
                "投诉 {id} 已办结（{outcome}）；须于 {inform} 前告知双方：baton complaint inform {id}"
            ),
        };
        if !changed.overdue.is_empty() {
            let overdue = changed.overdue.labels(lang);
            ctx.out().warn(&tr!(
                lang,
                "complaint {id} is past its deadline for: {overdue}",
                "投诉 {id} 已超过时限：{overdue}"
            ));
        }
        ctx.out().changed(&message, &changed)
    }
}

impl EvidenceCmd {
    fn run(self, ctx: &mut Context) -> Result<()> {
        let lang = ctx.lang();
        match self {
            EvidenceCmd::Add {
                id,
                file,
                description,
            } => {
                let max_bytes = ctx.settings.config.evidence.max_bytes;
                let (added, new) = ctx.transact(|w| {
                    let description = description.as_deref();
                    complaint::add_evidence(w, w.stamp(), id, &file, description, max_bytes)
                })?;
                let (eid, name, bytes) = (added.id, &added.file_name, added.bytes);
                let mut message = tr!(
                    lang,
                    "evidence {eid} ({name}, {bytes} bytes) added to complaint {id}",
                    "已为投诉 {id} 添加证据 {eid}（{name}，{bytes} 字节）"
                );
                if !new {
                    message.push_str(&tr!(
                        lang,
                        "; the same content was stored before and is kept once",
                        "；相同内容此前已保存，只存一份"
                    ));
                }
                ctx.out().changed(&message, &added)
            }
            EvidenceCmd::List { id } => ctx.out().rows(&complaint::evidence_of(&ctx.conn, id)?),
            EvidenceCmd::Export { id, out } => {
                let written = complaint::export_evidence(&ctx.conn, id, &out)?;
                for (_, path) in &written {
                    let path = path.display();
                    ctx.out().say(&tr!(lang, "wrote {path}", "已写出 {path}"));
                }
                let (count, dir) = (written.len(), out.display());
                ctx.out().say(&tr!(
                    lang,
                    "{count} evidence files of complaint {id} exported to {dir}",
                    "投诉 {id} 的 {count} 个证据文件已导出到 {dir}"
                ));
                Ok(())
            }
            EvidenceCmd::Verify { id } => {
                let (checked, changed) = complaint::verify_evidence(&ctx.conn, id)?;
                if changed.is_empty() {
                    ctx.out().say(&tr!(
                        lang,
                        "{checked} stored evidence files verified: unchanged",
                        "已校验 {checked} 个证据文件：未被改动"
                    ));
                    return Ok(());
                }
                let lines: Vec<String> = changed
                    .iter()
                    .map(|c| {
                        let files: Vec<String> = c
                            .evidence
                            .iter()
                            .map(|e| format!("{} #{} {}", e.complaint, e.id, e.file_name))
                            .collect();
                        let (sha, found, files) = (&c.blob.sha256, &c.blob.found, files.join(", "));
                        tr!(
                            lang,
                            "  blob sha256 {sha} now hashes to {found} (complaint evidence: {files})",
                            "  文件 sha256 {sha} 现在的哈希为 {found}（投诉证据：{files}）"
                        )
                    })
                    .collect();
                let (count, lines) = (changed.len(), lines.join("\n"));
                anyhow::bail!(tr!(
                    lang,
                    "{count} of {checked} stored evidence files have changed:\n{lines}",
                    "{checked} 个证据文件中有 {count} 个被改动：\n{lines}"
                ))
            }
        }
    }
}

impl Compact for complaint::Complaint {
    const SHEET: (&'static str, &'static str) = ("complaints", "投诉");
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "customer",
        "category",
        "summary",
        "status",
        "received_at",
        "overdue",
    ];
}

impl Compact for complaint::Evidence {
    const SHEET: (&'static str, &'static str) = ("evidence", "证据");
}
