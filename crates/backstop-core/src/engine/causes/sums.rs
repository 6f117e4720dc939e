//! CA-3's sums, kept by the fold one session at a time: what every candidate's score needs, so that an assessment
//! after one new set weighs each candidate from a few hundred numbers instead of reading ten years of sessions again.
//!
//! Every row goes into the sums of all rows; a row exposed to a candidate (a direction loaded at all, an exercise or
//! a pattern done) also goes into that candidate's own sums. A candidate's fit over every row, and over the rows
//! without it (CA-3's spread), are then the sums of all rows with its own column added, and the sums of all rows
//! less its own. A fold checkpoint keeps them, so a resumed assessment gives the very same numbers as one that folds
//! every session: the same rows are added in the same order.

use std::collections::BTreeMap;
#[cfg(test)]
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::fit::{Gram, Row, WIDTH, Y, first_coefficient};
use super::{Block, Candidate, Scored, Unit, unit};
use crate::catalog::Catalog;
use crate::engine::Settings;
use crate::engine::session::SessionVerdict;
use crate::vocab::{Direction, Pattern};

/// The columns of the rows kept: each direction's load (demand × spinal sets, `Direction::ALL` order) …
const LOADS: usize = 5;
/// … the sets …
const SETS: usize = 5;
/// … and, in a candidate's own rows, its exposure; the pain is last ([`Y`]).
const OWN: usize = 6;

/// The sums of the fits of every candidate over the sessions folded so far (CA-3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sums {
    /// How many verdicts they cover: the fold's first so many.
    covered: usize,
    /// Every row.
    all: Kinds,
    /// The rows with any load on each direction, in `Direction::ALL` order.
    directions: [Kinds; 5],
    /// The rows with each exercise done.
    exercises: BTreeMap<String, Kinds>,
    /// The rows with each pattern's exercises done.
    patterns: BTreeMap<Pattern, Kinds>,
}

/// The two kinds of evidence (CA-1) over some rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Kinds {
    /// One row per exercise block with pain recorded: the pain's rise during it.
    rises: Gram,
    /// One row per settled session with a morning: its blocks summed, and the morning above the usual pain.
    mornings: Gram,
    /// Sessions with any exposure (CA-4's minimum).
    sessions: u32,
}

impl Kinds {
    fn push(&mut self, rise: Option<&Row>, morning: Option<&Row>) {
        if let Some(r) = rise {
            self.rises.push(r);
        }
        if let Some(m) = morning {
            self.mornings.push(m);
        }
    }
}

impl Sums {
    /// How many verdicts they cover.
    pub fn covered(&self) -> usize {
        self.covered
    }

    /// Adds the next verdict of the fold.
    pub fn push(&mut self, v: &SessionVerdict, catalog: &Catalog) {
        self.covered += 1;
        if let Some(u) = unit(v, catalog) {
            self.push_unit(&u);
        }
    }

    /// Adds a session with a verdict.
    pub(super) fn push_unit(&mut self, u: &Unit) {
        let row = |b: &Block| -> Row {
            let mut r = [0.0; WIDTH];
            for (x, d) in r.iter_mut().zip(&b.demand) {
                *x = d * b.spinal_sets;
            }
            r[SETS] = b.sets;
            r
        };
        // The session's row (its blocks summed), and each exercise's and pattern's exposure in it.
        let mut total: Row = [0.0; WIDTH];
        let mut loaded = [false; LOADS];
        let mut exercises: Vec<(&str, f64)> = Vec::new();
        let mut patterns: Vec<(Pattern, f64)> = Vec::new();
        for b in &u.blocks {
            let mut r = row(b);
            for (t, x) in total.iter_mut().zip(&r) {
                *t += x;
            }
            let rise = b.rise.map(|y| {
                r[Y] = y;
                r
            });
            self.all.push(rise.as_ref(), None);
            for (d, on) in loaded.iter_mut().enumerate() {
                if r[d] > 0.0 {
                    *on = true;
                    self.directions[d].push(rise.as_ref(), None);
                }
            }
            // The candidate's own rows carry its exposure: the block's spinal sets.
            let own = rise.map(|mut r| {
                r[OWN] = b.spinal_sets;
                r
            });
            let exposed = b.spinal_sets > 0.0;
            // Looked up by its id before an entry is made: most blocks are of exercises met before, and making the
            // key would allocate for each of them.
            if !self.exercises.contains_key(&*b.exercise) {
                self.exercises.insert(b.exercise.to_string(), Kinds::default());
            }
            if exposed && let Some(e) = self.exercises.get_mut(&*b.exercise) {
                e.push(own.as_ref(), None);
                add(&mut exercises, &*b.exercise, b.spinal_sets);
            }
            if let Some(p) = b.pattern {
                let e = self.patterns.entry(p).or_default();
                if exposed {
                    e.push(own.as_ref(), None);
                    add(&mut patterns, p, b.spinal_sets);
                }
            }
        }
        let morning = u.morning.filter(|_| !u.blocks.is_empty()).map(|m| {
            total[Y] = m;
            total
        });
        self.all.push(None, morning.as_ref());
        for (d, on) in loaded.iter().enumerate() {
            if *on {
                self.directions[d].push(None, morning.as_ref());
                self.directions[d].sessions += 1;
            }
        }
        let with_own = |x: f64| {
            morning.map(|mut r| {
                r[OWN] = x;
                r
            })
        };
        for (id, x) in exercises {
            if let Some(e) = self.exercises.get_mut(id) {
                e.push(None, with_own(x).as_ref());
                e.sessions += 1;
            }
        }
        for (p, x) in patterns {
            if let Some(e) = self.patterns.get_mut(&p) {
                e.push(None, with_own(x).as_ref());
                e.sessions += 1;
            }
        }
    }

    /// Every candidate met so far, in the order causes are listed before sorting: exercises by id, patterns, the
    /// five directions.
    pub(super) fn candidates(&self) -> impl Iterator<Item = Candidate<'_>> {
        self.exercises
            .keys()
            .map(|id| Candidate::Exercise(id))
            .chain(self.patterns.keys().map(|p| Candidate::Pattern(*p)))
            .chain(Direction::ALL.iter().map(|d| Candidate::Direction(*d)))
    }

    /// The candidate's own score over every session covered: [`super::score`] from the sums.
    pub(super) fn score(&self, c: Candidate<'_>, settings: &Settings) -> Option<Scored> {
        let (own, cols): (&Kinds, Vec<usize>) = match c {
            Candidate::Exercise(id) => (self.exercises.get(id)?, vec![OWN, SETS]),
            Candidate::Pattern(p) => (self.patterns.get(&p)?, vec![OWN, SETS]),
            Candidate::Direction(d) => {
                let i = d.index();
                let mut cols = vec![i];
                cols.extend((0..LOADS).filter(|j| *j != i));
                cols.push(SETS);
                (&self.directions[i], cols)
            }
        };
        if (own.sessions as usize) < settings.cause_min_exposures {
            return None;
        }
        let k = c.covariates();
        let fit = |all: &Gram, part: &Gram| {
            let (with, without) = match c {
                // A direction's load is a column of every row already.
                Candidate::Direction(_) => (*all, all.minus(part)),
                _ => (
                    all.with_column(OWN, part),
                    all.minus(part).with_column(OWN, &Gram::default()),
                ),
            };
            first_coefficient(&with.pick(&cols), &without.pick(&cols), k, 1)
        };
        Scored::of(
            fit(&self.all.rises, &own.rises),
            fit(&self.all.mornings, &own.mornings),
        )
    }
}

/// Adds `x` to `key`'s entry of a short list (a session's few exercises or patterns).
fn add<K: PartialEq + Copy>(list: &mut Vec<(K, f64)>, key: K, x: f64) {
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some((_, v)) => *v += x,
        None => list.push((key, x)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Text;
    use proptest::prelude::*;

    /// A drawn block: which exercise, its sets, how hard each was on the spine (0: not at all), its pain rise.
    type Draw = (usize, u8, u8, Option<i8>);

    /// Sessions of a few catalog exercises (an unknown one among them), with pain recorded for some blocks, a
    /// morning for some sessions, and some blocks that do not load the spine at all.
    fn sessions(catalog: &Catalog, draws: &[Vec<Draw>], mornings: &[Option<i8>]) -> Vec<Unit> {
        let ids = [
            "chest-supported-row",
            "trap-bar-deadlift",
            "dead-bug",
            "box-squat",
            "lat-pulldown",
            "barbell-bent-over-row",
            "my-own-exercise",
        ];
        draws
            .iter()
            .zip(mornings)
            .enumerate()
            .map(|(i, (blocks, morning))| Unit {
                blocks: blocks
                    .iter()
                    .map(|(e, sets, weight, rise)| {
                        let known = catalog.get(ids[*e % ids.len()]);
                        Block {
                            exercise: Text::from(ids[*e % ids.len()]),
                            pattern: known.map(|x| x.pattern),
                            demand: known.map_or([0.0; 5], |x| x.spinal.by_direction().map(f64::from)),
                            sets: f64::from(*sets),
                            // Some blocks count for nothing on the spine (CA-2).
                            spinal_sets: f64::from(*sets) * f64::from(*weight) * 0.35,
                            rise: rise.map(f64::from),
                            red: false,
                            low_risk: false,
                        }
                    })
                    .collect(),
                morning: morning.map(f64::from),
                at: jiff::Timestamp::from_second(1_700_000_000 + i as i64 * 86_400).unwrap_or_default(),
                red_morning: false,
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Every candidate scores from the sums as it does from the sessions themselves (CA-3), and the sums find
        /// the same candidates.
        #[test]
        fn the_sums_score_every_candidate_as_the_sessions_do(
            draws in proptest::collection::vec(
                proptest::collection::vec((0usize..7, 1u8..5, 0u8..4, proptest::option::of(-2i8..5)), 1..3),
                2..60,
            ),
            mornings in proptest::collection::vec(proptest::option::of(-2i8..5), 60),
        ) {
            let catalog = Catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
            let units = sessions(&catalog, &draws, &mornings);
            let mut sums = Sums::default();
            for u in &units {
                sums.push_unit(u);
            }
            let settings = Settings::default();
            let met: BTreeSet<String> = units.iter().flat_map(|u| &u.blocks).map(|b| b.exercise.to_string()).collect();
            prop_assert_eq!(sums.exercises.keys().cloned().collect::<BTreeSet<_>>(), met);
            for c in sums.candidates() {
                let (from_sums, from_units) = (sums.score(c, &settings), super::super::score(c, &units, &settings));
                match (&from_sums, &from_units) {
                    (Some(a), Some(b)) => {
                        prop_assert!((a.score - b.score).abs() < 1e-6, "{}: {} against {}", c.name(), a.score, b.score);
                        let (x, y) = (a.in_session.map(|f| f.1), b.in_session.map(|f| f.1));
                        prop_assert!(x.zip(y).is_none_or(|(x, y)| (x - y).abs() < 1e-6) && x.is_some() == y.is_some());
                    }
                    (None, None) => {}
                    _ => prop_assert!(false, "{}: sums {:?}, sessions {:?}", c.name(),
                        from_sums.map(|s| s.score), from_units.map(|s| s.score)),
                }
            }
        }
    }

    #[test]
    fn sums_added_in_two_runs_equal_sums_added_in_one() {
        let catalog = Catalog::builtin().unwrap_or_else(|e| panic!("{e}"));
        let draws: Vec<Vec<Draw>> = (0..40)
            .map(|i| vec![(i % 7, 3, 2, Some((i % 4) as i8)), ((i + 3) % 7, 2, 1, None)])
            .collect();
        let mornings: Vec<Option<i8>> = (0..40)
            .map(|i| (i % 3 != 0).then_some((i % 5) as i8 - 1))
            .collect();
        let units = sessions(&catalog, &draws, &mornings);
        let mut one = Sums::default();
        units.iter().for_each(|u| one.push_unit(u));
        let mut first = Sums::default();
        units[..17].iter().for_each(|u| first.push_unit(u));
        // Kept and read back, as a checkpoint does.
        let mut resumed: Sums = postcard::from_bytes(&postcard::to_stdvec(&first).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
        units[17..].iter().for_each(|u| resumed.push_unit(u));
        assert_eq!(resumed, one);
    }
}
