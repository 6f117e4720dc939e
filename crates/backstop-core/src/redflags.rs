//! The red-flag screen (rules RF-1…RF-5, `docs/safety.md`).
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

    /// The headline a person sees first, the same on every front end.
    pub fn headline(self) -> &'static str {
        match self {
            Urgency::Emergency => "STOP: seek emergency care now",
            Urgency::Urgent => "See a clinician within 48 hours",
            Urgency::Soon => "Book a clinician visit within 1–2 weeks",
        }
    }
}

/// Said with every red-flag result: backstop routes, it does not diagnose (RF-5).
pub const NOT_A_DIAGNOSIS: &str =
    "backstop coaches training; it cannot tell what is causing these signs. A clinician can.";

macro_rules! red_flags {
    ($($variant:ident => $name:literal, $urgency:ident, $kind:ident, $question:literal;)+) => {
        /// One red-flag answer, named as in `docs/cli.md` (`screen`).
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

            /// The level of this flag on its own; `None` for an answer that only matters in combination (a risk
            /// factor such as age or a minor strain).
            pub fn level(self) -> Option<Urgency> {
                match self { $(RedFlag::$variant => level!($urgency)),+ }
            }

            /// Whether the answer is about the person's history (it stays true), rather than about something new.
            /// A history answer already given does not pause training again at a re-screen.
            pub fn is_history(self) -> bool {
                match self { $(RedFlag::$variant => kind!($kind)),+ }
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

macro_rules! level {
    (Context) => {
        None
    };
    ($u:ident) => {
        Some(Urgency::$u)
    };
}

macro_rules! kind {
    (History) => {
        true
    };
    (New) => {
        false
    };
}

// Levels follow docs/safety.md (NICE NG59/CKS, IFOMPT 2020, NICE NG234, NICE NG65). Where a level needs a combination (fracture risk: minor trauma with
// osteoporosis or steroid use; cancer history with neurological signs) the combination is handled in `assess`.
red_flags! {
    SaddleNumbness => "saddle-numbness", Emergency, New,
        "New numbness or altered feeling around the genitals, anus or inner buttocks (the 'saddle' area)?";
    BladderChange => "bladder-change", Emergency, New,
        "New trouble starting to pee, a weak or changed flow, not feeling when you pee, or leaking?";
    BowelChange => "bowel-change", Emergency, New,
        "New loss of bowel control, or not feeling when you open your bowels?";
    SexualDysfunction => "sexual-dysfunction", Emergency, New,
        "New loss of sexual function or genital sensation?";
    BothLegs => "both-legs", Emergency, New,
        "New pain, tingling or numbness running down BOTH legs, or leg symptoms that have spread from one leg to both?";
    ProgressiveWeakness => "progressive-weakness", Emergency, New,
        "Leg weakness that is severe or getting worse (tripping, foot slapping, legs giving way)?";
    Numbness => "numbness", Soon, New,
        "New numbness or pins and needles in one leg below the knee?";
    Weakness => "weakness", Urgent, New,
        "New weakness in a leg or foot?";
    CancerHistory => "cancer-history", Soon, History,
        "Have you ever had cancer?";
    Fever => "fever", Urgent, New,
        "Fever, chills or feeling generally unwell together with the back pain?";
    InfectionRisk => "infection-risk", Soon, History,
        "Do you inject drugs or have a weakened immune system (for example from medication, HIV or diabetes), or have you had a bacterial or urine infection or a spinal procedure in the last three months?";
    Trauma => "trauma", Urgent, New,
        "In the last month, did this pain start after a fall, accident or other significant injury?";
    MinorTrauma => "minor-trauma", Context, New,
        "In the last month, did this pain start after a minor fall, a strain or a lift?";
    SteroidUse => "steroid-use", Soon, History,
        "Have you taken steroid tablets (such as prednisolone) for several months?";
    Osteoporosis => "osteoporosis", Soon, History,
        "Have you been told you have osteoporosis (thin bones)?";
    AgeOver70 => "age-over-70", Context, History,
        "Are you over 70?";
    NightPain => "night-pain", Soon, New,
        "Severe pain at night that does not ease whatever position you lie in?";
    WeightLoss => "weight-loss", Soon, New,
        "Weight loss you cannot explain?";
    ThoracicPain => "thoracic-pain", Soon, New,
        "Pain in the middle of the back, between the shoulder blades?";
    AgeOver50FirstEpisode => "age-over-50-first-episode", Soon, History,
        "Are you over 50 and is this your first ever episode of back pain?";
    NotImproving4Weeks => "not-improving-4-weeks", Soon, New,
        "Has this episode failed to improve at all over the last 4 weeks?";
    InflammatoryBackPain => "inflammatory-back-pain", Soon, History,
        "Did your back pain come on gradually before the age of 45, with morning stiffness of more than 30 minutes that eases with exercise but not with rest, or pain that wakes you in the second half of the night?";
    DarkUrine => "dark-urine", Urgent, New,
        "Since a training session, extreme muscle pain and swelling with dark (cola-coloured) urine?";
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
    /// Whether training waits for a clinician's clearance, however long that takes (an emergency, RF-2; dark urine
    /// after training, DS-4), rather than pausing for 72 hours (urgent, RF-3) or not at all (soon).
    pub until_clearance: bool,
}

impl ScreenResult {
    /// The headline a person sees first (the urgency's, but the same-day check for dark urine).
    pub fn headline(&self) -> &'static str {
        if self.urgency == Urgency::Urgent && self.until_clearance {
            "Get medical care today"
        } else {
            self.urgency.headline()
        }
    }

    /// What to do, in plain words, with no front end's syntax: each front end adds how to record a clearance.
    pub fn action(&self) -> &'static str {
        match self.urgency {
            Urgency::Emergency => {
                "Go to an emergency department or call emergency services now: some of these signs can mean pressure \
                 on the nerves in the spine, which needs care within hours. Do not train."
            }
            // Only dark urine locks an urgent result (DS-4): possible muscle breakdown needs a same-day check.
            Urgency::Urgent if self.until_clearance => {
                "Get medical care today: severe muscle pain with dark urine after exercise needs a same-day check. \
                 Do not train."
            }
            Urgency::Urgent => "See a doctor or urgent care today or within 48 hours.",
            Urgency::Soon => {
                "Book a visit with your doctor or physiotherapist within the next one to two weeks."
            }
        }
    }

    /// What backstop does about training meanwhile (RF-2, RF-3, DS-4; a soon result never blocks).
    pub fn training(&self) -> &'static str {
        if self.until_clearance {
            "backstop will not plan sessions until you record that a clinician has cleared you."
        } else if self.urgency == Urgency::Urgent {
            "Your training plan is paused for 72 hours, or until you record that a clinician has cleared you."
        } else {
            "Until then keep to gentle training you know your back tolerates; backstop keeps planning it."
        }
    }

    /// The advice in one text: what to do, then what happens to training.
    pub fn advice(&self) -> String {
        format!("{} {}", self.action(), self.training())
    }
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

/// Grades a set of answers. `None` means no answer reached a level (none was yes, or only risk factors that matter
/// in combination).
pub fn assess(flags: &[RedFlag]) -> Option<ScreenResult> {
    use RedFlag::*;
    let has = |f: RedFlag| flags.contains(&f);
    let mut because: Vec<(Urgency, String)> = flags
        .iter()
        .filter_map(|f| f.level().map(|l| (l, format!("{}: {}", f.as_str(), l.as_str()))))
        .collect();
    // Known cancer with any neurological sign: suspected spinal cord compression (NICE QS56/NG234).
    if has(CancerHistory) && flags.iter().any(|f| neuro(*f)) {
        because.push((
            Urgency::Emergency,
            "cancer-history with a nerve symptom: emergency (guidelines ask for a scan within 24 hours)"
                .into(),
        ));
    }
    // Known cancer with pain features that suggest spinal spread (NICE NG234: a scan within a week). A cancer history
    // on its own, with ordinary mechanical back pain, is a reason to mention it to a clinician soon, not to stop.
    let sinister = [
        NightPain,
        WeightLoss,
        ThoracicPain,
        NotImproving4Weeks,
        AgeOver50FirstEpisode,
    ];
    if has(CancerHistory) && sinister.iter().any(|f| has(*f)) {
        because.push((
            Urgency::Urgent,
            "cancer-history with night pain, weight loss, mid-back pain, no improvement or a first episode after 50: \
             urgent"
                .into(),
        ));
    }
    // Infection: a risk factor with pain that does not behave mechanically or signs of illness (IFOMPT 2020; fever
    // is absent in many spinal infections, so night pain, weight loss or a fever each count).
    if has(InfectionRisk) && [NightPain, WeightLoss, Fever].iter().any(|f| has(*f)) {
        because.push((
            Urgency::Urgent,
            "infection-risk with night pain, weight loss or fever: urgent".into(),
        ));
    }
    // Night pain with signs of illness: non-mechanical pain (NICE CKS).
    if has(NightPain) && [WeightLoss, Fever].iter().any(|f| has(*f)) {
        because.push((
            Urgency::Urgent,
            "night-pain with weight loss or fever: urgent".into(),
        ));
    }
    // Fracture: an injury, even a minor one or a lift, with weak bones (osteoporosis, long-term steroids, age over
    // 70) (IFOMPT 2020; NICE CKS).
    let fragile = [Osteoporosis, SteroidUse, AgeOver70].iter().any(|f| has(*f));
    if (has(Trauma) || has(MinorTrauma)) && fragile {
        because.push((
            Urgency::Urgent,
            "an injury, fall, strain or lift with osteoporosis, long-term steroid use or age over 70: urgent \
             (fracture risk)"
                .into(),
        ));
    }
    let urgency = because.iter().map(|(u, _)| *u).max()?;
    because.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    Some(ScreenResult {
        urgency,
        because: because.into_iter().map(|(_, s)| s).collect(),
        // Any emergency (RF-2), and dark urine after training (possible muscle breakdown, DS-4), which needs a
        // medical all-clear before hard exercise resumes, wait for a clearance rather than 72 hours.
        until_clearance: urgency == Urgency::Emergency || has(DarkUrine),
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

impl RedFlagState {
    /// The advice for the open result as things stand now: what to do, and what training does. An urgent result
    /// whose 72 hours are over (or a repeated history answer that does not pause again) no longer pauses training,
    /// and the text says so rather than the pause it started with.
    pub fn advice(&self) -> Option<String> {
        let r = self.open.as_ref()?;
        Some(if self.blocks_training || r.urgency == Urgency::Soon {
            r.advice()
        } else {
            format!(
                "{} Training is not paused now; record a clinician's clearance once you have been seen.",
                r.action()
            )
        })
    }
}

/// Works out the red-flag state at `now` from all screens and clearances (facts in, decision out).
pub fn state(screenings: &[Screening], clearances: &[Clearance], now: Timestamp) -> RedFlagState {
    let last_clearance = clearances.iter().filter(|c| c.at <= now).map(|c| c.at).max();
    let since_clearance: Vec<&Screening> = screenings
        .iter()
        .filter(|s| s.at <= now && last_clearance.is_none_or(|c| s.at > c))
        .collect();
    // The newest screen answered after the last clearance decides; a later screen with no flags closes it.
    let Some(latest) = since_clearance.iter().copied().max_by_key(|s| s.at) else {
        return RedFlagState {
            open: None,
            since: None,
            blocks_training: false,
        };
    };
    // An emergency answer (or dark urine) stays open until clearance, even if a later screen says none (RF-2).
    let worst_locking = since_clearance
        .iter()
        .filter_map(|s| assess(&s.flags).filter(|r| r.until_clearance).map(|r| (s.at, r)))
        .max_by_key(|(at, r)| (r.urgency, *at));
    if let Some((at, r)) = worst_locking {
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
            // A history answer given at an earlier screen (cancer, infection risk, steroids, …) was acted on then: a
            // re-screen that only repeats it does not pause training again. Something new that raises the level
            // does.
            let repeated: Vec<RedFlag> = latest
                .flags
                .iter()
                .copied()
                .filter(|f| {
                    f.is_history() && screenings.iter().any(|s| s.at < latest.at && s.flags.contains(f))
                })
                .collect();
            let already = assess(&repeated).map(|h| h.urgency);
            let something_new = latest.flags.iter().any(|f| !repeated.contains(f));
            let new_pause = r.urgency == Urgency::Urgent
                && (already < Some(Urgency::Urgent) || something_new)
                && now.duration_since(latest.at) < URGENT_PAUSE;
            // A repeat does not start a new pause, but it does not cut short one still running either.
            let running = r.urgency == Urgency::Urgent
                && since_clearance.iter().any(|s| {
                    s.at < latest.at
                        && now.duration_since(s.at) < URGENT_PAUSE
                        && assess(&s.flags).is_some_and(|x| x.urgency == Urgency::Urgent)
                });
            let blocks = new_pause || running;
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
            night-pain, weight-loss, thoracic-pain, age-over-50-first-episode, not-improving-4-weeks, infection-risk, \
            minor-trauma, age-over-70, inflammatory-back-pain, dark-urine";
        let parsed: Vec<RedFlag> = names.split(',').map(|n| n.parse().unwrap()).collect();
        assert_eq!(parsed.len(), 23);
        assert_eq!(RedFlag::ALL.len(), 23);
        for f in RedFlag::ALL {
            assert_eq!(f.as_str().parse::<RedFlag>().unwrap(), *f);
        }
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
        assert_eq!(assess(&[RedFlag::Osteoporosis]).unwrap().urgency, Urgency::Soon);
        assert_eq!(
            assess(&[RedFlag::Trauma, RedFlag::SteroidUse]).unwrap().urgency,
            Urgency::Urgent
        );
    }

    /// Each answer added by the clinical corrections, and each corrected level, alone and in the combinations that
    /// raise it (NICE NG234, NICE CKS, NICE NG65, IFOMPT 2020).
    #[test]
    fn corrected_and_new_levels() {
        use RedFlag::*;
        let level = |f: &[RedFlag]| assess(f).map(|r| r.urgency);
        let table: &[(&[RedFlag], Option<Urgency>)] = &[
            // A cancer history alone is worth telling a clinician soon; with suspicious features it is urgent.
            (&[CancerHistory], Some(Urgency::Soon)),
            (&[CancerHistory, NightPain], Some(Urgency::Urgent)),
            (&[CancerHistory, WeightLoss], Some(Urgency::Urgent)),
            (&[CancerHistory, ThoracicPain], Some(Urgency::Urgent)),
            (&[CancerHistory, Weakness], Some(Urgency::Emergency)),
            // Night pain alone: soon; with signs of illness: urgent.
            (&[NightPain], Some(Urgency::Soon)),
            (&[NightPain, WeightLoss], Some(Urgency::Urgent)),
            // Infection risk: soon alone; urgent with night pain, weight loss or fever.
            (&[InfectionRisk], Some(Urgency::Soon)),
            (&[InfectionRisk, NightPain], Some(Urgency::Urgent)),
            (&[InfectionRisk, Fever], Some(Urgency::Urgent)),
            // Fracture risk: a minor fall or a lift matters only with weak bones or age over 70.
            (&[MinorTrauma], None),
            (&[AgeOver70], None),
            (&[MinorTrauma, AgeOver70], Some(Urgency::Urgent)),
            (&[MinorTrauma, Osteoporosis], Some(Urgency::Urgent)),
            (&[MinorTrauma, SteroidUse], Some(Urgency::Urgent)),
            (&[Trauma], Some(Urgency::Urgent)),
            // Inflammatory back pain: see someone soon (NICE NG65).
            (&[InflammatoryBackPain], Some(Urgency::Soon)),
            // Dark urine after training: urgent.
            (&[DarkUrine], Some(Urgency::Urgent)),
        ];
        for (flags, want) in table {
            assert_eq!(level(flags), *want, "{flags:?}");
        }
        // The saddle and both-legs questions ask about something new.
        assert!(SaddleNumbness.question().starts_with("New "));
        assert!(BothLegs.question().starts_with("New "));
        assert!(Trauma.question().contains("last month"));
    }

    #[test]
    fn each_result_says_what_to_do_and_what_training_does_without_any_front_ends_syntax() {
        use RedFlag::*;
        // (answers, headline, what to do, what happens to training, waits for a clearance)
        for (flags, headline, action, training, until) in [
            (
                &[BladderChange][..],
                "STOP",
                "emergency department",
                "will not plan sessions until",
                true,
            ),
            (
                &[CancerHistory, Numbness][..],
                "STOP",
                "emergency department",
                "will not plan sessions until",
                true,
            ),
            (
                &[Fever][..],
                "within 48 hours",
                "within 48 hours",
                "paused for 72 hours",
                false,
            ),
            (
                &[DarkUrine][..],
                "today",
                "same-day check",
                "will not plan sessions until",
                true,
            ),
            (
                &[NightPain][..],
                "1–2 weeks",
                "one to two weeks",
                "keeps planning",
                false,
            ),
        ] {
            let r = assess(flags).unwrap();
            assert_eq!(r.until_clearance, until, "{flags:?}");
            assert!(r.headline().contains(headline), "{flags:?}: {}", r.headline());
            assert!(r.action().contains(action), "{flags:?}: {}", r.action());
            assert!(r.training().contains(training), "{flags:?}: {}", r.training());
            assert_eq!(r.advice(), format!("{} {}", r.action(), r.training()));
            for text in [r.headline(), r.action(), r.training(), NOT_A_DIAGNOSIS] {
                assert!(!text.contains('`') && !text.contains("--"), "{text}");
            }
        }
        // The text follows the decision: what locks until a clearance is what `state` keeps blocking.
        let s = [screen(0, &[DarkUrine])];
        assert!(state(&s, &[], ts(200)).open.unwrap().until_clearance);
    }

    #[test]
    fn the_advice_follows_the_pause_not_the_result_alone() {
        let urgent = [screen(0, &[RedFlag::Fever])];
        let during = state(&urgent, &[], ts(10));
        assert!(during.blocks_training);
        assert!(during.advice().unwrap().contains("paused for 72 hours"));
        let after = state(&urgent, &[], ts(100));
        assert!(!after.blocks_training && after.open.is_some());
        let text = after.advice().unwrap();
        assert!(
            text.contains("not paused now") && !text.contains("72 hours"),
            "{text}"
        );
        let soon = state(&[screen(0, &[RedFlag::NightPain])], &[], ts(10));
        assert!(!soon.blocks_training);
        assert!(soon.advice().unwrap().contains("keeps planning"));
        assert_eq!(state(&[], &[], ts(10)).advice(), None);
    }

    #[test]
    fn dark_urine_locks_until_clearance() {
        let s = [screen(0, &[RedFlag::DarkUrine])];
        assert!(state(&s, &[], ts(200)).blocks_training, "not lifted after 72 h");
        let c = [Clearance {
            at: ts(100),
            note: None,
        }];
        assert!(!state(&s, &c, ts(200)).blocks_training);
    }

    /// A re-screen (during a flare, say) that only repeats a history answer does not pause training again; a new
    /// answer that raises the level does.
    #[test]
    fn a_repeated_history_answer_does_not_re_pause() {
        let onboarding = screen(0, &[RedFlag::CancerHistory, RedFlag::AgeOver50FirstEpisode]);
        // At onboarding the combination is urgent and pauses.
        assert!(state(std::slice::from_ref(&onboarding), &[], ts(1)).blocks_training);
        // An hour later, the same answers again: the pause already running is not cut short.
        let soon_after = screen(1, &[RedFlag::CancerHistory, RedFlag::AgeOver50FirstEpisode]);
        assert!(state(&[onboarding.clone(), soon_after], &[], ts(2)).blocks_training);
        // A new answer without a level of its own that makes a new combination pauses again.
        let fragile = screen(
            0,
            &[
                RedFlag::AgeOver70,
                RedFlag::CancerHistory,
                RedFlag::AgeOver50FirstEpisode,
            ],
        );
        let fell = screen(
            500,
            &[
                RedFlag::AgeOver70,
                RedFlag::CancerHistory,
                RedFlag::AgeOver50FirstEpisode,
                RedFlag::MinorTrauma,
            ],
        );
        assert!(state(&[fragile, fell], &[], ts(501)).blocks_training);
        // Weeks later, the same history at a flare re-screen: noted, no new pause.
        let again = screen(500, &[RedFlag::CancerHistory, RedFlag::AgeOver50FirstEpisode]);
        let st = state(&[onboarding.clone(), again], &[], ts(501));
        assert!(!st.blocks_training);
        assert_eq!(st.open.unwrap().urgency, Urgency::Urgent);
        // The same history with new night pain: paused again.
        let night = screen(
            500,
            &[
                RedFlag::CancerHistory,
                RedFlag::AgeOver50FirstEpisode,
                RedFlag::NightPain,
            ],
        );
        assert!(state(&[onboarding, night], &[], ts(501)).blocks_training);
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
