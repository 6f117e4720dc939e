//! The repository stands on its own: its code and documents point a reader only at what is in it.

use std::path::{Path, PathBuf};

/// Names of the design notes the project started from; they are not in the repository, so nothing may send a
/// reader to them (what a reader needs from them is in `docs/`).
const OUTSIDE: [&str; 9] = [
    "domain.md",
    "product.md",
    "examples.md",
    "architecture.md",
    "rust-stack.md",
    "cli-contract.md",
    "peers.md",
    "ui.md",
    "design notes",
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.is_dir() {
            if !matches!(name, "target" | ".git" | "node_modules") {
                files(&path, out);
            }
        } else if ["rs", "md", "toml", "html", "js", "css", "sql", "sh"]
            .iter()
            .any(|ext| name.ends_with(&format!(".{ext}")))
            || name == "run"
        {
            out.push(path);
        }
    }
}

#[test]
fn code_and_documents_never_point_at_notes_outside_the_repository() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut all = Vec::new();
    files(&root, &mut all);
    assert!(all.len() > 50, "the walk found the repository: {}", all.len());
    let this = Path::new(file!()).file_name().unwrap();
    let mut found = Vec::new();
    for path in all.iter().filter(|p| p.file_name() != Some(this)) {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            let lower = line.to_lowercase();
            // A word boundary before the name, so that `menu.md` does not match `ui.md`.
            let hit = OUTSIDE.iter().any(|name| {
                lower.match_indices(name).any(|(i, _)| {
                    i == 0
                        || !lower.as_bytes()[i - 1].is_ascii_alphanumeric() && lower.as_bytes()[i - 1] != b'-'
                })
            });
            if hit {
                found.push(format!(
                    "{}:{}: {}",
                    path.strip_prefix(&root).unwrap_or(path).display(),
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "references to notes outside the repository:\n{}",
        found.join("\n")
    );
}
