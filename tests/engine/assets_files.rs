//! The desktop files in `assets/` (issue 16): the icon's PNGs are there at the size their
//! folder names and were rendered from the current SVG, the desktop entry and the AppStream
//! metainfo name things that exist, agree with each other, and pass the real validators
//! (`desktop-file-validate`, `appstreamcli validate`).

use std::path::{Path, PathBuf};
use std::process::Command;

const APP_ID: &str = "org.vigilnvr.Vigil";
const SIZES: [u32; 8] = [16, 24, 32, 48, 64, 128, 256, 512];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn assets() -> PathBuf {
    root().join("assets")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Runs a system program, failing with the Debian package to install when it is missing.
fn run(program: &str, package: &str, args: &[&str]) -> std::process::Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {program} ({e}): install the Debian package {package} \
             (packaging/install-deps.sh test does)"
            )
        })
}

/// The value of `key=` in the desktop entry's `[Desktop Entry]` group.
fn desktop_key(entry: &str, key: &str) -> Option<String> {
    entry
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
        .map(str::to_string)
}

/// The texts of every `<tag …>text</tag>` in the metainfo (a plain scan: the file is ours).
fn xml_texts(xml: &str, tag: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&format!("<{tag}")) {
        rest = &rest[start + tag.len() + 1..];
        if !rest.starts_with(['>', ' ']) {
            continue;
        }
        let (Some(open_end), Some(close)) = (rest.find('>'), rest.find(&format!("</{tag}>")))
        else {
            break;
        };
        out.push(rest[open_end + 1..close].trim().to_string());
        rest = &rest[close..];
    }
    out
}

#[test]
fn every_icon_png_exists_at_the_size_its_folder_says() {
    for n in SIZES {
        let path = assets().join(format!("icons/hicolor/{n}x{n}/apps/{APP_ID}.png"));
        assert!(
            path.is_file(),
            "{} is missing: run packaging/render-icons.sh",
            path.display()
        );
        let (w, h) = image::image_dimensions(&path)
            .unwrap_or_else(|e| panic!("{} is not a PNG: {e}", path.display()));
        assert_eq!((w, h), (n, n), "{} has the wrong size", path.display());
    }
}

#[test]
fn the_pngs_were_rendered_from_the_current_svg() {
    let svg = assets().join("icons/vigil.svg");
    let out = run("sha256sum", "coreutils", &[svg.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "sha256sum failed on {}",
        svg.display()
    );
    let now = String::from_utf8_lossy(&out.stdout);
    let now = now.split_whitespace().next().unwrap_or_default();
    let recorded = read(&assets().join("icons/vigil.svg.sha256"));
    assert_eq!(
        recorded.trim(),
        now,
        "assets/icons/vigil.svg changed since its PNGs were rendered: run packaging/render-icons.sh"
    );
    assert!(
        !read(&svg).contains("<image"),
        "the icon must be vector only (no bitmaps)"
    );
}

#[test]
fn the_desktop_entry_names_an_icon_and_a_command_that_exist() {
    let entry = read(&assets().join(format!("{APP_ID}.desktop")));
    let icon = desktop_key(&entry, "Icon").expect("Icon= in the desktop entry");
    assert_eq!(icon, APP_ID);
    for n in SIZES {
        let png = assets().join(format!("icons/hicolor/{n}x{n}/apps/{icon}.png"));
        assert!(
            png.is_file(),
            "Icon={icon} but {} is missing",
            png.display()
        );
    }
    assert_eq!(
        desktop_key(&entry, "StartupWMClass").as_deref(),
        Some(APP_ID)
    );

    let exec = desktop_key(&entry, "Exec").expect("Exec= in the desktop entry");
    let words: Vec<&str> = exec.split_whitespace().collect();
    assert_eq!(
        words,
        ["vigil", "gui"],
        "Exec= runs the installed binary's app"
    );
    // The subcommand exists in the binary the package installs.
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args([words[1], "--help"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "`vigil {} --help` failed: {}",
        words[1],
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_metainfo_matches_the_desktop_entry_and_its_screenshots_exist() {
    let xml = read(&assets().join(format!("{APP_ID}.metainfo.xml")));
    assert_eq!(xml_texts(&xml, "id"), [APP_ID]);
    assert_eq!(xml_texts(&xml, "launchable"), [format!("{APP_ID}.desktop")]);
    assert!(assets().join(format!("{APP_ID}.desktop")).is_file());
    assert_eq!(xml_texts(&xml, "icon"), [APP_ID]);
    assert_eq!(xml_texts(&xml, "binary"), ["vigil"]);

    let images = xml_texts(&xml, "image");
    assert!(images.len() >= 3, "at least three screenshots: {images:?}");
    for url in &images {
        let (_, name) = url
            .split_once("/docs/screenshots/")
            .unwrap_or_else(|| panic!("screenshot {url} is not from docs/screenshots"));
        let file = root().join("docs/screenshots").join(name);
        assert!(
            file.is_file(),
            "screenshot {url}: {} is missing",
            file.display()
        );
    }
    // The categories agree with the desktop entry's.
    let entry = read(&assets().join(format!("{APP_ID}.desktop")));
    let desktop_categories: Vec<String> = desktop_key(&entry, "Categories")
        .unwrap_or_default()
        .split(';')
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    assert_eq!(xml_texts(&xml, "category"), desktop_categories);
}

#[test]
fn desktop_file_validate_passes_without_a_remark() {
    let path = assets().join(format!("{APP_ID}.desktop"));
    let out = run(
        "desktop-file-validate",
        "desktop-file-utils",
        &[path.to_str().unwrap()],
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "desktop-file-validate failed:\n{said}"
    );
    assert!(
        said.trim().is_empty(),
        "desktop-file-validate has remarks:\n{said}"
    );
}

#[test]
fn appstreamcli_validate_passes_without_errors_or_warnings() {
    let path = assets().join(format!("{APP_ID}.metainfo.xml"));
    let out = run(
        "appstreamcli",
        "appstream",
        &["validate", "--no-net", path.to_str().unwrap()],
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "appstreamcli validate failed:\n{said}"
    );
    // Infos and pedantic remarks may stay (the metainfo explains its one info); errors and
    // warnings may not.
    let bad: Vec<&str> = said
        .lines()
        .filter(|l| l.starts_with("E:") || l.starts_with("W:"))
        .collect();
    assert!(bad.is_empty(), "appstreamcli validate:\n{said}");
}
