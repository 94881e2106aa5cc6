use std::io::ErrorKind;
use std::path::Path;

use anyhow::{Context as _, Result};

use super::exists_already;
use crate::app::Context;
use crate::cli::BackupArgs;
use crate::{db, refused, text, tr};

impl BackupArgs {
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        check_target(&self.file, self.force)?;
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

/// Accepts a missing path, or with `force` a regular file; refuses anything else (a folder,
/// a FIFO, a device, a socket, a symbolic link of any kind), which a backup never replaces.
fn check_target(path: &Path, force: bool) -> Result<()> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot back up to {}", path.display())),
    };
    if !meta.is_file() {
        let shown = path.display();
        return Err(refused!(
            "{shown} is not a regular file: a backup never replaces a folder, link, FIFO or device",
            "{shown} 不是普通文件：备份不会替换文件夹、链接、管道或设备"
        )
        .hint(text!(
            "name a new file, or a regular file together with --force",
            "请指定新文件，或指定普通文件并加 --force"
        ))
        .into());
    }
    if !force {
        return Err(exists_already(path).into());
    }
    Ok(())
}
