use anyhow::Result;
use chrono::{DateTime, Datelike, Utc};

use crate::app::Context;
use crate::audit::{self, Break, Filter, Finding, LogEntry, Problem, Verified};
use crate::cli::LogArgs;
use crate::i18n::Lang;
use crate::output::Compact;
use crate::time::{self, Clock};
use crate::{bad_input, text, tr};

/// The events `log` shows without `--limit` or `--all`.
const PAGE: u64 = 50;

/// The problems `log --verify` lists one by one; the rest are counted.
const SHOWN_PROBLEMS: usize = 20;

impl LogArgs {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        if self.verify {
            let expect = self.expect_head.as_deref().map(expected_head).transpose()?;
            return verify(ctx, expect.as_deref());
        }
        let clock = &ctx.settings.clock;
        let since = self
            .since
            .as_deref()
            .map(|s| time::parse_instant(s, clock))
            .transpose()?;
        let until = self.until.as_deref().map(|s| until(s, clock)).transpose()?;
        let filter = Filter {
            entity: self.entity,
            entity_id: self.id,
            since,
            until: until.flatten(),
            actor: self.actor,
        };
        let limit = (!self.all).then_some(self.limit.unwrap_or(PAGE));
        let total = audit::count(&ctx.conn, &filter)?;
        let mut list = ctx.out().list::<LogEntry>()?;
        audit::list(&ctx.conn, &filter, limit, |entry| list.push(&entry))?;
        list.finish()?;
        if let Some(shown) = limit.filter(|&n| n < total) {
            ctx.out().say(&tr!(
                ctx.lang(),
                "showing {shown} of {total}; --all for everything",
                "显示 {total} 条中的 {shown} 条；--all 显示全部"
            ));
        }
        Ok(())
    }
}

/// The end of `--until`: a date counts up to the end of that day, a time is the instant.
/// `None` when the day after is past 9999 (no end).
fn until(value: &str, clock: &Clock) -> Result<Option<DateTime<Utc>>> {
    match time::parse_date(value, clock) {
        Ok(day) => Ok(day
            .succ_opt()
            .filter(|next| next.year() <= 9999)
            .map(time::start_of_day)),
        Err(_) => Ok(Some(time::parse_instant(value, clock)?)),
    }
}

/// `--expect-head` in lower case, if it is 12 to 64 hexadecimal digits.
fn expected_head(value: &str) -> Result<String> {
    let hash = value.trim().to_ascii_lowercase();
    if (12..=64).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(hash);
    }
    Err(bad_input!(
        "--expect-head {value:?} is not a hash of the audit log",
        "--expect-head {value:?} 不是审计日志的哈希"
    )
    .hint(text!(
        "give the head printed by `baton log --verify` (12 to 64 hex digits)",
        "请填写 `baton log --verify` 打印的 head（12 至 64 位十六进制）"
    ))
    .into())
}

/// `log --verify`: the anchor, then everything out of place (exit 1), or that all is intact.
fn verify(ctx: &Context, expect: Option<&str>) -> Result<()> {
    let lang = ctx.lang();
    let out = ctx.out();
    let verified = audit::verify(&ctx.conn, expect)?;
    if let Some(anchor) = &verified.anchor {
        let (events, head) = (anchor.events, &anchor.head);
        out.say(&tr!(
            lang,
            "anchor: {events} events, head {head}",
            "锚点：{events} 条事件，head {head}"
        ));
    }
    let mut problems: Vec<String> = verified
        .problems
        .iter()
        .map(|p| describe(p, lang))
        .collect();
    if let Some(expect) = expect {
        match verified.expected_at {
            Some(at) => {
                let since = verified.events - at;
                out.say(&tr!(
                    lang,
                    "head {expect} is event {at}; {since} events were added since",
                    "head {expect} 是第 {at} 条事件；此后新增 {since} 条"
                ));
            }
            None => problems.push(tr!(
                lang,
                "head {expect} is not in the log: the log was cut back or rewritten since it was written down",
                "head {expect} 不在日志中：记下它之后，日志被截断或重写"
            )),
        }
    }
    if problems.is_empty() {
        let Verified {
            events,
            sealed_rows,
            ..
        } = verified;
        out.say(&tr!(
            lang,
            "audit log intact: {events} events verified, {sealed_rows} sealed rows as recorded",
            "审计日志完整：已校验 {events} 条事件，{sealed_rows} 行受保护记录与记录一致"
        ));
        return Ok(());
    }
    for problem in problems.iter().take(SHOWN_PROBLEMS) {
        out.warn(problem);
    }
    let count = problems.len();
    if count > SHOWN_PROBLEMS {
        let more = count - SHOWN_PROBLEMS;
        out.warn(&tr!(lang, "and {more} more", "另有 {more} 处"));
    }
    anyhow::bail!(tr!(
        lang,
        "audit log broken: {count} problems found; restore the database from a backup",
        "审计日志已损坏：发现 {count} 处问题；请从备份恢复数据库"
    ))
}

/// One problem of `log --verify`, as a line a person reads.
fn describe(problem: &Problem, lang: Lang) -> String {
    match problem {
        Problem::Chain(Break::Altered { id }) => tr!(
            lang,
            "audit log broken at event {id}: its content or order was changed",
            "审计日志在第 {id} 条事件处断裂：内容或顺序被改动"
        ),
        Problem::Chain(Break::Missing { after, next }) => tr!(
            lang,
            "audit log broken after event {after}: events up to {next} were removed",
            "审计日志在第 {after} 条事件之后断裂：{next} 之前的事件被删除"
        ),
        Problem::AnchorMissing => tr!(
            lang,
            "the audit anchor is missing: its row was deleted",
            "审计锚点缺失：其记录被删除"
        ),
        Problem::Anchor { anchor, events, .. } => {
            let anchored = anchor.events;
            if anchored > *events {
                let removed = anchored - events;
                tr!(
                    lang,
                    "the anchor counts {anchored} events but the log ends at event {events}: the last {removed} were removed",
                    "锚点记有 {anchored} 条事件，日志却止于第 {events} 条：最后 {removed} 条被删除"
                )
            } else if anchored < *events {
                tr!(
                    lang,
                    "the log runs to event {events}, past the anchor's {anchored}: events were written outside baton",
                    "日志延续到第 {events} 条，超出锚点的 {anchored} 条：有事件在 baton 之外写入"
                )
            } else {
                tr!(
                    lang,
                    "event {events} is not the one the anchor names: the last event was replaced",
                    "第 {events} 条事件与锚点记载的不同：最后一条事件被替换"
                )
            }
        }
        Problem::Seal(finding) => describe_seal(finding, lang),
    }
}

/// A finding about the sealed rows, as a line a person reads.
fn describe_seal(finding: &Finding, lang: Lang) -> String {
    match finding {
        Finding::Edited { table, id, columns } => {
            let columns = columns.join(", ");
            tr!(
                lang,
                "{table} row {id}: {columns} changed outside baton",
                "{table} 第 {id} 行：{columns} 在 baton 之外被修改"
            )
        }
        Finding::Unsealed { table, id } => tr!(
            lang,
            "{table} row {id}: written outside baton (it has no seal)",
            "{table} 第 {id} 行：在 baton 之外写入（没有封印）"
        ),
        Finding::Removed { table, id } => tr!(
            lang,
            "{table} row {id}: deleted outside baton (its seal remains)",
            "{table} 第 {id} 行：在 baton 之外被删除（封印仍在）"
        ),
        Finding::Trigger {
            name,
            missing: true,
        } => tr!(
            lang,
            "trigger {name} was dropped: what it guards can be changed unnoticed by SQLite",
            "触发器 {name} 被删除：其保护的数据可被绕过 SQLite 检查修改"
        ),
        Finding::Trigger { name, .. } => tr!(
            lang,
            "trigger {name} was changed",
            "触发器 {name} 被改动"
        ),
        Finding::Digest { anchor, seals } => tr!(
            lang,
            "the seals' digest {seals} is not the anchor's {anchor}: seals were written outside baton",
            "封印摘要 {seals} 与锚点的 {anchor} 不符：有封印在 baton 之外写入"
        ),
    }
}

impl Compact for LogEntry {
    const SHEET: (&'static str, &'static str) = ("log", "审计日志");
    const COLUMNS: &'static [&'static str] =
        &["id", "at", "actor", "action", "entity", "entity_id"];
}
