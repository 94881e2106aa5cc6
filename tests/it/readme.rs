//! The README's short tour runs as written, line by line, on a fresh database.

use crate::util::{words, TestEnv};

/// The `baton ...` lines of the block after "## A short tour", comments cut.
fn tour_lines() -> Vec<Vec<String>> {
    let readme = include_str!("../../README.md");
    let start = readme
        .find("## A short tour")
        .expect("the README has a short tour");
    let block = &readme[start..];
    let block = &block[block.find("```sh\n").unwrap() + 6..];
    let block = &block[..block.find("```").unwrap()];
    block
        .lines()
        .filter(|l| l.starts_with("baton "))
        .map(|l| {
            let line = l.split("  #").next().unwrap();
            words(line.trim_start_matches("baton "))
        })
        .collect()
}

#[test]
fn the_short_tour_runs_as_written() {
    let env = TestEnv::new();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let lines = tour_lines();
    assert!(lines.len() > 15, "{lines:?}");
    for words in lines {
        let args: Vec<String> = words
            .into_iter()
            .map(|w| match w.strip_prefix("examples/") {
                Some(rest) => examples.join(rest).display().to_string(),
                None => w,
            })
            .collect();
        if args.starts_with(&["handover".into(), "close".into()]) {
            let err = env.run_args(args).fails(3);
            assert!(err.contains("item"), "close lists what is open: {err}");
        } else {
            env.run_args(args).ok();
        }
    }
}
