//! Goal lifts and their ladders (PG-8): the way from what a person does now to the lifts they want back.
//!
//! The catalog's `progressions` make a graph: an edge from an exercise to each of its harder options. A goal lift's
//! ladder is a shortest path in that graph, through exercises the person's equipment allows, that ends at the
//! goal. It starts at the rung closest to the goal that the person already does (and has not had parked), or, for
//! someone who does none of them, at the gentlest exercise that leads there. The engine climbs it one rung at a time
//! (the next rung is a harder option, PG-5) and the planner brings in its first rung; a red on a rung steps back to
//! the one below.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use crate::catalog::{Catalog, Exercise};
use crate::vocab::Equipment;

/// One goal lift's ladder and the person's place on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ladder {
    /// The goal lift.
    pub goal: String,
    /// The rungs, from the start to the goal (the goal last).
    pub rungs: Vec<String>,
    /// The highest rung the person does now, if any.
    pub position: Option<usize>,
}

impl Ladder {
    /// The rung the person is on, if any.
    pub fn current(&self) -> Option<&str> {
        self.position.and_then(|p| self.rungs.get(p)).map(String::as_str)
    }

    /// Whether the person has reached the goal.
    pub fn reached(&self) -> bool {
        self.position.is_some_and(|p| p + 1 == self.rungs.len())
    }
}

/// Per exercise on the way to a goal: the next exercise towards it and the number of steps left.
pub type Towards = BTreeMap<String, (String, usize)>;

/// For every exercise from which `goal` can be reached through available harder options: the next step towards the
/// goal and the number of steps left. The goal itself maps to itself with 0 steps.
pub fn towards(catalog: &Catalog, goal: &str, equipment: &[Equipment]) -> Towards {
    let mut out = BTreeMap::new();
    let Some(g) = catalog.get(goal).filter(|g| g.available_with(equipment)) else {
        return out;
    };
    out.insert(g.id.clone(), (g.id.clone(), 0));
    let mut queue = VecDeque::from([g.id.clone()]);
    while let Some(cur) = queue.pop_front() {
        let d = out.get(&cur).map_or(0, |(_, d)| *d);
        // Exercises that list `cur` as a harder option, in catalog order so that ties are stable.
        for e in catalog.exercises() {
            if e.progressions.contains(&cur) && e.available_with(equipment) && !out.contains_key(&e.id) {
                out.insert(e.id.clone(), (cur.clone(), d + 1));
                queue.push_back(e.id.clone());
            }
        }
    }
    out
}

/// Builds the ladder to `goal`. `does(id)` tells whether the person does an exercise now (done, and not parked).
pub fn ladder(catalog: &Catalog, goal: &str, equipment: &[Equipment], does: impl Fn(&str) -> bool) -> Ladder {
    let map = towards(catalog, goal, equipment);
    if map.is_empty() {
        return Ladder {
            goal: goal.to_owned(),
            rungs: Vec::new(),
            position: None,
        };
    }
    let demand = |id: &str| catalog.get(id).map_or(0, |e: &Exercise| e.spinal.load());
    // The rung closest to the goal that the person does; else the gentlest, farthest start.
    let current = map
        .iter()
        .filter(|(id, _)| does(id))
        .min_by_key(|(id, (_, d))| (*d, id.as_str()))
        .map(|(id, _)| id.clone());
    let start = current.clone().unwrap_or_else(|| {
        map.iter()
            .max_by(|(a, (_, da)), (b, (_, db))| da.cmp(db).then(demand(b).cmp(&demand(a))).then(b.cmp(a)))
            .map(|(id, _)| id.clone())
            .unwrap_or_else(|| goal.to_owned())
    });
    let mut rungs = vec![start.clone()];
    let mut cur = start;
    while let Some((next, d)) = map.get(&cur) {
        if *d == 0 {
            break;
        }
        rungs.push(next.clone());
        cur = next.clone();
    }
    // The rungs already climbed below the current one, for the person to see how far they came: the easier
    // options that lead to it, preferring a longer way in and then the gentler exercise.
    if current.is_some() {
        let before = |id: &str| -> Vec<&Exercise> {
            catalog
                .exercises()
                .iter()
                .filter(|e| e.available_with(equipment) && e.progressions.iter().any(|p| p == id))
                .collect()
        };
        while rungs.len() < 12 {
            let first = rungs[0].clone();
            let Some(prev) = before(&first)
                .into_iter()
                .filter(|e| !rungs.contains(&e.id))
                .min_by_key(|e| (before(&e.id).is_empty(), e.spinal.load(), e.id.clone()))
            else {
                break;
            };
            rungs.insert(0, prev.id.clone());
        }
    }
    let position = current.and_then(|c| rungs.iter().position(|r| *r == c));
    Ladder {
        goal: goal.to_owned(),
        position,
        rungs,
    }
}

/// The exercises that can be goal lifts: loaded lifts that some easier exercise leads to, in catalog order.
pub fn goal_candidates(catalog: &Catalog) -> Vec<&Exercise> {
    catalog
        .exercises()
        .iter()
        .filter(|e| e.increment.is_some() && e.reps.is_some())
        .filter(|e| catalog.exercises().iter().any(|x| x.progressions.contains(&e.id)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::catalog;

    #[test]
    fn the_deadlift_ladder_starts_gentle_and_ends_at_the_goal() {
        let cat = catalog();
        let l = ladder(&cat, "conventional-deadlift", Equipment::ALL, |_| false);
        assert_eq!(l.rungs.last().map(String::as_str), Some("conventional-deadlift"));
        assert_eq!(l.position, None);
        // Every step is a harder option of the one before.
        for w in l.rungs.windows(2) {
            assert!(cat.get(&w[0]).unwrap().progressions.contains(&w[1]), "{w:?}");
        }
        assert!(l.rungs.len() >= 3, "{:?}", l.rungs);
        assert!(cat.get(&l.rungs[0]).unwrap().spinal.load() <= 1, "{:?}", l.rungs);
    }

    #[test]
    fn the_ladder_starts_where_the_person_is() {
        let cat = catalog();
        let l = ladder(&cat, "conventional-deadlift", Equipment::ALL, |id| {
            id == "trap-bar-deadlift"
        });
        let at = l.position.unwrap();
        assert_eq!(l.rungs[at], "trap-bar-deadlift");
        assert_eq!(l.rungs[at + 1..], ["conventional-deadlift"]);
        assert!(at >= 1, "the rungs below are shown too: {:?}", l.rungs);
        assert_eq!(
            l.rungs.get(at + 1).map(String::as_str),
            Some("conventional-deadlift")
        );
        assert_eq!(l.rungs[l.rungs.len() - 2], "trap-bar-deadlift");
        // At the goal: reached.
        let l = ladder(&cat, "conventional-deadlift", Equipment::ALL, |id| {
            id == "conventional-deadlift"
        });
        assert!(l.reached());
    }

    #[test]
    fn equipment_limits_the_ladder() {
        let cat = catalog();
        let l = ladder(&cat, "conventional-deadlift", &[Equipment::Dumbbell], |_| false);
        assert!(l.rungs.is_empty(), "no barbell: no ladder to a barbell lift");
        let l = ladder(
            &cat,
            "conventional-deadlift",
            &[Equipment::Barbell, Equipment::Kettlebell],
            |_| false,
        );
        assert!(l.rungs.iter().all(|r| r != "trap-bar-deadlift"), "{:?}", l.rungs);
    }

    #[test]
    fn goal_candidates_are_loaded_lifts_with_a_way_in() {
        let cat = catalog();
        let ids: Vec<&str> = goal_candidates(&cat).iter().map(|e| e.id.as_str()).collect();
        for id in ["conventional-deadlift", "back-squat", "barbell-bent-over-row"] {
            assert!(ids.contains(&id), "{id} missing from {ids:?}");
        }
        assert!(!ids.contains(&"hip-hinge-dowel"));
    }
}
