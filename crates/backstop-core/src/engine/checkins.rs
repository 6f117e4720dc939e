//! What the check-ins ask for and say beyond a session's verdict: the check-ins still wanted and their windows
//! (PM-5), and training soreness that holds muscles (DS-2).

use jiff::Timestamp;

use super::session::CheckKind;
use super::session::SessionVerdict;
use super::{DueCheckIn, Settings, Soreness};
use crate::catalog::Catalog;
use crate::facts::{CheckIn, Session};
use crate::vocab::Muscle;

/// Check-ins still wanted, with their windows.
pub fn due(verdicts: &[SessionVerdict], settings: &Settings, now: Timestamp) -> Vec<DueCheckIn> {
    let mut out = Vec::new();
    for v in verdicts {
        for k in &v.awaiting {
            let (from, until) = match k {
                CheckKind::Morning => (
                    v.session_at + settings.morning_from,
                    v.session_at + settings.morning_until,
                ),
                CheckKind::Second => (
                    v.session_at + settings.morning_until,
                    v.session_at + settings.second_until,
                ),
            };
            if now < until {
                out.push(DueCheckIn {
                    session_at: v.session_at,
                    kind: *k,
                    from,
                    until,
                });
            }
        }
    }
    out
}

/// DS-2: the newest soreness report of 4 or more still holds the muscles that session trained.
pub fn soreness(
    sessions: &[&Session],
    checkins: &[CheckIn],
    catalog: &Catalog,
    settings: &Settings,
    now: Timestamp,
) -> Option<Soreness> {
    let report = checkins.iter().rev().find(|c| c.is_soreness())?;
    if report.pain.value() < settings.doms_hold_pain || now >= report.at + settings.doms_window {
        return None;
    }
    // A later check-in below the threshold means it eased.
    if checkins
        .iter()
        .any(|c| c.at > report.at && c.pain.value() < settings.doms_hold_pain)
    {
        return None;
    }
    let session = sessions.iter().rev().find(|s| s.at < report.at)?;
    let mut muscles: Vec<Muscle> = session
        .sets
        .iter()
        .filter_map(|s| catalog.get(&s.exercise))
        .flat_map(|e| e.muscles.iter().copied())
        .collect();
    muscles.sort();
    muscles.dedup();
    Some(Soreness {
        muscles,
        reported_at: report.at,
        pain: report.pain.value(),
        until: report.at + settings.doms_window,
    })
}
