//! Asking for a password on the terminal: read from `/dev/tty` with echo turned off
//! (termios), so it is neither shown nor taken from a pipe by mistake.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::os::fd::AsRawFd;

use anyhow::{bail, Context};

/// Restores the terminal's settings when dropped, however the read ends.
struct EchoOff {
    fd: i32,
    saved: libc::termios,
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
        Ok(Self { fd, saved })
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        // SAFETY: puts back the settings read in `new` on the same descriptor.
        unsafe {
            libc::tcsetattr(self.fd, libc::TCSAFLUSH, &self.saved);
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
