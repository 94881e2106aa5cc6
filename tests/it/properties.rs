//! No input panics a parser: config files, dates, durations, codes.

use baton::config::Config;
use baton::time::{self, Clock, SlaDuration};
use proptest::prelude::*;

fn clock() -> Clock {
    Clock::fixed("2026-03-02T02:00:00Z".parse().unwrap())
}

proptest! {
    #[test]
    fn any_text_as_a_config_file_is_parsed_or_refused(text in "\\PC*") {
        let _ = Config::parse(&text);
    }

    #[test]
    fn any_value_of_a_known_key_is_parsed_or_refused_with_the_key(
        (section, key) in prop::sample::select(vec![
            ("sla", "accept"), ("sla", "resolve"), ("notify", "lead_days"),
            ("handover", "lead_days"), ("credit", "base"), ("calendar", "holidays"),
            ("evidence", "max_bytes"),
        ]),
        value in prop_oneof![
            "\\PC*".prop_map(|s| format!("{s:?}")),
            any::<i64>().prop_map(|n| n.to_string()),
            "\\[[0-9\", -]*\\]",
        ],
    ) {
        if let Err(e) = Config::parse(&format!("[{section}]\n{key} = {value}\n")) {
            prop_assert!(e.message.en.contains(key), "{}", e.message.en);
        }
    }

    #[test]
    fn any_text_as_a_date_instant_or_duration_is_parsed_or_refused(text in "\\PC{0,40}") {
        let clock = clock();
        let _ = time::parse_date(&text, &clock);
        let _ = time::parse_instant(&text, &clock);
        let _ = text.parse::<SlaDuration>();
    }

    #[test]
    fn any_text_as_a_code_is_validated_or_refused(text in "\\PC{0,40}") {
        let _ = baton::ids::validate_uscc(&text);
        let _ = baton::ids::validate_id_number(&text);
        let _ = baton::ids::validate_phone(&text);
        let _ = baton::ids::validate_email(&text);
    }
}
