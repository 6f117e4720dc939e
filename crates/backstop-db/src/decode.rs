//! Rows back into facts, the same for every backend.
//!
//! Each backend's queries present a fact table under the same column names and kinds — instants as whole
//! milliseconds (`at_ms`, `recorded_at_ms`), numbers as 64-bit integers, lists as JSON text, yes/no as booleans —
//! so that one decoder per fact serves both, and a value stored by one backend reads back exactly as from the
//! other (the schema-parity test compares them).

use std::borrow::Cow;
use std::str::FromStr;

use backstop_app::store::{
    Account, AccountId, AthleteId, AuditAction, AuditEntry, CareDirective, CareKind, CareLink,
    CustomExercise, Invite, ProfileVersion, Role, StoreError, StoredCheckIn, StoredCheckpoint, StoredSession,
};
use backstop_core::facts::{ScreeningContext, TriageRecord};
use backstop_core::load::LoadInputs;
use backstop_core::{
    CheckIn, Clearance, Dose, Exercise, Felt, FlareEvent, FlareMark, LegReach, Load, Metres, Minutes, Pain,
    Profile, Reps, Rpe, Screening, Seconds, Session, SetEntry, SetKind, Stiffness, WeightUnit,
};
use jiff::Timestamp;
use sqlx::Row;

use crate::corrupt;

/// The three kinds of column a fact is stored in.
pub(crate) trait Cols {
    /// A whole number, or NULL.
    fn int(&self, col: &str) -> Result<Option<i64>, StoreError>;
    /// Text (JSON included), or NULL.
    fn text(&self, col: &str) -> Result<Option<String>, StoreError>;
    /// A yes/no column (SQLite's 0/1, PostgreSQL's boolean).
    fn flag(&self, col: &str) -> Result<bool, StoreError>;
}

macro_rules! cols {
    ($row:ty) => {
        impl Cols for $row {
            fn int(&self, col: &str) -> Result<Option<i64>, StoreError> {
                self.try_get(col).map_err(|e| corrupt(col, e))
            }
            fn text(&self, col: &str) -> Result<Option<String>, StoreError> {
                self.try_get(col).map_err(|e| corrupt(col, e))
            }
            fn flag(&self, col: &str) -> Result<bool, StoreError> {
                self.try_get(col).map_err(|e| corrupt(col, e))
            }
        }
    };
}
cols!(sqlx::sqlite::SqliteRow);
cols!(sqlx::postgres::PgRow);

fn int(r: &impl Cols, col: &str) -> Result<i64, StoreError> {
    r.int(col)?.ok_or_else(|| corrupt(col, "missing"))
}

fn text(r: &impl Cols, col: &str) -> Result<String, StoreError> {
    r.text(col)?.ok_or_else(|| corrupt(col, "missing"))
}

/// An instant column, stored as milliseconds since the Unix epoch.
pub(crate) fn instant(r: &impl Cols, col: &str) -> Result<Timestamp, StoreError> {
    millis(int(r, col)?, col)
}

/// An instant stored as milliseconds since the Unix epoch, read from column `col`.
pub(crate) fn millis(v: i64, col: &str) -> Result<Timestamp, StoreError> {
    Timestamp::from_millisecond(v).map_err(|e| corrupt(col, e))
}

/// A fold checkpoint's row: `cut_ms`, `settled_from_ms`, `fingerprint`, `state`.
pub(crate) fn checkpoint(
    (cut, settled_from, fingerprint, state): (i64, i64, String, Vec<u8>),
) -> Result<StoredCheckpoint, StoreError> {
    Ok(StoredCheckpoint {
        cut: millis(cut, "fold_checkpoints.cut_ms")?,
        settled_from: millis(settled_from, "fold_checkpoints.settled_from_ms")?,
        fingerprint,
        state,
    })
}

fn role(r: &impl Cols, col: &str) -> Result<Role, StoreError> {
    Role::from_str(&text(r, col)?).map_err(|e| corrupt(col, e))
}

/// An account: `id`, `email`, `name`, `role`, `password_phc`, `athlete_id`, `created_at_ms`.
pub(crate) fn account(r: &impl Cols) -> Result<Account, StoreError> {
    Ok(Account {
        id: AccountId(int(r, "id")?),
        email: text(r, "email")?,
        name: text(r, "name")?,
        role: role(r, "role")?,
        password_phc: text(r, "password_phc")?,
        athlete: r.int("athlete_id")?.map(AthleteId),
        created_at: instant(r, "created_at_ms")?,
    })
}

/// An open invitation: `role`, `invited_by`, `invited_by_name`, `expires_at_ms`.
pub(crate) fn invite(r: &impl Cols) -> Result<Invite, StoreError> {
    Ok(Invite {
        role: role(r, "role")?,
        invited_by: AccountId(int(r, "invited_by")?),
        invited_by_name: text(r, "invited_by_name")?,
        expires_at: instant(r, "expires_at_ms")?,
    })
}

/// A care link: `id`, `staff_id`, `staff_name`, `staff_role`, `athlete_id`, `athlete_name`, `created_at_ms`,
/// `revoked_at_ms`.
pub(crate) fn care_link(r: &impl Cols) -> Result<CareLink, StoreError> {
    Ok(CareLink {
        id: int(r, "id")?,
        staff: AccountId(int(r, "staff_id")?),
        staff_name: text(r, "staff_name")?,
        staff_role: role(r, "staff_role")?,
        athlete: AthleteId(int(r, "athlete_id")?),
        athlete_name: text(r, "athlete_name")?,
        created_at: instant(r, "created_at_ms")?,
        revoked_at: r
            .int("revoked_at_ms")?
            .map(|v| millis(v, "revoked_at_ms"))
            .transpose()?,
    })
}

/// A care directive: `id`, `by_account`, `by_name`, `at_ms`, `kind`, `value`, `undone_at_ms`.
pub(crate) fn care_directive(r: &impl Cols) -> Result<CareDirective, StoreError> {
    Ok(CareDirective {
        id: int(r, "id")?,
        by: AccountId(int(r, "by_account")?),
        by_name: text(r, "by_name")?,
        at: instant(r, "at_ms")?,
        kind: CareKind::from_str(&text(r, "kind")?).map_err(|e| corrupt("kind", e))?,
        value: text(r, "value")?,
        undone_at: r
            .int("undone_at_ms")?
            .map(|v| millis(v, "undone_at_ms"))
            .transpose()?,
    })
}

/// An audit entry: `at_ms`, `actor_id`, `actor_name`, `action`, `what`.
pub(crate) fn audit_entry(r: &impl Cols) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        at: instant(r, "at_ms")?,
        actor: AccountId(int(r, "actor_id")?),
        actor_name: text(r, "actor_name")?,
        action: match text(r, "action")?.as_str() {
            "read" => AuditAction::Read,
            "change" => AuditAction::Change,
            other => return Err(corrupt("action", format!("unknown action `{other}`"))),
        },
        what: text(r, "what")?,
    })
}

fn from_json<'a, T: serde::Deserialize<'a>>(what: &str, s: &'a str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| corrupt(what, e))
}

fn json_col<T: serde::de::DeserializeOwned>(r: &impl Cols, col: &str) -> Result<T, StoreError> {
    from_json(col, &text(r, col)?)
}

fn opt_u32<T, E: std::fmt::Display>(
    r: &impl Cols,
    col: &str,
    make: impl FnOnce(u32) -> Result<T, E>,
) -> Result<Option<T>, StoreError> {
    r.int(col)?
        .map(|v| {
            let v = u32::try_from(v).map_err(|e| corrupt(col, e))?;
            make(v).map_err(|e| corrupt(col, e))
        })
        .transpose()
}

/// A pain rating read on its own (`col` names it in the error).
pub(crate) fn pain_value(v: Option<i64>, col: &str) -> Result<Option<Pain>, StoreError> {
    v.map(|v| Pain::new(u8::try_from(v).unwrap_or(u8::MAX)).map_err(|e| corrupt(col, e)))
        .transpose()
}

fn pain(r: &impl Cols, col: &str) -> Result<Option<Pain>, StoreError> {
    opt_u32(r, col, |v| Pain::new(u8::try_from(v).unwrap_or(u8::MAX)))
}

fn rpe(r: &impl Cols, col: &str) -> Result<Option<Rpe>, StoreError> {
    opt_u32(r, col, |v| Rpe::from_halves(u8::try_from(v).unwrap_or(u8::MAX)))
}

fn leg_reach(r: &impl Cols, col: &str) -> Result<Option<LegReach>, StoreError> {
    r.text(col)?
        .map(|t| LegReach::from_str(&t).map_err(|e| corrupt(col, e)))
        .transpose()
}

/// A `profile_versions` row.
pub(crate) fn profile_version(r: &impl Cols) -> Result<ProfileVersion, StoreError> {
    let units = text(r, "units")?;
    let minutes = int(r, "minutes")?;
    let baseline = int(r, "baseline_pain")?;
    Ok(ProfileVersion {
        recorded_at: instant(r, "recorded_at_ms")?,
        profile: Profile {
            units: WeightUnit::from_str(&units).map_err(|e| corrupt("units", e))?,
            time_zone: text(r, "time_zone")?,
            equipment: json_col(r, "equipment")?,
            days: json_col(r, "days")?,
            minutes: Minutes::new(u32::try_from(minutes).unwrap_or(0)).map_err(|e| corrupt("minutes", e))?,
            baseline_pain: Pain::new(u8::try_from(baseline).unwrap_or(u8::MAX))
                .map_err(|e| corrupt("baseline_pain", e))?,
            aggravators: json_col(r, "aggravators")?,
            training_years: r
                .int("training_years")?
                .map(|y| u8::try_from(y).unwrap_or(u8::MAX)),
            settings: match r.text("settings")? {
                Some(t) => from_json("settings", &t)?,
                None => Default::default(),
            },
            goal_lifts: json_col(r, "goal_lifts")?,
            usual_leg_symptoms: leg_reach(r, "usual_leg_symptoms")?,
            // Not the person's own answer: filled in from the care settings in force (`App::context`).
            not_planned: Vec::new(),
        },
    })
}

/// A `screenings` row.
pub(crate) fn screening(r: &impl Cols) -> Result<Screening, StoreError> {
    let context: ScreeningContext = serde_json::from_value(serde_json::Value::String(text(r, "context")?))
        .map_err(|e| corrupt("context", e))?;
    Ok(Screening {
        at: instant(r, "at_ms")?,
        context,
        flags: json_col(r, "flags")?,
    })
}

/// A `sessions` row, with its sets already read.
pub(crate) fn session(r: &impl Cols, sets: Vec<SetEntry>) -> Result<Session, StoreError> {
    Ok(Session {
        at: instant(r, "at_ms")?,
        pain_before: pain(r, "pain_before")?,
        minutes: opt_u32(r, "minutes", Minutes::new)?,
        session_rpe: rpe(r, "session_rpe_x2")?,
        sets,
        notes: r.text("notes")?,
        source: r.text("source")?,
    })
}

/// A session's load inputs: `at_ms`, `minutes`, `session_rpe_x2`, and its sets other than warm-ups counted
/// (`working_sets`), with an RPE (`rated_sets`) and their RPEs summed in half points (`rpe_halves`).
pub(crate) fn load_inputs(r: &impl Cols) -> Result<LoadInputs, StoreError> {
    let count = |col: &str| -> Result<u32, StoreError> {
        u32::try_from(r.int(col)?.unwrap_or(0)).map_err(|e| corrupt(col, e))
    };
    Ok(LoadInputs {
        at: instant(r, "at_ms")?,
        minutes: opt_u32(r, "minutes", Minutes::new)?,
        session_rpe: rpe(r, "session_rpe_x2")?,
        working_sets: count("working_sets")?,
        rated_sets: count("rated_sets")?,
        rpe_halves: count("rpe_halves")?,
    })
}

/// The set columns, in the order of the JSON arrays [`session_with_sets_json`] reads.
pub(crate) const SET_COLUMNS: [&str; 10] = [
    "exercise_id",
    "reps",
    "seconds",
    "metres",
    "load_g",
    "rpe_x2",
    "pain",
    "felt",
    "form_breakdown",
    "kind",
];

/// One set as the backends build it: a JSON array of [`SET_COLUMNS`], in that order, read straight into its
/// fields (text borrowed from the JSON where it has no escapes) and then checked as a row of the `sets` table is.
/// Reading each array into `serde_json::Value`s first cost 16 % of the instructions of `backstop status` on ten
/// years (callgrind: 579 million before, 485 million after).
struct JsonSet<'a> {
    exercise_id: Option<Cow<'a, str>>,
    reps: Option<i64>,
    seconds: Option<i64>,
    metres: Option<i64>,
    load_g: Option<i64>,
    rpe_x2: Option<i64>,
    pain: Option<i64>,
    felt: Option<Cow<'a, str>>,
    /// SQLite's 0/1, PostgreSQL's boolean: a scalar, so no allocation.
    form_breakdown: serde_json::Value,
    kind: Option<Cow<'a, str>>,
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for JsonSet<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = JsonSet<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "an array of the {} set columns", SET_COLUMNS.len())
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<JsonSet<'a>, A::Error> {
                use serde::de::Error as _;
                // Each column by name, as a row's would be: what is wrong, and where.
                macro_rules! field {
                    ($i:literal, $t:ty) => {{
                        let name = SET_COLUMNS[$i];
                        seq.next_element::<$t>()
                            .map_err(|e| A::Error::custom(format!("{name}: {e}")))?
                            .ok_or_else(|| A::Error::custom(format!("{name}: missing")))?
                    }};
                }
                // In SET_COLUMNS' order.
                let set = JsonSet {
                    exercise_id: field!(0, Option<CowStr<'a>>).map(|c| c.0),
                    reps: field!(1, Option<i64>),
                    seconds: field!(2, Option<i64>),
                    metres: field!(3, Option<i64>),
                    load_g: field!(4, Option<i64>),
                    rpe_x2: field!(5, Option<i64>),
                    pain: field!(6, Option<i64>),
                    felt: field!(7, Option<CowStr<'a>>).map(|c| c.0),
                    form_breakdown: field!(8, serde_json::Value),
                    kind: field!(9, Option<CowStr<'a>>).map(|c| c.0),
                };
                if seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    return Err(A::Error::custom("a set has more columns than the store writes"));
                }
                Ok(set)
            }
        }
        d.deserialize_seq(Visit(std::marker::PhantomData))
    }
}

/// Text borrowed from the JSON where it can be (`Cow` alone always copies when deserialized).
struct CowStr<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for CowStr<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = CowStr<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("text")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<CowStr<'a>, E> {
                Ok(CowStr(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<CowStr<'a>, E> {
                Ok(CowStr(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(Visit(std::marker::PhantomData))
    }
}

impl Cols for JsonSet<'_> {
    fn int(&self, col: &str) -> Result<Option<i64>, StoreError> {
        match col {
            "reps" => Ok(self.reps),
            "seconds" => Ok(self.seconds),
            "metres" => Ok(self.metres),
            "load_g" => Ok(self.load_g),
            "rpe_x2" => Ok(self.rpe_x2),
            "pain" => Ok(self.pain),
            _ => Err(corrupt(col, "not a number column of a set")),
        }
    }
    fn text(&self, col: &str) -> Result<Option<String>, StoreError> {
        let v = match col {
            "exercise_id" => &self.exercise_id,
            "felt" => &self.felt,
            "kind" => &self.kind,
            _ => return Err(corrupt(col, "not a text column of a set")),
        };
        Ok(v.as_deref().map(str::to_owned))
    }
    fn flag(&self, col: &str) -> Result<bool, StoreError> {
        if col != "form_breakdown" {
            return Err(corrupt(col, "not a yes/no column of a set"));
        }
        match &self.form_breakdown {
            serde_json::Value::Bool(b) => Ok(*b),
            v => match v.as_i64() {
                Some(0) => Ok(false),
                Some(1) => Ok(true),
                _ => Err(corrupt(col, "not 0 or 1")),
            },
        }
    }
}

/// A `sessions` row with its sets as one JSON array in its `sets_json` column (each set an array of
/// [`SET_COLUMNS`], in position order), checked as rows of the `sets` table are.
pub(crate) fn session_with_sets_json(r: &impl Cols) -> Result<StoredSession, StoreError> {
    let json = text(r, "sets_json")?;
    let sets: Vec<JsonSet<'_>> = from_json("sets_json", &json)?;
    Ok(StoredSession {
        id: int(r, "id")?,
        recorded_at: instant(r, "recorded_at_ms")?,
        session: session(r, sets.iter().map(set).collect::<Result<_, _>>()?)?,
    })
}

/// A `sets` row.
pub(crate) fn set(r: &impl Cols) -> Result<SetEntry, StoreError> {
    let reps = opt_u32(r, "reps", Reps::new)?;
    let seconds = opt_u32(r, "seconds", Seconds::new)?;
    let metres = opt_u32(r, "metres", Metres::new)?;
    let dose = match (reps, seconds, metres) {
        (Some(r), None, None) => Dose::Reps(r),
        (None, Some(s), None) => Dose::Seconds(s),
        (None, None, Some(m)) => Dose::Metres(m),
        _ => return Err(corrupt("set", "needs exactly one of reps, seconds, metres")),
    };
    let felt = match text(r, "felt")?.as_str() {
        "target" => Felt::Target,
        "back" => Felt::Back,
        "leg" => Felt::Leg,
        other => return Err(corrupt("felt", other)),
    };
    Ok(SetEntry {
        exercise: text(r, "exercise_id")?,
        dose,
        load: opt_u32(r, "load_g", Load::from_grams)?,
        rpe: rpe(r, "rpe_x2")?,
        pain: pain(r, "pain")?,
        felt,
        form_breakdown: r.flag("form_breakdown")?,
        kind: match text(r, "kind")?.as_str() {
            "normal" => SetKind::Normal,
            "warmup" => SetKind::Warmup,
            "drop" => SetKind::Drop,
            "failure" => SetKind::Failure,
            other => return Err(corrupt("kind", other)),
        },
    })
}

/// A `checkins` row.
pub(crate) fn checkin(r: &impl Cols) -> Result<StoredCheckIn, StoreError> {
    Ok(StoredCheckIn {
        recorded_at: instant(r, "recorded_at_ms")?,
        checkin: CheckIn {
            at: instant(r, "at_ms")?,
            pain: pain(r, "pain")?.ok_or_else(|| corrupt("pain", "missing"))?,
            stiffness: opt_u32(r, "stiffness", Stiffness::new)?,
            muscle_soreness: r.flag("muscle_soreness")?,
            leg_pain: r.flag("leg_pain")?,
            numbness: r.flag("numbness")?,
            weakness: r.flag("weakness")?,
            leg_reach: leg_reach(r, "leg_reach")?,
        },
    })
}

/// A `custom_exercises` row.
pub(crate) fn custom_exercise(r: &impl Cols) -> Result<CustomExercise, StoreError> {
    Ok(CustomExercise {
        recorded_at: instant(r, "recorded_at_ms")?,
        exercise: json_col::<Exercise>(r, "definition")?,
    })
}

/// A `flare_events` row.
pub(crate) fn flare_event(r: &impl Cols) -> Result<FlareEvent, StoreError> {
    let mark = match text(r, "mark")?.as_str() {
        "start" => FlareMark::Start,
        "end" => FlareMark::End,
        other => return Err(corrupt("mark", other)),
    };
    Ok(FlareEvent {
        at: instant(r, "at_ms")?,
        mark,
    })
}

/// A `clearances` row.
pub(crate) fn clearance(r: &impl Cols) -> Result<Clearance, StoreError> {
    Ok(Clearance {
        at: instant(r, "at_ms")?,
        note: r.text("note")?,
    })
}

/// A `triages` row.
pub(crate) fn triage(r: &impl Cols) -> Result<TriageRecord, StoreError> {
    Ok(TriageRecord {
        at: instant(r, "at_ms")?,
        answers: json_col(r, "answers")?,
    })
}

/// The stored word for a flare mark.
pub(crate) fn mark_word(m: FlareMark) -> &'static str {
    match m {
        FlareMark::Start => "start",
        FlareMark::End => "end",
    }
}

/// A set's dose as the three nullable columns (reps, seconds, metres).
pub(crate) fn dose_columns(d: Dose) -> (Option<i64>, Option<i64>, Option<i64>) {
    match d {
        Dose::Reps(r) => (Some(i64::from(r.get())), None, None),
        Dose::Seconds(x) => (None, Some(i64::from(x.get())), None),
        Dose::Metres(m) => (None, None, Some(i64::from(m.get()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A session row with only what `session_with_sets_json` reads.
    struct Row(&'static str);

    impl Cols for Row {
        fn int(&self, col: &str) -> Result<Option<i64>, StoreError> {
            Ok(match col {
                "id" => Some(7),
                "at_ms" | "recorded_at_ms" => Some(1_764_000_000_000),
                _ => None,
            })
        }
        fn text(&self, col: &str) -> Result<Option<String>, StoreError> {
            Ok((col == "sets_json").then(|| self.0.to_owned()))
        }
        fn flag(&self, _: &str) -> Result<bool, StoreError> {
            Ok(false)
        }
    }

    #[test]
    fn a_sessions_sets_come_back_from_either_backends_array() {
        // SQLite's 0/1 and PostgreSQL's boolean for the form flag; nulls for what a set does not have.
        let s = session_with_sets_json(&Row(
            r#"[["dead-bug", 8, null, null, null, 14, 2, "back", 1, "normal"],
                ["farmer-carry", null, null, 40, 24000, null, null, "target", false, "warmup"]]"#,
        ))
        .unwrap();
        assert_eq!(s.id, 7);
        let sets = &s.session.sets;
        assert_eq!(sets.len(), 2);
        assert_eq!(sets[0].exercise, "dead-bug");
        assert_eq!(sets[0].dose, Dose::Reps(Reps::new(8).unwrap()));
        assert_eq!(sets[0].rpe, Some(Rpe::new(7.0).unwrap()));
        assert_eq!((sets[0].felt, sets[0].form_breakdown), (Felt::Back, true));
        assert_eq!(sets[1].dose, Dose::Metres(Metres::new(40).unwrap()));
        assert_eq!(sets[1].load, Some(Load::from_grams(24_000).unwrap()));
        assert_eq!((sets[1].kind, sets[1].form_breakdown), (SetKind::Warmup, false));
        // Text with an escape in it cannot be borrowed from the JSON, and reads the same.
        let escaped = session_with_sets_json(&Row(
            r#"[["dead\u002dbug", 8, null, null, null, null, null, "b\u0061ck", 0, "normal"]]"#,
        ))
        .unwrap();
        assert_eq!(escaped.session.sets[0].exercise, "dead-bug");
        assert_eq!(escaped.session.sets[0].felt, Felt::Back);
        assert!(
            session_with_sets_json(&Row("[]"))
                .unwrap()
                .session
                .sets
                .is_empty()
        );
    }

    #[test]
    fn a_damaged_array_is_refused_by_what_is_wrong() {
        for (json, says) in [
            (
                r#"[["dead-bug", 8, null, null, null, null, null, "knee", 0, "normal"]]"#,
                "felt",
            ),
            (
                r#"[["dead-bug", 8, null, null, null, null, null, "back", 2, "normal"]]"#,
                "form_breakdown",
            ),
            (
                r#"[["dead-bug", 8, 30, null, null, null, null, "back", 0, "normal"]]"#,
                "exactly one",
            ),
            (
                r#"[["dead-bug", 0, null, null, null, null, 12, "back", 0, "normal"]]"#,
                "reps",
            ),
            (
                r#"[["dead-bug", 8, null, null, null, null, 11, "back", 0, "normal"]]"#,
                "pain",
            ),
            (
                r#"[["dead-bug", "8", null, null, null, null, null, "back", 0, "normal"]]"#,
                "reps",
            ),
            (r#"[["dead-bug", 8]]"#, "missing"),
            (
                r#"[["dead-bug", 8, null, null, null, null, null, "back", 0, "normal", 1]]"#,
                "more columns",
            ),
            (r#"[["dead-bug""#, "sets_json"),
        ] {
            let e = session_with_sets_json(&Row(json)).unwrap_err().to_string();
            assert!(e.contains(says), "{json}: {e}");
        }
    }
}
