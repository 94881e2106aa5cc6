//! Drives the real binary with a temporary database, a fixed clock and a fixed time zone.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// A valid USCC (Huawei's, public) and a made-up one with a correct check character.
pub const USCC_A: &str = "914403001922038216";
pub const USCC_B: &str = "91320500MA1MXX0Q17";

pub struct TestEnv {
    pub dir: TempDir,
    pub db: PathBuf,
    pub now: String,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("data").join("baton.db");
        TestEnv {
            dir,
            db,
            now: "2026-03-02T10:00:00+08:00".into(),
        }
    }

    pub fn at(mut self, now: &str) -> TestEnv {
        self.now = now.into();
        self
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `baton ARGS` in this environment, nothing inherited that could change the result.
    pub fn cmd(&self, args: &[&str]) -> Command {
        Command::from_std(self.command(args))
    }

    /// The same as a plain `std::process::Command`, for tests that handle the pipes.
    pub fn command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_baton"));
        self.isolate(&mut cmd);
        cmd.args(args);
        cmd
    }

    /// `sh -c SCRIPT` in this environment (for `ulimit` and the like); `$BATON` is the binary.
    pub fn shell(&self, script: &str) -> std::process::Command {
        let mut cmd = std::process::Command::new("sh");
        self.isolate(&mut cmd);
        cmd.env("BATON", env!("CARGO_BIN_EXE_baton"))
            .arg("-c")
            .arg(script);
        cmd
    }

    /// Nothing inherited that could change the result: a fixed clock, zone, user and folders.
    fn isolate(&self, cmd: &mut std::process::Command) {
        for var in [
            "BATON_DB",
            "BATON_CONFIG",
            "BATON_COMPANY",
            "BATON_LANG",
            "BATON_ACTOR",
            "LANG",
            "LC_ALL",
            "NO_COLOR",
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

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().expect("run baton");
        assert!(
            out.status.success(),
            "baton {args:?} failed with {:?}\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs with `--format json` and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self.ok(&all);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("baton {args:?}: bad JSON ({e}): {out}"))
    }

    /// Runs, expects exit `code`; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd(args).output().expect("run baton");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(code),
            "baton {args:?}: expected exit {code}\nstdout: {}\nstderr: {stderr}",
            String::from_utf8_lossy(&out.stdout)
        );
        stderr
    }

    /// One company, three employees and four customers.
    pub fn with_registry(self) -> TestEnv {
        self.ok(&[
            "company",
            "add",
            "--code",
            USCC_A,
            "--name",
            "深圳示例科技有限公司",
            "--short",
            "示例科技",
        ]);
        self.ok(&[
            "employee",
            "add",
            "--id",
            "E001",
            "--name",
            "王磊",
            "--role",
            "rnd",
            "--core",
            "--nda",
            "--phone",
            "13812345678",
            "--email",
            "wanglei@example.com",
        ]);
        self.ok(&[
            "employee", "add", "--id", "E002", "--name", "李娜", "--role", "sales", "--core",
        ]);
        self.ok(&[
            "employee", "add", "--id", "E003", "--name", "张伟", "--role", "service",
        ]);
        self.ok(&[
            "customer",
            "add",
            "--id",
            "C001",
            "--name",
            "华丰食品",
            "--tier",
            "core",
            "--owner",
            "E001",
            "--phone",
            "13912345678",
            "--confidential",
            "底价 38 元/公斤",
        ]);
        self.ok(&[
            "customer",
            "add",
            "--id",
            "C002",
            "--name",
            "康源乳业",
            "--tier",
            "core",
            "--owner",
            "E001",
            "--backup",
            "E002",
        ]);
        self.ok(&[
            "customer",
            "add",
            "--id",
            "C003",
            "--name",
            "美味园",
            "--tier",
            "key",
            "--owner",
            "E002",
            "--backup",
            "E003",
        ]);
        self.ok(&[
            "customer",
            "add",
            "--id",
            "C004",
            "--name",
            "邻里超市",
            "--tier",
            "normal",
            "--owner",
            "E003",
        ]);
        self
    }

    /// Opens the handover of E001 (owner of C001 and C002 in `with_registry`), leaving on
    /// 2026-03-20, taken over by `successor`.
    pub fn open_handover(&self, successor: Option<&str>) {
        let mut args = vec![
            "handover",
            "open",
            "--employee",
            "E001",
            "--leaving-on",
            "2026-03-20",
        ];
        if let Some(s) = successor {
            args.extend(["--successor", s]);
        }
        self.ok(&args);
    }

    pub fn sql<T: rusqlite::types::FromSql>(&self, query: &str) -> T {
        let conn = rusqlite::Connection::open(&self.db).expect("open db");
        conn.query_row(query, [], |r| r.get(0)).expect(query)
    }

    pub fn exec(&self, statement: &str) {
        let conn = rusqlite::Connection::open(&self.db).expect("open db");
        conn.execute_batch(statement).expect(statement);
    }
}

pub fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}
