//! How long a value may be: one table for the command line and the import, so that a
//! 16 MB name is refused at once (with the field, its limit and its length) instead of
//! slowing every later list, and so that an error never echoes more than a few words.

use crate::bad_input;
use crate::error::Failure;
use crate::text;

/// The longest record (CSV record, JSON Lines line, element of a JSON array) an import
/// reads, in bytes (1 MiB, as [`record_too_long`] says); a longer one stops the import at
/// its line before it is read whole.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;

/// Characters of a value shown in an error; the rest is left out ([`quoted`]).
const SHOWN: usize = 80;

/// The limit of each kind of field, in characters, by the name of its option (without
/// `--`) and import column. README's "Limits" table says the same.
const LIMITS: &[(&[&str], usize)] = &[
    (
        &[
            "name",
            "short",
            "short_name",
            "contact",
            "complainant",
            "person",
            "employee_name",
            "subject_name",
            "title",
            "actor",
        ],
        200,
    ),
    (
        &[
            "summary",
            "note",
            "reason",
            "description",
            "confidential",
            "terms",
            "outcome",
        ],
        4000,
    ),
];

/// Any other value (codes, dates, references, lists, paths).
const OTHER: usize = 4096;

/// The smallest limit of [`LIMITS`]: a value of no more bytes than this fits any field,
/// without looking the field up (an import checks every cell).
const SHORTEST: usize = 200;

/// The most characters `field` takes.
pub fn limit(field: &str) -> usize {
    LIMITS
        .iter()
        .find(|(fields, _)| fields.contains(&field))
        .map_or(OTHER, |(_, limit)| *limit)
}

/// Refuses `value` when it is longer than `field` takes; `shown` is how the error names
/// the field (`--name`, or the column in an import row, which names it itself).
pub fn check(field: &str, shown: &str, value: &str) -> Result<(), Failure> {
    if value.len() <= SHORTEST {
        return Ok(());
    }
    let max = limit(field);
    // Counting stops past the limit: a 200 MB value costs no more than a short one.
    if value.len() <= max || value.chars().nth(max).is_none() {
        return Ok(());
    }
    let length = value.chars().count();
    let message = if shown.is_empty() {
        text!(
            "is {length} characters long, more than the {max} allowed",
            "长 {length} 个字符，超过上限 {max}"
        )
    } else {
        text!(
            "{shown} is {length} characters long, more than the {max} allowed",
            "{shown} 长 {length} 个字符，超过上限 {max}"
        )
    };
    Err(Failure::bad_input(message).hint(text!(
        "shorten it; README's \"Limits\" lists what each field takes",
        "请缩短；README 的“长度上限”一节列出了各字段的上限"
    )))
}

/// `value` quoted and escaped as `{:?}` does, cut after 80 characters with `…` and its
/// full length: what an error shows of a value.
pub fn quoted(value: &str) -> String {
    match value.char_indices().nth(SHOWN) {
        None => format!("{value:?}"),
        Some((end, _)) => {
            let length = value.chars().count();
            format!("{:?} ({length} characters)", format!("{}…", &value[..end]))
        }
    }
}

/// The refusal of a record longer than [`MAX_RECORD_BYTES`] at `position` of `file`.
pub fn record_too_long(file: &str, position: &str) -> Failure {
    bad_input!(
        "{file}:{position}: the record is longer than 1 MiB; nothing was imported",
        "{file}:{position}：该记录超过 1 MiB；本次未导入任何数据"
    )
    .hint(text!(
        "no field takes that much: check that the file is what it should be (a CSV with a stray quote reads on to its end)",
        "没有字段需要这么长：请检查文件是否正确（CSV 中多余的引号会一直读到文件末尾）"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_texts_have_their_limits() {
        assert_eq!(limit("name"), 200);
        assert_eq!(limit("summary"), 4000);
        assert_eq!(limit("owner"), OTHER);
        assert!(check("name", "--name", &"王".repeat(200)).is_ok());
        let err = check("name", "--name", &"王".repeat(201)).unwrap_err();
        assert_eq!(err.exit_code(), 4);
        assert_eq!(
            err.message.en,
            "--name is 201 characters long, more than the 200 allowed"
        );
        let err = check("summary", "", &"x".repeat(5000)).unwrap_err();
        assert_eq!(
            err.message.en,
            "is 5000 characters long, more than the 4000 allowed"
        );
    }

    #[test]
    fn no_field_takes_fewer_characters_than_the_shortcut_lets_through() {
        let smallest = LIMITS.iter().map(|(_, limit)| *limit).min();
        assert_eq!(smallest, Some(SHORTEST));
    }

    #[test]
    fn quoted_values_are_cut_after_80_characters() {
        assert_eq!(quoted("a\"b"), "\"a\\\"b\"");
        let long = "é".repeat(100);
        let shown = quoted(&long);
        assert_eq!(shown, format!("\"{}…\" (100 characters)", "é".repeat(80)));
        assert_eq!(quoted(&"x".repeat(80)), format!("\"{}\"", "x".repeat(80)));
    }
}
