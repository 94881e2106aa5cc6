use anyhow::Result;

use crate::app::Context;
use crate::domain::status;

pub fn run(ctx: &mut Context) -> Result<()> {
    ctx.out().rows(&status::rows(
        &ctx.conn,
        ctx.settings.clock.today(),
        ctx.settings.config.notify.due_window_days,
    )?)
}
