//! What the Debian package takes from the real `vigil` binary: the man pages (`vigil manpages
//! DIR`, rendered by the system's `man`), the shell completion scripts (`vigil completions`:
//! bash's parsed by `bash -n`, zsh's and fish's checked by their content), and the service's
//! `vigil run --no-demo`, which waits for a camera instead of inventing the demo one.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{terminate, Vigil};

/// `man -l` renders a page as plain text (no pager, wide enough for a synopsis on one line).
fn render_man_page(page: &Path) -> String {
    let out = Command::new("man")
        .arg("-l")
        .arg(page)
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "200")
        .output()
        .unwrap_or_else(|e| {
            panic!("`man` is needed to render the pages (apt install man-db; make test installs it): {e}")
        });
    assert!(
        out.status.success(),
        "man -l {} failed: {}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    // Justified lines hold runs of spaces: one space between words is enough to compare.
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn man_pages_cover_every_subcommand_with_the_version() {
    let data = tempfile::tempdir().expect("temp dir");
    let out_dir = tempfile::tempdir().expect("temp dir");
    let pages = out_dir.path().join("man1");
    let said = Vigil::new(data.path()).ok(&["manpages", pages.to_str().expect("utf-8 path")]);
    assert!(said.contains("man pages into"), "{said}");
    for name in [
        "vigil.1",
        "vigil-camera.1",
        "vigil-camera-add.1",
        "vigil-run.1",
        "vigil-completions.1",
    ] {
        assert!(pages.join(name).is_file(), "{name} was not written");
    }
    // The hidden command has no page; neither has clap's `help`.
    assert!(!pages.join("vigil-manpages.1").exists());
    assert!(!pages.join("vigil-help.1").exists());

    let version = env!("CARGO_PKG_VERSION");
    let source = std::fs::read_to_string(pages.join("vigil-camera-add.1")).expect("read page");
    let th = source
        .lines()
        .find(|l| l.starts_with(".TH "))
        .expect("a .TH header");
    assert!(
        th.starts_with(".TH vigil-camera-add 1 ") && th.contains(&format!("vigil {version}")),
        "{th}"
    );
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS"] {
        assert!(source.contains(section), "no {section} in:\n{source}");
    }

    let text = render_man_page(&pages.join("vigil-camera-add.1"));
    assert!(text.contains("vigil-camera-add - Add a camera"), "{text}");
    assert!(text.contains("vigil camera add"), "{text}");
    assert!(text.contains("--url"), "{text}");
    let top = render_man_page(&pages.join("vigil.1"));
    for sub in ["vigil-camera(1)", "vigil-run(1)", "vigil-completions(1)"] {
        assert!(top.contains(sub), "vigil.1 does not point to {sub}:\n{top}");
    }
}

#[test]
fn completion_scripts_parse_and_know_the_subcommands() {
    let data = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(data.path());
    let bash = v.ok(&["completions", "bash"]);
    assert!(bash.contains("camera") && bash.contains("trigger-source"));
    assert!(bash.contains("complete -F"), "not a bash completion script");
    check_syntax("bash", &bash);
    let zsh = v.ok(&["completions", "zsh"]);
    assert!(
        zsh.starts_with("#compdef vigil"),
        "{}",
        &zsh[..80.min(zsh.len())]
    );
    assert!(zsh.contains("camera"));
    let fish = v.ok(&["completions", "fish"]);
    assert!(fish.contains("complete -c vigil") && fish.contains("camera"));
    // A shell the package does not ship a script for is refused with the choices.
    let other = v.run(&["completions", "tcsh"]);
    assert!(!other.status.success());
    let err = String::from_utf8_lossy(&other.stderr);
    assert!(
        err.contains("bash") && err.contains("zsh") && err.contains("fish"),
        "{err}"
    );
}

/// `SHELL -n` reads the script without running it: a syntax error fails.
fn check_syntax(shell: &str, script: &str) {
    use std::io::Write;
    let mut child = Command::new(shell)
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {shell}: {e}"));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write script");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{shell} -n refused the script: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_service_recorder_waits_for_a_camera_instead_of_adding_the_demo() {
    let data = tempfile::tempdir().expect("temp dir");
    let v = Vigil::new(data.path());
    // What vigil.service runs (minus --group-read), with the environment switch.
    let mut child = v
        .cmd()
        .args(["run", "--status-every", "1h"])
        .env("VIGIL_NO_DEMO", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vigil run");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let mut wait_for = |want: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !seen.iter().any(|l: &String| l.contains(want)) {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => seen.push(line),
                Err(_) => panic!("no line with '{want}' in 30 s; printed: {seen:#?}"),
            }
        }
    };
    wait_for("no cameras configured: add one with `vigil --data-dir");
    wait_for("recording into");
    // A camera added while it runs is picked up by the running recorder.
    v.add_demo_camera("gate", &[]);
    wait_for("gate: started");
    wait_for("gate: connected");
    let out = terminate(child);
    reader.join().expect("reader");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = seen.join("\n");
    assert!(!printed.contains("built-in demo camera"), "{printed}");
    let listed = v.ok(&["camera", "list"]);
    let names: Vec<&str> = listed
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(names, ["gate"], "{listed}");
}
