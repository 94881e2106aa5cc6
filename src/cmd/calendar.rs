use anyhow::Result;
use serde::Serialize;

use crate::app::Context;
use crate::cli::CalendarCmd;
use crate::domain::calendar::{self, YearStanding};
use crate::domain::complaint::{self, Moved};
use crate::output::Compact;
use crate::tr;

/// What `calendar import` did.
#[derive(Debug, Serialize)]
struct Imported {
    year: i32,
    standing: YearStanding,
    source: String,
    days_off: usize,
    workdays: usize,
    sha256: String,
    moved: Vec<Moved>,
}

impl CalendarCmd {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let lang = ctx.lang();
        let this_year = chrono::Datelike::year(&ctx.settings.clock.today());
        match self {
            CalendarCmd::Show { year } => {
                let year = year.unwrap_or(this_year);
                if !(1..=9999).contains(&year) {
                    return Err(crate::bad_input!(
                        "year {year} is not between 1 and 9999",
                        "年份 {year} 不在 1 到 9999 之间"
                    )
                    .into());
                }
                let shown = calendar::show(&ctx.settings.calendar, year, lang);
                ctx.out().record(&shown)
            }
            CalendarCmd::Years => {
                let calendar = &ctx.settings.calendar;
                let mut also = vec![this_year, this_year + 1];
                also.extend(complaint::provisional_reach(&ctx.conn, calendar)?.into_keys());
                let rows = calendar::years(&ctx.conn, calendar, &also, lang)?;
                ctx.out().rows(&rows)
            }
            CalendarCmd::Import { file } => {
                let (arrangement, sha256) = calendar::read_file(&file)?;
                // Both counts run on copies, so that the years they look at raise no
                // warning about the calendar in use.
                let before = ctx.settings.calendar.clone();
                let mut after = ctx.settings.calendar.clone();
                after.set_official(arrangement.clone());
                let name = file.display().to_string();
                let moved = ctx.transact(|w| {
                    calendar::store(w, w.stamp(), &arrangement, &name, &sha256)?;
                    complaint::recompute_open(w, w.stamp(), &before, &after)
                })?;
                let year = arrangement.year;
                let shown = calendar::show(&after, year, lang);
                let (off, work, n) = (shown.days_off, shown.workdays, moved.len());
                let message = match n {
                    0 => tr!(
                        lang,
                        "calendar {year} imported, now official: {off} days off, {work} make-up working days; no open clock moved",
                        "已导入 {year} 年日历，现为官方安排：放假 {off} 天，调休上班 {work} 天；没有未结时限变动"
                    ),
                    _ => tr!(
                        lang,
                        "calendar {year} imported, now official: {off} days off, {work} make-up working days; {n} open clock(s) moved (listed below and in the audit log)",
                        "已导入 {year} 年日历，现为官方安排：放假 {off} 天，调休上班 {work} 天；{n} 个未结时限已变动（见下表及审计日志）"
                    ),
                };
                ctx.out().say(&message);
                ctx.out().record(&Imported {
                    year,
                    standing: shown.standing,
                    source: shown.source,
                    days_off: off,
                    workdays: work,
                    sha256,
                    moved,
                })
            }
        }
    }
}

impl Compact for calendar::YearRow {
    const SHEET: (&'static str, &'static str) = ("years", "年份");
}
