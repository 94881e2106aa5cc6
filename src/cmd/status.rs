use anyhow::Result;

use crate::app::Context;
use crate::domain::status;

pub fn run(ctx: &mut Context) -> Result<()> {
    let clock = &ctx.settings.clock;
    let rows = status::rows(&ctx.conn, &ctx.settings.config, clock.now(), clock.today())?;
    ctx.out().rows(&rows)
}
