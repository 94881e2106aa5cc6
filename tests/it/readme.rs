//! The README's short tour runs as written, line by line, on a fresh database.

use crate::util::TestEnv;

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
            shell_words(line.trim_start_matches("baton "))
        })
        .collect()
}

/// Splits a command line on spaces, keeping "quoted words" together.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.trim().chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
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
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        if args.starts_with(&["handover", "close"]) {
            let err = env.fails(&args, 3);
            assert!(err.contains("item"), "close lists what is open: {err}");
        } else {
            env.ok(&args);
        }
    }
}
