//! Help people can scan, in their language.
//!
//! [`command`] shapes the clap command that [`Cli`] derives: the top-level commands in four
//! groups, the global options under their own heading and shown in full only by
//! `baton --help` (each subcommand's help says where they are), and, in Chinese, every
//! about, option help, heading, example and clap error taken from the one translation
//! table, `zh.toml`. The language is known before the command line is parsed
//! ([`early_lang`]): `--lang`, `BATON_LANG`, the config's `lang`, then the locale.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::sync::OnceLock;

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};
use clap::{Arg, ArgMatches, Command, CommandFactory, FromArgMatches, ValueEnum};

use super::Cli;
use crate::config::{self, Config};
use crate::error::Failure;
use crate::i18n::Lang;

/// The top-level commands by what they are for (English and Chinese heading), in the order
/// `baton --help` lists them.
const GROUPS: &[(&str, &str, &[&str])] = &[
    (
        "Daily work",
        "日常工作",
        &["status", "handover", "notify", "complaint", "checklist"],
    ),
    (
        "Records",
        "档案记录",
        &["company", "employee", "customer", "credit", "report", "log"],
    ),
    ("Data", "数据", &["import", "backup"]),
    (
        "Setup",
        "设置",
        &[
            "init",
            "demo",
            "config",
            "calendar",
            "completions",
            "man",
            "help",
        ],
    ),
];

/// The language of help and of clap's errors, before the command line is parsed: `--lang`
/// among `args`, then `BATON_LANG`, the config file's `lang`, the locale; else English.
pub fn early_lang(args: &[OsString]) -> Lang {
    let words: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    let flag = |name: &str| {
        let prefixed = format!("{name}=");
        words.iter().enumerate().find_map(|(i, word)| match word {
            w if *w == name => words.get(i + 1).map(|v| v.to_string()),
            w => w.strip_prefix(&prefixed).map(str::to_string),
        })
    };
    let parse = |value: String| Lang::from_str(&value, true).ok();
    flag("--lang")
        .and_then(parse)
        .or_else(|| std::env::var("BATON_LANG").ok().and_then(parse))
        .or_else(|| {
            let (path, required) =
                match flag("--config").or_else(|| std::env::var("BATON_CONFIG").ok()) {
                    Some(path) => (path.into(), true),
                    None => (config::default_config_path(), false),
                };
            Config::load(&path, required).ok().and_then(|c| c.lang)
        })
        .or_else(Lang::from_env)
        .unwrap_or_default()
}

/// Parses `args` with the command shaped for their language (clap's errors in it too);
/// gives the command and its matches besides, for checks that need the raw values.
pub fn parse(args: Vec<OsString>) -> Result<(Cli, ArgMatches, Command), Refusal> {
    let lang = early_lang(&args);
    let in_lang = |e: clap::Error| match lang {
        Lang::En => Refusal::En(e),
        Lang::Zh => Refusal::Zh(e.apply()),
    };
    let command = command(lang);
    let matches = command
        .clone()
        .try_get_matches_from(args)
        .map_err(in_lang)?;
    let cli = Cli::from_arg_matches(&matches).map_err(in_lang)?;
    Ok((cli, matches, command))
}

/// A command line clap did not run: an error, or the help or version it asked for, in the
/// reader's language.
pub enum Refusal {
    En(clap::Error),
    Zh(clap::error::Error<ZhErrors>),
}

impl Refusal {
    /// Prints it where clap prints it: help and version to stdout, errors to stderr.
    pub fn print(&self) -> std::io::Result<()> {
        match self {
            Refusal::En(e) => e.print(),
            Refusal::Zh(e) => e.print(),
        }
    }

    /// The message as it would be printed, without colour.
    pub fn render(&self) -> StyledStr {
        match self {
            Refusal::En(e) => e.render(),
            Refusal::Zh(e) => e.render(),
        }
    }

    /// 0 for help and version, 2 for a usage error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Refusal::En(e) => e.exit_code(),
            Refusal::Zh(e) => e.exit_code(),
        }
    }
}

/// The command tree as `--help`, `man` and the parser show it in `lang`.
pub fn command(lang: Lang) -> Command {
    shaped(lang, true)
}

/// The command tree for shell completion in `lang`: every subcommand keeps the global
/// options visible, as a completion must offer them everywhere.
pub fn completion_command(lang: Lang) -> Command {
    shaped(lang, false)
}

/// [`command`], with the global options hidden below the top or not.
fn shaped(lang: Lang, hide_globals: bool) -> Command {
    let mut root = Cli::command();
    root.build();
    let globals: Vec<String> = root
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.get_id().to_string())
        .collect();
    let zh = (lang == Lang::Zh).then(zh_table);
    let globals = Globals {
        ids: &globals,
        hidden: hide_globals,
    };
    shape(root, &[], &globals, zh, lang)
}

/// The global options' ids, and whether subcommands hide them.
struct Globals<'g> {
    ids: &'g [String],
    hidden: bool,
}

/// One command and, recursively, its subcommands: translated, globals hidden below the
/// top, the top-level list grouped.
fn shape(
    mut cmd: Command,
    path: &[&str],
    globals: &Globals<'_>,
    zh: Option<&toml::Table>,
    lang: Lang,
) -> Command {
    let key = match path {
        [] => "baton".to_string(),
        [.., "help"] => "help".to_string(),
        _ => path.join(" "),
    };
    let entry = zh.and_then(|t| t.get(&key)).and_then(toml::Value::as_table);
    let text = |field: &str| {
        entry
            .and_then(|e| e.get(field))
            .and_then(toml::Value::as_str)
    };
    if zh.is_some() {
        if let Some(about) = text("about") {
            cmd = cmd.about(about.to_string());
        }
        cmd = match text("long_about") {
            Some(long) => cmd.long_about(long.to_string()),
            None => cmd.long_about(None::<&str>),
        };
        if let Some(after) = text("after_help") {
            cmd = cmd.after_help(after.to_string());
        }
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in &names {
        let sub = cmd
            .find_subcommand(name)
            .expect("a subcommand just listed")
            .clone();
        let mut sub_path = path.to_vec();
        sub_path.push(name);
        let shaped = shape(sub, &sub_path, globals, zh, lang);
        cmd = cmd.mut_subcommand(name, |_| shaped);
    }
    // A command's own option that shares a global's name (`log --actor`, a filter) is its
    // own: not hidden, not under the global heading.
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| {
            let id = a.get_id().to_string();
            let global = a.is_global_set() && globals.ids.contains(&id);
            (id, global)
        })
        .collect();
    let args = entry
        .and_then(|e| e.get("args"))
        .and_then(toml::Value::as_table);
    let global_help = zh
        .and_then(|t| t.get("globals"))
        .and_then(toml::Value::as_table);
    for (id, global) in &ids {
        let global = *global;
        let below_top = global && globals.hidden && !path.is_empty();
        let help = match zh {
            None => None,
            Some(_) if global || id == "help" || id == "version" => global_help,
            Some(_) => args,
        }
        .and_then(|t| t.get(id.as_str()))
        .and_then(toml::Value::as_str);
        cmd = cmd.mut_arg(id, |arg| {
            let arg = if below_top { arg.hide(true) } else { arg };
            match zh {
                Some(_) => in_chinese(arg, help),
                None if global => arg.help_heading("Global options"),
                None => arg,
            }
        });
    }
    if !path.is_empty() && globals.hidden && ids.iter().any(|(_, global)| *global) {
        cmd = with_global_pointer(cmd, lang);
    }
    if path.is_empty() {
        let template = top_template(&cmd, lang);
        cmd = cmd.help_template(template);
    } else if zh.is_some() {
        let template = zh_template(&cmd);
        cmd = cmd.help_template(template);
    }
    cmd
}

/// The template of a subcommand's help in Chinese: clap's sections under Chinese headings
/// (clap writes its own headings in English), each only when it has something to show.
fn zh_template(cmd: &Command) -> String {
    let shown = |positional: bool| {
        cmd.get_arguments()
            .any(|a| a.is_positional() == positional && !a.is_hide_set())
    };
    let mut parts = vec!["{before-help}{about-with-newline}\n用法：{usage}"];
    if shown(true) {
        parts.push("参数：\n{positionals}");
    }
    if cmd.has_subcommands() {
        parts.push("命令：\n{subcommands}");
    }
    if shown(false) {
        parts.push("选项：\n{options}");
    }
    parts.join("\n\n") + "{after-help}"
}

/// An argument's help in Chinese, with clap's English annotations (`[default: ...]`,
/// `[possible values: ...]`, `[env: ...]`) written in Chinese instead.
fn in_chinese(arg: Arg, help: Option<&str>) -> Arg {
    let mut text = help
        .map(str::to_string)
        .or_else(|| arg.get_help().map(|h| h.to_string()))
        .unwrap_or_default();
    let is_flag = !arg.get_action().takes_values();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !is_flag && !arg.is_hide_default_value_set() {
        let _ = write!(text, " [默认：{}]", defaults.join("、"));
    }
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !values.is_empty() && !is_flag && !arg.is_hide_possible_values_set() {
        // A space after each 、 lets a long list wrap.
        let _ = write!(text, " [可选值：{}]", values.join("、 "));
    }
    if let Some(env) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        let _ = write!(text, " [环境变量：{}]", env.to_string_lossy());
    }
    arg.help(text)
        .long_help(None::<&str>)
        .hide_default_value(true)
        .hide_possible_values(true)
        .hide_env(true)
}

/// A subcommand's help ends by saying where the global options are.
fn with_global_pointer(cmd: Command, lang: Lang) -> Command {
    let pointer = match lang {
        Lang::En => "Global options (--db, -c, -f, -o, --lang, --reveal, ...): baton --help",
        Lang::Zh => "全局选项（--db、-c、-f、-o、--lang、--reveal 等）：见 baton --help",
    };
    let after = match cmd.get_after_help() {
        Some(after) => format!("{after}\n\n{pointer}"),
        None => pointer.to_string(),
    };
    cmd.after_help(after)
}

/// The template of `baton --help`: the commands by group, then the global options.
fn top_template(cmd: &Command, lang: Lang) -> String {
    let width = cmd
        .get_subcommands()
        .map(|s| s.get_name().len())
        .max()
        .unwrap_or(0);
    let (usage, options, colon) = match lang {
        Lang::En => ("Usage: ", "Global options:", ":"),
        Lang::Zh => ("用法：", "全局选项：", "："),
    };
    let mut out = format!("{{before-help}}{{about-with-newline}}\n{usage}{{usage}}\n");
    for (en, zh, names) in GROUPS {
        let heading = match lang {
            Lang::En => en,
            Lang::Zh => zh,
        };
        let _ = write!(out, "\n{heading}{colon}\n");
        for name in *names {
            if let Some(sub) = cmd.find_subcommand(name) {
                let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
                let _ = writeln!(out, "  {name:width$}  {about}");
            }
        }
    }
    let _ = write!(out, "\n{options}\n{{options}}{{after-help}}");
    out
}

/// The Chinese texts of every command, `src/cli/zh.toml`, read once.
fn zh_table() -> &'static toml::Table {
    static TABLE: OnceLock<toml::Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("zh.toml")
            .parse()
            .expect("src/cli/zh.toml is valid TOML (a unit test reads it)")
    })
}

/// clap's errors in Chinese: what was wrong, the value, the usage line.
pub struct ZhErrors;

impl ErrorFormatter for ZhErrors {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        let get = |kind| match error.get(kind) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(list)) => list.join("、"),
            Some(ContextValue::StyledStr(s)) => s.to_string(),
            Some(ContextValue::StyledStrs(list)) => list
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、"),
            Some(ContextValue::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let arg = get(ContextKind::InvalidArg);
        let value = get(ContextKind::InvalidValue);
        let mut out = String::from("错误：");
        match error.kind() {
            ErrorKind::InvalidValue => {
                let _ = write!(out, "{arg} 的值 '{value}' 无效");
                let valid = get(ContextKind::ValidValue);
                if !valid.is_empty() {
                    let _ = write!(out, "\n  可选值：{valid}");
                }
            }
            ErrorKind::ValueValidation => {
                let reason = std::error::Error::source(error)
                    .map(|source| match source.downcast_ref::<Failure>() {
                        Some(failure) => failure.message_in(Lang::Zh).to_string(),
                        None => source.to_string(),
                    })
                    .unwrap_or_default();
                let _ = write!(out, "{arg} 的值 '{value}' 无效：{reason}");
            }
            ErrorKind::UnknownArgument => {
                let _ = write!(out, "没有选项 '{arg}'");
            }
            ErrorKind::InvalidSubcommand => {
                let _ = write!(out, "没有命令 '{}'", get(ContextKind::InvalidSubcommand));
            }
            ErrorKind::NoEquals => {
                let _ = write!(out, "{arg} 的值需用 '=' 连接");
            }
            ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
                let _ = write!(out, "{arg} 的取值个数不对");
            }
            ErrorKind::ArgumentConflict => {
                let prior = get(ContextKind::PriorArg);
                let _ = write!(out, "{arg} 不能与 {prior} 同时使用");
            }
            ErrorKind::MissingRequiredArgument => {
                let _ = write!(out, "缺少必需的参数：{arg}");
            }
            ErrorKind::MissingSubcommand => out.push_str("缺少子命令"),
            ErrorKind::InvalidUtf8 => out.push_str("参数不是有效的 UTF-8 文本"),
            other => {
                let _ = write!(out, "命令行有误（{other:?}）");
            }
        }
        let suggested = get(ContextKind::SuggestedArg) + &get(ContextKind::SuggestedSubcommand);
        if !suggested.is_empty() {
            let _ = write!(out, "\n\n  提示：是否想用 '{suggested}'？");
        }
        let usage = get(ContextKind::Usage);
        if !usage.is_empty() {
            let usage = usage.trim().trim_start_matches("Usage:").trim();
            let _ = write!(out, "\n\n用法：{usage}\n\n更多信息请用 '--help'。");
        }
        out.push('\n');
        StyledStr::from(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_translation_table_is_valid_toml_of_tables_of_text() {
        for (key, entry) in zh_table() {
            let entry = entry
                .as_table()
                .unwrap_or_else(|| panic!("[{key:?}] is a table"));
            for (field, value) in entry {
                match value {
                    toml::Value::String(_) => {}
                    toml::Value::Table(args) => assert!(
                        args.values().all(toml::Value::is_str),
                        "[{key:?}.{field}] holds only text"
                    ),
                    _ => panic!("[{key:?}] {field} is text or a table of text"),
                }
            }
        }
    }

    /// Every command below the top (the `help` commands aside), with its path.
    fn commands(cmd: &Command, path: &str, out: &mut Vec<(String, Command)>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let path = format!("{path} {}", sub.get_name()).trim().to_string();
            out.push((path.clone(), sub.clone()));
            commands(sub, &path, out);
        }
    }

    #[test]
    fn every_command_and_option_has_its_chinese_text() {
        let mut root = Cli::command();
        root.build();
        let mut all = vec![("baton".to_string(), root.clone())];
        commands(&root, "", &mut all);
        let table = zh_table();
        let mut missing = Vec::new();
        for (path, cmd) in &all {
            let entry = table.get(path).and_then(toml::Value::as_table);
            let has = |field: &str| entry.is_some_and(|e| e.contains_key(field));
            if !has("about") {
                missing.push(format!("[{path:?}] about"));
            }
            if cmd.get_after_help().is_some() && !has("after_help") {
                missing.push(format!("[{path:?}] after_help"));
            }
            let args = entry
                .and_then(|e| e.get("args"))
                .and_then(toml::Value::as_table);
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                let global = arg.is_global_set() || id == "help" || id == "version";
                if global || arg.is_hide_set() {
                    continue;
                }
                if !args.is_some_and(|a| a.contains_key(id)) {
                    missing.push(format!("[{path:?}.args] {id}"));
                }
            }
        }
        for arg in root.get_arguments() {
            let id = arg.get_id().as_str();
            if !table["globals"]
                .as_table()
                .is_some_and(|g| g.contains_key(id))
            {
                missing.push(format!("[globals] {id}"));
            }
        }
        assert!(
            missing.is_empty(),
            "src/cli/zh.toml lacks:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn every_option_is_described_and_every_leaf_command_has_an_example() {
        let mut root = Cli::command();
        root.build();
        let mut all = Vec::new();
        commands(&root, "", &mut all);
        let mut missing = Vec::new();
        for (path, cmd) in &all {
            for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                if arg
                    .get_help()
                    .is_none_or(|h| h.to_string().trim().is_empty())
                {
                    missing.push(format!("baton {path}: {} has no help", arg.get_id()));
                }
            }
            let example = cmd
                .get_after_help()
                .is_some_and(|h| h.to_string().contains("Example"));
            if !cmd.has_subcommands() && !example {
                missing.push(format!("baton {path}: no example"));
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }

    #[test]
    fn every_top_level_command_is_in_one_group() {
        let root = command(Lang::En);
        for sub in root.get_subcommands() {
            let name = sub.get_name();
            let homes = GROUPS
                .iter()
                .filter(|(_, _, names)| names.contains(&name))
                .count();
            assert_eq!(homes, 1, "{name} is in {homes} groups of GROUPS");
        }
    }

    #[test]
    fn the_language_comes_from_the_flag_before_the_environment() {
        let args = |line: &str| line.split(' ').map(OsString::from).collect::<Vec<_>>();
        assert_eq!(early_lang(&args("baton --lang zh status")), Lang::Zh);
        assert_eq!(early_lang(&args("baton status --lang=zh")), Lang::Zh);
        assert_eq!(early_lang(&args("baton --lang en --help")), Lang::En);
    }
}
