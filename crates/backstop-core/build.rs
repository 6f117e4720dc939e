//! Stamps the build with a digest of this crate's sources (`BACKSTOP_ENGINE_DIGEST`): a fold checkpoint stored by
//! one version of the engine is not resumed by another, whose fold may differ.
//!
//! It also writes the built-in catalog (`data/exercises.toml`) as JSON into `OUT_DIR`, with a digest of it
//! (`BACKSTOP_CATALOG_DIGEST`): every command reads the catalog, and reading JSON costs a fraction of reading TOML.

// The core does no IO at run time; its build script reads its own sources to stamp the build.
#![allow(clippy::disallowed_methods)]

use std::hash::Hasher;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src");
    let mut all = Vec::new();
    files(Path::new("src"), &mut all);
    all.sort();
    // `DefaultHasher::new()` hashes alike in every run of one build: only equality of two digests matters.
    let mut h = std::hash::DefaultHasher::new();
    for p in &all {
        h.write(p.to_string_lossy().as_bytes());
        h.write(&std::fs::read(p).unwrap_or_default());
    }
    println!("cargo:rustc-env=BACKSTOP_ENGINE_DIGEST={:016x}", h.finish());

    println!("cargo:rerun-if-changed=data/exercises.toml");
    let text = std::fs::read_to_string("data/exercises.toml").expect("data/exercises.toml is readable");
    // A broken data file stops the build here, with the parser's message (line and column).
    let catalog: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("data/exercises.toml: {e}"));
    let json = serde_json::to_string(&catalog).expect("a TOML table is JSON");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("exercises.json"), json).expect("OUT_DIR is writable");
    let mut h = std::hash::DefaultHasher::new();
    h.write(text.as_bytes());
    println!("cargo:rustc-env=BACKSTOP_CATALOG_DIGEST={:016x}", h.finish());
}
