//! Soreness or pain? (C10; rules DS-1…DS-4 in `docs/rules.md`, and the red-flag screen of
//! `docs/safety.md`.)
//!
//! Five questions (when it started, where, what it feels like, what movement does to it, how it is trending) and
//! the red-flag answers sort post-training discomfort into normal training soreness, pain to respect, possible
//! nerve involvement, or a red flag. It routes; it does not diagnose.

use serde::{Deserialize, Serialize};

use crate::facts::LegReach;
use crate::redflags::{self, RedFlag, Urgency};

macro_rules! answer {
    ($(#[$doc:meta])* $name:ident, $kind:literal { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every answer.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The name used in flags and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::vocab::UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim().to_ascii_lowercase().as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(crate::vocab::UnknownName {
                        kind: $kind,
                        given: s.trim().to_owned(),
                        accepted: $name::ALL.iter().map(|v| v.as_str()).collect(),
                    }),
                }
            }
        }
    };
}

answer!(
    /// When it started.
    Onset, "when" {
        /// During the session.
        During => "during",
        /// Within hours after.
        Hours => "hours",
        /// The next day.
        NextDay => "next-day",
        /// Days ago, and still there.
        Days => "days",
    }
);

answer!(
    /// Where it is felt.
    Location, "where" {
        /// In the belly of the muscles trained.
        Muscle => "muscle",
        /// Over the spine, one spot or midline.
        Spine => "spine",
        /// In the buttock.
        Buttock => "buttock",
        /// Down the leg, above the knee.
        AboveKnee => "above-knee",
        /// Down the leg, below the knee.
        BelowKnee => "below-knee",
    }
);

answer!(
    /// What it feels like.
    Quality, "quality" {
        /// A dull ache.
        Ache => "ache",
        /// Tight or stiff.
        Tight => "tight",
        /// Sharp, stabbing or catching.
        Sharp => "sharp",
        /// Burning.
        Burning => "burning",
        /// Electric, shooting, pins and needles.
        Electric => "electric",
    }
);

answer!(
    /// What moving does to it.
    Movement, "movement" {
        /// It eases as I warm up and move.
        Eases => "eases",
        /// It gets worse when I keep moving or loading.
        Worsens => "worsens",
        /// No change.
        NoChange => "no-change",
        /// It spreads further down the leg when I move or load (peripheralisation).
        Spreads => "spreads",
        /// It moves back up the leg towards the spine when I move (centralisation: a good sign).
        Centralises => "centralises",
    }
);

answer!(
    /// How it is trending.
    Trend, "trend" {
        /// Getting better.
        Better => "better",
        /// About the same.
        Same => "same",
        /// Getting worse.
        Worse => "worse",
    }
);

/// The triage answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageAnswers {
    /// When it started.
    pub when: Onset,
    /// Where.
    pub location: Location,
    /// What it feels like.
    pub quality: Quality,
    /// What movement does to it.
    pub movement: Movement,
    /// Trend.
    pub trend: Trend,
    /// Red-flag answers given with it (yes only).
    #[serde(default)]
    pub red_flags: Vec<RedFlag>,
    /// Extreme muscle pain and swelling with dark urine after a session (DS-4).
    #[serde(default)]
    pub dark_urine: bool,
}

/// The four outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// Normal training soreness (DOMS): does not count against an exercise (DS-2).
    Soreness,
    /// Pain to respect: stop or regress what provoked it (PM-3, PM-5).
    Pain,
    /// Possible nerve involvement: stop, rescreen, see a clinician soon (DS-3, PM-4).
    Nerve,
    /// A red flag: see the urgency (§4).
    RedFlag,
}

/// The triage result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TriageResult {
    /// The outcome.
    pub classification: Classification,
    /// How soon to see a clinician, if at all.
    pub urgency: Option<Urgency>,
    /// The answers that decided it.
    pub because: Vec<String>,
    /// What to do, in plain words.
    pub advice: String,
}

/// Classifies the answers (DS-1…DS-4, §4) for someone with no usual leg symptoms.
pub fn classify(a: &TriageAnswers) -> TriageResult {
    classify_for(a, None)
}

impl Location {
    /// How far down the leg this location is, if it is in the leg.
    pub fn leg_reach(self) -> Option<LegReach> {
        match self {
            Location::Buttock => Some(LegReach::Buttock),
            Location::AboveKnee => Some(LegReach::Thigh),
            Location::BelowKnee => Some(LegReach::BelowKnee),
            Location::Muscle | Location::Spine => None,
        }
    }
}

/// Classifies the answers (DS-1…DS-4, §4), knowing the person's usual, stable leg symptoms (from the profile).
pub fn classify_for(a: &TriageAnswers, usual_leg: Option<LegReach>) -> TriageResult {
    // Dark urine (DS-4) is graded with the other red-flag answers, so that a graver one beside it decides the level
    // and the advice.
    let mut flags = a.red_flags.clone();
    if a.dark_urine && !flags.contains(&RedFlag::DarkUrine) {
        flags.push(RedFlag::DarkUrine);
    }
    if let Some(r) = redflags::assess(&flags) {
        return TriageResult {
            classification: Classification::RedFlag,
            urgency: Some(r.urgency),
            advice: r.advice(),
            because: r.because,
        };
    }
    let mut because = Vec::new();
    // Symptoms in the leg no further than the person's usual, stable ones, not spreading and not getting worse, are
    // their usual (referred or long-standing) symptoms, not a new sign.
    let usual = a.location.leg_reach().zip(usual_leg).is_some_and(|(r, u)| r <= u)
        && !matches!(a.movement, Movement::Spreads | Movement::Worsens)
        && a.trend != Trend::Worse;
    // Radicular pain is characteristically below the knee, burning or electric, or spreading down the leg with
    // movement (NICE CKS sciatica; May & Aina 2012). Buttock or thigh pain that is worse with loading is far more
    // often referred pain from the back than a nerve root: pain to respect, not nerve involvement.
    let nerve_place = a.location == Location::BelowKnee && !usual;
    let nerve_feel = matches!(a.quality, Quality::Burning | Quality::Electric) && !usual;
    let spreading = a.movement == Movement::Spreads;
    let centralising = a.movement == Movement::Centralises && a.location.leg_reach().is_some();
    if nerve_place || nerve_feel || spreading {
        if nerve_place {
            because.push("felt below the knee".into());
        }
        if nerve_feel {
            because.push(format!("{} quality", a.quality.as_str()));
        }
        if spreading {
            because.push("spreads further down the leg with movement".into());
        }
        if centralising {
            because.push("moves back towards the spine with movement: a good sign".into());
        }
        return TriageResult {
            classification: Classification::Nerve,
            urgency: Some(Urgency::Soon),
            because,
            advice: "Stop the exercise that brought it on, answer the red-flag questions again, and book a clinician \
                     within one to two weeks. If it spreads to both legs or you notice numbness in the saddle area \
                     or bladder changes, seek emergency care."
                .into(),
        };
    }
    if usual {
        because.push(format!(
            "within your usual leg symptoms (as far as the {})",
            usual_leg.map_or("leg", LegReach::as_str)
        ));
    }
    if centralising {
        because.push(
            "moves back towards the spine with movement: a good sign (centralisation, May & Aina 2012)"
                .into(),
        );
    }
    // DS-2 / DS-3: soreness comes on hours to a day after training and peaks 24–72 h after it (Cheung, Hume &
    // Maxwell 2003), so in the first day or two it may still be building ("worse" is expected); once it has been
    // there for days it must be easing, or it leaves the soreness path.
    let soreness_course = match a.when {
        Onset::During => false,
        Onset::Hours | Onset::NextDay => true,
        Onset::Days => a.trend == Trend::Better,
    };
    let doms = a.location == Location::Muscle
        && matches!(a.quality, Quality::Ache | Quality::Tight)
        && soreness_course
        && a.movement == Movement::Eases;
    if doms {
        return TriageResult {
            classification: Classification::Soreness,
            urgency: None,
            because: vec![
                "in the muscles trained".into(),
                if a.quality == Quality::Ache {
                    "an ache that eases as you move".into()
                } else {
                    "tightness that eases as you move".into()
                },
                format!("started {}", a.when.as_str()),
                format!("trend {}", a.trend.as_str()),
            ],
            advice:
                "This looks like training soreness: it does not count against the exercise. At 4/10 or more, train \
                     other areas or go lighter on these muscles until it drops; below that, train as planned. It \
                     usually fades within a few days."
                    .into(),
        };
    }
    if a.location != Location::Muscle {
        because.push(format!("felt over the {}", a.location.as_str()));
    }
    if a.quality == Quality::Sharp {
        because.push("sharp or catching".into());
    }
    if !matches!(a.movement, Movement::Eases | Movement::Centralises) {
        because.push(format!("movement: {}", a.movement.as_str().replace('-', " ")));
    }
    if !usual && a.location.leg_reach().is_some() && a.movement == Movement::Worsens {
        because.push("felt in the leg but not spreading: most likely referred from the back".into());
    }
    if a.when == Onset::During {
        because.push("started during the session".into());
    }
    if a.trend == Trend::Worse {
        because.push("getting worse".into());
    }
    if a.when == Onset::Days && a.trend != Trend::Better {
        because.push("days old and not easing".into());
    }
    let not_settling = a.when == Onset::Days && a.trend != Trend::Better;
    TriageResult {
        classification: Classification::Pain,
        urgency: not_settling.then_some(Urgency::Soon),
        because,
        advice: if not_settling {
            "Pain to respect that is not settling after several days: regress or pause what provoked it and have a \
             clinician look at it within one to two weeks."
                .into()
        } else {
            "Pain to respect: stop or regress the exercise that provoked it and follow your ceiling; check in each \
             morning. Mild pain that settles within a day is acceptable."
                .into()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ans(when: &str, loc: &str, q: &str, mv: &str, tr: &str) -> TriageAnswers {
        TriageAnswers {
            when: when.parse().unwrap(),
            location: loc.parse().unwrap(),
            quality: q.parse().unwrap(),
            movement: mv.parse().unwrap(),
            trend: tr.parse().unwrap(),
            red_flags: vec![],
            dark_urine: false,
        }
    }

    #[test]
    fn every_branch() {
        use Classification::*;
        // (answers, classification, urgency)
        let table = [
            (
                ans("next-day", "muscle", "ache", "eases", "better"),
                Soreness,
                None,
            ),
            (ans("hours", "muscle", "tight", "eases", "same"), Soreness, None),
            (ans("days", "muscle", "ache", "eases", "better"), Soreness, None),
            // Soreness peaks 24–72 h after training: still building the next day is soreness…
            (
                ans("next-day", "muscle", "ache", "eases", "worse"),
                Soreness,
                None,
            ),
            (ans("hours", "muscle", "tight", "eases", "worse"), Soreness, None),
            // …but days later it must be easing (DS-3).
            (
                ans("days", "muscle", "ache", "eases", "same"),
                Pain,
                Some(Urgency::Soon),
            ),
            (
                ans("days", "muscle", "ache", "eases", "worse"),
                Pain,
                Some(Urgency::Soon),
            ),
            (ans("during", "muscle", "ache", "eases", "same"), Pain, None),
            (ans("during", "spine", "sharp", "worsens", "same"), Pain, None),
            (ans("next-day", "spine", "ache", "no-change", "same"), Pain, None),
            (
                ans("days", "spine", "ache", "worsens", "same"),
                Pain,
                Some(Urgency::Soon),
            ),
            (
                ans("days", "spine", "ache", "worsens", "worse"),
                Pain,
                Some(Urgency::Soon),
            ),
            (ans("days", "spine", "ache", "eases", "better"), Pain, None),
            (
                ans("hours", "below-knee", "ache", "eases", "better"),
                Nerve,
                Some(Urgency::Soon),
            ),
            (
                ans("hours", "muscle", "electric", "eases", "better"),
                Nerve,
                Some(Urgency::Soon),
            ),
            (
                ans("hours", "spine", "burning", "no-change", "same"),
                Nerve,
                Some(Urgency::Soon),
            ),
            // Buttock or thigh pain worse with loading is referred pain to respect, not a nerve sign…
            (ans("hours", "buttock", "ache", "worsens", "same"), Pain, None),
            // …spreading down the leg is.
            (
                ans("hours", "buttock", "ache", "spreads", "same"),
                Nerve,
                Some(Urgency::Soon),
            ),
            (ans("hours", "buttock", "ache", "eases", "same"), Pain, None),
            (ans("hours", "above-knee", "ache", "worsens", "same"), Pain, None),
            (
                ans("hours", "above-knee", "ache", "spreads", "worse"),
                Nerve,
                Some(Urgency::Soon),
            ),
            (
                ans("hours", "above-knee", "ache", "centralises", "better"),
                Pain,
                None,
            ),
        ];
        for (a, c, u) in table {
            let r = classify(&a);
            assert_eq!((r.classification, r.urgency), (c, u), "{a:?}: {r:?}");
            assert!(!r.because.is_empty() && !r.advice.is_empty());
        }
    }

    /// Usual, stable leg symptoms (from the profile) are not a new nerve sign; spreading past them, or getting
    /// worse, is.
    #[test]
    fn usual_leg_symptoms_are_not_a_new_sign() {
        let below = ans("hours", "below-knee", "ache", "no-change", "same");
        assert_eq!(classify(&below).classification, Classification::Nerve);
        let r = classify_for(&below, Some(LegReach::BelowKnee));
        assert_eq!(
            (r.classification, r.urgency),
            (Classification::Pain, None),
            "{r:?}"
        );
        assert!(r.because.iter().any(|b| b.contains("usual")), "{r:?}");
        // Further than usual: new.
        assert_eq!(
            classify_for(&below, Some(LegReach::Thigh)).classification,
            Classification::Nerve
        );
        // Within the usual reach but spreading or getting worse: new.
        let spreading = ans("hours", "below-knee", "ache", "spreads", "same");
        assert_eq!(
            classify_for(&spreading, Some(LegReach::BelowKnee)).classification,
            Classification::Nerve
        );
        let worse = ans("hours", "below-knee", "ache", "no-change", "worse");
        assert_eq!(
            classify_for(&worse, Some(LegReach::BelowKnee)).classification,
            Classification::Nerve
        );
        // Centralising is a good sign and says so.
        let central = ans("hours", "above-knee", "ache", "centralises", "better");
        assert!(classify(&central).because.iter().any(|b| b.contains("good sign")));
    }

    #[test]
    fn red_flags_and_dark_urine_come_first() {
        let mut a = ans("next-day", "muscle", "ache", "eases", "better");
        for (flags, urgency) in [
            (vec![RedFlag::SaddleNumbness], Urgency::Emergency),
            (vec![RedFlag::Fever], Urgency::Urgent),
            (vec![RedFlag::ThoracicPain], Urgency::Soon),
        ] {
            a.red_flags = flags;
            let r = classify(&a);
            assert_eq!(
                (r.classification, r.urgency),
                (Classification::RedFlag, Some(urgency))
            );
        }
        a.red_flags.clear();
        a.dark_urine = true;
        let r = classify(&a);
        assert_eq!(
            (r.classification, r.urgency),
            (Classification::RedFlag, Some(Urgency::Urgent))
        );
        assert!(
            r.advice.contains("same-day check") && r.advice.contains("until you record"),
            "{}",
            r.advice
        );
        // A graver answer beside dark urine decides the level and the advice: it used to answer "urgent".
        a.red_flags = vec![RedFlag::SaddleNumbness];
        let r = classify(&a);
        assert_eq!(r.urgency, Some(Urgency::Emergency));
        assert!(r.advice.contains("emergency department"), "{}", r.advice);
        assert!(
            r.because.iter().any(|b| b.starts_with("dark-urine")),
            "{:?}",
            r.because
        );
    }

    #[test]
    fn answers_parse_with_helpful_errors() {
        assert!("above-knee".parse::<Location>().is_ok());
        let e = "knee".parse::<Location>().unwrap_err().to_string();
        assert!(e.contains("below-knee"), "{e}");
    }
}
