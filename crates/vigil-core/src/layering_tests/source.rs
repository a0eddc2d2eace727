//! Reading Rust source for the layering tests: tokens with comments and literals left out,
//! product code without its `#[cfg(test)]` modules, and the module paths a file names.

use super::ModPath;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
    /// A plain string literal's text (read only in `#[path = "…"]`).
    Str(String),
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
pub(super) fn tokenize(src: &str) -> Vec<Tok> {
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

pub(super) fn ident(t: Option<&Tok>) -> Option<&str> {
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
pub(super) fn product_code(tokens: Vec<Tok>) -> (Vec<Tok>, Vec<(String, Option<String>)>) {
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
pub(super) fn named_paths(tokens: &[Tok]) -> Vec<ModPath> {
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
