//! `vigil config export|import`: a site's configuration (cameras, policies, zones, trigger
//! sources, MQTT, web users) to and from one JSON file, so a site moves to a new machine.
//! Passwords go only with `--with-passwords`, sealed with a passphrase read from an
//! environment variable or typed (twice on export) on the terminal, never an argument.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

use vigil_core::model::text::printable;
use vigil_core::site_config::{
    self, check_passphrase, CheckedSite, ImportOptions, ImportReport, Passwords, Secrets,
    SiteConfig,
};

use super::prompt;

#[derive(Subcommand, Debug)]
pub enum ConfigCmd {
    /// Write the site's configuration to a JSON file: cameras (URLs without logins), their
    /// policies, ONVIF and object settings, zones and trigger sources, the MQTT broker, and
    /// web users with their roles. Recordings, events, sessions, API tokens, saved layouts
    /// and tours are not included. Passwords only with --with-passwords.
    Export(ExportArgs),
    /// Check a file written by `vigil config export` as a whole, then add its cameras,
    /// zones, trigger sources, MQTT settings and users in one go: all or nothing. A running
    /// recorder starts the new cameras within seconds.
    Import(ImportArgs),
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The file to write (mode 0600), or `-` for standard output.
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    /// Also export the passwords (camera logins, ONVIF and MQTT passwords, web users'
    /// password hashes), encrypted with a passphrase (Argon2id and ChaCha20-Poly1305).
    #[arg(long)]
    with_passwords: bool,
    /// Read the passphrase from this environment variable instead of asking for it.
    #[arg(long, value_name = "VAR", requires = "with_passwords")]
    passphrase_env: Option<String>,
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The file written by `vigil config export`.
    file: PathBuf,
    /// Check everything and say what would be added or replaced; change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Replace cameras (settings, policy, zones, trigger sources; recordings are kept),
    /// users and MQTT settings the library already has, instead of refusing.
    #[arg(long)]
    replace: bool,
    /// Import without the file's passwords (cameras without logins, users unable to sign in
    /// until `vigil user passwd`).
    #[arg(long)]
    skip_passwords: bool,
    /// Read the passphrase from this environment variable instead of asking for it.
    #[arg(long, value_name = "VAR", conflicts_with = "skip_passwords")]
    passphrase_env: Option<String>,
}

pub fn run(data_dir: &Path, cmd: ConfigCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        ConfigCmd::Export(args) => export(data_dir, &args),
        ConfigCmd::Import(args) => import(data_dir, &args),
    }
}

/// The passphrase from `--passphrase-env VAR`, or typed on the terminal (twice when
/// `confirm`).
fn passphrase(env: Option<&str>, confirm: bool) -> anyhow::Result<String> {
    match env {
        Some(var) => {
            std::env::var(var).with_context(|| format!("environment variable {var} is not set"))
        }
        None if confirm => prompt::secret_typed_twice("passphrase", "--passphrase-env VAR"),
        None => prompt::secret_typed_once("passphrase", "--passphrase-env VAR"),
    }
}

fn export(data_dir: &Path, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let to_stdout = args.output.as_os_str() == "-";
    if !to_stdout && !args.force && args.output.symlink_metadata().is_ok() {
        anyhow::bail!(
            "{} already exists; pass --force to replace it",
            args.output.display()
        );
    }
    let pass = if args.with_passwords {
        let p = passphrase(args.passphrase_env.as_deref(), true)?;
        check_passphrase(&p)?;
        Some(p)
    } else {
        None
    };
    let lib = super::open_library(data_dir)?;
    let doc = site_config::export(&lib, pass.as_deref())?;
    drop(lib);
    let text = doc.to_json()?;
    if to_stdout {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
    } else {
        write_private(&args.output, text.as_bytes())?;
    }
    eprintln!(
        "exported {} and {} to {}; passwords: {}",
        count(doc.cameras.len(), "camera", "cameras"),
        count(doc.users.len(), "user", "users"),
        if to_stdout {
            "standard output".to_string()
        } else {
            args.output.display().to_string()
        },
        if doc.secrets.is_some() {
            "included, encrypted with the passphrase"
        } else {
            "not included"
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes `bytes` to `path` readable by its owner only, all at once: a temporary file in the
/// same folder, flushed to disk, then renamed over `path`.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.tmp", std::process::id()));
    let temp = dir.join(temp_name);
    let written = (|| -> std::io::Result<()> {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)?;
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

fn import(data_dir: &Path, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let doc = SiteConfig::parse(&text)?;
    let (secrets, passwords) = open_secrets(&doc, args)?;
    let site = site_config::check(&doc, secrets.as_ref())?;
    let opts = ImportOptions {
        replace: args.replace,
        dry_run: args.dry_run,
        passwords,
    };
    let mut lib = super::open_library(data_dir)?;
    let report = site_config::import(&mut lib, &site, opts)?;
    print_report(&site, &report, opts);
    if args.dry_run {
        println!("dry run: nothing was changed");
    }
    Ok(ExitCode::SUCCESS)
}

/// What was (or would be) added and replaced, then the summary line.
fn print_report(site: &CheckedSite, report: &ImportReport, opts: ImportOptions) {
    let verb = |done: &str, would: &str| {
        if opts.dry_run {
            would.to_string()
        } else {
            done.to_string()
        }
    };
    for c in &site.cameras {
        let how = if report
            .replaced_cameras
            .iter()
            .any(|r| r == c.camera.name.as_str())
        {
            verb("replaced", "would replace")
        } else {
            verb("added", "would add")
        };
        println!(
            "{how} camera '{}' (id {}): {}, {}",
            printable(c.display.as_str()),
            c.camera.name,
            count(c.zones.len(), "zone", "zones"),
            count(c.sources.len(), "trigger source", "trigger sources")
        );
    }
    for name in &report.replaced_users {
        println!(
            "{} user '{}'",
            verb("replaced", "would replace"),
            printable(name)
        );
    }
    for name in &report.added_users {
        println!("{} user '{}'", verb("added", "would add"), printable(name));
    }
    println!("{}", report.summary(opts));
    if !report.users_without_password.is_empty() {
        println!(
            "without a password (set one with `vigil user passwd --name NAME`): {}",
            report
                .users_without_password
                .iter()
                .map(|n| printable(n))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// The file's passwords, opened with the passphrase unless `--skip-passwords`.
fn open_secrets(
    doc: &SiteConfig,
    args: &ImportArgs,
) -> anyhow::Result<(Option<Secrets>, Passwords)> {
    let Some(sealed) = &doc.secrets else {
        return Ok((None, Passwords::NoneInFile));
    };
    if args.skip_passwords {
        return Ok((None, Passwords::Skipped));
    }
    site_config::sealed::check_form(sealed)?;
    let pass = passphrase(args.passphrase_env.as_deref(), false)?;
    let secrets = site_config::sealed::open(sealed, &pass)?;
    Ok((Some(secrets), Passwords::Imported))
}

/// "1 zone", "2 zones".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
