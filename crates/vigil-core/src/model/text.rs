//! Text that came from outside (trigger labels, zone names) made safe for a terminal:
//! control characters (ESC and the rest of C0, DEL, C1) and the bidirectional overrides
//! that reorder what a reader sees are written out as `\u{…}` escapes instead of acting.

use std::borrow::Cow;

/// True for a character that must not reach a terminal as it is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// True if `text` holds any character [`is_unsafe`].
pub fn has_unsafe(text: &str) -> bool {
    text.chars().any(is_unsafe)
}

/// `text` with every unsafe character written as a visible `\u{…}` escape (`door\u{1b}[31m`
/// for `door` ESC `[31m`); borrowed unchanged when there is none.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !has_unsafe(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_plain_text_is_borrowed() {
        assert!(matches!(
            printable("front door"),
            Cow::Borrowed("front door")
        ));
        assert_eq!(printable("Tür 2 ✓"), "Tür 2 ✓");
        assert_eq!(printable("door\u{1b}[31mred"), "door\\u{1b}[31mred");
        assert_eq!(
            printable("a\nb\rc\td\u{7f}e\u{9b}"),
            "a\\u{a}b\\u{d}c\\u{9}d\\u{7f}e\\u{9b}"
        );
        assert_eq!(printable("x\u{202e}yz"), "x\\u{202e}yz");
        assert!(has_unsafe("\u{7}") && !has_unsafe("bell"));
    }
}
