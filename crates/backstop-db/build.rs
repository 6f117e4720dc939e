//! Rebuilds the crate when a migration is added or changed: `sqlx::migrate!` embeds the migration folders at
//! compile time, and without this an incremental build keeps the old set (as sqlx's documentation advises).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
