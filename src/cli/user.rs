//! `vigil user …`: web viewer accounts (add, list, change a password, remove) and their API
//! tokens for scripts (`vigil user token add|list|remove`). Every change
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
    /// Remove an account (never the last admin) with its sessions and API tokens.
    Remove {
        #[arg(long)]
        name: String,
    },
    /// An account's API tokens for scripts (`Authorization: Bearer TOKEN`).
    #[command(subcommand)]
    Token(TokenCmd),
}

#[derive(Subcommand, Debug)]
pub enum TokenCmd {
    /// Make a new token for an account and print it (once: only its hash is kept).
    Add {
        #[arg(long)]
        name: String,
        /// What the token is for, e.g. "door sensor" (default: "token N").
        #[arg(long)]
        label: Option<String>,
    },
    /// List an account's tokens: label, when made, when last used (never the token).
    List {
        #[arg(long)]
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Revoke an account's token.
    Remove {
        #[arg(long)]
        name: String,
        #[arg(long)]
        label: String,
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
        UserCmd::Token(cmd) => token(&mut accounts, cmd)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn token(accounts: &mut Accounts, cmd: TokenCmd) -> anyhow::Result<()> {
    let by = Actor::COMMAND_LINE;
    match cmd {
        TokenCmd::Add { name, label } => {
            let (row, secret) = accounts.add_api_token(&name, label.as_deref(), by)?;
            println!(
                "added token '{}' for '{}'; it is shown only now:",
                printable(&row.label),
                printable(&name)
            );
            println!("token: {}", secret.as_str());
        }
        TokenCmd::List { name, json } => {
            let tokens = accounts.api_tokens(&name)?;
            if json {
                return super::print_json(&tokens);
            }
            if tokens.is_empty() {
                println!(
                    "'{}' has no tokens: add one with `vigil user token add --name NAME`",
                    printable(&name)
                );
            }
            for t in &tokens {
                let used = t.last_used_us.map_or("never".into(), format_rfc3339);
                println!(
                    "{:<24} added {}  last used {used}",
                    printable(&t.label),
                    format_rfc3339(t.created_us)
                );
            }
        }
        TokenCmd::Remove { name, label } => {
            accounts.remove_api_token(&name, &label, by)?;
            println!(
                "revoked token '{}' of '{}'",
                printable(&label),
                printable(&name)
            );
        }
    }
    Ok(())
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
