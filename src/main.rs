//! The `baton` binary: parses the command line, runs it, reports errors with exit codes.
//!
//! No `unsafe` code, but the one call that ignores SIGXFSZ.
#![deny(unsafe_code)]

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use baton::app::Settings;
use baton::cli::{help, short_usage};
use baton::error::Failure;
use baton::i18n::Lang;
use baton::tr;

fn main() -> ExitCode {
    ignore_file_size_signal();
    let args: Vec<OsString> = std::env::args_os().collect();
    if args.len() == 1 {
        eprint!("{}", short_usage(help::early_lang(&args)));
        return ExitCode::from(2);
    }
    let cli = match help::parse(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code() as u8);
        }
    };
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

/// Prints the error once, with its hint, in `lang`, and picks the exit code.
fn report(err: &anyhow::Error, lang: Lang) -> ExitCode {
    let failure = err.chain().find_map(|e| e.downcast_ref::<Failure>());
    let mut stderr = io::stderr().lock();
    let (error, hint) = match lang {
        Lang::En => ("error: ", "hint: "),
        Lang::Zh => ("错误:", "提示:"),
    };
    let message = match err.downcast_ref::<Failure>() {
        Some(top) => top.message_in(lang).to_string(),
        None => format!("{err:#}"),
    };
    let _ = writeln!(stderr, "{error}{message}");
    if let Some(text) = failure.and_then(|f| f.hint_in(lang)) {
        let _ = writeln!(stderr, "{hint}{text}");
    } else if is_storage_failure(err) {
        let text = tr!(
            lang,
            "the disk may be full or the database read-only; the change was rolled back",
            "磁盘可能已满或数据库只读;本次修改已回滚"
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

/// `baton customer list | head` closes the pipe early: not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
