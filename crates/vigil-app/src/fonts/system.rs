//! Finding the system's Korean font: the files Debian, Fedora and Arch install first (no
//! process to start), then fontconfig's choice for `sans-serif:lang=ko`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A font file and the face in it to use (a `.ttc` holds several).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SystemFont {
    pub path: PathBuf,
    pub index: u32,
}

/// Known places of Korean fonts, best first. Noto Sans CJK's collection holds the faces
/// JP, KR, SC, TC, HK in that order (fonts-noto-cjk 2.x): KR is face 1.
const KNOWN: [(&str, u32); 7] = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 1), // i18n-ignore
    (
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        1,
    ), // i18n-ignore
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 1),      // i18n-ignore
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJKkr-Regular.otf",
        0,
    ), // i18n-ignore
    ("/usr/share/fonts/truetype/nanum/NanumGothic.ttf", 0),        // i18n-ignore
    ("/usr/share/fonts/nanum/NanumGothic.ttf", 0),                 // i18n-ignore
    ("/usr/share/fonts/naver-nanum/NanumGothic.ttf", 0),           // i18n-ignore
];

/// The system's Korean font: a known file if one exists, else fontconfig's; `None` when the
/// machine has none (the bundled font then draws Hangul).
pub fn find_system_font() -> Option<SystemFont> {
    known_font(KNOWN.iter().map(|(p, i)| (Path::new(p), *i))).or_else(fontconfig_font)
}

fn known_font<'a>(candidates: impl Iterator<Item = (&'a Path, u32)>) -> Option<SystemFont> {
    candidates
        .into_iter()
        .find(|(p, _)| p.is_file())
        .map(|(p, index)| SystemFont {
            path: p.to_path_buf(),
            index,
        })
}

/// Asks `fc-match` for the best sans-serif font for Korean; only a font that declares
/// Korean counts (fontconfig always answers, with DejaVu when nothing fits).
fn fontconfig_font() -> Option<SystemFont> {
    let out = Command::new("fc-match")
        .args([
            "-f",
            "%{file}\\n%{index}\\n%{lang}\\n",
            "sans-serif:lang=ko",
        ]) // i18n-ignore
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    parse_fc_match(&String::from_utf8_lossy(&out.stdout))
}

/// `file\nindex\nlangs` (langs separated by `|`) → the font, if it covers Korean.
fn parse_fc_match(text: &str) -> Option<SystemFont> {
    let mut lines = text.lines();
    let path = PathBuf::from(lines.next()?.trim());
    let index = lines.next()?.trim().parse().ok()?;
    let korean = lines.next()?.split('|').any(|l| l == "ko");
    (korean && path.is_file()).then_some(SystemFont { path, index })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fc_match_answers_count_only_when_they_cover_korean() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("font.ttc");
        std::fs::write(&file, b"x").unwrap();
        let ko = format!("{}\n1\nja|ko|zh-cn\n", file.display());
        assert_eq!(
            parse_fc_match(&ko),
            Some(SystemFont {
                path: file.clone(),
                index: 1
            })
        );
        let latin = format!("{}\n0\nen|fr|de\n", file.display());
        assert_eq!(parse_fc_match(&latin), None);
        assert_eq!(parse_fc_match("/nonexistent.ttf\n0\nko\n"), None);
        assert_eq!(parse_fc_match(""), None);
    }

    #[test]
    fn fontconfig_names_a_korean_font_on_this_machine() {
        // fontconfig and fonts-noto-cjk / fonts-nanum come with packaging/install-deps.sh.
        let font =
            fontconfig_font().expect("fc-match found no Korean font (fontconfig, fonts-nanum)");
        assert!(font.path.is_file(), "{font:?}");
    }

    #[test]
    fn the_first_known_font_that_exists_wins() {
        let dir = tempfile::tempdir().unwrap();
        let b = dir.path().join("b.ttf");
        std::fs::write(&b, b"x").unwrap();
        let a = dir.path().join("a.ttc");
        let found = known_font([(a.as_path(), 1), (b.as_path(), 0)].into_iter());
        assert_eq!(found, Some(SystemFont { path: b, index: 0 }));
    }
}
