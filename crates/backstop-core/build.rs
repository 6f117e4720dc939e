//! Stamps the build with a digest of this crate's sources (`BACKSTOP_ENGINE_DIGEST`): a fold checkpoint stored by
//! one version of the engine is not resumed by another, whose fold may differ.

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
}
