//! `vigil layout …`: the live view's saved layouts (made in the desktop app): list them, show
//! one cell by cell, remove one. Cells name cameras by id; a removed camera's cell says so.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use serde::Serialize;

use vigil_core::library::Library;
use vigil_core::model::SavedLayout;

#[derive(Subcommand, Debug)]
pub enum LayoutCmd {
    /// List the saved layouts.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show a saved layout's cells and their cameras.
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Remove a saved layout (cameras and recordings are not affected).
    Remove { name: String },
}

#[derive(Serialize)]
struct LayoutJson {
    id: i64,
    name: String,
    kind: String,
    /// Each cell's camera name; `null` when empty or its camera was removed.
    cells: Vec<Option<String>>,
    updated_us: i64,
}

pub fn run(data_dir: &Path, cmd: LayoutCmd) -> anyhow::Result<ExitCode> {
    let mut lib = super::open_library(data_dir)?;
    let cameras: HashMap<i64, String> = lib
        .cameras()?
        .into_iter()
        .map(|c| (c.id, c.name.to_string()))
        .collect();
    match cmd {
        LayoutCmd::List { json } => {
            let all = lib.layouts()?;
            if json {
                let rows: Vec<LayoutJson> = all.iter().map(|l| as_json(l, &cameras)).collect();
                super::print_json(&rows)?;
            } else if all.is_empty() {
                println!("no saved layouts (save one in the app: Layout menu, Save layout as…)");
            } else {
                for l in &all {
                    let placed = l.cells.iter().flatten().count();
                    println!(
                        "{:<32} {:<4} {placed} cameras placed",
                        l.name,
                        l.kind.label()
                    );
                }
            }
        }
        LayoutCmd::Show { name, json } => {
            let l = lib.layout_by_name(&name)?;
            if json {
                super::print_json(&as_json(&l, &cameras))?;
            } else {
                show(&l, &cameras);
            }
        }
        LayoutCmd::Remove { name } => remove(&mut lib, &name)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn show(l: &SavedLayout, cameras: &HashMap<i64, String>) {
    println!("{} ({}, {} cells)", l.name, l.kind.label(), l.cells.len());
    for (i, cell) in l.cells.iter().enumerate() {
        let what = match cell {
            None => "(empty)".to_string(),
            Some(id) => cameras
                .get(id)
                .cloned()
                .unwrap_or_else(|| format!("(camera #{id} was removed)")),
        };
        println!("  cell {:>2}: {what}", i + 1);
    }
}

fn remove(lib: &mut Library, name: &str) -> anyhow::Result<()> {
    let l = lib.layout_by_name(name)?;
    lib.remove_layout(l.id)?;
    println!("removed layout '{}'", l.name);
    Ok(())
}

fn as_json(l: &SavedLayout, cameras: &HashMap<i64, String>) -> LayoutJson {
    LayoutJson {
        id: l.id,
        name: l.name.clone(),
        kind: l.kind.as_text(),
        cells: l
            .cells
            .iter()
            .map(|c| c.and_then(|id| cameras.get(&id).cloned()))
            .collect(),
        updated_us: l.updated_us,
    }
}
