//! The planned sessions and the morning check-ins as an iCalendar feed (RFC 5545), for a phone's or a laptop's
//! calendar app: each training day an all-day event with the session in its description, and the morning after it
//! an all-day "check in" event with a reminder at 08:00.

use icalendar::{Alarm, Calendar, Component, Event, EventLike};
use jiff::Timestamp;
use jiff::civil::Date;

/// One planned session, as the calendar shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedDay {
    /// The training day.
    pub date: Date,
    /// Minutes the session is expected to take.
    pub minutes: u32,
    /// One line per exercise: name and dose.
    pub lines: Vec<String>,
    /// It holds heavy hinge or axial work.
    pub heavy: bool,
}

fn naive(d: Date) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32)
}

/// The feed: `days` in order, each with its session event and the next morning's check-in event. `now` stamps
/// every event (DTSTAMP), so the same plan at the same moment gives the same text; the UIDs are the day's, so a
/// calendar app replaces an event when the plan for that day changes instead of adding another.
pub fn calendar(days: &[PlannedDay], now: Timestamp) -> String {
    let stamp = chrono::DateTime::<chrono::Utc>::from_timestamp(now.as_second(), 0).unwrap_or_default();
    let mut cal = Calendar::new();
    cal.name("backstop: back training");
    cal.description("Planned back training sessions and the morning check-ins after them, from backstop.");
    for d in days {
        let tomorrow = d.date.tomorrow().ok();
        let (Some(day), Some(next), Some(after)) = (
            naive(d.date),
            tomorrow.and_then(naive),
            tomorrow.and_then(|t| t.tomorrow().ok()).and_then(naive),
        ) else {
            continue;
        };
        let mut description = d.lines.join("\n");
        description.push_str(
            "\n\nRate pain 0–10 during the sets; the plan is worked out again on the day from how your back took \
             the sessions before, so it may change.",
        );
        let summary = if d.heavy {
            format!(
                "Back training, about {} min (heavy hinge or axial day)",
                d.minutes
            )
        } else {
            format!("Back training, about {} min", d.minutes)
        };
        cal.push(
            Event::new()
                .uid(&format!("session-{}@backstop", d.date))
                .timestamp(stamp)
                // All day: DTEND is the day after (RFC 5545 ends are exclusive).
                .starts(day)
                .ends(next)
                .summary(&summary)
                .description(&description)
                .done(),
        );
        cal.push(
            Event::new()
                .uid(&format!("checkin-{}@backstop", d.date))
                .timestamp(stamp)
                .starts(next)
                .ends(after)
                .summary("Back check-in: how did yesterday's session settle?")
                .description(
                    "Rate your back pain 0–10 this morning in backstop. It decides whether the next session \
                     progresses, holds or steps back.",
                )
                // At 08:00 on the day (the trigger counts from the day's start).
                .alarm(
                    Alarm::display("Back check-in in backstop", chrono::Duration::hours(8))
                        .uid(&format!("checkin-alarm-{}@backstop", d.date))
                        .timestamp(stamp)
                        .done(),
                )
                .done(),
        );
    }
    cal.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(date: &str, heavy: bool) -> PlannedDay {
        PlannedDay {
            date: date.parse().unwrap(),
            minutes: 40,
            lines: vec![
                "Chest-supported row 3×10 @ 30 kg".into(),
                "Side plank, 3×30 s; keep the hips stacked, breathe".into(),
            ],
            heavy,
        }
    }

    /// Parses the feed with a parser written independently of the one that wrote it (ical-rs).
    fn parse(text: &str) -> ical::parser::ical::component::IcalCalendar {
        let mut cals = ical::IcalParser::new(text.as_bytes());
        let cal = cals.next().expect("one calendar").expect("it parses");
        assert!(cals.next().is_none(), "only one calendar");
        cal
    }

    fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> Option<&'a str> {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.as_deref())
    }

    #[test]
    fn each_session_and_the_morning_after_it_are_events_an_independent_parser_reads() {
        let now: Timestamp = "2026-11-23T17:00:00Z".parse().unwrap();
        let text = calendar(&[day("2026-11-23", false), day("2026-11-25", true)], now);
        // RFC 5545: CRLF line ends, no content line over 75 octets.
        assert!(text.contains("\r\n"));
        assert!(text.split("\r\n").all(|l| l.len() <= 75), "{text}");
        let cal = parse(&text);
        assert_eq!(prop(&cal.properties, "VERSION"), Some("2.0"));
        assert!(prop(&cal.properties, "PRODID").is_some());
        assert_eq!(cal.events.len(), 4);
        let e = &cal.events[0];
        assert_eq!(prop(&e.properties, "UID"), Some("session-2026-11-23@backstop"));
        assert_eq!(prop(&e.properties, "DTSTART"), Some("20261123"));
        assert_eq!(
            prop(&e.properties, "DTEND"),
            Some("20261124"),
            "ends are exclusive"
        );
        assert_eq!(prop(&e.properties, "DTSTAMP"), Some("20261123T170000Z"));
        assert_eq!(
            prop(&e.properties, "SUMMARY"),
            Some("Back training\\, about 40 min")
        );
        let description = prop(&e.properties, "DESCRIPTION").unwrap();
        assert!(
            description.contains("Chest-supported row 3×10 @ 30 kg"),
            "{description}"
        );
        assert!(
            description.contains("\\n"),
            "lines escaped as RFC 5545 asks: {description}"
        );
        assert!(e.alarms.is_empty());
        let c = &cal.events[1];
        assert_eq!(prop(&c.properties, "UID"), Some("checkin-2026-11-23@backstop"));
        assert_eq!(prop(&c.properties, "DTSTART"), Some("20261124"));
        assert_eq!(c.alarms.len(), 1);
        assert_eq!(prop(&c.alarms[0].properties, "ACTION"), Some("DISPLAY"));
        assert_eq!(
            prop(&c.alarms[0].properties, "TRIGGER"),
            Some("PT28800S"),
            "8 hours"
        );
        assert_eq!(prop(&c.properties, "DTEND"), Some("20261125"), "a whole day");
        assert!(
            prop(&cal.events[2].properties, "SUMMARY")
                .unwrap()
                .contains("heavy hinge or axial day")
        );
        assert_eq!(prop(&cal.events[3].properties, "DTSTART"), Some("20261126"));
    }

    #[test]
    fn the_same_plan_at_the_same_moment_gives_the_same_feed_and_no_plan_an_empty_calendar() {
        let now: Timestamp = "2026-11-23T17:00:00Z".parse().unwrap();
        let days = [day("2026-11-30", false)];
        assert_eq!(calendar(&days, now), calendar(&days, now));
        let empty = parse(&calendar(&[], now));
        assert!(empty.events.is_empty());
    }
}
