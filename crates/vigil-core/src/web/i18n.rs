//! The web viewer's words: the `web-` messages of the app's catalogue (`assets/i18n/*.ftl`,
//! compiled in), read with a small parser for the subset the web section allows (one line
//! per message, `{ $var }` placeables only), with the shared `common-` words that fit that
//! subset, served to the browser as `GET /i18n/<lang>.json` without a session (the login
//! page needs its words before login).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::{header, StatusCode};

use super::state::Shared;
use crate::net::http::json_error;

/// The languages of the web viewer: code, catalogue file name, its text.
pub const LANGUAGES: &[(&str, &str, &str)] = &[
    (
        "en",
        "en.ftl",
        include_str!("../../../../assets/i18n/en.ftl"),
    ),
    (
        "ko",
        "ko.ftl",
        include_str!("../../../../assets/i18n/ko.ftl"),
    ),
];

const SECTION_START: &str = "## ==== web:";
const SECTION_END: &str = "## ==== end of web";
const PREFIX: &str = "web-";
const COMMON_START: &str = "## ==== common:";
const COMMON_END: &str = "## ==== end of common";

/// Messages by key, placeables kept as `{ $name }`.
pub type Messages = BTreeMap<String, String>;

/// Why a catalogue's web section does not parse.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CatalogueError {
    #[error("the catalogue has no web section")]
    NoSection,
    #[error("line {line}: {why}: {text:?}")]
    Line {
        line: usize,
        why: &'static str,
        text: String,
    },
}

/// The web messages of one `.ftl` text: key → text with `{ $var }` placeables kept.
pub fn parse(ftl: &str) -> Result<BTreeMap<String, String>, CatalogueError> {
    let mut out = BTreeMap::new();
    let mut inside = false;
    let mut seen_section = false;
    for (i, raw) in ftl.lines().enumerate() {
        let line = i + 1;
        let bad = |why| CatalogueError::Line {
            line,
            why,
            text: raw.to_string(),
        };
        if raw.starts_with(SECTION_START) {
            inside = true;
            seen_section = true;
            continue;
        }
        if raw.starts_with(SECTION_END) {
            inside = false;
            continue;
        }
        if !inside {
            if raw.starts_with(PREFIX) {
                return Err(bad("a web- message outside the web section"));
            }
            continue;
        }
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        if raw.starts_with([' ', '\t']) {
            return Err(bad("web messages are one line each"));
        }
        let (key, value) = raw
            .split_once(" = ")
            .ok_or_else(|| bad("not `key = text`"))?;
        let key_ok = key.starts_with(PREFIX)
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !key_ok {
            return Err(bad("a key is web- and kebab-case"));
        }
        let value = value.trim();
        if value.is_empty() {
            return Err(bad("an empty message"));
        }
        check_placeables(value).map_err(bad)?;
        if out.insert(key.to_string(), value.to_string()).is_some() {
            return Err(bad("a key given twice"));
        }
    }
    if !seen_section {
        return Err(CatalogueError::NoSection);
    }
    Ok(out)
}

/// The shared words of the common section that are single-line `{ $var }` messages (the
/// others, with selectors, are for the app only).
pub fn common(ftl: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut inside = false;
    let mut lines = ftl.lines().peekable();
    while let Some(raw) = lines.next() {
        if raw.starts_with(COMMON_START) || raw.starts_with(COMMON_END) {
            inside = raw.starts_with(COMMON_START);
            continue;
        }
        let continued = lines
            .peek()
            .is_some_and(|next| next.starts_with([' ', '\t', '}']));
        if !inside || raw.starts_with('#') || continued {
            continue;
        }
        if let Some((key, value)) = raw.split_once(" = ") {
            let value = value.trim();
            if key.starts_with("common-") && !value.is_empty() && check_placeables(value).is_ok() {
                out.insert(key.to_string(), value.to_string());
            }
        }
    }
    out
}

/// Everything the browser gets in each language: the web messages and the common words
/// that are one-line `{ $var }` messages in every language.
pub fn browser_messages() -> Result<Vec<(&'static str, Messages)>, String> {
    let commons: Vec<_> = LANGUAGES.iter().map(|(_, _, text)| common(text)).collect();
    let mut out = Vec::new();
    for ((lang, file, text), shared) in LANGUAGES.iter().zip(&commons) {
        let mut messages: BTreeMap<String, String> = shared
            .iter()
            .filter(|(key, _)| commons.iter().all(|c| c.contains_key(*key)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        messages.extend(parse(text).map_err(|e| format!("{file}: {e}"))?);
        out.push((*lang, messages));
    }
    Ok(out)
}

/// Only `{ $name }` placeables: no selectors, terms, functions or string literals.
fn check_placeables(value: &str) -> Result<(), &'static str> {
    let mut rest = value;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("a lone }");
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("an unclosed {")?;
        let inner = after[..close].trim();
        let name = inner
            .strip_prefix('$')
            .ok_or("a placeable other than { $var }")?;
        let name_ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !name_ok {
            return Err("a placeable other than { $var }");
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// The variables a message uses.
pub fn placeables(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find("{ $") {
        let after = &rest[open + 3..];
        let Some(close) = after.find('}') else { break };
        out.push(after[..close].trim());
        rest = &after[close..];
    }
    out.sort_unstable();
    out
}

/// The JSON answer for each language, made once.
fn answers() -> &'static BTreeMap<&'static str, String> {
    static ANSWERS: OnceLock<BTreeMap<&'static str, String>> = OnceLock::new();
    ANSWERS.get_or_init(|| {
        // The unit tests refuse a catalogue that does not parse; a build that somehow has
        // one serves no words (the pages keep their English) and says so.
        let all = browser_messages().unwrap_or_else(|e| {
            tracing::error!("the web catalogue does not parse: {e}");
            Vec::new()
        });
        all.into_iter()
            .map(|(lang, messages)| {
                let body = serde_json::json!({ "lang": lang, "messages": messages });
                (lang, body.to_string())
            })
            .collect()
    })
}

pub fn routes() -> Router<Shared> {
    Router::new().route("/i18n/{lang}", get(catalogue))
}

/// `GET /i18n/en.json`, `GET /i18n/ko.json`: the language's web messages.
async fn catalogue(Path(file): Path<String>) -> Response {
    let lang = file.strip_suffix(".json").unwrap_or("");
    match answers().get(lang) {
        Some(body) => (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body.clone(),
        )
            .into_response(),
        None => json_error(StatusCode::NOT_FOUND, "no such language"),
    }
}

#[cfg(test)]
#[path = "i18n_scan.rs"]
mod i18n_scan;
#[cfg(test)]
#[path = "i18n_tests.rs"]
mod tests;
