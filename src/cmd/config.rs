use anyhow::{Context as _, Result};

use super::exists_already;
use crate::app::Settings;
use crate::cli::ConfigCmd;
use crate::config::DEFAULT_FILE;
use crate::{outfile, tr};

impl ConfigCmd {
    pub fn run(self, settings: &Settings) -> Result<()> {
        match self {
            ConfigCmd::Show => settings.out.text(&settings.effective_config().to_toml()?),
            ConfigCmd::Init { force } => {
                let (path, lang) = (&settings.config_path, settings.lang());
                if path.exists() && !force {
                    return Err(exists_already(path).into());
                }
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    let shown = dir.display();
                    std::fs::create_dir_all(dir)
                        .with_context(|| tr!(lang, "cannot create {shown}", "无法创建 {shown}"))?;
                }
                let shown = path.display();
                outfile::write(path, DEFAULT_FILE.as_bytes())
                    .with_context(|| tr!(lang, "cannot write {shown}", "无法写入 {shown}"))?;
                settings
                    .out
                    .say(&tr!(lang, "wrote {shown}", "已写入 {shown}"));
                Ok(())
            }
        }
    }
}
