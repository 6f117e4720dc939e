//! Every rule the engine, the planner and the triage apply, as one table.
//!
//! A decision names the rule that made it (`SessionVerdict::rule`, `LedgerEntry::rule`, …) by a [`RuleId`], which
//! prints and serialises as the id people read in `docs/rules.md` ("PM-2", "CA-4"). The table gives each rule its
//! name, its evidence tag and the section of `docs/rules.md` that explains it; the thresholds a person may change
//! are listed per rule by [`crate::engine::settings::FIELDS`] and reached through [`RuleId::settings`]. A test keeps
//! the table, the code and the document in step: every id written in the code is a rule here, and every rule in
//! the document's summary table is one here and the other way round.

use serde::{Deserialize, Serialize};

/// One rule: its id, what it is about, how strong the evidence behind it is, and where it is explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The rule.
    pub id: RuleId,
    /// What it does, in a few words.
    pub name: &'static str,
    /// Evidence tag, as in `docs/rules.md`: A guideline or trial, B study, C clinical convention, D backstop's own
    /// default; combinations such as "A+D" say which part rests on which.
    pub evidence: &'static str,
    /// The heading of the `docs/rules.md` section that explains it.
    pub section: &'static str,
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $name:literal, $evidence:literal, $section:literal;)*) => {
        /// A rule's id. It prints and serialises as the id in `docs/rules.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId {
            $(
                #[doc = concat!($id, ": ", $name, ".")]
                $variant,
            )*
        }

        /// Every rule, in the order of `docs/rules.md`'s families.
        pub const RULES: &[Rule] = &[
            $(Rule { id: RuleId::$variant, name: $name, evidence: $evidence, section: $section },)*
        ];

        impl RuleId {
            /// The id as people read it ("PM-2").
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }

            /// The rule with this id, if it is one ("PM-2" → `RuleId::Pm2`).
            pub fn parse(id: &str) -> Option<RuleId> {
                match id {
                    $($id => Some(RuleId::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

rules! {
    Pm1 = "PM-1", "pain is recorded before, during and after training", "A/C", "During the session";
    Pm2 = "PM-2", "the in-session pain ceiling and the green limit", "A", "During the session";
    Pm3 = "PM-3", "red during a set: stop it and regress next time", "C/D", "During the session";
    Pm4 = "PM-4", "symptoms in the leg are red", "B/C", "During the session";
    Pm5 = "PM-5", "the next morning decides the session against usual pain", "A+D", "The session verdict";
    Pm6 = "PM-6", "a rising weekly trend holds progression", "A+D", "The weekly trend";
    Pm7 = "PM-7", "the next dose follows the verdict", "A+D", "The next step and the next dose";
    Pm8 = "PM-8", "pain does not have to be zero", "A/C/D", "During the session";
    Pm9 = "PM-9", "pain within the ceiling that settles by morning is calm", "A", "During the session";
    Pg1 = "PG-1", "more reps within the range", "A+D", "The next step and the next dose";
    Pg2 = "PG-2", "one more working set, up to the goal", "C", "The next step and the next dose";
    Pg3 = "PG-3", "a higher effort ceiling", "C+D", "The next step and the next dose";
    Pg4 = "PG-4", "a load step", "A", "The next step and the next dose";
    Pg5 = "PG-5", "the harder option when there is no load to step", "C+D", "The next step and the next dose";
    Pg6 = "PG-6", "the session grows towards the time budget", "D", "The planner";
    Pg7 = "PG-7", "a first load from the lifter's own history", "C+D", "The next step and the next dose";
    Pg8 = "PG-8", "goal lifts climbed one rung at a time", "C+D", "Goal lifts and their ladders";
    Bk1 = "BK-1", "no check-in by 72 hours: judged on the sets, unconfirmed", "D", "The session verdict";
    Bk2 = "BK-2", "felt in the back or form broke down: at most amber", "D", "During the session";
    Bk3 = "BK-3", "who takes the blame for a red session", "D", "Passing the session's verdict to its exercises";
    Bk4 = "BK-4", "measured against usual pain, not a rolling median", "D", "The session verdict";
    Bk5 = "BK-5", "gentle flare-safe work is never a session's change", "D", "One change at a time";
    Bk6 = "BK-6", "pain that had already climbed does not park an exercise", "D", "The tolerance ledger and parking";
    Bk7 = "BK-7", "a red morning after a rise on one direction is pinned on the rise", "D", "Passing the session's verdict to its exercises";
    Bk8 = "BK-8", "a back often red for no reason: one more red morning is not pinned", "D", "Passing the session's verdict to its exercises";
    Bk9 = "BK-9", "a session with no pain recorded is history, not evidence", "D", "The session verdict";
    C5 = "C5", "one change at a time", "D", "One change at a time";
    C6 = "C6", "the tolerance ledger, parking and retests", "D", "The tolerance ledger and parking";
    C7 = "C7", "the planner's session", "D", "The planner";
    C8 = "C8", "the planner fits the minutes and today's pain", "D", "The planner";
    C10 = "C10", "the soreness-or-pain triage", "C/B", "Soreness or pain? The triage";
    Ca1 = "CA-1", "causes found across the history, per exercise", "C+D", "Causes and suspects";
    Ca2 = "CA-2", "causes per movement pattern and spinal direction", "C+D", "Causes and suspects";
    Ca3 = "CA-3", "a cause's score against the rest of the training", "C+D", "Causes and suspects";
    Ca4 = "CA-4", "a cause is named, with a confidence, and held back", "C+D", "Causes and suspects";
    Ca5 = "CA-5", "an exercise and the broader cause that holds it are told apart", "D", "Causes and suspects";
    Ca6 = "CA-6", "a cause is confirmed at its retest", "D", "Causes and suspects";
    Ca7 = "CA-7", "a direction is confirmed by the sessions after it was named", "D", "Causes and suspects";
    Ds1 = "DS-1", "soreness or pain: the check-in's answer", "C/B", "Soreness or pain? The triage";
    Ds2 = "DS-2", "muscle soreness is not back pain", "B+D", "The session verdict";
    Ds3 = "DS-3", "soreness that has not eased by 72 hours is pain", "C", "The session verdict";
    Ds4 = "DS-4", "extreme muscle pain with dark urine: urgent care", "C", "Soreness or pain? The triage";
    Es1 = "ES-1", "sensitivity to a direction: a guess, confirmed or dropped", "D", "Sensitivity categories";
    Es2 = "ES-2", "start with work that does not provoke", "D", "Sensitivity categories";
    Es3 = "ES-3", "re-expose weekly", "B/D", "Sensitivity categories";
    Es4 = "ES-4", "red twice within three exposures: parked", "D", "The tolerance ledger and parking";
    Es5 = "ES-5", "the starting guess can be dropped by the lifter's own data", "B", "Sensitivity categories";
    Fl1 = "FL-1", "what a flare is", "A+B+D", "Flare-ups";
    Fl2 = "FL-2", "during a flare: reduce, don't stop", "A/C", "Flare-ups";
    Fl3 = "FL-3", "the way back after a flare", "C+D", "Flare-ups";
    Fl4 = "FL-4", "a long flare: a clinician's review", "C", "Flare-ups";
    Fl5 = "FL-5", "candidate triggers per flare (not applied yet)", "B", "Flare-ups";
    Fl6 = "FL-6", "every flare episode is kept", "B", "Flare-ups";
    Lm1 = "LM-1", "session load", "B+D", "Training load";
    Lm2 = "LM-2", "weekly load, monotony and strain", "B", "Training load";
    Lm3 = "LM-3", "the acute:chronic ratio, with its caveats", "B", "Training load";
    Lm4 = "LM-4", "a week's back-loading sets rise by at most a fifth", "C+D", "Training load";
    Lm5 = "LM-5", "a load step is about 5 %", "A", "Training load";
    Lm6 = "LM-6", "no heavy hinge or axial work within 48 hours of the last", "A/D", "Training load";
    Lm7 = "LM-7", "a deload when strain and morning pain rise together", "C+D", "Training load";
    Rf1 = "RF-1", "the red-flag questions", "A/C", "Red flags and alerts";
    Rf2 = "RF-2", "an emergency or urgent answer stops planning", "A/C", "Red flags and alerts";
    Rf3 = "RF-3", "a clinician's clearance lifts the stop", "A/C", "Red flags and alerts";
    Rf4 = "RF-4", "when the questions are asked again", "A/C", "Red flags and alerts";
    Rf5 = "RF-5", "the screen informs; it never diagnoses", "A/C", "Red flags and alerts";
}

impl RuleId {
    /// The rule's row in [`RULES`].
    pub fn rule(self) -> &'static Rule {
        // Every variant has its row, in declaration order (a test checks it).
        &RULES[self as usize]
    }

    /// The thresholds a person may change for this rule (`Settings` field names).
    pub fn settings(self) -> impl Iterator<Item = &'static str> {
        crate::engine::settings::FIELDS
            .iter()
            .filter(move |(_, _, rules)| rules.contains(&self))
            .map(|(name, _, _)| *name)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for RuleId {
    type Err = UnknownRule;

    fn from_str(s: &str) -> Result<RuleId, UnknownRule> {
        RuleId::parse(s).ok_or_else(|| UnknownRule(s.to_owned()))
    }
}

/// A rule id that is not one of [`RULES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no rule has the id `{0}`")]
pub struct UnknownRule(pub String);

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RuleId, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_its_row_in_order_and_ids_are_unique() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(r.id as usize, i, "{} is out of order", r.id);
            assert_eq!(r.id.rule(), r);
            assert_eq!(RuleId::parse(r.id.as_str()), Some(r.id));
        }
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }

    #[test]
    fn ids_round_trip_through_json_and_unknown_ones_are_refused() {
        let json = serde_json::to_string(&RuleId::Ca4).unwrap();
        assert_eq!(json, "\"CA-4\"");
        assert_eq!(serde_json::from_str::<RuleId>(&json).unwrap(), RuleId::Ca4);
        let err = serde_json::from_str::<RuleId>(&format!("\"PM-{}\"", 10)).unwrap_err();
        assert!(err.to_string().contains("no rule has the id"), "{err}");
        assert_eq!("C5".parse::<RuleId>(), Ok(RuleId::C5));
        assert!("c5".parse::<RuleId>().is_err());
    }

    #[test]
    fn a_rule_lists_its_thresholds() {
        let pm2: Vec<&str> = RuleId::Pm2.settings().collect();
        assert!(pm2.contains(&"ceiling_max"), "{pm2:?}");
        assert!(pm2.contains(&"green_max"), "{pm2:?}");
        assert_eq!(RuleId::Rf5.settings().count(), 0);
    }
}
