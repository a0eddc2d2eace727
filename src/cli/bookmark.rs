//! `vigil bookmark add|list|remove`: name a moment or a range on a camera (with a note, and
//! optionally protected from retention), find bookmarks again, remove them; and the export
//! plan of one bookmark for `vigil export --bookmark`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};

use vigil_core::export::{self, ExportPlan};
use vigil_core::library::bookmarks::MOMENT_PAD_US;
use vigil_core::library::{Bookmark, BookmarkQuery, Library, NewBookmark};
use vigil_core::model::person::local_person;
use vigil_core::model::text::printable;
use vigil_core::model::time::{format_rfc3339, now_us, parse_rfc3339};

#[derive(Subcommand, Debug)]
pub enum BookmarkCmd {
    /// Bookmark a moment (--at) or a range (--from, --to) on a camera.
    Add(AddArgs),
    /// List bookmarks, by camera, time and text.
    List(ListArgs),
    /// Remove a bookmark (its footage stays, subject to retention again).
    Remove(RemoveArgs),
}

#[derive(Args, Debug)]
pub struct AddArgs {
    #[arg(long)]
    camera: String,
    /// The moment, RFC 3339 (e.g. 2026-11-25T03:00:00Z); exports take 10 s either side.
    #[arg(long, conflicts_with_all = ["from", "to"], required_unless_present = "from")]
    at: Option<String>,
    /// The range's start, RFC 3339.
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// The range's end, RFC 3339.
    #[arg(long, requires = "from")]
    to: Option<String>,
    #[arg(long)]
    name: String,
    #[arg(long, default_value = "")]
    note: String,
    /// Keep its footage through retention (like a protected event).
    #[arg(long)]
    protect: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    range: super::RangeArgs,
    /// Only bookmarks whose name or note holds this text (any case).
    #[arg(long)]
    search: Option<String>,
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct RemoveArgs {
    /// The bookmark's number (see `vigil bookmark list`).
    id: i64,
}

pub fn run(data_dir: &Path, cmd: BookmarkCmd) -> anyhow::Result<ExitCode> {
    let lib = super::open_library(data_dir)?;
    match cmd {
        BookmarkCmd::Add(args) => add(&lib, &args),
        BookmarkCmd::List(args) => list(&lib, &args),
        BookmarkCmd::Remove(args) => match lib.remove_bookmark(args.id)? {
            Some(b) => {
                println!("bookmark {} removed: {}", b.id, line(&b));
                Ok(ExitCode::SUCCESS)
            }
            None => anyhow::bail!(
                "there is no bookmark {} (see `vigil bookmark list`)",
                args.id
            ),
        },
    }
}

fn add(lib: &Library, args: &AddArgs) -> anyhow::Result<ExitCode> {
    let camera = lib.resolve_camera(&args.camera)?;
    let (start_us, end_us) = match (&args.at, &args.from, &args.to) {
        (Some(at), _, _) => {
            let at = parse_rfc3339(at).context("--at")?;
            (at, at)
        }
        (None, Some(from), Some(to)) => {
            let from = parse_rfc3339(from).context("--from")?;
            let to = parse_rfc3339(to).context("--to")?;
            anyhow::ensure!(from < to, "--from must be before --to");
            (from, to)
        }
        _ => anyhow::bail!("say when: --at TIME for a moment, or --from TIME --to TIME"),
    };
    let b = lib.add_bookmark(
        &NewBookmark {
            camera_id: camera.id,
            start_us,
            end_us,
            name: args.name.clone(),
            note: args.note.clone(),
            protected: args.protect,
            by_user: local_person("cli"),
        },
        now_us(),
    )?;
    if args.json {
        super::print_json(&b)?;
    } else {
        println!("bookmark {} added: {}", b.id, line(&b));
    }
    Ok(ExitCode::SUCCESS)
}

fn list(lib: &Library, args: &ListArgs) -> anyhow::Result<ExitCode> {
    let (camera_id, from_us, to_us) = args.range.resolve(lib)?;
    let found = lib.bookmarks(&BookmarkQuery {
        camera_id,
        from_us,
        to_us,
        search: args.search.clone(),
    })?;
    if args.json {
        super::print_json(&found)?;
        return Ok(ExitCode::SUCCESS);
    }
    if found.is_empty() {
        println!("no bookmarks");
    }
    for b in &found {
        println!("{:>5}  {}", b.id, line(b));
        if !b.note.is_empty() {
            println!("       {}", printable(&b.note));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `front  2026-…Z → 2026-…Z  "Van at the gate"  protected  by ana (cli)`.
fn line(b: &Bookmark) -> String {
    let when = match b.is_moment() {
        true => format!("at {}", format_rfc3339(b.start_us)),
        false => format!(
            "{} → {}",
            format_rfc3339(b.start_us),
            format_rfc3339(b.end_us)
        ),
    };
    format!(
        "{}  {when}  \"{}\"{}  by {}",
        b.camera,
        printable(&b.name),
        if b.protected { "  protected" } else { "" },
        printable(&b.by_user)
    )
}

/// What `vigil export --bookmark ID` writes: the range, or a moment with 10 s either side.
pub fn export_plan(lib: &Library, id: i64) -> anyhow::Result<ExportPlan> {
    let Some(b) = lib.bookmark(id)? else {
        anyhow::bail!("there is no bookmark {id} (see `vigil bookmark list`)");
    };
    let (from_us, to_us) = b.footage();
    if b.is_moment() {
        eprintln!(
            "bookmark {id} is a moment: exporting {} s either side of it",
            MOMENT_PAD_US / 1_000_000
        );
    }
    Ok(export::plan(lib, &b.camera, from_us, to_us)?)
}
