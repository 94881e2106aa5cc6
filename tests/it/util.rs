//! Drives the real binary with a temporary database, a fixed clock and a fixed time zone.
//!
//! A command is written as one line, split into words as a shell would: quotes keep a value
//! with spaces whole, `\` at the end of a Rust string line continues it.
//!
//! ```ignore
//! env.ok("complaint file --complainant '会员 刘女士' --summary 教练离职后无人跟进");
//! let record = env.json("handover show 1");
//! let err = env.fails("handover close 1", 3);
//! let out = env.run("import customers - --input-format csv").stdin(text).json();
//! ```
//!
//! A value a line cannot hold (odd bytes, quotes of both kinds) is added as a word of its
//! own with [`Run::arg`], or the whole command given as words with [`TestEnv::run_args`].

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use tempfile::TempDir;

/// A valid USCC (Huawei's, public) and a made-up one with a correct check character.
pub const USCC_A: &str = "914403001922038216";
pub const USCC_B: &str = "91320500MA1MXX0Q17";

/// A temporary folder with the database, the clock and the user every command of a test
/// shares.
pub struct TestEnv {
    pub dir: TempDir,
    pub db: PathBuf,
    pub now: String,
}

impl TestEnv {
    /// A fresh folder, a database path in it that the first command creates, and the clock
    /// at 2026-03-02 10:00 in Shanghai.
    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        let shown = dir.path().display().to_string();
        assert!(
            !shown.contains(|c: char| c.is_whitespace() || "'\"\\#".contains(c)),
            "the temporary folder {shown:?} cannot be written in a command line unquoted"
        );
        let db = dir.path().join("data").join("baton.db");
        TestEnv {
            dir,
            db,
            now: "2026-03-02T10:00:00+08:00".into(),
        }
    }

    /// The same environment with the clock at `now`.
    pub fn at(mut self, now: &str) -> TestEnv {
        self.now = now.into();
        self
    }

    /// The path of `name` in the test's folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `bytes` to `name` in the test's folder; returns its path for a command line.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("write a test file");
        path.display().to_string()
    }

    /// `baton LINE`, ready to run (see [`Run`] for standard input, variables and more words).
    pub fn run(&self, line: &str) -> Run {
        self.run_args(words(line))
    }

    /// `baton ARGS`, for a command whose words are not all text for a command line.
    pub fn run_args<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::new(env!("CARGO_BIN_EXE_baton"));
        self.isolate(&mut command);
        let run = Run {
            command,
            shown: "baton".into(),
            stdin: None,
        };
        args.into_iter().fold(run, Run::arg)
    }

    /// Runs `baton LINE` and expects success; returns stdout.
    pub fn ok(&self, line: &str) -> String {
        self.run(line).ok()
    }

    /// Runs `baton LINE --format json` and expects success; returns stdout parsed.
    pub fn json(&self, line: &str) -> Value {
        self.run(line).json()
    }

    /// Runs `baton LINE` and expects exit `code`; returns stderr.
    pub fn fails(&self, line: &str, code: i32) -> String {
        self.run(line).fails(code)
    }

    /// `sh -c SCRIPT` in this environment (for `ulimit` and the like); `$BATON` is the binary.
    pub fn shell(&self, script: &str) -> Command {
        let mut cmd = Command::new("sh");
        self.isolate(&mut cmd);
        cmd.env("BATON", env!("CARGO_BIN_EXE_baton"))
            .arg("-c")
            .arg(script);
        cmd
    }

    /// Nothing inherited that could change the result: a fixed clock, zone, user and folders.
    fn isolate(&self, cmd: &mut Command) {
        for var in [
            "BATON_DB",
            "BATON_CONFIG",
            "BATON_COMPANY",
            "BATON_LANG",
            "BATON_ACTOR",
            "LANG",
            "LC_ALL",
            "NO_COLOR",
            "COLUMNS",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("BATON_DB", &self.db)
            .env("BATON_NOW", &self.now)
            .env("TZ", "Asia/Shanghai")
            .env("USER", "tester")
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("xdg-data"))
            .current_dir(self.dir.path());
    }

    /// One company, three employees and four customers.
    pub fn with_registry(self) -> TestEnv {
        for line in [
            &format!("company add --code {USCC_A} --name 深圳示例科技有限公司 --short 示例科技"),
            "employee add --id E001 --name 王磊 --role rnd --core --nda --phone 13812345678 \
             --email wanglei@example.com",
            "employee add --id E002 --name 李娜 --role sales --core",
            "employee add --id E003 --name 张伟 --role service",
            "customer add --id C001 --name 华丰食品 --tier core --owner E001 --phone 13912345678 \
             --confidential '底价 38 元/公斤'",
            "customer add --id C002 --name 康源乳业 --tier core --owner E001 --backup E002",
            "customer add --id C003 --name 美味园 --tier key --owner E002 --backup E003",
            "customer add --id C004 --name 邻里超市 --tier normal --owner E003",
        ] {
            self.ok(line);
        }
        self
    }

    /// Opens the handover of E001 (owner of C001 and C002 in `with_registry`), leaving on
    /// 2026-03-20, taken over by `successor`.
    pub fn open_handover(&self, successor: Option<&str>) {
        let run = self.run("handover open --employee E001 --leaving-on 2026-03-20");
        match successor {
            Some(s) => run.arg("--successor").arg(s),
            None => run,
        }
        .ok();
    }

    /// The first column of the first row of `query` on the test's database.
    pub fn sql<T: rusqlite::types::FromSql>(&self, query: &str) -> T {
        let conn = rusqlite::Connection::open(&self.db).expect("open db");
        conn.query_row(query, [], |r| r.get(0)).expect(query)
    }

    /// Runs `statement` on the test's database, behind baton's back.
    pub fn exec(&self, statement: &str) {
        let conn = rusqlite::Connection::open(&self.db).expect("open db");
        conn.execute_batch(statement).expect(statement);
    }
}

/// One run of baton: its words, and what it gets besides them.
pub struct Run {
    command: Command,
    /// The command as the failure messages show it.
    shown: String,
    stdin: Option<Vec<u8>>,
}

impl Run {
    /// One more word, taken as it is.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        let arg = arg.as_ref();
        self.shown.push(' ');
        self.shown.push_str(&arg.to_string_lossy());
        self.command.arg(arg);
        self
    }

    /// More words, split from `line` like the words of [`TestEnv::run`].
    pub fn words(self, line: &str) -> Self {
        words(line).into_iter().fold(self, Run::arg)
    }

    /// Sets an environment variable for this run.
    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    /// Removes an environment variable the test environment sets.
    pub fn env_remove(mut self, key: &str) -> Self {
        self.command.env_remove(key);
        self
    }

    /// Feeds `bytes` to standard input (otherwise it is empty).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Runs to the end, whatever the exit code.
    pub fn output(mut self) -> Output {
        let Some(input) = self.stdin.take() else {
            return self.command.output().expect("run baton");
        };
        let mut child = self
            .command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run baton");
        let mut pipe = child.stdin.take().expect("piped stdin");
        let writer = std::thread::spawn(move || pipe.write_all(&input));
        let out = child.wait_with_output().expect("run baton");
        match writer.join().expect("the stdin writer") {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("stdin: {e}"),
            _ => out,
        }
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(self) -> String {
        let shown = self.shown.clone();
        let out = self.output();
        assert!(
            out.status.success(),
            "{shown} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs and expects success; returns stderr, where the messages go.
    pub fn ok_stderr(self) -> String {
        let shown = self.shown.clone();
        let out = self.output();
        let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");
        assert!(
            out.status.success(),
            "{shown} failed with {:?}\nstderr: {stderr}",
            out.status.code()
        );
        stderr
    }

    /// Runs with `--format json` and expects success; returns stdout parsed.
    pub fn json(self) -> Value {
        let run = self.arg("--format").arg("json");
        let shown = run.shown.clone();
        let out = run.ok();
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{shown}: bad JSON ({e}): {out}"))
    }

    /// Runs and expects exit `code`; returns stderr.
    pub fn fails(self, code: i32) -> String {
        let shown = self.shown.clone();
        let out = self.output();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{shown}: expected exit {code}\nstdout: {}\nstderr: {stderr}",
            String::from_utf8_lossy(&out.stdout)
        );
        stderr
    }

    /// The process to start, for a test that handles the pipes and the child itself.
    pub fn command(self) -> Command {
        self.command
    }
}

/// The words of a command line, split as a shell would.
pub fn words(line: &str) -> Vec<String> {
    shlex::split(line).unwrap_or_else(|| panic!("unbalanced quotes in {line:?}"))
}

/// The permission bits of `path`.
pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

/// Every command below `baton` as its path (`handover item add`), `help` aside, and whether
/// it is a leaf (has no subcommands).
pub fn command_paths() -> Vec<(String, bool)> {
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, bool)>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let path = format!("{path} {}", sub.get_name()).trim().to_string();
            out.push((path.clone(), !sub.has_subcommands()));
            walk(sub, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(
        &baton::cli::help::command(baton::i18n::Lang::En),
        "",
        &mut out,
    );
    out
}
