//! `vigil user …`: web viewer accounts (add, list, change a password, remove). Every change
//! is written to the audit trail as made from the command line. A password comes from an
//! environment variable (`--password-env VAR`) or is typed twice on the terminal; it is
//! never an argument (others could read it in the process list) and never printed.

use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;
use clap::Subcommand;

use vigil_core::model::text::printable;
use vigil_core::model::time::format_rfc3339;
use vigil_core::web::accounts::check_name;
use vigil_core::web::{password, Accounts, Actor, Role};

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Add an account for the web viewer.
    Add {
        #[arg(long)]
        name: String,
        /// viewer (watch), operator (also export, protect and delete events, fire
        /// triggers) or admin (also change cameras, zones, policies and users).
        #[arg(long)]
        role: String,
        /// Read the password from this environment variable instead of asking for it.
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
    },
    /// List accounts and their roles.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Change an account's password (its browser sessions end).
    Passwd {
        #[arg(long)]
        name: String,
        /// Read the new password from this environment variable instead of asking for it.
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
    },
    /// Remove an account (never the last admin).
    Remove {
        #[arg(long)]
        name: String,
    },
}

pub fn run(data_dir: &Path, cmd: UserCmd) -> anyhow::Result<ExitCode> {
    let mut accounts = Accounts::new(super::open_library(data_dir)?);
    let by = Actor::COMMAND_LINE;
    match cmd {
        UserCmd::Add {
            name,
            role,
            password_env,
        } => {
            let role = Role::parse(&role)?;
            check_name(&name)?;
            if accounts.user(&name).is_ok() {
                bail!("a user named '{}' already exists", printable(&name));
            }
            let password = new_password(password_env.as_deref())?;
            let user = accounts.add_user(&name, role, &password, by)?;
            println!("added {} '{}'", user.role, printable(&user.name));
        }
        UserCmd::List { json } => list(&accounts, json)?,
        UserCmd::Passwd { name, password_env } => {
            accounts.user(&name)?;
            let password = new_password(password_env.as_deref())?;
            accounts.set_password(&name, &password, by)?;
            println!(
                "changed the password of '{}'; their browser sessions have ended",
                printable(&name)
            );
        }
        UserCmd::Remove { name } => {
            accounts.remove_user(&name, by)?;
            println!("removed user '{}'", printable(&name));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn list(accounts: &Accounts, json: bool) -> anyhow::Result<()> {
    let users = accounts.list_users()?;
    if json {
        return super::print_json(&users);
    }
    if users.is_empty() {
        println!("no users: add one with `vigil user add --name NAME --role admin`");
    }
    for u in &users {
        println!(
            "{:<24} {:<8} added {}",
            printable(&u.name),
            u.role,
            format_rfc3339(u.created_us)
        );
    }
    Ok(())
}

/// The new password: from the environment variable named, or typed twice on the terminal.
fn new_password(env: Option<&str>) -> anyhow::Result<String> {
    let Some(var) = env else {
        return super::prompt::new_password("--password-env VAR");
    };
    let password = match std::env::var(var) {
        Ok(p) => p,
        Err(std::env::VarError::NotPresent) => {
            bail!("the environment variable {var} named by --password-env is not set")
        }
        Err(std::env::VarError::NotUnicode(_)) => {
            bail!("the environment variable {var} does not hold valid UTF-8 text")
        }
    };
    password::check(&password)?;
    Ok(password)
}
