//! Finds words the web viewer's pages and scripts would show without the catalogue: in HTML,
//! text outside elements with `data-i18n` (and `<code>`, and the name Vigil) and
//! `placeholder`/`title`/`aria-label`/`alt` attributes; in scripts, string literals in
//! places that reach the page (an element's children, `textContent =`, `title:`,
//! `'aria-label':`, `placeholder:`, `alt:`, `confirm(`, `alert(`, `problem(`, `say(`,
//! `new Error(`…) and any literal that reads like words (a space between letters, or a
//! capitalised word). A line ending in `// i18n-ignore` is left out.

/// Where a literal reaches the page: the code just before it ends with one of these.
const SHOWN_AFTER: &[&str] = &[
    "},",
    "textContent =",
    "title:",
    "'aria-label':",
    "placeholder:",
    "alt:",
    "confirm(",
    "alert(",
    "problem(",
    "say(",
    "say(this,",
    "sayTested(",
    "onProblem(",
    "cannotPlay(",
    "restart(",
    "new Error(",
    "button(",
    "field(",
];

/// Characters after which a `/` starts a regular expression, not a division.
const BEFORE_REGEX: &str = "(,=:[!&|?{};";

/// Whether the text has a word in it: two letters in a row (or any Hangul).
fn has_letters(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    c.windows(2)
        .any(|w| w[0].is_alphabetic() && w[1].is_alphabetic())
        || c.iter().any(|ch| ('\u{AC00}'..='\u{D7A3}').contains(ch))
}

/// Whether a literal reads like words whatever its place: letters with a space, or a
/// capitalised word; not CSS classes ("live-badge rec"), selectors, paths or keys.
fn reads_like_words(s: &str) -> bool {
    if !has_letters(s) || s.starts_with(['.', '#', '/', '[']) || s.contains("://") {
        return false;
    }
    let class_list = s.split(' ').all(|w| {
        w.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    });
    if class_list {
        return false;
    }
    // A MIME type ("video/mp4; codecs=…") or an HTTP header's name ("X-Vigil-Codecs").
    let mime = s.split(';').next().is_some_and(|m| {
        m.split_once('/').is_some_and(|(a, b)| {
            !a.is_empty() && !b.is_empty() && a.chars().all(|c| c.is_ascii_lowercase())
        })
    });
    let header = !s.contains(' ')
        && s.contains('-')
        && s.split('-')
            .all(|w| w.starts_with(|c: char| c.is_ascii_uppercase()));
    // A CamelCase name ("QuotaExceededError"): an identifier, not a word.
    let camel = !s.contains(' ') && s.chars().skip(1).any(|c| c.is_ascii_uppercase());
    if mime || header || camel {
        return false;
    }
    let mut c = s.chars();
    let capital =
        matches!((c.next(), c.next()), (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase());
    s.contains(' ') || capital || !s.is_ascii()
}

/// A literal's text (template literals: their text outside `${…}`), its line and where it
/// starts.
struct Literal {
    line: usize,
    start: usize,
    text: String,
}

/// Skips a quoted string starting at `i` (the quote); the index after it.
fn skip_quoted(b: &[char], mut i: usize, quote: char, text: &mut String) -> usize {
    i += 1;
    while i < b.len() && b[i] != quote {
        if b[i] == '\\' {
            i += 1;
        } else {
            text.push(b[i]);
        }
        i += 1;
    }
    i + 1
}

/// Skips a template literal starting at `i` (the backtick), collecting its text parts.
fn skip_template(b: &[char], mut i: usize, text: &mut String) -> usize {
    i += 1;
    while i < b.len() && b[i] != '`' {
        if b[i] == '\\' {
            i += 2;
            continue;
        }
        if b[i] == '$' && b.get(i + 1) == Some(&'{') {
            let mut depth = 0;
            while i < b.len() {
                match b[i] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    q @ ('\'' | '"') => i = skip_quoted(b, i, q, &mut String::new()) - 1,
                    '`' => i = skip_template(b, i, &mut String::new()) - 1,
                    _ => {}
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        text.push(b[i]);
        i += 1;
    }
    i + 1
}

/// Every string and template literal of a script, comments and regular expressions left out.
fn literals(code: &str) -> Vec<Literal> {
    let b: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut prev = ';'; // the last significant character
    while i < b.len() {
        let c = b[i];
        let line = b[..i].iter().filter(|&&x| x == '\n').count() + 1;
        if c == '/' && b.get(i + 1) == Some(&'/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && b.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                i += 1;
            }
            i += 2;
            continue;
        }
        if c == '/' && BEFORE_REGEX.contains(prev) {
            i += 1;
            let mut class = false;
            while i < b.len() && (b[i] != '/' || class) {
                match b[i] {
                    '\\' => i += 1,
                    '[' => class = true,
                    ']' => class = false,
                    _ => {}
                }
                i += 1;
            }
            i += 1;
            prev = 'r';
            continue;
        }
        if matches!(c, '\'' | '"' | '`') {
            let mut text = String::new();
            let start = i;
            i = if c == '`' {
                skip_template(&b, i, &mut text)
            } else {
                skip_quoted(&b, i, c, &mut text)
            };
            out.push(Literal { line, start, text });
            prev = 's';
            continue;
        }
        if !c.is_whitespace() {
            prev = c;
        }
        i += 1;
    }
    out
}

/// Words a script would show without the catalogue: (line, literal).
pub fn js_words(code: &str) -> Vec<(usize, String)> {
    let chars: Vec<char> = code.chars().collect();
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for lit in literals(code) {
        if lines
            .get(lit.line - 1)
            .is_some_and(|l| l.trim_end().ends_with("// i18n-ignore"))
        {
            continue;
        }
        let before: String = chars[..lit.start].iter().collect();
        let before = before.trim_end();
        let shown = SHOWN_AFTER.iter().any(|s| before.ends_with(s));
        let t = lit.text.trim();
        let key = t.starts_with("web-") || t.starts_with("common-");
        if key {
            continue;
        }
        if (shown && has_letters(t)) || reads_like_words(t) {
            out.push((lit.line, lit.text));
        }
    }
    out
}

/// Words a page would show without the catalogue: (line, text or attribute).
pub fn html_words(html: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let line_of = |at: usize| html[..at].matches('\n').count() + 1;
    let mut i = 0;
    let mut last_tag = "";
    while let Some(open) = html[i..].find('<').map(|o| o + i) {
        let text = html[i..open].trim();
        let translated = last_tag.contains("data-i18n=") || last_tag.starts_with("<code");
        if has_letters(text) && !translated && text != "Vigil" {
            out.push((line_of(i), text.to_string()));
        }
        if html[open..].starts_with("<!--") {
            i = html[open..]
                .find("-->")
                .map_or(html.len(), |e| open + e + 3);
            continue;
        }
        let close = html[open..].find('>').map_or(html.len(), |e| open + e + 1);
        let tag = &html[open..close];
        for attr in ["placeholder=\"", "title=\"", "aria-label=\"", "alt=\""] {
            if let Some(at) = tag.find(attr).filter(|&a| !tag[..a].ends_with('-')) {
                let value = &tag[at + attr.len()..];
                let value = &value[..value.find('"').unwrap_or(value.len())];
                if has_letters(value) {
                    out.push((line_of(open), format!("{attr}{value}\"")));
                }
            }
        }
        last_tag = tag;
        i = close;
    }
    out
}
