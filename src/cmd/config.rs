use anyhow::{Context as _, Result};

use crate::app::Settings;
use crate::cli::ConfigCmd;
use crate::config::DEFAULT_FILE;
use crate::error::Failure;
use crate::tr;

impl ConfigCmd {
    pub fn run(self, settings: &Settings) -> Result<()> {
        match self {
            ConfigCmd::Show => settings.out.text(&settings.effective_config().to_toml()?),
            ConfigCmd::Init { force } => {
                let path = &settings.config_path;
                if path.exists() && !force {
                    return Err(
                        Failure::refused(format!("{} exists already", path.display()))
                            .zh(format!("{} 已存在", path.display()))
                            .hint("use --force to overwrite it")
                            .hint_zh("加 --force 覆盖")
                            .into(),
                    );
                }
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                }
                std::fs::write(path, DEFAULT_FILE)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                let path = path.display();
                settings
                    .out
                    .say(&tr!(settings.lang(), "wrote {path}", "已写入 {path}"));
                Ok(())
            }
        }
    }
}
