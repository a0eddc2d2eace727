//! The workspace's layering rules, checked against its source: in vigil-core and vigil-app,
//! no import cycle between top-level modules (folders) and none between files; FFmpeg
//! (`ffmpeg_next`) used only in vigil-core's `media/`; the desktop app reaching the engine
//! only through the service API (`vigil_core::service`, plus the `model` and `detect`
//! vocabulary). The module graph is read from the `crate::`, `super::` and `self::` paths of
//! product code (comments, string literals and `#[cfg(test)]` modules left out).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path from the crate root, e.g. `["record", "sink"]`.
type ModPath = Vec<String>;

mod source;

use source::{named_paths, product_code, tokenize, Tok};

/// One source file as a module.
struct SourceFile {
    module: ModPath,
    /// `mod.rs` or `lib.rs`: the face of a folder, not a file-level node.
    folder_face: bool,
    /// Product code, tokenized.
    tokens: Vec<Tok>,
    /// Files of the child modules declared under `#[cfg(test)]` (test code, not product
    /// code), relative to `src/`.
    test_children: Vec<PathBuf>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

fn module_of(rel: &Path) -> (ModPath, bool) {
    let mut parts: ModPath = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    let face = matches!(parts.last().map(String::as_str), Some("mod" | "lib"));
    if face {
        parts.pop();
    }
    (parts, face)
}

/// The absolute module path `path` names from `file`, if it is inside the crate.
fn absolute(file: &SourceFile, path: &[String], modules: &BTreeSet<ModPath>) -> Option<ModPath> {
    let (first, rest) = path.split_first()?;
    let mut base = file.module.clone();
    let mut rest = rest;
    match first.as_str() {
        "crate" => base.clear(),
        "self" => {}
        "super" => {
            base.pop();
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        // A child module named directly (`use sink::Sink;` in `record/mod.rs`).
        child => {
            let mut m = base.clone();
            m.push(child.to_string());
            if !modules.contains(&m) {
                return None;
            }
            rest = path;
        }
    }
    base.extend(rest.iter().cloned());
    (1..=base.len())
        .rev()
        .map(|n| base[..n].to_vec())
        .find(|m| modules.contains(m))
}

/// The file of child module `name` declared in the file at `rel` (`mod.rs` style assumed for
/// folders; a `#[path]` is relative to the declaring file's folder).
fn child_file(rel: &Path, folder_face: bool, name: &str, path: Option<String>) -> PathBuf {
    let dir = rel.parent().unwrap_or(Path::new(""));
    match path {
        Some(p) => dir.join(p),
        None if folder_face => dir.join(format!("{name}.rs")),
        None => rel.with_extension("").join(format!("{name}.rs")),
    }
}

/// The crates whose source is checked, by folder beside this one.
const CHECKED_CRATES: [&str; 2] = ["vigil-core", "vigil-app"];

/// What the desktop app may name in vigil-core: the service API and its vocabulary.
const APP_MAY_USE: [&str; 3] = ["service", "model", "detect"];

/// The `src/` folder of a workspace crate.
fn crate_src(name: &str) -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).join(name).join("src")
}

fn load() -> Vec<SourceFile> {
    load_crate("vigil-core")
}

fn load_crate(name: &str) -> Vec<SourceFile> {
    let src = crate_src(name);
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    let mut files: Vec<SourceFile> = paths
        .iter()
        .map(|p| {
            let text =
                std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let rel = p.strip_prefix(&src).unwrap_or(p);
            let (module, folder_face) = module_of(rel);
            let (tokens, children) = product_code(tokenize(&text));
            let test_children = children
                .into_iter()
                .map(|(name, path)| child_file(rel, folder_face, &name, path))
                .collect();
            SourceFile {
                module,
                folder_face,
                tokens,
                test_children,
            }
        })
        .collect();
    // Test-only modules, and everything below them, are not product code.
    let test_mods: Vec<ModPath> = files
        .iter()
        .flat_map(|f| &f.test_children)
        .map(|rel| module_of(rel).0)
        .collect();
    files.retain(|f| !test_mods.iter().any(|t| f.module.starts_with(t)));
    files
}

/// Edges between modules: `module → modules it names`.
fn graph(files: &[SourceFile]) -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let modules: BTreeSet<ModPath> = files.iter().map(|f| f.module.clone()).collect();
    let mut edges: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for f in files {
        let to = edges.entry(f.module.clone()).or_default();
        for path in named_paths(&f.tokens) {
            if let Some(target) = absolute(f, &path, &modules) {
                if target != f.module {
                    to.insert(target);
                }
            }
        }
    }
    edges
}

/// A cycle in `edges`, as the nodes along it, if there is one.
fn find_cycle<N: Ord + Clone>(edges: &BTreeMap<N, BTreeSet<N>>) -> Option<Vec<N>> {
    fn visit<N: Ord + Clone>(
        n: &N,
        edges: &BTreeMap<N, BTreeSet<N>>,
        state: &mut BTreeMap<N, bool>,
        stack: &mut Vec<N>,
    ) -> Option<Vec<N>> {
        match state.get(n) {
            Some(true) => {
                let at = stack.iter().position(|s| s == n)?;
                let mut cycle = stack[at..].to_vec();
                cycle.push(n.clone());
                return Some(cycle);
            }
            Some(false) => return None,
            None => {}
        }
        state.insert(n.clone(), true);
        stack.push(n.clone());
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n.clone(), false);
        None
    }
    // The map's order keeps the report stable.
    let mut state = BTreeMap::new();
    edges
        .keys()
        .find_map(|n| visit(n, edges, &mut state, &mut Vec::new()))
}

fn show(cycle: &[ModPath]) -> String {
    let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
    names.join(" → ")
}

#[test]
fn top_level_modules_do_not_import_each_other_in_a_cycle() {
    for name in CHECKED_CRATES {
        no_folder_cycle(name, &load_crate(name));
    }
}

fn no_folder_cycle(name: &str, files: &[SourceFile]) {
    let edges = graph(files);
    let mut folders: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for (from, to) in &edges {
        let Some(top) = from.first() else { continue };
        let entry = folders.entry(vec![top.clone()]).or_default();
        for t in to.iter().filter_map(|t| t.first()) {
            if t != top {
                entry.insert(vec![t.clone()]);
            }
        }
    }
    assert!(
        folders.len() > 10,
        "{name}: the module graph looks empty: {folders:?}"
    );
    if let Some(cycle) = find_cycle(&folders) {
        panic!(
            "{name}: import cycle between top-level modules: {}",
            show(&cycle)
        );
    }
}

#[test]
fn files_do_not_import_each_other_in_a_cycle() {
    for name in CHECKED_CRATES {
        no_file_cycle(name, &load_crate(name));
    }
}

fn no_file_cycle(name: &str, files: &[SourceFile]) {
    let faces: BTreeSet<ModPath> = files
        .iter()
        .filter(|f| f.folder_face)
        .map(|f| f.module.clone())
        .collect();
    // A folder's `mod.rs` declares its files and they use what it defines: that pair is
    // how a module is built, not a cycle between files.
    let edges: BTreeMap<ModPath, BTreeSet<ModPath>> = graph(files)
        .into_iter()
        .filter(|(from, _)| !faces.contains(from))
        .map(|(from, to)| {
            (
                from,
                to.into_iter().filter(|t| !faces.contains(t)).collect(),
            )
        })
        .collect();
    if let Some(cycle) = find_cycle(&edges) {
        panic!("{name}: import cycle between files: {}", show(&cycle));
    }
}

#[test]
fn the_app_reaches_the_engine_only_through_the_service() {
    let mut side_doors = BTreeSet::new();
    let files = load_crate("vigil-app");
    assert!(files.len() > 20, "the app's source looks empty");
    for f in files {
        // `use` trees, groups included.
        for path in named_paths(&f.tokens) {
            if let [krate, module, ..] = path.as_slice() {
                if krate == "vigil_core" && !APP_MAY_USE.contains(&module.as_str()) {
                    side_doors.insert(format!("{} uses vigil_core::{module}", f.module.join("::")));
                }
            }
        }
        // Paths written out in code.
        for w in f.tokens.windows(3) {
            if let (Tok::Ident(krate), Tok::PathSep, Tok::Ident(module)) = (&w[0], &w[1], &w[2]) {
                if krate == "vigil_core" && !APP_MAY_USE.contains(&module.as_str()) {
                    side_doors.insert(format!("{} uses vigil_core::{module}", f.module.join("::")));
                }
            }
        }
    }
    assert!(
        side_doors.is_empty(),
        "the desktop app goes around the service API: {side_doors:?}"
    );
}

#[test]
fn ffmpeg_is_called_only_in_media() {
    let mut outside = Vec::new();
    for f in load() {
        if f.module.first().is_some_and(|m| m == "media") {
            continue;
        }
        let uses = f.tokens.windows(2).any(|w| match (&w[0], &w[1]) {
            (Tok::Ident(s), _) if s == "ffmpeg_next" || s == "ffmpeg_sys_next" => true,
            (Tok::Ident(s), Tok::PathSep) => s == "ffmpeg",
            _ => false,
        });
        if uses {
            outside.push(f.module.join("::"));
        }
    }
    assert!(
        outside.is_empty(),
        "FFmpeg used outside media/ (put the call behind a media function): {outside:?}"
    );
}

#[test]
fn the_reader_sees_uses_groups_and_test_modules() {
    let src = "use super::{a::B, c};\n// crate::nope\nlet s = \"crate::nope\";\n\
               fn f() { crate::x::y(); }\n#[cfg(test)]\nmod tests { use crate::z; }\n\
               #[cfg(test)]\n#[path = \"x_props.rs\"]\nmod props;\n";
    let (tokens, test_children) = product_code(tokenize(src));
    let test_children: Vec<String> = test_children.into_iter().map(|(n, _)| n).collect();
    let paths = named_paths(&tokens);
    let want: Vec<ModPath> = [
        vec!["super", "a", "B"],
        vec!["super", "c"],
        vec!["crate", "x", "y"],
    ]
    .iter()
    .map(|p| p.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(paths, want);
    assert_eq!(test_children, ["props"]);
    let time = Path::new("model/time.rs");
    let props = child_file(time, false, "props", Some("time_props.rs".into()));
    assert_eq!(props, Path::new("model/time_props.rs"));
    assert_eq!(
        child_file(time, false, "x", None),
        Path::new("model/time/x.rs")
    );
    assert_eq!(
        child_file(Path::new("a/mod.rs"), true, "x", None),
        Path::new("a/x.rs")
    );
    let mut edges = BTreeMap::new();
    edges.insert(1, BTreeSet::from([2]));
    edges.insert(2, BTreeSet::from([3]));
    edges.insert(3, BTreeSet::from([1]));
    assert_eq!(find_cycle(&edges), Some(vec![1, 2, 3, 1]));
    edges.insert(3, BTreeSet::new());
    assert_eq!(find_cycle(&edges), None);
}

/// What the web viewer (`web`) may name: the engine's service API and what it stands on
/// (and the HTTP stack it will serve with).
const WEB_MAY_USE: [&str; 6] = ["web", "library", "model", "jobs", "service", "net"];
/// Who may name `web`: itself, the host that starts its server, and the configuration
/// import (`site_config`), which adds web accounts by the account rules kept there.
const WEB_USED_BY: [&str; 3] = ["web", "host", "site_config"];

#[test]
fn the_web_viewer_stands_on_the_service_and_only_the_host_uses_it() {
    let mut wrong = BTreeSet::new();
    for (from, to) in graph(&load()) {
        let Some(top) = from.first() else { continue };
        for t in to.iter().filter_map(|t| t.first()) {
            if top == "web" && !WEB_MAY_USE.contains(&t.as_str()) {
                wrong.insert(format!("{} uses {t}", from.join("::")));
            }
            if t == "web" && !WEB_USED_BY.contains(&top.as_str()) {
                wrong.insert(format!("{} uses web", from.join("::")));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the web viewer's layering is broken: {wrong:?}"
    );
}
