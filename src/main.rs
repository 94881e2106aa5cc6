//! The `baton` binary: parses the command line, runs it, reports errors with exit codes.
//!
//! No `unsafe` code, but the one call that ignores SIGXFSZ.
#![deny(unsafe_code)]

use std::borrow::Cow;
use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use baton::app::Settings;
use baton::cli::help::{self, Refusal};
use baton::cli::{check_lengths, short_usage};
use baton::error::Failure;
use baton::i18n::Lang;
use baton::output::escape_message;
use baton::tr;

fn main() -> ExitCode {
    ignore_file_size_signal();
    let args: Vec<OsString> = std::env::args_os().collect();
    let early = help::early_lang(&args);
    if args.len() == 1 {
        eprint!("{}", short_usage(early));
        return ExitCode::from(2);
    }
    let (cli, matches, command) = match help::parse(args) {
        Ok(parsed) => parsed,
        Err(e) => {
            print_usage_error(&e);
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    if let Err(failure) = check_lengths(&command, &matches) {
        return report(&failure.into(), early);
    }
    let settings = match Settings::resolve(&cli.global) {
        Ok(settings) => settings,
        Err(err) => {
            let lang = cli.global.lang.or_else(Lang::from_env).unwrap_or_default();
            return report(&err, lang);
        }
    };
    let lang = settings.lang();
    match baton::cmd::run(cli.command, settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => report(&err, lang),
    }
}

/// Past `ulimit -f` the kernel sends SIGXFSZ, which kills the process without a word (exit
/// 153). Ignored, the write fails with EFBIG instead, and the error is reported like a full
/// disk, with the change rolled back.
#[cfg(unix)]
fn ignore_file_size_signal() {
    // SAFETY: called first thing in `main`, before any other thread exists; it sets the
    // disposition of one signal to SIG_IGN, installing no handler code, and its result (the
    // previous disposition, or SIG_ERR for an invalid signal) needs no cleanup.
    #[allow(unsafe_code)]
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Windows has no SIGXFSZ.
#[cfg(not(unix))]
fn ignore_file_size_signal() {}

/// Prints clap's message (or help) as clap does, unless an argument holds control
/// characters or bidirectional overrides, or is long, which the message may echo: then
/// plain, escaped ([`escape_message`]) and with each line cut after 200 characters.
fn print_usage_error(e: &Refusal) {
    const LONGEST: usize = 200;
    let long = |text: &str| text.chars().nth(LONGEST).is_some();
    let hostile = std::env::args_os().any(|arg| {
        let arg = arg.to_string_lossy();
        long(&arg) || matches!(escape_message(&arg), Cow::Owned(_))
    });
    if !hostile {
        let _ = e.print();
        return;
    }
    let plain = e.render().to_string();
    let escaped = escape_message(&plain);
    let mut stderr = io::stderr().lock();
    for line in escaped.lines() {
        let _ = match line.char_indices().nth(LONGEST) {
            Some((end, _)) => {
                let length = line.chars().count();
                writeln!(stderr, "{}… ({length} characters)", &line[..end])
            }
            None => writeln!(stderr, "{line}"),
        };
    }
}

/// Prints the error once, with its hint, in `lang` (control characters and bidirectional
/// overrides escaped: [`escape_message`]), and picks the exit code.
fn report(err: &anyhow::Error, lang: Lang) -> ExitCode {
    let failure = err.chain().find_map(|e| e.downcast_ref::<Failure>());
    let mut stderr = io::stderr().lock();
    let (error, hint) = match lang {
        Lang::En => ("error: ", "hint: "),
        Lang::Zh => ("错误：", "提示："),
    };
    let message = match err.downcast_ref::<Failure>() {
        Some(top) => top.message_in(lang).to_string(),
        None => format!("{err:#}"),
    };
    let _ = writeln!(stderr, "{error}{}", escape_message(&message));
    if let Some(text) = failure.and_then(|f| f.hint_in(lang)) {
        let _ = writeln!(stderr, "{hint}{}", escape_message(text));
    } else if is_storage_failure(err) {
        let text = tr!(
            lang,
            "the disk may be full or the database read-only; the change was rolled back",
            "磁盘可能已满或数据库只读；本次修改已回滚"
        );
        let _ = writeln!(stderr, "{hint}{text}");
    }
    ExitCode::from(failure.map_or(1, Failure::exit_code))
}

/// SQLite could not write: disk full, I/O error or a read-only file.
fn is_storage_failure(err: &anyhow::Error) -> bool {
    use rusqlite::ErrorCode::{DiskFull, ReadOnly, SystemIoFailure};
    err.chain().any(|e| {
        matches!(
            e.downcast_ref::<rusqlite::Error>()
                .and_then(rusqlite::Error::sqlite_error_code),
            Some(DiskFull | SystemIoFailure | ReadOnly)
        )
    })
}

/// `baton customer list | head` closes the pipe early: not an error. The CSV and JSON
/// writers wrap the I/O error in their own, which does not give it as its source.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        let kind = if let Some(e) = e.downcast_ref::<io::Error>() {
            Some(e.kind())
        } else if let Some(e) = e.downcast_ref::<csv::Error>() {
            match e.kind() {
                csv::ErrorKind::Io(e) => Some(e.kind()),
                _ => None,
            }
        } else {
            e.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}
