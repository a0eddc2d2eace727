//! `vigil completions` and the hidden `vigil manpages`: shell completion scripts and man pages,
//! both generated from the command-line definitions (so they never disagree with `--help`).
//! The Debian package (packaging/build-deb.sh) installs what these two write.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::Shell as Generator;

/// The shells the package installs a completion script for.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to print the script for.
    shell: Shell,
}

#[derive(Args, Debug)]
pub struct ManpagesArgs {
    /// The folder to write vigil.1 and one page per subcommand (vigil-camera-add.1, …) into;
    /// made if missing.
    dir: PathBuf,
}

/// Prints the completion script for one shell on stdout.
pub fn completions(args: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let generator = match args.shell {
        Shell::Bash => Generator::Bash,
        Shell::Zsh => Generator::Zsh,
        Shell::Fish => Generator::Fish,
    };
    let mut cmd = super::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(generator, &mut cmd, "vigil", &mut out);
    use std::io::Write;
    // A closed pipe (`| head`) is not an error.
    match std::io::stdout().lock().write_all(&out) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// Writes `vigil.1` and a page for every visible subcommand, recursively, into `args.dir`;
/// prints how many pages it wrote.
pub fn manpages(args: &ManpagesArgs) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot make the folder {}", args.dir.display()))?;
    let mut cmd = super::Cli::command().disable_help_subcommand(true);
    // Gives every subcommand its display name (vigil-camera-add), which names its page.
    cmd.build();
    let source = format!("vigil {}", env!("CARGO_PKG_VERSION"));
    let written = write_pages(&cmd, &args.dir, &source)?;
    println!("wrote {written} man pages into {}", args.dir.display());
    Ok(ExitCode::SUCCESS)
}

/// One page for `cmd` and one for each of its visible subcommands; how many were written.
fn write_pages(cmd: &clap::Command, dir: &Path, source: &str) -> anyhow::Result<usize> {
    let mut written = 0;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        written += write_pages(sub, dir, source)?;
    }
    let page = clap_mangen::Man::new(cmd.clone())
        .source(source)
        .manual("Vigil Manual");
    let path = page
        .generate_to(dir)
        .with_context(|| format!("cannot write a man page into {}", dir.display()))?;
    tracing::debug!(path = %path.display(), "man page written");
    Ok(written + 1)
}
