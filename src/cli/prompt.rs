//! Asking for a password on the terminal: read from `/dev/tty` with echo turned off
//! (termios), so it is neither shown nor taken from a pipe by mistake. The terminal's echo
//! comes back however the prompt ends, Ctrl-C (or another stop signal) included.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::OnceLock;

use anyhow::{bail, Context};

/// Signals that end a prompt: the settings are put back before the process ends.
const STOP_SIGNALS: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];
/// The terminal's own settings, for the signal handler (the same for every prompt).
static SAVED: OnceLock<libc::termios> = OnceLock::new();
/// The descriptor the handler puts them back on (-1: no prompt is open).
static TTY_FD: AtomicI32 = AtomicI32::new(-1);

/// Puts the terminal's settings back, then lets the signal end the process as it would have.
extern "C" fn restore_and_die(signal: libc::c_int) {
    let fd = TTY_FD.load(Ordering::SeqCst);
    if let (Some(saved), true) = (SAVED.get(), fd >= 0) {
        // SAFETY: tcsetattr, signal and raise are async-signal-safe; `saved` is plain data
        // written before the handler was installed.
        unsafe {
            libc::tcsetattr(fd, libc::TCSANOW, saved);
        }
    }
    // SAFETY: restores the default action and re-sends the signal to this process.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

/// Restores the terminal's settings (and the stop signals' handlers) when dropped, however
/// the read ends.
struct EchoOff {
    fd: i32,
    saved: libc::termios,
    handlers: Vec<(libc::c_int, libc::sighandler_t)>,
}

impl EchoOff {
    fn new(tty: &File) -> anyhow::Result<Self> {
        let fd = tty.as_raw_fd();
        // SAFETY: `termios` is plain data; tcgetattr fills it for a valid open descriptor.
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(fd, &mut saved) } != 0 {
            bail!(
                "cannot read the terminal's settings: {}",
                std::io::Error::last_os_error()
            );
        }
        let _ = SAVED.set(saved);
        TTY_FD.store(fd, Ordering::SeqCst);
        let handler = restore_and_die as extern "C" fn(libc::c_int) as libc::sighandler_t;
        let handlers = STOP_SIGNALS
            .iter()
            .filter_map(|&sig| {
                // SAFETY: installs a handler that only calls async-signal-safe functions.
                let previous = unsafe { libc::signal(sig, handler) };
                (previous != libc::SIG_ERR).then_some((sig, previous))
            })
            .collect();
        let echo_off = Self {
            fd,
            saved,
            handlers,
        };
        let mut quiet = saved;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ECHONL;
        // SAFETY: as above, with settings copied from the terminal's own.
        if unsafe { libc::tcsetattr(fd, libc::TCSAFLUSH, &quiet) } != 0 {
            bail!(
                "cannot turn off the terminal's echo: {}",
                std::io::Error::last_os_error()
            );
        }
        Ok(echo_off)
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        // SAFETY: puts back the settings read in `new` on the same descriptor, then the
        // handlers the stop signals had before.
        unsafe {
            libc::tcsetattr(self.fd, libc::TCSAFLUSH, &self.saved);
            TTY_FD.store(-1, Ordering::SeqCst);
            for &(sig, previous) in &self.handlers {
                libc::signal(sig, previous);
            }
        }
    }
}

/// Shows `prompt` on the terminal and reads one line without echo.
fn read_hidden(prompt: &str) -> anyhow::Result<String> {
    let mut tty = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .context("cannot open the terminal to ask for a password")?;
    let echo = EchoOff::new(&tty)?;
    tty.write_all(prompt.as_bytes())?;
    tty.flush()?;
    let mut line = String::new();
    let read = BufReader::new(&tty)
        .read_line(&mut line)
        .context("cannot read the password from the terminal")?;
    drop(echo);
    if read == 0 {
        bail!("no password was typed");
    }
    let end = line.trim_end_matches(['\n', '\r']).len();
    line.truncate(end);
    Ok(line)
}

/// A new password typed twice on the terminal. Refused with a sentence when there is no
/// one to ask (standard input is not a terminal).
pub fn new_password(env_hint: &str) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        bail!("no terminal to ask for the password on; put it in an environment variable and pass {env_hint}");
    }
    let first = read_hidden("New password: ")?;
    vigil_core::web::password::check(&first)?;
    let second = read_hidden("Type it again: ")?;
    if first != second {
        bail!("the two passwords differ; nothing was changed");
    }
    Ok(first)
}

/// A secret for another system (e.g. the MQTT broker's password) typed twice on the
/// terminal, with no rules of Vigil's own beyond not being empty. Refused with a sentence
/// when there is no one to ask.
pub fn secret_typed_twice(what: &str, env_hint: &str) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        bail!("no terminal to ask for the {what} on; put it in an environment variable and pass {env_hint}");
    }
    let first = read_hidden(&format!("{}: ", capitalized(what)))?;
    if first.is_empty() {
        bail!("the {what} is empty; nothing was changed");
    }
    let second = read_hidden("Type it again: ")?;
    if first != second {
        bail!("the two passwords differ; nothing was changed");
    }
    Ok(first)
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A secret asked for once on the terminal (e.g. the passphrase that opens a file).
/// Refused with a sentence when there is no one to ask.
pub fn secret_typed_once(what: &str, env_hint: &str) -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        bail!("no terminal to ask for the {what} on; put it in an environment variable and pass {env_hint}");
    }
    read_hidden(&format!("{}: ", capitalized(what)))
}
