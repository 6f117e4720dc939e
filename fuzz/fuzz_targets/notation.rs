//! The set notation (`row 3x10@40 rpe7 p2`): any text is read or refused with an error, never a panic, and a group
//! read gives 1 to 20 sets, each within the value limits (docs/limits.md).
#![no_main]

use backstop_core::WeightUnit;
use backstop_fuzz::catalog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for unit in [WeightUnit::Kg, WeightUnit::Lb] {
        if let Ok(sets) = backstop_core::notation::parse_group(text, catalog(), unit) {
            assert!(
                (1..=20).contains(&sets.len()),
                "{} sets from {text:?}",
                sets.len()
            );
            for s in &sets {
                assert!(s.pain.is_none_or(|p| p.value() <= 10), "{s:?}");
            }
        }
    }
});
