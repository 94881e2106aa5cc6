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
mod report;
mod status;

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};
use chrono::NaiveDate;

use crate::app::{Context, Settings};
use crate::cli::{help, Command, CompanyCmd, CreditCmd, Period};
use crate::domain::Patch;
use crate::error::Failure;
use crate::i18n::Lang;
use crate::time::{self, Clock};
use crate::{bad_input, outfile, refused, text, tr};

/// Runs `command` in the settings resolved from the global flags.
pub fn run(command: Command, settings: Settings) -> Result<()> {
    match command {
        Command::Config(cmd) => cmd.run(&settings),
        Command::Completions { shell } => {
            // Written to memory first: clap_complete panics when its writer fails (a closed
            // pipe), while the sink reports it like any other output.
            let mut script = Vec::new();
            let mut cli = help::completion_command(settings.lang());
            clap_complete::generate(shell, &mut cli, "baton", &mut script);
            let mut out = settings.out.sink()?;
            out.write_all(&script)?;
            out.finish()
        }
        Command::Man { dir } => {
            let cli = help::command(settings.lang());
            match dir {
                Some(dir) => man_folder(&cli, &dir, &settings),
                None => {
                    let mut out = settings.out.sink()?;
                    man_pages(&cli, settings.lang(), &mut out)?;
                    out.finish()
                }
            }
        }
        Command::Demo => demo::run(settings),
        Command::Init => with_new_db(settings, |ctx| {
            let path = ctx.settings.db_path.display().to_string();
            ctx.out().text(&format!("{path}\n"))
        }),
        Command::Status(args) => with_db(settings, |ctx| status::run(ctx, &args)),
        Command::Log(args) => with_db(settings, |ctx| args.run(ctx)),
        Command::Backup(args) => with_db(settings, |ctx| args.run(ctx)),
        Command::Company(cmd @ CompanyCmd::Add { .. }) => with_new_db(settings, |ctx| cmd.run(ctx)),
        Command::Company(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Employee(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Customer(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Checklist(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Credit(CreditCmd::Catalog) => credit::print_catalog(&settings),
        Command::Credit(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Complaint(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Calendar(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Handover(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Notify(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
        Command::Import(cmd) => with_new_db(settings, |ctx| cmd.run(ctx)),
        Command::Report(cmd) => with_db(settings, |ctx| cmd.run(ctx)),
    }
}

/// The manual page of `command`, then one page per subcommand (`baton-handover-item-add`),
/// in one roff stream that `man -l -` reads page after page.
fn man_pages(command: &clap::Command, lang: Lang, out: &mut impl std::io::Write) -> Result<()> {
    for page in pages(command) {
        out.write_all(&roff(&page, lang)?)?;
    }
    Ok(())
}

/// A manual page in roff, its section headings in `lang` (clap_mangen writes them in
/// English).
fn roff(page: &clap_mangen::Man, lang: Lang) -> Result<Vec<u8>> {
    let mut roff = Vec::new();
    page.render(&mut roff)?;
    if lang == Lang::En {
        return Ok(roff);
    }
    let text = String::from_utf8(roff)?;
    let headings = [
        (".SH NAME", ".SH 名称"),
        (".SH SYNOPSIS", ".SH 概要"),
        (".SH DESCRIPTION", ".SH 描述"),
        (".SH OPTIONS", ".SH 选项"),
        (".SH \"GLOBAL OPTIONS\"", ".SH 全局选项"),
        (".SH SUBCOMMANDS", ".SH 子命令"),
        (".SH EXTRA", ".SH 补充说明"),
        (".SH VERSION", ".SH 版本"),
    ];
    let translated = text
        .lines()
        .map(|line| {
            headings
                .iter()
                .find(|(en, _)| line == *en)
                .map_or(line, |(_, zh)| zh)
        })
        .collect::<Vec<_>>()
        .join("\n");
    Ok((translated + "\n").into_bytes())
}

/// `man --dir DIR`: one file per page (`baton-handover-open.1`), the folder created.
fn man_folder(command: &clap::Command, dir: &Path, settings: &Settings) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let pages = pages(command);
    for page in &pages {
        let path = dir.join(page.get_filename());
        outfile::write(&path, &roff(page, settings.lang())?)?;
    }
    let (n, shown) = (pages.len(), dir.display());
    settings.out.say(&tr!(
        settings.lang(),
        "{n} manual pages written to {shown}; read one with: man baton-handover-open",
        "已将 {n} 个手册页写入 {shown}；阅读示例：man baton-handover-open"
    ));
    Ok(())
}

/// The manual pages of `command` and of every subcommand below it (`help` aside), each named
/// by its path: `baton`, `baton-handover`, `baton-handover-open`.
fn pages(command: &clap::Command) -> Vec<clap_mangen::Man> {
    fn walk(command: &clap::Command, name: String, pages: &mut Vec<clap_mangen::Man>) {
        let page = command.clone().display_name(name.clone());
        pages
            .push(clap_mangen::Man::new(page).source(concat!("baton ", env!("CARGO_PKG_VERSION"))));
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            walk(sub, format!("{name}-{}", sub.get_name()), pages);
        }
    }
    let mut pages = Vec::new();
    walk(command, command.get_name().to_string(), &mut pages);
    pages
}

/// Opens the database, which must exist, runs a command in it, then gives the warnings it
/// collected. Only the commands that start a database ([`with_new_db`]) create its file: a
/// mistyped `--db`, or a hint pasted without one, must not leave an empty database behind.
fn with_db(settings: Settings, command: impl FnOnce(&mut Context) -> Result<()>) -> Result<()> {
    if !settings.db_path.exists() {
        return Err(no_database(&settings.db_path).into());
    }
    with_new_db(settings, command)
}

/// [`with_db`] for the commands that start a database: `init`, `company add`, `import`.
fn with_new_db(settings: Settings, command: impl FnOnce(&mut Context) -> Result<()>) -> Result<()> {
    let command_line = std::env::args().collect::<Vec<_>>().join(" ");
    let mut ctx = Context::open(settings, &command_line)?;
    let result = command(&mut ctx);
    ctx.settings.warn_provisional_years();
    result
}

/// The refusal to read a database that is not there.
fn no_database(path: &Path) -> Failure {
    let path = path.display();
    bad_input!("no baton database at {path}", "{path} 处没有 baton 数据库")
        .hint(text!(
            "`baton demo` fills it with examples; `baton company add` or `baton import companies FILE` starts your own; --db PATH names another",
            "`baton demo` 写入演示数据；`baton company add` 或 `baton import companies 文件` 开始建立自己的数据库；--db 路径 可指定其他数据库"
        ))
}

/// The refusal to overwrite `path` without `--force`.
fn exists_already(path: &Path) -> Failure {
    let path = path.display();
    refused!("{path} exists already", "{path} 已存在")
        .hint(text!("use --force to overwrite it", "加 --force 覆盖"))
}

/// The period of `--since` and `--until` (dates, inclusive); refused when it ends before
/// it starts.
fn period(period: &Period, clock: &Clock) -> Result<crate::domain::report::Period> {
    let date = |d: &Option<String>| d.as_deref().map(|d| time::parse_date(d, clock)).transpose();
    let (since, until) = (date(&period.since)?, date(&period.until)?);
    if let (Some(since), Some(until)) = (since, until) {
        if until < since {
            return Err(bad_input!(
                "--until {until} is before --since {since}",
                "--until {until} 早于 --since {since}"
            )
            .into());
        }
    }
    Ok(crate::domain::report::Period { since, until })
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
