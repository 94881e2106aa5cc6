//! A complaint's printable page (`complaint show ID -f html`, [`page`]) with the timeline
//! of its clocks: one line per clock from the day it was received to its deadline, a mark where its
//! action was done (or where it stands now), and in words its deadline, when it was done and
//! whether it was met, breached or is pending: the clocks as bars of
//! [`crate::output::svg::timeline`], which draws them.

use chrono::{DateTime, Utc};

use crate::domain::complaint::{ComplaintDetail, StageReport, Standing};
use crate::i18n::Lang;
use crate::output::html::Page;
use crate::output::svg::{self, Bar, Mark, Tone};
use crate::{time, tr};

/// An RFC 3339 field as an instant.
fn instant(field: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(field).ok().map(|t| t.to_utc())
}

/// The tone of a clock's mark: met, breached, or neither yet.
fn tone(result: Standing) -> Tone {
    match result {
        Standing::Met => Tone::Good,
        Standing::Breached => Tone::Bad,
        _ => Tone::Neutral,
    }
}

/// The printable page of a complaint as of `now`: its title and summary, the timeline of its
/// clocks, then `record` (the whole record as Markdown, masked as the output masks it).
pub fn page(detail: &ComplaintDetail, record: &str, now: DateTime<Utc>, lang: Lang) -> Page {
    let c = &detail.complaint;
    let title = format!("{} {}", c.kind.label(lang), c.id);
    let timeline = timeline(&detail.stages, &c.received_at, now, lang);
    let mut page = Page::new(&title, lang);
    page.markdown(&format!(
        "# {title}\n\n{}\n\n## {}",
        c.summary,
        tr!(lang, "Clocks", "处理时限")
    ))
    .trusted(&timeline)
    .markdown(record);
    page
}

/// The timeline of `stages`, for a complaint received at `received_at`, as of `now`: the
/// span runs from the receipt to the latest of the deadlines, the actions and now.
fn timeline(stages: &[StageReport], received_at: &str, now: DateTime<Utc>, lang: Lang) -> String {
    let start = instant(received_at).unwrap_or(now);
    let times = stages
        .iter()
        .flat_map(|s| [s.due.as_deref(), s.done_at.as_deref()])
        .flatten()
        .filter_map(instant);
    let end = times.chain([now]).max().unwrap_or(now).max(start);
    let span = (end - start).num_seconds().max(1) as f64;
    let part = |t: DateTime<Utc>| (t - start).num_seconds() as f64 / span;
    let short = |t: Option<DateTime<Utc>>| t.map(time::to_local_short).unwrap_or("-".into());
    let times = |stage: &StageReport| {
        let due = stage.due.as_deref().and_then(instant);
        (due, stage.done_at.as_deref().and_then(instant))
    };
    let words: Vec<String> = stages
        .iter()
        .map(|stage| {
            let (due, done) = times(stage);
            let (result, due, done) = (stage.result.label(lang), short(due), short(done));
            tr!(
                lang,
                "{result}: due {due}, done {done}",
                "{result}：时限 {due}，完成 {done}"
            )
        })
        .collect();
    let bars: Vec<Bar> = stages
        .iter()
        .zip(&words)
        .map(|(stage, words)| {
            let (due, done) = times(stage);
            let mark = match (done, due) {
                (Some(done), _) => Some(Mark {
                    at: part(done),
                    done: true,
                }),
                (None, Some(_)) => Some(Mark {
                    at: part(now),
                    done: false,
                }),
                (None, None) => None,
            };
            Bar {
                label: stage.stage.label(lang),
                due: due.map(part),
                mark,
                tone: tone(stage.result),
                words,
            }
        })
        .collect();
    svg::timeline(
        &tr!(lang, "Clocks of the complaint", "投诉处理时限"),
        &bars,
        &time::to_local_short(start),
        &time::to_local_short(end),
    )
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
        assert!(svg.contains(">受理</tspan>"), "{svg}");
        assert!(svg.contains("达标：时限"), "{svg}");
        assert!(svg.contains(r#"<circle class="good""#), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 1, "{svg}");
        let svg = timeline(&stages, "2026-02-10T10:00:00+08:00", now, Lang::En);
        assert!(svg.contains("met: due"), "{svg}");
    }
}
