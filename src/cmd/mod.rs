//! One module per command group: flags in, a domain call, output out. No SQL here.

mod backup;
mod calendar;
mod checklist;
mod company;
mod complaint;
mod config;
mod credit;
mod customer;
mod demo;
mod employee;
mod handover;
mod import;
mod log;
mod notify;
mod status;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use clap::CommandFactory;

use crate::app::{Context, Settings};
use crate::cli::{Cli, Command};
use crate::domain::Patch;
use crate::error::Failure;
use crate::time::{self, Clock};
use crate::{refused, text};

/// Runs `command` in the settings resolved from the global flags. `demo_db` is the `--db`
/// flag alone: the demo never fills the database of the config.
pub fn run(command: Command, settings: Settings, demo_db: Option<PathBuf>) -> Result<()> {
    match command {
        Command::Config(cmd) => cmd.run(&settings),
        Command::Completions { shell } => {
            let mut out = settings.out.sink()?;
            clap_complete::generate(shell, &mut Cli::command(), "baton", &mut out);
            Ok(out.flush()?)
        }
        Command::Man => {
            let mut out = settings.out.sink()?;
            let mut cli = Cli::command();
            cli.build();
            man_pages(&cli, &mut out)?;
            Ok(out.flush()?)
        }
        Command::Demo => demo::run(settings, demo_db),
        Command::Init => with_db(settings, |ctx| {
            let path = ctx.settings.db_path.display().to_string();
            ctx.out().text(&format!("{path}\n"))
        }),
        Command::Status => with_db(settings, status::run),
        Command::Log(args) => with_db(settings, |ctx| args.run(ctx)),
        Command::Backup(args) => with_db(settings, |ctx| args.run(ctx)),
        Command::Company(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Employee(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Customer(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Checklist(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Credit(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Complaint(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Calendar(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Handover(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Notify(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Import(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
    }
}

/// The manual page of `command`, then one page per subcommand (`baton-handover-item-add`),
/// in one roff stream that `man -l -` reads page after page.
fn man_pages(command: &clap::Command, out: &mut impl std::io::Write) -> Result<()> {
    clap_mangen::Man::new(command.clone())
        .source(concat!("baton ", env!("CARGO_PKG_VERSION")))
        .render(out)?;
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        man_pages(sub, out)?;
    }
    Ok(())
}

/// Opens the database, runs a command in it, then gives the warnings it collected.
fn with_db(settings: Settings, command: impl FnOnce(&mut Context) -> Result<()>) -> Result<()> {
    let command_line = std::env::args().collect::<Vec<_>>().join(" ");
    let mut ctx = Context::open(settings, &command_line)?;
    let result = command(&mut ctx);
    ctx.settings.warn_provisional_years();
    result
}

/// The refusal to overwrite `path` without `--force`.
fn exists_already(path: &Path) -> Failure {
    let path = path.display();
    refused!("{path} exists already", "{path} 已存在")
        .hint(text!("use --force to overwrite it", "加 --force 覆盖"))
}

/// A flag that changes an optional text field: absent keeps it, empty clears it.
fn text_patch(value: Option<String>) -> Patch<String> {
    value.map(|v| Some(v).filter(|v| !v.trim().is_empty()))
}

/// A flag that changes an optional date: absent keeps it, empty clears it.
fn date_patch(value: Option<&str>, clock: &Clock) -> Result<Patch<NaiveDate>> {
    Ok(match value.map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(text) => Some(Some(time::parse_date(text, clock)?)),
    })
}
