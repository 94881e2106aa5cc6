//! Hostile files (#20.4–7): output files and backup targets that are not regular files,
//! evidence that is a FIFO, and stored evidence names that try to leave the export folder.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::Command;

use crate::util::{mode_of, TestEnv, USCC_A};

/// Makes a FIFO at `path` with the system's `mkfifo`.
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// The names in the test folder that start with `.` (where a partial backup would hide).
fn hidden_files(env: &TestEnv) -> Vec<String> {
    let mut names = names_in(env.dir.path());
    names.retain(|n| n.starts_with('.'));
    names
}

#[test]
fn backup_refuses_fifos_folders_and_links_and_leaves_no_partial_file() {
    let env = TestEnv::new().with_registry();
    let fifo = env.path("pipe");
    mkfifo(&fifo);
    std::fs::create_dir(env.path("folder")).unwrap();
    std::os::unix::fs::symlink("folder", env.path("to-folder")).unwrap();
    std::os::unix::fs::symlink("nowhere.db", env.path("dangling")).unwrap();
    for name in ["pipe", "folder", "to-folder", "dangling"] {
        for force in ["", " --force"] {
            let err = env.fails(&format!("backup {name}{force}"), 3);
            assert!(
                err.contains(name) && err.contains("not a regular file"),
                "{err}"
            );
        }
    }
    let err = env
        .run("backup pipe --force")
        .env("BATON_LANG", "zh")
        .fails(3);
    assert!(
        err.contains("pipe") && err.contains("不是普通文件"),
        "{err}"
    );
    assert!(std::fs::symlink_metadata(&fifo)
        .unwrap()
        .file_type()
        .is_fifo());
    assert!(env.path("folder").is_dir());
    assert!(std::fs::read_dir(env.path("folder"))
        .unwrap()
        .next()
        .is_none());
    assert!(!env.path("nowhere.db").exists());
    assert_eq!(hidden_files(&env), Vec::<String>::new());
    // Devices are refused before anything is opened (run as root, /dev/full was replaced).
    for device in ["/dev/full", "/dev/null"] {
        let err = env.fails(&format!("backup {device} --force"), 3);
        assert!(err.contains("not a regular file"), "{err}");
        assert!(std::fs::metadata(device)
            .unwrap()
            .file_type()
            .is_char_device());
    }
    // A regular file is still replaced with --force.
    env.file("old.db", b"old");
    env.fails("backup old.db", 3);
    env.ok("backup old.db --force");
    assert_ne!(std::fs::read(env.path("old.db")).unwrap(), b"old");
}

#[test]
fn a_backup_that_fails_while_writing_removes_its_partial_file() {
    let env = TestEnv::new().with_registry();
    env.ok("status");
    // Files up to half the database's size (but room for SQLite's 32 KiB shared-memory
    // file): the copy cannot be written, the write fails with EFBIG (the signal that would
    // otherwise kill baton is ignored, and the ignoring inherited).
    let blocks = std::fs::metadata(&env.db).unwrap().len() / 512 / 2;
    assert!(
        blocks > 64,
        "the database is too small for this test: {blocks} blocks"
    );
    let out = env
        .shell(&format!(
            "trap '' XFSZ; ulimit -f {blocks}; \"$BATON\" backup copy.db"
        ))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("copy.db"), "{err}");
    assert!(!env.path("copy.db").exists());
    assert_eq!(hidden_files(&env), Vec::<String>::new());
}

#[test]
fn evidence_that_is_a_fifo_is_refused_without_opening_it() {
    let env = TestEnv::new().with_registry();
    env.ok("complaint file --customer C001 --summary 测试");
    let fifo = env.path("pipe.pdf");
    mkfifo(&fifo);
    // Opening a FIFO with no writer would block forever: this test hangs if that happens.
    let err = env.fails("complaint evidence add 1 pipe.pdf", 4);
    assert!(
        err.contains("pipe.pdf") && err.contains("not a regular file"),
        "{err}"
    );
    let err = env
        .run(&format!(
            "credit record -c {USCC_A} --employee E002 --code purchase-list-leaked \
             --evidence pipe.pdf"
        ))
        .env("BATON_LANG", "zh")
        .fails(4);
    assert!(
        err.contains("pipe.pdf") && err.contains("不是普通文件"),
        "{err}"
    );
    std::fs::create_dir(env.path("folder")).unwrap();
    let err = env.fails("complaint evidence add 1 folder", 4);
    assert!(err.contains("not a regular file"), "{err}");
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM evidence_blobs"), 0);
    assert_eq!(env.sql::<i64>("SELECT count(*) FROM credit_events"), 0);
}

/// Complaint 1 with evidence `a.pdf` (id 1) and `b.pdf` (id 2), renamed in the database to
/// `first` and `second`, as a crafted database would hold them.
fn crafted(first: &str, second: &str) -> TestEnv {
    let env = TestEnv::new().with_registry();
    env.ok("complaint file --customer C001 --summary 测试");
    env.file("a.pdf", b"first file");
    env.file("b.pdf", b"second file");
    env.ok("complaint evidence add 1 a.pdf");
    env.ok("complaint evidence add 1 b.pdf");
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    for (id, name) in [(1, first), (2, second)] {
        conn.execute(
            "UPDATE evidence SET file_name = ?1 WHERE id = ?2",
            rusqlite::params![name, id],
        )
        .unwrap();
    }
    env
}

/// The files under `dir`, as paths relative to it, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                found.push(rel.display().to_string());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn evidence_export_writes_base_names_inside_the_folder_only() {
    let outside = tempfile::tempdir().unwrap();
    let escape = outside.path().join("escaped.txt");
    let env = crafted("../../escaped.txt", &escape.display().to_string());
    std::fs::create_dir(env.path("deep")).unwrap();
    env.ok("complaint evidence export 1 --out deep/out");
    assert!(!escape.exists());
    assert!(!env.path("escaped.txt").exists());
    // Both base names are `escaped.txt`: the second gets its evidence id in front.
    assert_eq!(
        files_under(&env.path("deep")),
        ["out/2-escaped.txt", "out/escaped.txt"]
    );
    assert_eq!(
        std::fs::read(env.path("deep/out/escaped.txt")).unwrap(),
        b"first file"
    );

    let env = crafted("a/b/c.pdf", "ok.pdf");
    env.ok("complaint evidence export 1 --out out");
    assert_eq!(files_under(&env.path("out")), ["c.pdf", "ok.pdf"]);
}

#[test]
fn evidence_export_refuses_names_that_name_no_file_and_writes_nothing() {
    for bad in ["..", "a/..", "", "/", " "] {
        let env = crafted("fine.pdf", bad);
        let err = env.fails("complaint evidence export 1 --out out", 3);
        assert!(
            err.contains("evidence 2") && err.contains("names no file"),
            "{bad:?}: {err}"
        );
        assert!(!env.path("out").exists(), "{bad:?}");
        assert!(!env.path("fine.pdf").exists(), "{bad:?}");
    }
}

#[test]
fn an_export_that_clashes_writes_nothing() {
    // The second file would land on a file that exists already.
    let env = crafted("a.pdf", "b.pdf");
    std::fs::create_dir(env.path("out")).unwrap();
    env.file("out/b.pdf", b"keep me");
    let err = env.fails("complaint evidence export 1 --out out", 3);
    assert!(
        err.contains("b.pdf") && err.contains("exists already"),
        "{err}"
    );
    assert_eq!(files_under(&env.path("out")), ["b.pdf"]);
    assert_eq!(std::fs::read(env.path("out/b.pdf")).unwrap(), b"keep me");

    // A dangling link counts as taken, and is not followed.
    let env = crafted("a.pdf", "b.pdf");
    std::fs::create_dir(env.path("out")).unwrap();
    std::os::unix::fs::symlink("../target.pdf", env.path("out/b.pdf")).unwrap();
    env.fails("complaint evidence export 1 --out out", 3);
    assert!(!env.path("target.pdf").exists());
    assert!(!env.path("out/a.pdf").exists());

    // Two rows whose names end on the same target: `3-x` literally, and the second `x`
    // (evidence 3), which gets its id in front.
    let env = crafted("3-x", "x");
    env.exec(
        "INSERT INTO evidence (complaint_id, blob_id, file_name, added_at, actor)
         SELECT complaint_id, blob_id, 'x', added_at, actor FROM evidence WHERE id = 2",
    );
    let err = env.fails("complaint evidence export 1 --out out", 3);
    assert!(
        err.contains("3-x") && err.contains("nothing exported"),
        "{err}"
    );
    assert!(!env.path("out").exists());
}

/// The names in `dir`, sorted (temporary files included).
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn output_files_replace_regular_files_only_and_are_always_private() {
    let env = TestEnv::new().with_registry();
    // An existing 0644 file is replaced whole, and becomes 0600.
    env.file(
        "list.csv",
        b"old content that is longer than the list itself",
    );
    std::fs::set_permissions(env.path("list.csv"), PermissionsExt::from_mode(0o644)).unwrap();
    env.ok("customer list --format csv -o list.csv");
    let written = std::fs::read_to_string(env.path("list.csv")).unwrap();
    assert!(
        written.starts_with("id,") && !written.contains("old content"),
        "{written}"
    );
    assert_eq!(mode_of(&env.path("list.csv")), 0o600);
    // A link, dangling or not, a folder and a FIFO are refused; nothing is created or
    // changed through them.
    std::os::unix::fs::symlink("list.csv", env.path("to-list")).unwrap();
    std::os::unix::fs::symlink("created.csv", env.path("dangling")).unwrap();
    std::fs::create_dir(env.path("folder")).unwrap();
    mkfifo(&env.path("pipe"));
    for target in ["to-list", "dangling", "folder", "pipe"] {
        let err = env.fails(&format!("customer list -o {target}"), 3);
        assert!(
            err.contains(target) && err.contains("not a regular file"),
            "{err}"
        );
    }
    assert!(!env.path("created.csv").exists());
    assert_eq!(
        std::fs::read_to_string(env.path("list.csv")).unwrap(),
        written
    );
    // A write that fails leaves neither the target nor a temporary file.
    env.fails("customer list -o missing/list.csv", 1);
    let mut expected = vec![
        "config", "dangling", "data", "folder", "list.csv", "pipe", "to-list",
    ];
    expected.retain(|n| env.path(n).symlink_metadata().is_ok());
    assert_eq!(names_in(env.dir.path()), expected);
}

#[test]
fn rejects_letters_and_config_files_refuse_links_and_leave_no_temporary_file() {
    let env = TestEnv::new().with_registry();
    env.file("rows.csv", "id,name,tier,owner\nC010,新客户,core,E009\n");
    std::os::unix::fs::symlink("elsewhere.csv", env.path("rejects.csv")).unwrap();
    let err = env.fails(
        "import customers rows.csv --on-error skip --rejects rejects.csv",
        3,
    );
    assert!(
        err.contains("rejects.csv") && err.contains("not a regular file"),
        "{err}"
    );
    assert!(!env.path("elsewhere.csv").exists());
    std::fs::remove_file(env.path("rejects.csv")).unwrap();
    env.file("rejects.csv", b"old");
    std::fs::set_permissions(env.path("rejects.csv"), PermissionsExt::from_mode(0o644)).unwrap();
    env.run("import customers rows.csv --on-error skip --rejects rejects.csv")
        .fails(5);
    let rejects = std::fs::read_to_string(env.path("rejects.csv")).unwrap();
    assert!(
        rejects.contains("C010") && rejects.contains("E009"),
        "{rejects}"
    );
    assert_eq!(mode_of(&env.path("rejects.csv")), 0o600);

    // Letters: the second target is a link, so not even the first letter is written.
    env.open_handover(Some("E002"));
    env.ok("notify plan 1");
    std::fs::create_dir(env.path("letters")).unwrap();
    std::os::unix::fs::symlink("../stolen.md", env.path("letters/notice-2-C002.md")).unwrap();
    let err = env.fails("notify render --handover 1 --out letters", 3);
    assert!(err.contains("notice-2-C002.md"), "{err}");
    assert_eq!(names_in(&env.path("letters")), ["notice-2-C002.md"]);
    assert!(!env.path("stolen.md").exists());
    std::fs::remove_file(env.path("letters/notice-2-C002.md")).unwrap();
    env.ok("notify render --handover 1 --out letters");
    assert_eq!(
        names_in(&env.path("letters")),
        ["notice-1-C001.md", "notice-2-C002.md"]
    );

    // config init: a dangling link is refused, even with --force; a regular file is
    // replaced with --force and becomes 0600.
    let config = env.path("config/baton/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("../../planted.toml", &config).unwrap();
    for force in ["", " --force"] {
        let err = env.fails(&format!("config init{force}"), 3);
        assert!(err.contains("not a regular file"), "{err}");
    }
    assert!(!env.path("planted.toml").exists());
    std::fs::remove_file(&config).unwrap();
    std::fs::write(&config, b"lang = \"en\"\n").unwrap();
    std::fs::set_permissions(&config, PermissionsExt::from_mode(0o644)).unwrap();
    env.ok("config init --force");
    assert_eq!(mode_of(&config), 0o600);
    assert_eq!(names_in(config.parent().unwrap()), ["config.toml"]);
}
