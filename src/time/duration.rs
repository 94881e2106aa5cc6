//! SLA durations from the config: exact hours, calendar days or working days.

use std::fmt;
use std::str::FromStr;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::number_of;
use crate::bad_input;
use crate::error::Failure;
use crate::i18n::Text;
use crate::text;

/// An SLA duration from the config: `24h`, `3d` or `7wd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaDuration {
    /// Exact hours from the start.
    Hours(u32),
    /// Until the end of the n-th calendar day after the start day.
    Days(u32),
    /// Until the end of the n-th working day after the start day.
    WorkingDays(u32),
}

impl SlaDuration {
    /// The largest amount accepted from text (10,000 hours is over a year, 10,000 days decades).
    pub(super) const MAX_AMOUNT: u32 = 10_000;
}

impl FromStr for SlaDuration {
    type Err = Failure;

    fn from_str(s: &str) -> Result<Self, Failure> {
        let invalid = || {
            bad_input!("invalid duration {s:?}", "无效的时长 {s:?}").hint(Text::new(
                "use hours, calendar days or working days, e.g. 24h, 3d, 7wd",
                "请用小时、自然日或工作日，例如 24h、3d、7wd",
            ))
        };
        let unit_at = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(invalid)?;
        let (digits, unit) = s.split_at(unit_at);
        let make = match unit {
            "h" => SlaDuration::Hours,
            "d" => SlaDuration::Days,
            "wd" => SlaDuration::WorkingDays,
            _ => return Err(invalid()),
        };
        let amount = number_of::<u32>(digits).ok_or_else(invalid)?;
        let max = Self::MAX_AMOUNT;
        if amount > max {
            return Err(bad_input!("duration {s:?} is too long", "时长 {s:?} 过长")
                .hint(text!("at most {max} of any unit", "任何单位最多 {max}")));
        }
        Ok(make(amount))
    }
}

impl fmt::Display for SlaDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlaDuration::Hours(n) => write!(f, "{n}h"),
            SlaDuration::Days(n) => write!(f, "{n}d"),
            SlaDuration::WorkingDays(n) => write!(f, "{n}wd"),
        }
    }
}

impl Serialize for SlaDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SlaDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(|e: Failure| match &e.hint {
            Some(hint) => D::Error::custom(format_args!("{e} ({})", hint.en)),
            None => D::Error::custom(e),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::any_duration;
    use super::*;
    use crate::error::Kind;
    use proptest::prelude::*;

    #[test]
    fn sla_durations_parse_and_display() {
        for (text, duration) in [
            ("24h", SlaDuration::Hours(24)),
            ("3d", SlaDuration::Days(3)),
            ("7wd", SlaDuration::WorkingDays(7)),
            ("0d", SlaDuration::Days(0)),
            ("10000wd", SlaDuration::WorkingDays(10_000)),
        ] {
            assert_eq!(text.parse::<SlaDuration>().unwrap(), duration);
            assert_eq!(duration.to_string(), text);
        }
        assert_eq!("007d".parse::<SlaDuration>().unwrap(), SlaDuration::Days(7));
        for bad in [
            "",
            "0x",
            "3w",
            "-1h",
            "+1h",
            "h",
            "wd",
            "24",
            "24 h",
            " 24h",
            "24H",
            "1.5d",
            "10001d",
            "4294967296h",
            "99999999999999999999wd",
        ] {
            let err = bad.parse::<SlaDuration>().unwrap_err();
            assert_eq!(err.kind, Kind::BadInput, "{bad:?}");
            assert!(err.message.en.contains(&format!("{bad:?}")), "{err}");
        }
    }

    #[test]
    fn sla_durations_serialize_as_strings() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Config {
            sla: SlaDuration,
        }
        let config: Config = toml::from_str("sla = \"7wd\"").unwrap();
        assert_eq!(config.sla, SlaDuration::WorkingDays(7));
        assert_eq!(toml::to_string(&config).unwrap(), "sla = \"7wd\"\n");
        let err = toml::from_str::<Config>("sla = \"3w\"").unwrap_err();
        assert!(err.to_string().contains("24h, 3d, 7wd"), "{err}");
    }

    proptest! {
        #[test]
        fn sla_durations_round_trip(duration in any_duration()) {
            prop_assert_eq!(duration.to_string().parse::<SlaDuration>().unwrap(), duration);
        }
    }
}
