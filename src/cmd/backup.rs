use anyhow::Result;

use super::exists_already;
use crate::app::Context;
use crate::cli::BackupArgs;
use crate::{db, tr};

impl BackupArgs {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let is_file = std::fs::symlink_metadata(&self.file).is_ok_and(|m| m.is_file());
        if is_file && !self.force {
            return Err(exists_already(&self.file).into());
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
