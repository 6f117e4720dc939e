//! The session document (`backstop log --file`, the API's session body): any bytes are read or refused, never a
//! panic.
#![no_main]

use backstop_core::document::SessionDoc;
use backstop_fuzz::catalog;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = serde_json::from_slice::<SessionDoc>(data) else {
        return;
    };
    let now = Timestamp::from_second(1_795_000_000).expect("a fixed instant");
    for tz in [TimeZone::UTC, TimeZone::fixed(jiff::tz::offset(-10))] {
        if let Ok(session) = doc.to_session(catalog(), &tz, None, now) {
            assert!(!session.sets.is_empty());
        }
    }
});
