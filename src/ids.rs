//! Identifiers: the unified social credit code (GB 32100-2015), the resident identity
//! number (GB 11643-1999), phone numbers and e-mail addresses.
//!
//! Validators return the normalized form, or a `BadInput` failure that names the value and
//! what is wrong with it. The `mask_*` functions hide personal data in table output.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::error::Failure;
use crate::i18n::Text;
use crate::{bad_input, text};

/// The characters of a USCC in the order of their values (no I, O, S, V, Z).
const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// The weights of the 17 body characters of a USCC, for its check character.
const USCC_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// What a USCC looks like, for the hint of a failure.
const USCC_HINT: &str =
    "a USCC (统一社会信用代码) has 18 characters: digits and letters except I, O, S, V, Z";
const USCC_HINT_ZH: &str = "统一社会信用代码共 18 位：数字和字母（不含 I、O、S、V、Z）";

/// The weights of the 17 digits of an ID number, for its check character.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character of an ID number, indexed by the weighted sum mod 11.
const ID_CHECK: &[u8; 11] = b"10X98765432";
/// What an ID number looks like, for the hint of a failure.
const ID_HINT: &str = "a resident ID number has 18 characters: 17 digits, then a digit or X";
const ID_HINT_ZH: &str = "居民身份证号码共 18 位：17 位数字，最后一位是数字或 X";

/// What a phone number may look like, for the hint of a failure.
const PHONE_HINT: &str = "use a mobile number (13812345678, +86 138-1234-5678) \
                          or a landline with area code (010-12345678, 0755-1234567-123)";
const PHONE_HINT_ZH: &str = "请填写手机号（13812345678、+86 138-1234-5678）\
                             或带区号的座机号（010-12345678、0755-1234567-123）";

/// Validates a 统一社会信用代码 and returns it in upper case.
pub fn validate_uscc(s: &str) -> Result<String, Failure> {
    let input = s.trim();
    let fail = |Text { en, zh }: Text| {
        bad_input!(
            "invalid USCC {input:?}: {en}",
            "统一社会信用代码 {input:?} 无效：{zh}"
        )
        .hint(Text::new(USCC_HINT, USCC_HINT_ZH))
    };

    let len = input.chars().count();
    if len != 18 {
        return Err(fail(text!(
            "has {len} characters, expected 18",
            "共 {len} 位，应为 18 位"
        )));
    }
    let mut values = Vec::with_capacity(18);
    for (pos, (i, c)) in input.char_indices().enumerate() {
        let Some(value) = uscc_value(c) else {
            let c = &input[i..i + c.len_utf8()];
            let pos = pos + 1;
            return Err(fail(text!(
                "character {c:?} at position {pos} is not allowed",
                "第 {pos} 位的字符 {c:?} 不允许使用"
            )));
        };
        values.push(value);
    }
    let expected = uscc_check(&values[..17]);
    if values[17] != expected {
        let expected = char::from(USCC_ALPHABET[expected]);
        return Err(fail(text!(
            "check character should be \"{expected}\"",
            "校验位应为 \"{expected}\""
        )));
    }
    Ok(input.to_ascii_uppercase())
}

/// The value of a USCC character (either case), if it is one.
fn uscc_value(c: char) -> Option<usize> {
    let c = c.to_ascii_uppercase();
    USCC_ALPHABET.iter().position(|&a| char::from(a) == c)
}

/// The value of the check character for the 17 values of a USCC body.
fn uscc_check(body: &[usize]) -> usize {
    let sum: usize = body.iter().zip(USCC_WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31
}

/// Validates a resident identity number and returns it with an upper-case `X`.
pub fn validate_id_number(s: &str) -> Result<String, Failure> {
    let input = s.trim();
    let fail = |Text { en, zh }: Text| {
        bad_input!(
            "invalid ID number {input:?}: {en}",
            "身份证号码 {input:?} 无效：{zh}"
        )
        .hint(Text::new(ID_HINT, ID_HINT_ZH))
    };

    let len = input.chars().count();
    if len != 18 {
        return Err(fail(text!(
            "has {len} characters, expected 18",
            "共 {len} 位，应为 18 位"
        )));
    }
    let id = input.to_ascii_uppercase();
    let misfit = id
        .char_indices()
        .enumerate()
        .find(|&(pos, (_, c))| !(c.is_ascii_digit() || pos == 17 && c == 'X'));
    if let Some((pos, (i, c))) = misfit {
        let c = &id[i..i + c.len_utf8()];
        let (what, what_zh) = if pos == 17 {
            ("is neither a digit nor X", "既不是数字也不是 X")
        } else {
            ("is not a digit", "不是数字")
        };
        let pos = pos + 1;
        return Err(fail(text!(
            "character {c:?} at position {pos} {what}",
            "第 {pos} 位的字符 {c:?} {what_zh}"
        )));
    }

    // All ASCII from here on.
    let date = &id[6..14];
    let Ok(birth) = NaiveDate::parse_from_str(date, "%Y%m%d") else {
        return Err(fail(text!(
            "birth date {date} is not a real date",
            "出生日期 {date} 不是有效日期"
        )));
    };
    if !(1900..=2100).contains(&birth.year()) {
        return Err(fail(text!(
            "birth date {date} is not between 1900 and 2100",
            "出生日期 {date} 不在 1900 年到 2100 年之间"
        )));
    }
    let sum: u32 = id
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let expected = ID_CHECK[(sum % 11) as usize];
    if id.as_bytes()[17] != expected {
        let expected = char::from(expected);
        return Err(fail(text!(
            "check character should be \"{expected}\"",
            "校验位应为 \"{expected}\""
        )));
    }
    Ok(id)
}

/// A mainland phone number, split into the parts that masking needs.
#[derive(Debug)]
enum Phone {
    /// The 11 digits of a mobile number.
    Mobile(String),
    /// A fixed line: area code with its leading 0, local number, optional extension.
    Landline {
        area: String,
        number: String,
        ext: Option<String>,
    },
}

/// The normalized form: `13812345678`, `010-12345678`, `0755-1234567-123`.
impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Phone::Mobile(digits) => f.write_str(digits),
            Phone::Landline { area, number, ext } => {
                write!(f, "{area}-{number}")?;
                match ext {
                    Some(ext) => write!(f, "-{ext}"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// A mobile or landline number in any of the forms people write, if it is one.
fn parse_phone(s: &str) -> Option<Phone> {
    parse_mobile(s).or_else(|| parse_landline(s))
}

/// `13812345678`, with an optional `+86`/`0086`/`86` prefix, spaces and hyphens anywhere.
fn parse_mobile(s: &str) -> Option<Phone> {
    let compact: String = s
        .chars()
        .filter(|&c| !c.is_whitespace() && c != '-')
        .collect();
    let digits = ["+86", "0086", "86"]
        .iter()
        .find_map(|prefix| compact.strip_prefix(prefix))
        .unwrap_or(&compact);
    let is_mobile = matches!(digits.as_bytes(), [b'1', b'3'..=b'9', ..])
        && digits.len() == 11
        && digits.bytes().all(|b| b.is_ascii_digit());
    is_mobile.then(|| Phone::Mobile(digits.to_owned()))
}

/// `0AA[A]-NNNNNNN[N]` with the hyphen optional, then an optional `-EXT` or `转EXT`.
///
/// The area code has 3 digits for 010 and 020–029, 4 for the rest (the national
/// numbering plan), so the split is unambiguous without a hyphen.
fn parse_landline(s: &str) -> Option<Phone> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let area_len = match compact.as_bytes() {
        [b'0', b'1' | b'2', ..] => 3,
        [b'0', b'3'..=b'9', ..] => 4,
        _ => return None,
    };
    let (area, rest) = compact.split_at_checked(area_len)?;
    if !is_digits(area) {
        return None;
    }
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let number_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(7..=8).contains(&number_len) {
        return None;
    }
    let (number, rest) = rest.split_at(number_len);
    let ext = if rest.is_empty() {
        None
    } else {
        let ext = rest.strip_prefix('-').or_else(|| rest.strip_prefix('转'))?;
        if ext.len() > 6 || !is_digits(ext) {
            return None;
        }
        Some(ext.to_owned())
    };
    Some(Phone::Landline {
        area: area.to_owned(),
        number: number.to_owned(),
        ext,
    })
}

/// Non-empty and ASCII digits only.
fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Validates a mainland mobile or landline number and returns its normalized form.
pub fn validate_phone(s: &str) -> Result<String, Failure> {
    parse_phone(s)
        .map(|phone| phone.to_string())
        .ok_or_else(|| {
            let input = s.trim();
            let (why, why_zh) = match is_masked(input) {
                true => MASKED,
                false => (
                    "not a mainland mobile or landline number",
                    "不是大陆手机号或座机号",
                ),
            };
            bad_input!(
                "invalid phone number {input:?}: {why}",
                "电话号码 {input:?} 无效：{why_zh}"
            )
            .hint(Text::new(PHONE_HINT, PHONE_HINT_ZH))
        })
}

/// Why a masked value (`138****5678`, `z***@example.com`: a list exported without
/// `--reveal`) is refused, in English and in Chinese: it says how to get the real one.
const MASKED: (&str, &str) = (
    "it is masked (exported without --reveal); export it again with --reveal to import it",
    "已打码（导出时未加 --reveal），请加 --reveal 重新导出后再导入",
);

/// Whether `value` holds the stars that masking leaves ([`mask_phone`], [`mask_email`]).
fn is_masked(value: &str) -> bool {
    value.contains("***")
}

/// Checks an e-mail address lightly and returns it trimmed.
pub fn validate_email(s: &str) -> Result<String, Failure> {
    let email = s.trim();
    match email_problem(email) {
        None => Ok(email.to_owned()),
        Some((problem, problem_zh)) => Err(bad_input!(
            "invalid e-mail address {email:?}: {problem}",
            "电子邮箱 {email:?} 无效：{problem_zh}"
        )
        .hint(Text::new(
            "use an address like name@example.com",
            "请使用 name@example.com 这样的地址",
        ))),
    }
}

/// What is wrong with `email`, in English and in Chinese.
fn email_problem(email: &str) -> Option<(&'static str, &'static str)> {
    if is_masked(email) {
        return Some(MASKED);
    }
    if email.contains(char::is_whitespace) {
        return Some(("contains a space", "含有空格"));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Some(("has no @", "缺少 @"));
    };
    if domain.contains('@') {
        Some(("has more than one @", "含有多个 @"))
    } else if local.is_empty() {
        Some(("has nothing before the @", "@ 前面没有内容"))
    } else if !domain.contains('.') || domain.split('.').any(str::is_empty) {
        Some((
            "the domain after the @ should look like example.com",
            "@ 后面的域名应形如 example.com",
        ))
    } else {
        None
    }
}

/// Masks a phone number: `138****1234`, `010-****5678`; other text keeps its first 3 and
/// last 4 characters, or is all stars when 7 characters or shorter.
pub fn mask_phone(s: &str) -> String {
    // A mobile number as stored (11 digits): what nearly every phone of a long list is.
    if s.len() == 11 && s.starts_with('1') && is_digits(s) {
        return format!("{}****{}", &s[..3], &s[7..]);
    }
    match parse_phone(s) {
        Some(Phone::Mobile(digits)) => mask_middle(&digits, 3, 4),
        Some(Phone::Landline { area, number, ext }) => Phone::Landline {
            area,
            number: mask_middle(&number, 0, 4),
            ext,
        }
        .to_string(),
        None => mask_middle(s, 3, 4),
    }
}

/// Masks an e-mail address: `z***@example.com`; text without an @ like [`mask_phone`].
pub fn mask_email(s: &str) -> String {
    match s.rsplit_once('@') {
        Some((local, domain)) => {
            let first = local.chars().next().map(String::from).unwrap_or_default();
            format!("{first}***@{domain}")
        }
        None => mask_middle(s, 3, 4),
    }
}

/// Masks a confidential identity (a reporter's, art. 33 of the complaint and report rules)
/// entirely, its length included: `***`.
pub fn mask_identity(_: &str) -> String {
    "***".to_string()
}

/// Masks an ID number, keeping the first 6 and last 4: `110101********1234`.
pub fn mask_id_number(s: &str) -> String {
    mask_middle(s, 6, 4)
}

/// Keeps `head` leading and `tail` trailing characters and stars the rest; all stars when
/// the text is too short to hide anything.
fn mask_middle(s: &str, head: usize, tail: usize) -> String {
    let len = s.chars().count();
    if len <= head + tail {
        return "*".repeat(len);
    }
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < head || i >= len - tail { c } else { '*' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;
    use proptest::prelude::*;

    #[test]
    fn a_masked_phone_or_email_says_how_to_get_the_real_one() {
        for masked in [mask_phone("13812345678"), mask_phone("010-12345678")] {
            let failure = validate_phone(&masked).unwrap_err();
            assert!(
                failure.message.en.contains("--reveal"),
                "{}",
                failure.message.en
            );
            assert!(
                failure.message.zh.contains("已打码"),
                "{}",
                failure.message.zh
            );
        }
        let failure = validate_email(&mask_email("zhang@example.com")).unwrap_err();
        assert!(
            failure.message.en.contains("masked"),
            "{}",
            failure.message.en
        );
    }

    /// The message of a bad-input failure; panics on success or another kind.
    fn message<T: fmt::Debug>(result: Result<T, Failure>) -> String {
        let failure = result.expect_err("should be refused");
        assert_eq!(failure.kind, Kind::BadInput);
        assert!(failure.hint.is_some(), "no hint in {failure:?}");
        failure.message.en
    }

    /// Index into `USCC_ALPHABET` of the check character for a 17-character body.
    fn uscc_check_index(body: &str) -> usize {
        let values: Vec<usize> = body.chars().filter_map(uscc_value).collect();
        uscc_check(&values)
    }

    /// Index into `ID_CHECK` of the check character for 17 digits.
    fn id_check_index(body: &str) -> usize {
        let sum: u32 = body
            .bytes()
            .zip(ID_WEIGHTS)
            .map(|(b, w)| u32::from(b - b'0') * w)
            .sum();
        (sum % 11) as usize
    }

    #[test]
    fn real_usccs_are_accepted() {
        for code in [
            "914403001922038216", // Huawei Technologies
            "91110000802100433B", // Beijing Baidu Netcom
            "9144030071526726XG", // Shenzhen Tencent Computer Systems
            "91330100716105852F", // Alibaba (China)
        ] {
            assert_eq!(validate_uscc(code).as_deref(), Ok(code));
        }
    }

    #[test]
    fn uscc_is_normalized() {
        assert_eq!(
            validate_uscc("  91110000802100433b \t").as_deref(),
            Ok("91110000802100433B")
        );
    }

    #[test]
    fn uscc_with_wrong_check_names_the_expected_one() {
        assert_eq!(
            message(validate_uscc("91440300192203821X")),
            r#"invalid USCC "91440300192203821X": check character should be "6""#
        );
    }

    #[test]
    fn uscc_with_wrong_length_or_character_is_refused() {
        assert_eq!(
            message(validate_uscc("9144030019220382")),
            r#"invalid USCC "9144030019220382": has 16 characters, expected 18"#
        );
        assert_eq!(
            message(validate_uscc("91440300I92203821X")),
            r#"invalid USCC "91440300I92203821X": character "I" at position 9 is not allowed"#
        );
        assert_eq!(
            message(validate_uscc("9144030019220382华6")),
            r#"invalid USCC "9144030019220382华6": character "华" at position 17 is not allowed"#
        );
        for letter in ["I", "O", "S", "V", "Z", "o"] {
            let code = format!("91440300{letter}922038216");
            assert!(message(validate_uscc(&code)).contains("position 9"));
        }
    }

    #[test]
    fn standard_id_number_example_is_accepted() {
        assert_eq!(
            validate_id_number("11010519491231002X").as_deref(),
            Ok("11010519491231002X")
        );
        assert_eq!(
            validate_id_number(" 11010519491231002x ").as_deref(),
            Ok("11010519491231002X")
        );
    }

    #[test]
    fn id_number_problems_are_named() {
        assert_eq!(
            message(validate_id_number("110105194912310021")),
            r#"invalid ID number "110105194912310021": check character should be "X""#
        );
        assert_eq!(
            message(validate_id_number("110105199902300021")),
            r#"invalid ID number "110105199902300021": birth date 19990230 is not a real date"#
        );
        assert_eq!(
            message(validate_id_number("110105189912310021")),
            r#"invalid ID number "110105189912310021": birth date 18991231 is not between 1900 and 2100"#
        );
        assert_eq!(
            message(validate_id_number("11010519491231002")),
            r#"invalid ID number "11010519491231002": has 17 characters, expected 18"#
        );
        assert_eq!(
            message(validate_id_number("1101051949123100X2")),
            r#"invalid ID number "1101051949123100X2": character "X" at position 17 is not a digit"#
        );
        assert_eq!(
            message(validate_id_number("11010519491231002Y")),
            r#"invalid ID number "11010519491231002Y": character "Y" at position 18 is neither a digit nor X"#
        );
    }

    #[test]
    fn mobile_numbers_are_normalized() {
        for input in [
            "13812341234",
            " 138 1234 1234 ",
            "138-1234-1234",
            "+86 138 1234 1234",
            "+86-13812341234",
            "8613812341234",
            "0086 13812341234",
        ] {
            assert_eq!(
                validate_phone(input).as_deref(),
                Ok("13812341234"),
                "{input}"
            );
        }
        assert_eq!(validate_phone("19912345678").as_deref(), Ok("19912345678"));
    }

    #[test]
    fn landlines_are_normalized() {
        for (input, normalized) in [
            ("010-12345678", "010-12345678"),
            ("01012345678", "010-12345678"),
            ("010 12345678", "010-12345678"),
            ("0755-1234567", "0755-1234567"),
            ("075512345678", "0755-12345678"),
            ("021-87654321-123", "021-87654321-123"),
            ("021-87654321转8001", "021-87654321-8001"),
            ("0571 8765 4321", "0571-87654321"),
        ] {
            assert_eq!(validate_phone(input).as_deref(), Ok(normalized), "{input}");
        }
    }

    #[test]
    fn other_phone_numbers_are_refused() {
        for input in [
            "",
            "12345678901",  // second digit 2
            "1381234123",   // 10 digits
            "138123412345", // 12 digits
            "+1 415 555 0100",
            "12345678",   // no area code
            "010-123456", // 6-digit number
            "010-123456789",
            "075-12345678", // 075 is no area code
            "0755-12345678-",
            "0755-12345678-1234567",
            "010-12345678 ext 12",
            "１３８１２３４１２３４", // full-width digits
        ] {
            let text = message(validate_phone(input));
            assert!(
                text.starts_with(&format!("invalid phone number {:?}", input.trim())),
                "{text}"
            );
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            validate_email("  zhangsan@example.com ").as_deref(),
            Ok("zhangsan@example.com")
        );
        assert_eq!(
            validate_email("li.si+crm@mail.example.com.cn").as_deref(),
            Ok("li.si+crm@mail.example.com.cn")
        );
        for (input, problem) in [
            ("zhangsan", "has no @"),
            ("a@b@example.com", "has more than one @"),
            ("@example.com", "has nothing before the @"),
            ("zhang san@example.com", "contains a space"),
            ("zhangsan@localhost", "should look like example.com"),
            ("zhangsan@example.", "should look like example.com"),
            ("zhangsan@.com", "should look like example.com"),
        ] {
            let text = message(validate_email(input));
            assert!(text.starts_with(&format!("invalid e-mail address {input:?}")));
            assert!(text.ends_with(problem), "{text}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("+86 138 1234 1234"), "138****1234");
        assert_eq!(mask_phone("010-12345678"), "010-****5678");
        assert_eq!(mask_phone("0755-1234567-123"), "0755-***4567-123");
        assert_eq!(mask_phone("unknown number"), "unk*******mber");
        assert_eq!(mask_phone("1234567"), "*******");
        assert_eq!(mask_phone("联系电话见合同附件"), "联系电**合同附件");
        assert_eq!(mask_email("zhangsan@example.com"), "z***@example.com");
        assert_eq!(mask_email("张三@example.com"), "张***@example.com");
        assert_eq!(mask_email("@example.com"), "***@example.com");
        assert_eq!(mask_email("zhangsan.example"), "zha*********mple");
        assert_eq!(mask_id_number("110101199003071234"), "110101********1234");
        assert_eq!(mask_id_number("1101011990"), "**********");
        assert_eq!(mask_id_number(""), "");
    }

    /// Text that reaches the interesting paths: digits, separators, letters of every script.
    fn messy_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[0-9A-Za-z+@. \\-转\u{3000}\u{4e00}-\u{4e2f}\u{1F600}-\u{1F60F}\u{05D0}-\u{05EA}\u{0627}-\u{064A}\u{202E}]{0,24}",
        ]
    }

    fn uscc_body() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(USCC_ALPHABET.to_vec()), 17)
            .prop_map(|bytes| bytes.into_iter().map(char::from).collect())
    }

    /// The first 17 characters of an ID number with a real birth date in 1900..=2100.
    fn id_body() -> impl Strategy<Value = String> {
        let first = NaiveDate::from_ymd_opt(1900, 1, 1).expect("valid date");
        let last = NaiveDate::from_ymd_opt(2100, 12, 31).expect("valid date");
        let span = (last - first).num_days();
        ("[0-9]{6}", 0..=span, "[0-9]{3}").prop_map(move |(region, day, seq)| {
            let birth = first + chrono::Duration::days(day);
            format!("{region}{}{seq}", birth.format("%Y%m%d"))
        })
    }

    /// Mobile and landline numbers the way people type them.
    fn phone_as_written() -> impl Strategy<Value = String> {
        prop_oneof![
            "(\\+86 ?|0086|86)?1[3-9][0-9] ?-?[0-9]{4}[ -]?[0-9]{4}",
            "0(10|2[0-9]|[3-9][0-9]{2})[ -]?[0-9]{7,8}((-|转)[0-9]{1,6})?",
        ]
    }

    proptest! {
        #[test]
        fn uscc_with_computed_check_validates(body in uscc_body(), shift in 1..31usize) {
            let index = uscc_check_index(&body);
            let check = char::from(USCC_ALPHABET[index]);
            let code = format!("{body}{check}");
            prop_assert_eq!(validate_uscc(&code), Ok(code.clone()));
            prop_assert_eq!(validate_uscc(&format!(" {} ", code.to_lowercase())), Ok(code));

            let other = char::from(USCC_ALPHABET[(index + shift) % 31]);
            let wrong = format!("{body}{other}");
            let text = message(validate_uscc(&wrong));
            prop_assert!(text.ends_with(&format!("check character should be \"{check}\"")), "{}", text);
        }

        #[test]
        fn id_number_with_computed_check_validates(body in id_body(), shift in 1..11usize) {
            let index = id_check_index(&body);
            let check = char::from(ID_CHECK[index]);
            let id = format!("{body}{check}");
            prop_assert_eq!(validate_id_number(&id), Ok(id.clone()));
            prop_assert_eq!(validate_id_number(&id.to_lowercase()), Ok(id.clone()));
            prop_assert_eq!(mask_id_number(&id), format!("{}********{}", &id[..6], &id[14..]));

            let other = char::from(ID_CHECK[(index + shift) % 11]);
            let text = message(validate_id_number(&format!("{body}{other}")));
            prop_assert!(text.ends_with(&format!("check character should be \"{check}\"")), "{}", text);
        }

        #[test]
        fn nothing_panics(s in messy_text()) {
            let _ = validate_uscc(&s);
            let _ = validate_id_number(&s);
            let _ = validate_phone(&s);
            let _ = validate_email(&s);
            let _ = mask_phone(&s);
            let _ = mask_email(&s);
            prop_assert_eq!(mask_id_number(&s).chars().count(), s.chars().count());
        }

        #[test]
        fn one_changed_character_never_panics(body in id_body(), pos in 0..18usize, c in any::<char>()) {
            let id = format!("{body}{}", char::from(ID_CHECK[id_check_index(&body)]));
            let changed: String = id
                .chars()
                .enumerate()
                .map(|(i, old)| if i == pos { c } else { old })
                .collect();
            let _ = validate_id_number(&changed);
            let _ = validate_uscc(&changed);
            let _ = validate_phone(&changed);
        }

        #[test]
        fn written_phones_validate_and_mask(s in phone_as_written()) {
            let phone = validate_phone(&s).map_err(|f| TestCaseError::fail(f.message.en))?;
            prop_assert_eq!(validate_phone(&phone), Ok(phone.clone()));
            let masked = mask_phone(&s);
            prop_assert!(masked.contains("***"), "{}", masked);
            prop_assert_eq!(mask_phone(&phone), masked);
        }
    }
}
