use anyhow::Result;

use crate::app::Context;
use crate::cli::BackupArgs;
use crate::error::Failure;
use crate::{db, tr};

impl BackupArgs {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        if self.file.exists() && !self.force {
            return Err(
                Failure::refused(format!("{} exists already", self.file.display()))
                    .zh(format!("{} 已存在", self.file.display()))
                    .hint("use --force to overwrite it")
                    .hint_zh("加 --force 覆盖")
                    .into(),
            );
        }
        let pages = db::backup(&ctx.conn, &self.file)?;
        let file = self.file.display();
        ctx.out().say(&tr!(
            ctx.lang(),
            "backed up {pages} pages to {file}",
            "已备份 {pages} 页到 {file}"
        ));
        Ok(())
    }
}
