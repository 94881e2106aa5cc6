use anyhow::Result;

use crate::app::{Context, Settings};
use crate::cli::{CreditCmd, CreditSubject, DecisionArgs};
use crate::domain::credit::catalog::{Catalog, CatalogRow};
use crate::domain::credit::{
    self, BasisRow, CreditEvent, Decision, Lists, NewEvent, Repair, Score, SubjectArg,
};
use crate::error::Failure;
use crate::i18n::Lang;
use crate::output::{Compact, Output};
use crate::{ids, text, time, tr};

/// The catalogue in effect: built in, plus config `[credit] catalog` (relative to the config file).
pub(super) fn catalog(settings: &Settings) -> Result<Catalog> {
    let extra = settings.config.credit.catalog.as_ref().map(|path| {
        settings
            .config_path
            .parent()
            .map_or_else(|| path.clone(), |dir| dir.join(path))
    });
    Catalog::load(extra.as_deref())
}

/// `credit catalog`: needs no database.
pub(super) fn print_catalog(settings: &Settings) -> Result<()> {
    settings
        .out
        .rows::<CatalogRow>(&catalog(settings)?.rows(settings.lang()))
}

impl CreditSubject {
    fn into_arg(self, id_number: Option<&str>) -> Result<SubjectArg> {
        Ok(match (self.company_subject, self.employee, self.person) {
            (Some(code), _, _) => SubjectArg::Company(ids::validate_uscc(&code)?),
            (_, Some(code), _) => SubjectArg::Employee(code),
            (_, _, Some(name)) => SubjectArg::person(&name, id_number)?,
            (None, None, None) => {
                return Err(Failure::usage(text!(
                    "name the subject with --company-subject, --employee or --person",
                    "请用 --company-subject、--employee 或 --person 指明主体"
                ))
                .hint(text!(
                    "e.g. baton credit record --employee E001 --code customer-data-taken",
                    "例如 baton credit record --employee E001 --code customer-data-taken"
                ))
                .into())
            }
        })
    }
}

impl DecisionArgs {
    /// The decision, when its number is given (clap requires the authority and the date then).
    fn into_decision(self, clock: &time::Clock) -> Result<Option<Decision>> {
        let (Some(decision_no), Some(authority), Some(decided_on)) =
            (self.decision_no, self.authority, self.decided_on)
        else {
            return Ok(None);
        };
        Ok(Some(Decision {
            decision_no,
            authority,
            decided_on: time::parse_date(&decided_on, clock)?,
            penalty_no: self.penalty_no,
            sector: self.sector,
        }))
    }
}

/// Says which companies' records of a person were left apart, and why.
fn say_unmatched(out: &Output, lang: Lang, unmatched: &[String]) {
    if unmatched.is_empty() {
        return;
    }
    let companies = unmatched.join(", ");
    out.warn(&tr!(
        lang,
        "records of this person kept by {companies} are not matched: no recorded legal basis or consent (个人信息保护法 arts. 13, 23); that company may record one with `baton credit basis person:ID-NUMBER --basis consent|legal-duty|contract -c CODE`",
        "{companies} 关于此人的记录未予匹配：未登记合法性基础或个人单独同意（《个人信息保护法》第十三条、第二十三条）；该公司可用 `baton credit basis person:身份证号 --basis consent|legal-duty|contract -c 代码` 登记"
    ));
}

/// The company context a subject is looked up in: required for an employee or a person
/// without ID number, else used when there is one.
fn context_for(ctx: &Context, subject: &SubjectArg) -> Result<Option<i64>> {
    if subject.needs_company() {
        Ok(Some(ctx.company()?.id))
    } else {
        Ok(ctx.company().ok().map(|c| c.id))
    }
}

impl CreditCmd {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let today = ctx.settings.clock.today();
        let lang = ctx.lang();
        match self {
            CreditCmd::Catalog => print_catalog(&ctx.settings),
            CreditCmd::Record {
                subject,
                id_number,
                code,
                date,
                decision,
                note,
                evidence,
            } => {
                let clock = &ctx.settings.clock;
                let decision = decision.into_decision(clock)?;
                let new = NewEvent {
                    subject: subject.into_arg(id_number.as_deref())?,
                    code,
                    occurred_on: match (date, &decision) {
                        (Some(date), _) => time::parse_date(&date, clock)?,
                        (None, Some(decision)) => decision.decided_on,
                        (None, None) => today,
                    },
                    note,
                    decision,
                };
                let catalog = catalog(&ctx.settings)?;
                let context = match new.subject {
                    SubjectArg::Company(_) => None,
                    _ => Some(ctx.company()?.id),
                };
                let max_bytes = ctx.settings.config.evidence.max_bytes;
                let event = ctx.transact(|w| {
                    let mut event = credit::record(w, w.stamp(), &catalog, context, today, &new)?;
                    if let Some(path) = &evidence {
                        credit::attach_evidence(w, w.stamp(), event.id, path, max_bytes)?;
                        event = credit::get(w, event.id, today)?;
                    }
                    Ok(event)
                })?;
                let (id, code, subject, points) =
                    (event.id, &event.code, &event.subject, event.points);
                ctx.out().changed(
                    &tr!(
                        lang,
                        "credit event {id} recorded: {code} ({points:+}) for {subject}",
                        "已记录信用事件 {id}：{subject} {code}（{points:+}）"
                    ),
                    &event,
                )
            }
            CreditCmd::Score { subject: None } => {
                let mut list = ctx.out().list::<Score>()?;
                credit::scores(&ctx.conn, &ctx.settings.config.credit, today, None, |s| {
                    list.push(&s)
                })?;
                list.finish()
            }
            CreditCmd::Score {
                subject: Some(subject),
            } => {
                let subject = SubjectArg::parse(&subject)?;
                let company = context_for(ctx, &subject)?;
                let standing = credit::score(
                    &ctx.conn,
                    &ctx.settings.config.credit,
                    &subject,
                    company,
                    today,
                )?;
                say_unmatched(ctx.out(), lang, &standing.unmatched);
                ctx.out().record(&standing.score)
            }
            CreditCmd::List {
                official,
                attention,
                watch,
                honoured,
            } => {
                let lists = Lists {
                    official,
                    attention,
                    watch,
                    honoured,
                };
                let mut list = ctx.out().list::<Score>()?;
                credit::scores(
                    &ctx.conn,
                    &ctx.settings.config.credit,
                    today,
                    Some(lists),
                    |s| list.push(&s),
                )?;
                list.finish()
            }
            CreditCmd::History { subject } => {
                let subject = SubjectArg::parse(&subject)?;
                let company = context_for(ctx, &subject)?;
                let history = credit::history(&ctx.conn, &subject, company, today)?;
                let out = ctx.out();
                say_unmatched(out, lang, &history.unmatched);
                for warning in credit::warnings(&history.events, today) {
                    out.warn(warning.get(lang));
                }
                out.rows::<CreditEvent>(&history.events)
            }
            CreditCmd::Repair {
                event,
                reason,
                duties_fulfilled,
                harm_removed,
                no_new_penalty,
                commitment,
            } => {
                let repair = Repair {
                    reason,
                    duties_fulfilled,
                    harm_removed,
                    no_new_penalty,
                    commitment,
                };
                let max_bytes = ctx.settings.config.evidence.max_bytes;
                let repaired = ctx.transact(|w| {
                    let config = &w.settings().config.credit;
                    credit::repair(w, w.stamp(), config, today, event, &repair, max_bytes)
                })?;
                ctx.out().changed(
                    &tr!(
                        lang,
                        "credit event {event} repaired",
                        "信用事件 {event} 已修复"
                    ),
                    &repaired,
                )
            }
            CreditCmd::Basis {
                subject,
                basis,
                note,
            } => {
                let subject = SubjectArg::parse(&subject)?;
                let company = ctx.company()?.id;
                let row: BasisRow = ctx.transact(|w| {
                    credit::record_basis(w, w.stamp(), company, &subject, basis, note.as_deref())
                })?;
                let (name, code) = (&row.subject_name, &row.company);
                let basis_zh = basis.label(Lang::Zh);
                ctx.out().changed(
                    &tr!(
                        lang,
                        "{code} matches its records of {name} on the basis: {basis}",
                        "{code} 以“{basis_zh}”为合法性基础匹配其关于 {name} 的记录"
                    ),
                    &row,
                )
            }
            CreditCmd::Revoke { event, reason } => {
                let revoked =
                    ctx.transact(|w| credit::revoke(w, w.stamp(), today, event, &reason))?;
                ctx.out().changed(
                    &tr!(
                        lang,
                        "credit event {event} revoked",
                        "信用事件 {event} 已撤销"
                    ),
                    &revoked,
                )
            }
        }
    }
}

impl Compact for CatalogRow {
    const SHEET: (&'static str, &'static str) = ("catalog", "信用目录");
    const COLUMNS: &'static [&'static str] =
        &["code", "kind", "name", "points", "severity", "official"];
}

impl Compact for Score {
    const SHEET: (&'static str, &'static str) = ("scores", "信用评分");
    const COLUMNS: &'static [&'static str] = &[
        "subject",
        "subject_name",
        "company",
        "score",
        "band",
        "official",
        "attention",
    ];
}

impl Compact for CreditEvent {
    const SHEET: (&'static str, &'static str) = ("credit records", "信用记录");
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "subject",
        "subject_name",
        "code",
        "kind",
        "points",
        "occurred_on",
        "status",
    ];
}
