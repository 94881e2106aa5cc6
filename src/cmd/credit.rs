use anyhow::Result;

use crate::app::{Context, Settings};
use crate::cli::{CreditCmd, CreditSubject};
use crate::domain::credit::catalog::{Catalog, CatalogRow};
use crate::domain::credit::{self, CreditEvent, Lists, NewEvent, Score, SubjectArg};
use crate::error::Failure;
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
                note,
                evidence,
            } => {
                let new = NewEvent {
                    subject: subject.into_arg(id_number.as_deref())?,
                    code,
                    occurred_on: match date {
                        Some(date) => time::parse_date(&date, &ctx.settings.clock)?,
                        None => today,
                    },
                    note,
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
                        "已记录信用事件 {id}:{subject} {code}({points:+})"
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
                let score = credit::score(
                    &ctx.conn,
                    &ctx.settings.config.credit,
                    &subject,
                    company,
                    today,
                )?;
                ctx.out().record(&score)
            }
            CreditCmd::List {
                dishonest,
                watch,
                honoured,
            } => {
                let lists = Lists {
                    dishonest,
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
                let events = credit::history(&ctx.conn, &subject, company, today)?;
                ctx.out().rows::<CreditEvent>(&events)
            }
            CreditCmd::Repair { event, reason } => {
                let repaired = ctx.transact(|w| {
                    let config = &w.settings().config.credit;
                    credit::repair(w, w.stamp(), config, today, event, &reason)
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
