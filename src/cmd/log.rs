use anyhow::Result;

use crate::app::Context;
use crate::audit::{self, Break, Filter, LogEntry};
use crate::cli::LogArgs;
use crate::{time, tr};

impl LogArgs {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let lang = ctx.lang();
        if self.verify {
            return match audit::verify(&ctx.conn)? {
                Ok(count) => {
                    ctx.out().say(&tr!(
                        lang,
                        "audit log intact: {count} events verified",
                        "审计日志完整:已校验 {count} 条事件"
                    ));
                    Ok(())
                }
                Err(Break::Altered { id }) => anyhow::bail!(tr!(
                    lang,
                    "audit log broken at event {id}: its content or order was changed",
                    "审计日志在第 {id} 条事件处断裂:内容或顺序被改动"
                )),
                Err(Break::Missing { after, next }) => anyhow::bail!(tr!(
                    lang,
                    "audit log broken after event {after}: events up to {next} were removed",
                    "审计日志在第 {after} 条事件之后断裂:{next} 之前的事件被删除"
                )),
            };
        }
        let since = self
            .since
            .as_deref()
            .map(|s| time::parse_instant(s, &ctx.settings.clock))
            .transpose()?;
        let filter = Filter {
            entity: self.entity,
            entity_id: self.id,
            since,
            actor: self.actor,
        };
        let mut list = ctx.out().list::<LogEntry>()?;
        audit::list(&ctx.conn, &filter, |entry| list.push(&entry))?;
        list.finish()
    }
}
