//! The session document (`backstop log --file`, the API's session body): any bytes are read or refused, never a
//! panic.
#![no_main]

use std::sync::OnceLock;

use backstop_core::Catalog;
use backstop_core::document::SessionDoc;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use libfuzzer_sys::fuzz_target;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().expect("the built-in catalog is valid"))
}

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
