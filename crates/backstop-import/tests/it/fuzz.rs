//! No input makes the importer panic: arbitrary bytes, arbitrary text, and valid exports with random edits.
//! Whatever it accepts satisfies [`check_invariants`].

use backstop_core::WeightUnit;
use backstop_import::{ImportOptions, detect, import};
use proptest::prelude::*;

use crate::{catalog, check_invariants, opts};

const FIXTURES: &[&str] = &[
    include_str!("../data/strong_v0.csv"),
    include_str!("../data/strong_v1.csv"),
    include_str!("../data/strong_v2.csv"),
    include_str!("../data/strong_v3.csv"),
    include_str!("../data/strong_v3_german.csv"),
    include_str!("../data/strong_v3_french.csv"),
    include_str!("../data/strong_v4.csv"),
    include_str!("../data/strong_android.csv"),
    include_str!("../data/strong6.csv"),
    include_str!("../data/hevy_kg.csv"),
    include_str!("../data/hevy_lb.csv"),
    include_str!("../data/hevy_us12h.csv"),
    include_str!("../data/hevy_2023_semicolon.csv"),
    include_str!("../data/fitnotes_old_lbs.csv"),
    include_str!("../data/fitnotes_new.csv"),
];

/// Bytes that matter to the parsers, so that edits hit delimiters, quotes, digits and set orders often.
const INTERESTING: &[u8] = b",;\"\n\r\t0123456789.:- WDFRkglbs()";

fn try_all(bytes: &[u8], unit: Option<WeightUnit>) {
    let _ = detect(bytes);
    let o = ImportOptions {
        unit,
        ..opts(None, 3)
    };
    if let Ok(imported) = import(bytes, catalog(), &o, &mut |_| {}) {
        check_invariants(&imported);
    }
}

fn mutate(base: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut v = base.to_vec();
    for &(pos, byte, op) in edits {
        if v.is_empty() {
            v.push(byte);
            continue;
        }
        let i = pos % v.len();
        match op % 5 {
            0 => v[i] = byte,
            1 => v.insert(i, byte),
            2 => {
                v.remove(i);
            }
            3 => v[i] = INTERESTING[usize::from(byte) % INTERESTING.len()],
            _ => v.insert(i, INTERESTING[usize::from(byte) % INTERESTING.len()]),
        }
    }
    v
}

fn unit() -> impl Strategy<Value = Option<WeightUnit>> {
    prop_oneof![Just(None), Just(Some(WeightUnit::Kg)), Just(Some(WeightUnit::Lb))]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), unit in unit()) {
        try_all(&bytes, unit);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}", unit in unit()) {
        try_all(text.as_bytes(), unit);
    }

    #[test]
    fn edited_exports_never_panic(
        which in 0..FIXTURES.len(),
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..24),
        unit in unit(),
    ) {
        let bytes = mutate(FIXTURES[which].as_bytes(), &edits);
        try_all(&bytes, unit);
    }

    #[test]
    fn a_header_with_random_rows_never_panics(
        which in 0..FIXTURES.len(),
        rows in prop::collection::vec("[0-9A-Za-z ,;.:\"()-]{0,80}", 0..12),
        unit in unit(),
    ) {
        let header = FIXTURES[which].lines().next().unwrap_or_default();
        let text = format!("{header}\n{}", rows.join("\n"));
        try_all(text.as_bytes(), unit);
    }
}

#[test]
fn every_fixture_is_accepted_with_a_unit() {
    for (n, text) in FIXTURES.iter().enumerate() {
        let o = opts(Some(WeightUnit::Kg), 0);
        let i = import(text.as_bytes(), catalog(), &o, &mut |_| {})
            .unwrap_or_else(|e| panic!("fixture {n}: {e}"));
        check_invariants(&i);
        assert!(i.report.sets > 0, "fixture {n}");
    }
}
