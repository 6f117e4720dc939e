//! What the fuzz targets share.

use std::sync::OnceLock;

use backstop_core::Catalog;

/// The built-in catalog, loaded once per fuzzing process.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().expect("the built-in catalog is valid"))
}
