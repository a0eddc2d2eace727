//! The catalogue's guards: both languages have the same messages with the same placeables,
//! every key the code asks for exists, and the app's code shows no text of its own.

use super::catalogue::has;
use super::{Language, CATALOGUE_FILES};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each message of an `.ftl` text with the variables it uses: key → {"count", …}.
fn messages(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with([' ', '\t', '[', '*', '}', '.']) {
            if let Some((key, _)) = line.split_once('=') {
                let key = key.trim().to_string();
                out.entry(key.clone()).or_default();
                current = Some(key);
            }
        }
        if let Some(key) = &current {
            let vars = out.entry(key.clone()).or_default();
            let mut rest = line;
            while let Some(at) = rest.find('$') {
                rest = &rest[at + 1..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                if !name.is_empty() {
                    vars.insert(name);
                }
            }
        }
    }
    out
}

#[test]
fn every_language_has_every_message_with_the_same_placeables() {
    let (_, en_file, en_text) = CATALOGUE_FILES[0];
    let en = messages(en_text);
    assert!(!en.is_empty(), "{en_file} has no messages");
    for (lang, file, text) in CATALOGUE_FILES.iter().skip(1) {
        fluent_bundle::FluentResource::try_new(text.to_string())
            .unwrap_or_else(|(_, e)| panic!("{file}: syntax errors {e:?}"));
        let other = messages(text);
        let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{file} lacks {missing:?}");
        let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(
            extra.is_empty(),
            "{file} has keys {en_file} lacks: {extra:?}"
        );
        for (key, vars) in &en {
            assert_eq!(
                &other[key], vars,
                "{file}: {key} uses other placeables than in {en_file} ({lang:?})"
            );
        }
    }
    fluent_bundle::FluentResource::try_new(en_text.to_string())
        .unwrap_or_else(|(_, e)| panic!("{en_file}: syntax errors {e:?}"));
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The app's source files that hold UI code (tests and the catalogue's own code aside),
/// each with its text up to its test module.
fn ui_sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&root, &mut files);
    files.sort();
    let only: Vec<String> = std::env::var("I18N_LINT_ONLY")
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    files
        .into_iter()
        .filter_map(|path| {
            let rel = path.strip_prefix(&root).ok()?.to_string_lossy().to_string();
            let name = path.file_name()?.to_string_lossy().to_string();
            if rel.starts_with("i18n/") || name.ends_with("tests.rs") || name == "tests.rs" {
                return None;
            }
            if !only.is_empty() && !only.iter().any(|o| rel.contains(o.as_str())) {
                return None;
            }
            let text = std::fs::read_to_string(&path).ok()?;
            let code = match text.find("#[cfg(test)]") {
                Some(at) => text[..at].to_string(),
                None => text,
            };
            Some((rel, code))
        })
        .collect()
}

/// The string literals of Rust `code` with their line numbers, comments skipped.
fn literals(code: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = code.chars().collect();
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        } else if c == '/' && next == Some('*') {
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
            i += 2;
            continue;
        } else if c == '\'' {
            // A char literal ('x', '\n', '"') is skipped; a lifetime has no closing quote.
            if next == Some('\\') {
                if let Some(end) = (i + 2..chars.len().min(i + 12)).find(|&j| chars[j] == '\'') {
                    i = end + 1;
                    continue;
                }
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                continue;
            }
        } else if c == '"' || (c == 'r' && matches!(next, Some('"') | Some('#'))) {
            let raw = c == 'r';
            let mut j = i + usize::from(raw);
            let mut hashes = 0;
            while raw && chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                i += 1;
                continue;
            }
            let (start_line, mut text) = (line, String::new());
            j += 1;
            while j < chars.len() {
                let ch = chars[j];
                if !raw && ch == '\\' {
                    text.push(ch);
                    if let Some(&e) = chars.get(j + 1) {
                        text.push(e);
                        line += usize::from(e == '\n');
                    }
                    j += 2;
                    continue;
                }
                if ch == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                line += usize::from(ch == '\n');
                text.push(ch);
                j += 1;
            }
            out.push((start_line, text));
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

/// Whether a literal reads as words for a person: a run of two letters once `{…}` format
/// arguments and escapes are taken out.
fn has_words(text: &str) -> bool {
    let mut plain = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = (depth - 1).max(0),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let plain = plain.replace("\\n", " ").replace("\\t", " ");
    plain
        .split(|c: char| !c.is_alphabetic())
        .any(|w| w.chars().count() >= 2)
}

/// Calls whose string argument is shown to the operator.
const WIDGET_CALLS: &[&str] = &[
    ".label(",
    ".button(",
    ".small_button(",
    ".heading(",
    ".selectable_label(",
    ".selectable_value(",
    ".checkbox(",
    ".radio(",
    ".radio_value(",
    ".on_hover_text(",
    ".on_disabled_hover_text(",
    ".hyperlink_to(",
    ".menu_button(",
    ".collapsing(",
    ".hint_text(",
    ".text(",
    "RichText::new(",
    "Button::new(",
    "Label::new(",
    "Window::new(",
    "Checkbox::new(",
    "CollapsingHeader::new(",
    "Hyperlink::new(",
    "Modal::new(",
    ".toggle_value(",
    ".add_filter(",
    ".set_title(",
    "with_title(",
];

/// Lines where a literal is not shown to the operator.
const NOT_UI: &[&str] = &[
    "tracing::",
    "trace!(",
    "debug!(",
    "info!(",
    "warn!(",
    "error!(",
    "#[error(",
    "tr!(",
    "i18n::t(",
    "i18n::t_args(",
    "Id::new(",
    "id_salt(",
    "id_source(",
    "include_str!(",
    "include_bytes!(",
    "env!(",
    "concat!(",
    "assert",
    "panic!(",
    "unreachable!(",
    "// i18n-ignore",
];

fn looks_like_identifier(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_ascii_alphanumeric() || "_-./:#%?=&@+*".contains(c))
}

#[test]
fn the_app_shows_no_text_outside_the_catalogue() {
    let mut found = Vec::new();
    for (file, code) in ui_sources() {
        let lines: Vec<&str> = code.lines().collect();
        for (line, text) in literals(&code) {
            let src = lines.get(line - 1).copied().unwrap_or("");
            if NOT_UI.iter().any(|m| src.contains(m)) || !has_words(&text) {
                continue;
            }
            let widget = WIDGET_CALLS.iter().any(|w| src.contains(w));
            if widget || (text.contains(' ') && !looks_like_identifier(&text)) {
                found.push(format!("{file}:{line}: \"{text}\""));
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} strings shown without the catalogue (use tr!(\"key\") and add the key to every \
         assets/i18n/*.ftl, or mark a line that is not UI text with `// i18n-ignore`):\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn every_key_the_app_asks_for_is_in_every_catalogue() {
    let mut missing = Vec::new();
    for (file, code) in ui_sources() {
        for pattern in ["tr!(\"", "i18n::t(\"", "i18n::t_args(\""] {
            let mut rest = code.as_str();
            while let Some(at) = rest.find(pattern) {
                rest = &rest[at + pattern.len()..];
                let key: String = rest.chars().take_while(|c| *c != '"').collect();
                for lang in Language::ALL {
                    if !has(lang, &key) {
                        missing.push(format!("{file}: {key} ({})", lang.tag()));
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys not in the catalogue:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_literal_scanner_sees_strings_but_not_comments_or_chars() {
    let code = "let a = '\"'; // \"comment\"\nui.label(\"Add camera\");\nlet r = r#\"raw \"x\"\"#;";
    let found = literals(code);
    assert_eq!(
        found,
        vec![(2, "Add camera".to_string()), (3, "raw \"x\"".to_string())]
    );
    assert!(has_words("{n} min"));
    assert!(!has_words("{} s"));
    assert!(has_words("카메라"));
}
