//! The crate's layering rules, checked against its own source: no import cycle between
//! top-level modules (folders), none between files, and FFmpeg (`ffmpeg_next`) used only
//! in `media/`. The module graph is read from the `crate::`, `super::` and `self::` paths of
//! product code (comments, string literals and `#[cfg(test)]` modules left out).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path from the crate root, e.g. `["record", "sink"]`.
type ModPath = Vec<String>;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
    /// A plain string literal's text (read only in `#[path = "…"]`).
    Str(String),
}

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

/// Skips a string literal starting at `i` (after any `b`/`r`/`#` prefix was seen).
fn skip_string(c: &[char], mut i: usize, raw_hashes: Option<usize>) -> usize {
    i += 1;
    while i < c.len() {
        match (c[i], raw_hashes) {
            ('\\', None) => i += 1,
            ('"', None) => return i + 1,
            ('"', Some(n)) if c[i + 1..].iter().take(n).filter(|&&h| h == '#').count() == n => {
                return i + 1 + n;
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// Identifiers, `::` and punctuation; comments and literals dropped.
fn tokenize(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        if ch == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == Some('*') {
            i += 2;
            while i + 1 < c.len() && !(c[i] == '*' && c[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if ch == '"' {
            let end = skip_string(&c, i, None);
            out.push(Tok::Str(c[i + 1..end.saturating_sub(1)].iter().collect()));
            i = end;
        } else if ch == 'r' && matches!(next, Some('"' | '#')) && !ident_before(&c, i) {
            let hashes = c[i + 1..].iter().take_while(|&&h| h == '#').count();
            i = skip_string(&c, i + 1 + hashes, Some(hashes));
        } else if ch == '\'' {
            // A char literal ('x', '\n'); otherwise a lifetime's quote.
            match (next, c.get(i + 2)) {
                (Some('\\'), _) => {
                    i += 2;
                    while i < c.len() && c[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                }
                (Some(_), Some('\'')) => i += 3,
                _ => i += 1,
            }
        } else if ch.is_alphabetic() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(c[start..i].iter().collect()));
        } else if ch == ':' && next == Some(':') {
            out.push(Tok::PathSep);
            i += 2;
        } else {
            if !ch.is_whitespace() {
                out.push(Tok::Punct(ch));
            }
            i += 1;
        }
    }
    out
}

fn ident_before(c: &[char], i: usize) -> bool {
    i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_')
}

fn ident(t: Option<&Tok>) -> Option<&str> {
    match t {
        Some(Tok::Ident(s)) => Some(s),
        _ => None,
    }
}

/// Where `#[cfg(test)]` starts at `i`: the number of its tokens.
fn cfg_test_at(t: &[Tok]) -> Option<usize> {
    let want = ["#", "[", "cfg", "(", "test", ")", "]"];
    let matches = t.len() >= want.len()
        && want.iter().zip(t).all(|(w, tok)| match tok {
            Tok::Ident(s) => s == w,
            Tok::Punct(p) => w.len() == 1 && w.starts_with(*p),
            Tok::PathSep | Tok::Str(_) => false,
        });
    matches.then_some(want.len())
}

/// Skips the attributes at `t[j..]`; returns where they end and a `#[path = "…"]` value.
fn skip_attributes(t: &[Tok], mut j: usize) -> (usize, Option<String>) {
    let mut path = None;
    while t.get(j) == Some(&Tok::Punct('#')) && t.get(j + 1) == Some(&Tok::Punct('[')) {
        if let (Some("path"), Some(Tok::Str(p))) = (ident(t.get(j + 2)), t.get(j + 4)) {
            path = Some(p.clone());
        }
        while j < t.len() && t[j] != Tok::Punct(']') {
            j += 1;
        }
        j += 1;
    }
    (j, path)
}

/// Drops `#[cfg(test)] mod x { … }` blocks; returns the rest and the `#[cfg(test)] mod x;`
/// children, as (name, `#[path]`).
fn product_code(tokens: Vec<Tok>) -> (Vec<Tok>, Vec<(String, Option<String>)>) {
    let mut out = Vec::with_capacity(tokens.len());
    let mut test_children = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some(n) = cfg_test_at(&tokens[i..]) else {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        };
        let (mut j, path) = skip_attributes(&tokens, i + n);
        if ident(tokens.get(j)) == Some("pub") {
            j += 1;
        }
        let is_mod = ident(tokens.get(j)) == Some("mod");
        match (is_mod, ident(tokens.get(j + 1)), tokens.get(j + 2)) {
            (true, Some(name), Some(Tok::Punct(';'))) => {
                test_children.push((name.to_string(), path));
                i = j + 3;
            }
            (true, Some(_), Some(Tok::Punct('{'))) => {
                let mut depth = 0;
                i = j + 2;
                while i < tokens.len() {
                    match tokens[i] {
                        Tok::Punct('{') => depth += 1,
                        Tok::Punct('}') => depth -= 1,
                        _ => {}
                    }
                    i += 1;
                    if depth == 0 {
                        break;
                    }
                }
            }
            _ => {
                out.extend_from_slice(&tokens[i..i + n]);
                i += n;
            }
        }
    }
    (out, test_children)
}

/// Expands the use tree at `t[*i]` into full paths (`a::{b, c::d}` → `a::b`, `a::c::d`).
fn use_tree(t: &[Tok], i: &mut usize, prefix: ModPath, out: &mut Vec<ModPath>) {
    let mut path = prefix;
    loop {
        match t.get(*i) {
            Some(Tok::Ident(s)) if s == "as" => *i += 2,
            Some(Tok::Ident(s)) => {
                path.push(s.clone());
                *i += 1;
            }
            Some(Tok::PathSep) => *i += 1,
            Some(Tok::Punct('{')) => {
                *i += 1;
                while !matches!(t.get(*i), None | Some(Tok::Punct('}'))) {
                    use_tree(t, i, path.clone(), out);
                    if t.get(*i) == Some(&Tok::Punct(',')) {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            Some(Tok::Punct('*')) => *i += 1,
            _ => break,
        }
    }
    if path.last().is_some_and(|s| s == "self") {
        path.pop();
    }
    out.push(path);
}

/// Every path a file names: its `use` trees, and `crate::`/`super::`/`self::` paths in code.
fn named_paths(tokens: &[Tok]) -> Vec<ModPath> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if ident(tokens.get(i)) == Some("use") {
            i += 1;
            if tokens.get(i) == Some(&Tok::PathSep) {
                i += 1;
            }
            use_tree(tokens, &mut i, Vec::new(), &mut out);
            continue;
        }
        let prev_sep = i > 0 && tokens[i - 1] == Tok::PathSep;
        let starts = matches!(ident(tokens.get(i)), Some("crate" | "super" | "self"));
        if starts && !prev_sep && tokens.get(i + 1) == Some(&Tok::PathSep) {
            let mut path = Vec::new();
            while let Some(s) = ident(tokens.get(i)) {
                path.push(s.to_string());
                if tokens.get(i + 1) != Some(&Tok::PathSep) {
                    break;
                }
                i += 2;
            }
            out.push(path);
        }
        i += 1;
    }
    out
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

fn load() -> Vec<SourceFile> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
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
    let edges = graph(&load());
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
        "the module graph looks empty: {folders:?}"
    );
    if let Some(cycle) = find_cycle(&folders) {
        panic!("import cycle between top-level modules: {}", show(&cycle));
    }
}

#[test]
fn files_do_not_import_each_other_in_a_cycle() {
    let files = load();
    let faces: BTreeSet<ModPath> = files
        .iter()
        .filter(|f| f.folder_face)
        .map(|f| f.module.clone())
        .collect();
    // A folder's `mod.rs` declares its files and they use what it defines: that pair is
    // how a module is built, not a cycle between files.
    let edges: BTreeMap<ModPath, BTreeSet<ModPath>> = graph(&files)
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
        panic!("import cycle between files: {}", show(&cycle));
    }
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
