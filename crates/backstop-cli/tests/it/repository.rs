//! The repository stands on its own: its code and documents point a reader only at what is in it.

use std::collections::BTreeSet;
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

/// The rule ids written in `text`, with their byte offsets: a family prefix, a hyphen and a number ("PM-2",
/// "CA-4"), or C and a number ("C5"), standing alone (no letter or digit on either side).
fn rule_ids(text: &str) -> Vec<(usize, String)> {
    const FAMILIES: [&str; 9] = ["PM-", "PG-", "BK-", "CA-", "DS-", "ES-", "FL-", "LM-", "RF-"];
    let b = text.as_bytes();
    let mut out = Vec::new();
    for i in 0..b.len() {
        if !text.is_char_boundary(i) || i > 0 && b[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        let rest = &text[i..];
        let prefix = FAMILIES
            .iter()
            .find(|f| rest.starts_with(**f))
            .map(|f| f.len())
            .or_else(|| rest.starts_with('C').then_some(1));
        let Some(p) = prefix else {
            continue;
        };
        let digits = rest[p..].bytes().take_while(u8::is_ascii_digit).count();
        let end = p + digits;
        if digits > 0 && !rest.as_bytes().get(end).is_some_and(u8::is_ascii_alphanumeric) {
            out.push((i, rest[..end].to_owned()));
        }
    }
    out
}

/// The ids in `text` with ranges written out: "CA-1 … CA-4" is CA-1, CA-2, CA-3 and CA-4.
fn rule_ids_with_ranges(text: &str) -> BTreeSet<String> {
    let ids = rule_ids(text);
    let mut out: BTreeSet<String> = ids.iter().map(|(_, id)| id.clone()).collect();
    for pair in ids.windows(2) {
        let ((a_at, a), (b_at, b)) = (&pair[0], &pair[1]);
        let between = &text[a_at + a.len()..*b_at];
        if !between.contains('…')
            || !between
                .trim_matches(|c: char| c == '…' || c.is_whitespace())
                .is_empty()
        {
            continue;
        }
        let split = |id: &str| {
            let n = id.trim_start_matches(|c: char| !c.is_ascii_digit());
            (id[..id.len() - n.len()].to_owned(), n.parse::<u32>().unwrap())
        };
        let ((pa, na), (pb, nb)) = (split(a), split(b));
        assert_eq!(pa, pb, "a range across families: {a} … {b}");
        out.extend((na..=nb).map(|n| format!("{pa}{n}")));
    }
    out
}

/// `docs/rules.md` split into its `## ` sections: (heading, text including the heading).
fn sections(doc: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in doc.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            out.push((h.to_owned(), String::new()));
        }
        if let Some((_, text)) = out.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    out
}

#[test]
fn the_rules_table_the_code_and_docs_rules_md_agree() {
    use backstop_core::rules::{RULES, RuleId};

    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let known: BTreeSet<String> = RULES.iter().map(|r| r.id.to_string()).collect();

    // Every id the code or a page writes is a rule in the table.
    let mut all = Vec::new();
    files(&root.join("crates"), &mut all);
    let mut unknown = Vec::new();
    let mut seen = 0;
    for path in all
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs" || e == "html"))
        .filter(|p| !p.components().any(|c| c.as_os_str() == "tests"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        for id in rule_ids_with_ranges(&text) {
            seen += 1;
            if RuleId::parse(&id).is_none() {
                unknown.push(format!(
                    "{}: {id}",
                    path.strip_prefix(&root).unwrap_or(path).display()
                ));
            }
        }
    }
    assert!(seen > 100, "the scan found the rule ids in the code: {seen}");
    assert!(
        unknown.is_empty(),
        "rule ids in the code that are not in RULES:\n{}",
        unknown.join("\n")
    );

    // The summary table of docs/rules.md lists exactly the rules of the table.
    let doc = std::fs::read_to_string(root.join("docs/rules.md")).unwrap();
    let sections = sections(&doc);
    let (_, glance) = sections
        .iter()
        .find(|(h, _)| h == "The rules at a glance")
        .expect("docs/rules.md has its summary table");
    let mut listed = BTreeSet::new();
    for row in glance
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| rule "))
    {
        let first = row.split('|').nth(1).unwrap_or_default();
        listed.extend(rule_ids_with_ranges(first));
    }
    let missing_in_doc: Vec<&String> = known.difference(&listed).collect();
    let missing_in_code: Vec<&String> = listed.difference(&known).collect();
    assert!(
        missing_in_doc.is_empty(),
        "rules not in the summary table of docs/rules.md: {missing_in_doc:?}"
    );
    assert!(
        missing_in_code.is_empty(),
        "rules in docs/rules.md's summary that are not in RULES: {missing_in_code:?}"
    );

    // Each rule's section exists and explains it.
    for r in RULES {
        let (heading, text) = sections
            .iter()
            .find(|(h, _)| h.starts_with(r.section))
            .unwrap_or_else(|| panic!("{}: docs/rules.md has no section \"{}\"", r.id, r.section));
        assert!(
            rule_ids_with_ranges(text).contains(r.id.as_str()),
            "{}: the section \"{heading}\" of docs/rules.md does not mention it",
            r.id
        );
        assert!(!r.name.is_empty() && !r.evidence.is_empty(), "{}", r.id);
    }
}

#[test]
fn rule_ids_are_found_standing_alone_and_ranges_are_written_out() {
    let ids = rule_ids_with_ranges(
        "(PG-8) CA-1 … CA-3, LM-1…LM-2 and C5; not SPM-2, C5x, PM-, ABC7 or a CA-4-parked one",
    );
    let want: BTreeSet<String> = ["PG-8", "CA-1", "CA-2", "CA-3", "LM-1", "LM-2", "C5", "CA-4"]
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(ids, want);
}
