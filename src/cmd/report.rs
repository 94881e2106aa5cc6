use anyhow::Result;

use crate::app::Context;
use crate::cli::ReportCmd;
use crate::domain::report;

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
