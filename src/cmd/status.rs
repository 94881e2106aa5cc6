use anyhow::Result;

use crate::app::Context;
use crate::domain::status;

pub fn run(ctx: &mut Context) -> Result<()> {
    let today = ctx.settings.clock.today();
    ctx.out().rows(&status::rows(
        &ctx.conn,
        &ctx.settings.config.credit,
        today,
    )?)
}
