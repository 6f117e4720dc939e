//! The red-flag screen (C12; `domain.md` §4, rules RF-1…RF-4).
//!
//! backstop does not diagnose. It asks the questions that guidelines say should never be skipped (NICE NG59 and
//! CKS, the IFOMPT red-flag framework, the BASS 2018 cauda equina standards, NICE NG234 for spinal metastases)
//! and routes the person: emergency care now, a clinician within a day or two, or a clinician within a week or
//! two. Single red flags are weak predictors on their own (Downie 2013; Cook 2018), which is why the wording is
//! about getting checked, never about what the cause is.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::facts::{Clearance, Screening};
use crate::vocab::UnknownName;

/// How soon someone should see a clinician.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    /// Within about one to two weeks; gentle activity only meanwhile.
    Soon,
    /// The same day or within 48 hours; the plan pauses (RF-3).
    Urgent,
    /// Now: emergency department or emergency services; training is locked until clearance (RF-2).
    Emergency,
}

impl Urgency {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Soon => "soon",
            Urgency::Urgent => "urgent",
            Urgency::Emergency => "emergency",
        }
    }

    /// What the person should do, in plain words.
    pub fn advice(self) -> &'static str {
        match self {
            Urgency::Emergency => {
                "Go to an emergency department or call emergency services now. Do not train. backstop will not \
                 plan sessions until you record that a clinician has cleared you (`backstop clearance`)."
            }
            Urgency::Urgent => {
                "See a doctor or urgent care today or within 48 hours. Your training plan is paused for 72 hours, \
                 or until you record a clinician's clearance (`backstop clearance`)."
            }
            Urgency::Soon => {
                "Book a visit with your doctor or physiotherapist within the next one to two weeks. Until then \
                 keep to gentle activity you know your back tolerates."
            }
        }
    }
}

macro_rules! red_flags {
    ($($variant:ident => $name:literal, $urgency:ident, $question:literal;)+) => {
        /// One red-flag answer, named as in `cli-contract.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RedFlag {
            $(
                #[doc = $question]
                $variant
            ),+
        }

        impl RedFlag {
            /// Every flag, in the order the questions are asked (cauda equina items first: RF-1).
            pub const ALL: &'static [RedFlag] = &[$(RedFlag::$variant),+];

            /// The kebab-case name.
            pub fn as_str(self) -> &'static str {
                match self { $(RedFlag::$variant => $name),+ }
            }

            /// The question asked for this flag (a yes/no question).
            pub fn question(self) -> &'static str {
                match self { $(RedFlag::$variant => $question),+ }
            }

            /// The level of this flag on its own.
            pub fn level(self) -> Urgency {
                match self { $(RedFlag::$variant => Urgency::$urgency),+ }
            }
        }

        impl std::str::FromStr for RedFlag {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim().to_ascii_lowercase().as_str() {
                    $($name => Ok(RedFlag::$variant),)+
                    _ => Err(UnknownName {
                        kind: "red flag",
                        given: s.trim().to_owned(),
                        accepted: RedFlag::ALL.iter().map(|f| f.as_str()).collect(),
                    }),
                }
            }
        }
    };
}

// Levels follow domain.md §4. Where a line there needs a combination (fracture risk: minor trauma with
// osteoporosis or steroid use; cancer history with neurological signs) the combination is handled in `assess`.
red_flags! {
    SaddleNumbness => "saddle-numbness", Emergency,
        "Numbness or altered feeling around the genitals, anus or inner buttocks (the 'saddle' area)?";
    BladderChange => "bladder-change", Emergency,
        "New trouble starting to pee, a weak or changed flow, not feeling when you pee, or leaking?";
    BowelChange => "bowel-change", Emergency,
        "New loss of bowel control, or not feeling when you open your bowels?";
    SexualDysfunction => "sexual-dysfunction", Emergency,
        "New loss of sexual function or genital sensation?";
    BothLegs => "both-legs", Emergency,
        "Pain, tingling or numbness running down BOTH legs, or spreading from one leg to both?";
    ProgressiveWeakness => "progressive-weakness", Emergency,
        "Leg weakness that is severe or getting worse (tripping, foot slapping, legs giving way)?";
    Numbness => "numbness", Soon,
        "Numbness or pins and needles in one leg below the knee?";
    Weakness => "weakness", Urgent,
        "New weakness in a leg or foot?";
    CancerHistory => "cancer-history", Urgent,
        "Have you ever had cancer?";
    Fever => "fever", Urgent,
        "Fever, chills or feeling generally unwell together with the back pain?";
    Trauma => "trauma", Urgent,
        "Did this pain start after a fall, accident or other significant injury?";
    SteroidUse => "steroid-use", Soon,
        "Have you taken steroid tablets (such as prednisolone) for several months?";
    Osteoporosis => "osteoporosis", Soon,
        "Have you been told you have osteoporosis (thin bones)?";
    NightPain => "night-pain", Urgent,
        "Severe pain at night that does not ease whatever position you lie in?";
    WeightLoss => "weight-loss", Soon,
        "Weight loss you cannot explain?";
    ThoracicPain => "thoracic-pain", Soon,
        "Pain in the middle of the back, between the shoulder blades?";
    AgeOver50FirstEpisode => "age-over-50-first-episode", Soon,
        "Are you over 50 and is this your first ever episode of back pain?";
    NotImproving4Weeks => "not-improving-4-weeks", Soon,
        "Has this episode failed to improve at all over the last 4 weeks?";
}

impl Serialize for RedFlag {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RedFlag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The outcome of a screen: how soon to see someone and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScreenResult {
    /// The highest level reached.
    pub urgency: Urgency,
    /// One line per answer or combination that decided it.
    pub because: Vec<String>,
}

fn neuro(f: RedFlag) -> bool {
    use RedFlag::*;
    matches!(
        f,
        SaddleNumbness
            | BladderChange
            | BowelChange
            | SexualDysfunction
            | BothLegs
            | ProgressiveWeakness
            | Numbness
            | Weakness
    )
}

/// Grades a set of answers. `None` means no red flag was answered yes.
pub fn assess(flags: &[RedFlag]) -> Option<ScreenResult> {
    use RedFlag::*;
    let mut because: Vec<(Urgency, String)> = flags
        .iter()
        .map(|f| (f.level(), format!("{}: {}", f.as_str(), f.level().as_str())))
        .collect();
    // Known cancer with any neurological sign: suspected spinal cord compression (NICE QS56/NG234).
    if flags.contains(&CancerHistory) && flags.iter().any(|f| neuro(*f)) {
        because.push((
            Urgency::Emergency,
            "cancer-history with a nerve symptom: emergency (guidelines ask for a scan within 24 hours)"
                .into(),
        ));
    }
    // Trauma with weak bones (osteoporosis or long-term steroids): fracture risk (IFOMPT).
    if flags.contains(&Trauma) && (flags.contains(&Osteoporosis) || flags.contains(&SteroidUse)) {
        because.push((
            Urgency::Urgent,
            "trauma with osteoporosis or long-term steroid use: urgent".into(),
        ));
    }
    let urgency = because.iter().map(|(u, _)| *u).max()?;
    because.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    Some(ScreenResult {
        urgency,
        because: because.into_iter().map(|(_, s)| s).collect(),
    })
}

/// How long an urgent flag pauses the plan while clearance is pending (RF-3).
pub const URGENT_PAUSE: SignedDuration = SignedDuration::from_hours(72);

/// The red-flag state at a moment: whether training is blocked, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedFlagState {
    /// The open screen result, if any (a screen after the last clearance that found something).
    pub open: Option<ScreenResult>,
    /// When the open screen was answered.
    pub since: Option<Timestamp>,
    /// Whether planning must stop now (emergency until clearance, RF-2; urgent for 72 h unless cleared, RF-3).
    pub blocks_training: bool,
}

/// Works out the red-flag state at `now` from all screens and clearances (facts in, decision out).
pub fn state(screenings: &[Screening], clearances: &[Clearance], now: Timestamp) -> RedFlagState {
    let last_clearance = clearances.iter().filter(|c| c.at <= now).map(|c| c.at).max();
    // The newest screen answered after the last clearance decides; a later screen with no flags closes it.
    let latest = screenings
        .iter()
        .filter(|s| s.at <= now && last_clearance.is_none_or(|c| s.at > c))
        .max_by_key(|s| s.at);
    let Some(latest) = latest else {
        return RedFlagState {
            open: None,
            since: None,
            blocks_training: false,
        };
    };
    // An emergency answer stays open until clearance, even if a later screen says none (RF-2).
    let worst_emergency = screenings
        .iter()
        .filter(|s| s.at <= now && last_clearance.is_none_or(|c| s.at > c))
        .filter_map(|s| assess(&s.flags).map(|r| (s.at, r)))
        .filter(|(_, r)| r.urgency == Urgency::Emergency)
        .max_by_key(|(at, _)| *at);
    if let Some((at, r)) = worst_emergency {
        return RedFlagState {
            open: Some(r),
            since: Some(at),
            blocks_training: true,
        };
    }
    match assess(&latest.flags) {
        None => RedFlagState {
            open: None,
            since: None,
            blocks_training: false,
        },
        Some(r) => {
            let blocks = r.urgency == Urgency::Urgent && now.duration_since(latest.at) < URGENT_PAUSE;
            RedFlagState {
                open: Some(r),
                since: Some(latest.at),
                blocks_training: blocks,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::ScreeningContext;

    fn ts(h: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + h * 3600).unwrap()
    }

    fn screen(h: i64, flags: &[RedFlag]) -> Screening {
        Screening {
            at: ts(h),
            context: ScreeningContext::Onboarding,
            flags: flags.to_vec(),
        }
    }

    #[test]
    fn every_contract_name_parses() {
        let names = "saddle-numbness, bladder-change, bowel-change, sexual-dysfunction, both-legs, \
            progressive-weakness, numbness, weakness, cancer-history, fever, trauma, steroid-use, osteoporosis, \
            night-pain, weight-loss, thoracic-pain, age-over-50-first-episode, not-improving-4-weeks";
        let parsed: Vec<RedFlag> = names.split(',').map(|n| n.parse().unwrap()).collect();
        assert_eq!(parsed.len(), 18);
        assert_eq!(RedFlag::ALL.len(), 18);
        assert!("saddle".parse::<RedFlag>().is_err());
    }

    #[test]
    fn levels() {
        assert_eq!(assess(&[]), None);
        assert_eq!(
            assess(&[RedFlag::SaddleNumbness]).unwrap().urgency,
            Urgency::Emergency
        );
        assert_eq!(
            assess(&[RedFlag::BladderChange]).unwrap().urgency,
            Urgency::Emergency
        );
        assert_eq!(assess(&[RedFlag::Fever]).unwrap().urgency, Urgency::Urgent);
        assert_eq!(assess(&[RedFlag::WeightLoss]).unwrap().urgency, Urgency::Soon);
        assert_eq!(
            assess(&[RedFlag::WeightLoss, RedFlag::Fever]).unwrap().urgency,
            Urgency::Urgent
        );
    }

    #[test]
    fn combinations_raise_the_level() {
        let r = assess(&[RedFlag::CancerHistory, RedFlag::Numbness]).unwrap();
        assert_eq!(r.urgency, Urgency::Emergency);
        assert!(r.because[0].contains("cancer-history with a nerve symptom"));
        assert_eq!(
            assess(&[RedFlag::CancerHistory]).unwrap().urgency,
            Urgency::Urgent
        );
        assert_eq!(assess(&[RedFlag::Osteoporosis]).unwrap().urgency, Urgency::Soon);
        assert_eq!(
            assess(&[RedFlag::Trauma, RedFlag::SteroidUse]).unwrap().urgency,
            Urgency::Urgent
        );
    }

    #[test]
    fn emergency_blocks_until_clearance() {
        let s = [screen(0, &[RedFlag::SaddleNumbness]), screen(10, &[])];
        let st = state(&s, &[], ts(1000));
        assert!(
            st.blocks_training,
            "a later clean screen must not lift an emergency"
        );
        let c = [Clearance {
            at: ts(20),
            note: None,
        }];
        assert!(!state(&s, &c, ts(1000)).blocks_training);
        // A clearance in the future of `now` does not count yet.
        assert!(state(&s, &c, ts(15)).blocks_training);
    }

    #[test]
    fn urgent_pauses_72_hours() {
        let s = [screen(0, &[RedFlag::Fever])];
        assert!(state(&s, &[], ts(71)).blocks_training);
        assert!(!state(&s, &[], ts(72)).blocks_training);
        assert!(state(&s, &[], ts(72)).open.is_some());
        let s2 = [screen(0, &[RedFlag::Fever]), screen(5, &[])];
        assert!(!state(&s2, &[], ts(6)).blocks_training);
    }

    #[test]
    fn soon_never_blocks() {
        let s = [screen(0, &[RedFlag::ThoracicPain])];
        let st = state(&s, &[], ts(1));
        assert!(!st.blocks_training);
        assert_eq!(st.open.unwrap().urgency, Urgency::Soon);
    }
}
