use anyhow::Result;

use crate::app::Context;
use crate::cli::ReportCmd;
use crate::domain::report;
use crate::output::Compact;

impl ReportCmd {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let clock = ctx.settings.clock;
        let scope = ctx.scope()?;
        let scope = scope.as_ref();
        match self {
            ReportCmd::Complaints { period, by } => {
                let period = super::period(&period, &clock)?;
                let rows = report::complaints(&ctx.conn, scope, period, clock.now(), by)?;
                ctx.out().rows(&rows)
            }
            ReportCmd::Handovers { period, by } => {
                let period = super::period(&period, &clock)?;
                let rows = report::handovers(&ctx.conn, scope, period, clock.today(), by)?;
                ctx.out().rows(&rows)
            }
            ReportCmd::Credit { period, by } => {
                let period = super::period(&period, &clock)?;
                ctx.out()
                    .rows(&report::credit(&ctx.conn, scope, period, by)?)
            }
        }
    }
}

impl Compact for report::ComplaintRow {
    const SHEET: (&'static str, &'static str) = ("complaint report", "投诉统计");
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "total",
        "open",
        "accept_met_rate",
        "resolve_met_rate",
        "inform_met_rate",
        "median_accept_hours",
        "median_resolve_days",
    ];
}

impl Compact for report::HandoverRow {
    const SHEET: (&'static str, &'static str) = ("handover report", "交接统计");
}

impl Compact for report::CreditRow {
    const SHEET: (&'static str, &'static str) = ("credit report", "信用统计");
}
