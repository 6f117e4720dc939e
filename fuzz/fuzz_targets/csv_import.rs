//! The CSV readers (Strong, Hevy, FitNotes): any bytes are imported or refused with a reason, never a panic; every
//! skipped row names a line of the file.
#![no_main]

use backstop_fuzz::catalog;
use backstop_import::ImportOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Lines end at "\n", "\r\n" or a lone "\r" (as the CSV reader counts them).
    let lone_cr = data
        .iter()
        .enumerate()
        .filter(|(i, b)| **b == b'\r' && data.get(i + 1) != Some(&b'\n'))
        .count();
    let lines = (data.iter().filter(|b| **b == b'\n').count() + lone_cr) as u64 + 1;
    if let Ok(imported) = backstop_import::import(data, catalog(), &ImportOptions::default(), &mut |_| {}) {
        for s in &imported.report.skipped {
            assert!(s.line >= 1 && s.line <= lines, "line {} of {lines}", s.line);
        }
    }
});
