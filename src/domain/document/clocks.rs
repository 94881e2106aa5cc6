//! The timeline of a complaint's clocks, for its printable page (`complaint show ID -f
//! html`): one line per clock from the day it was received to its deadline, a mark where its
//! action was done (or where it stands now), and in words its deadline, when it was done and
//! whether it was met, breached or is pending. An SVG drawing built here (trusted), its
//! texts escaped.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use crate::domain::complaint::{StageReport, Standing};
use crate::i18n::Lang;
use crate::output::html::escape;
use crate::{time, tr};

/// Where the drawing's parts sit, in SVG units (about 0.25 mm on A4).
const WIDTH: f64 = 680.0;
const PLOT_LEFT: f64 = 90.0;
const PLOT_RIGHT: f64 = 330.0;
const ROW: f64 = 40.0;

/// An RFC 3339 field as an instant.
fn instant(field: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(field).ok().map(|t| t.to_utc())
}

/// The colour of a clock's mark (its result is also written out, for a grey printer).
fn colour(result: Standing) -> &'static str {
    match result {
        Standing::Met => "#1a7f37",
        Standing::Breached => "#c62828",
        _ => "#777",
    }
}

/// The timeline of `stages`, for a complaint received at `received_at`, as of `now`.
pub fn timeline(
    stages: &[StageReport],
    received_at: &str,
    now: DateTime<Utc>,
    lang: Lang,
) -> String {
    let start = instant(received_at).unwrap_or(now);
    let times = stages
        .iter()
        .flat_map(|s| [s.due.as_deref(), s.done_at.as_deref()])
        .flatten()
        .filter_map(instant);
    let end = times.chain([now]).max().unwrap_or(now).max(start);
    let span = (end - start).num_seconds().max(1) as f64;
    let x = |t: DateTime<Utc>| {
        let part = (t - start).num_seconds().clamp(0, span as i64) as f64 / span;
        PLOT_LEFT + part * (PLOT_RIGHT - PLOT_LEFT)
    };
    let height = ROW * stages.len() as f64 + 30.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"timeline\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" font-size=\"11\" role=\"img\">\n<title>{}</title>\n",
        escape(&tr!(lang, "Clocks of the complaint", "投诉处理时限"))
    );
    for (i, stage) in stages.iter().enumerate() {
        let y = 20.0 + ROW * i as f64;
        let (label, result) = (stage.stage.label(lang), stage.result.label(lang));
        let _ = writeln!(
            svg,
            "<text x=\"0\" y=\"{}\" font-weight=\"bold\">{}</text>",
            y + 4.0,
            escape(label)
        );
        let due = stage.due.as_deref().and_then(instant);
        let done = stage.done_at.as_deref().and_then(instant);
        if let Some(due) = due {
            let _ = writeln!(
                svg,
                "<line x1=\"{:.1}\" y1=\"{y}\" x2=\"{:.1}\" y2=\"{y}\" stroke=\"#bbb\" stroke-width=\"6\"/>\n<line x1=\"{:.1}\" y1=\"{}\" x2=\"{:.1}\" y2=\"{}\" stroke=\"#000\" stroke-width=\"1.5\"/>",
                x(start),
                x(due),
                x(due),
                y - 8.0,
                x(due),
                y + 8.0
            );
        }
        let colour = colour(stage.result);
        match done {
            Some(done) => {
                let _ = writeln!(
                    svg,
                    "<circle cx=\"{:.1}\" cy=\"{y}\" r=\"5\" fill=\"{colour}\"/>",
                    x(done)
                );
            }
            None if due.is_some() => {
                let _ = writeln!(
                    svg,
                    "<circle cx=\"{:.1}\" cy=\"{y}\" r=\"5\" fill=\"#fff\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                    x(now)
                );
            }
            None => {}
        }
        let short = |t: Option<DateTime<Utc>>| t.map(time::to_local_short).unwrap_or("-".into());
        let (due_text, done_text) = (short(due), short(done));
        let words = tr!(
            lang,
            "{result}: due {due_text}, done {done_text}",
            "{result}：时限 {due_text}，完成 {done_text}"
        );
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" fill=\"{colour}\">{}</text>",
            PLOT_RIGHT + 12.0,
            y + 4.0,
            escape(&words)
        );
    }
    let bottom = height - 6.0;
    let (from, to) = (time::to_local_short(start), time::to_local_short(end));
    let _ = writeln!(
        svg,
        "<text x=\"{PLOT_LEFT}\" y=\"{bottom}\" fill=\"#555\">{}</text>\n<text x=\"{PLOT_RIGHT}\" y=\"{bottom}\" fill=\"#555\" text-anchor=\"end\">{}</text>\n</svg>",
        escape(&from),
        escape(&to)
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::complaint::Stage;

    #[test]
    fn each_clock_has_its_line_its_mark_and_its_words() {
        let stages = [
            StageReport {
                stage: Stage::Accept,
                due: Some("2026-02-17T23:59:59+08:00".into()),
                done_at: Some("2026-02-10T12:00:00+08:00".into()),
                result: Standing::Met,
                by_hours: Some(1.0),
            },
            StageReport {
                stage: Stage::Resolve,
                due: None,
                done_at: None,
                result: Standing::PendingAcceptance,
                by_hours: None,
            },
        ];
        let now = instant("2026-02-20T10:00:00+08:00").unwrap();
        let svg = timeline(&stages, "2026-02-10T10:00:00+08:00", now, Lang::Zh);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.trim_end().ends_with("</svg>"), "{svg}");
        assert!(svg.contains(">受理</text>"), "{svg}");
        assert!(svg.contains("达标：时限"), "{svg}");
        assert!(svg.contains("fill=\"#1a7f37\""), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 1, "{svg}");
        let svg = timeline(&stages, "2026-02-10T10:00:00+08:00", now, Lang::En);
        assert!(svg.contains("met: due"), "{svg}");
    }
}
