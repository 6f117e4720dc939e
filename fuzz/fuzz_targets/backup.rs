//! The export document a backup is restored from: any bytes are accepted or refused as a whole before anything is
//! written, never a panic.
#![no_main]

use backstop_fuzz::catalog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let now = jiff::Timestamp::from_second(1_795_000_000).expect("a fixed instant");
    if let Ok(backup) = backstop_app::read_backup(text, "fuzz", catalog(), now) {
        assert!(backup.sessions.iter().all(|s| !s.sets.is_empty()));
    }
});
