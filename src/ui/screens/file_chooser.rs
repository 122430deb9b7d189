//! A file chooser inside the window, worked from the keyboard: a path field, the
//! folder's sub-folders and its PDF/JPEG/PNG files, ↑/↓ to move, Enter to open a
//! folder or take a file, Space to mark several files for one document, Backspace for
//! the folder above, Ctrl+Enter to take the marked files, Esc to cancel. It starts in
//! the last folder used, else the user's home. The listing is bounded.

use std::path::{Path, PathBuf};

use iced::keyboard::{Key, Modifiers, key::Named};
use iced::widget::{Column, button, column, container, row, text, text_input};
use iced::{Element, Fill};

use crate::ui::{strings as s, theme, widgets};

/// The path field's id (focus and tests).
pub const PATH_FIELD: &str = "chooser-path";
/// Most entries read from one folder (a huge network share must not freeze the window).
pub const MAX_ENTRIES: usize = 2_000;
/// Rows drawn at once; the window follows the cursor.
const VISIBLE: usize = 14;

/// One row: a sub-folder or an accepted file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub path: PathBuf,
    pub is_dir: bool,
    pub size: u64,
}

#[derive(Debug, Clone)]
pub enum Message {
    Path(String),
    /// Enter in the path field: go to the folder typed, or take the file typed.
    GoTyped,
    Up,
    Down,
    /// Enter on the row under the cursor.
    Activate,
    /// A click on a row: the cursor goes there, then as Enter.
    Click(usize),
    /// Space: mark or unmark the file under the cursor.
    Mark,
    Parent,
    Confirm,
    Cancel,
}

/// What the chooser's owner does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Chosen(Vec<PathBuf>),
    Cancelled,
}

#[derive(Debug, Clone)]
pub struct Chooser {
    dir: PathBuf,
    path_text: String,
    entries: Vec<Entry>,
    cursor: usize,
    top: usize,
    marked: Vec<PathBuf>,
    problem: Option<String>,
    truncated: bool,
    /// The cursor was moved since the folder was listed: Enter in the path field
    /// then takes the row (the field keeps the focus after a typed folder).
    navigated: bool,
}

/// Whether the file's extension is one a document may come from.
pub fn accepted(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .is_some_and(|e| matches!(e.as_str(), "pdf" | "jpg" | "jpeg" | "png"))
}

/// The user's home folder (the chooser's first start).
pub fn home() -> PathBuf {
    std::env::var_os(if cfg!(windows) { "USERPROFILE" } else { "HOME" })
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
        .unwrap_or_else(|| PathBuf::from(if cfg!(windows) { "C:\\" } else { "/" }))
}

/// Sub-folders then accepted files, each sorted by name; hidden entries left out.
pub fn list(dir: &Path) -> std::io::Result<(Vec<Entry>, bool)> {
    let mut out = Vec::new();
    let mut truncated = false;
    for entry in std::fs::read_dir(dir)? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        // Follows links, so a linked folder opens like a folder.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if !(meta.is_dir() || (meta.is_file() && accepted(&path))) {
            continue;
        }
        if out.len() == MAX_ENTRIES {
            truncated = true;
            break;
        }
        out.push(Entry {
            name,
            path,
            is_dir: meta.is_dir(),
            size: meta.len(),
        });
    }
    out.sort_by(|a, b| {
        b.is_dir
            .cmp(&a.is_dir)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok((out, truncated))
}

impl Chooser {
    /// Opens on `start` when it is a folder, else on the user's home.
    pub fn open(start: Option<&Path>) -> Chooser {
        let dir = start
            .filter(|p| p.is_dir())
            .map(Path::to_path_buf)
            .unwrap_or_else(home);
        let mut c = Chooser {
            dir: dir.clone(),
            path_text: String::new(),
            entries: Vec::new(),
            cursor: 0,
            top: 0,
            marked: Vec::new(),
            problem: None,
            truncated: false,
            navigated: false,
        };
        c.go(dir);
        c
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn marked(&self) -> &[PathBuf] {
        &self.marked
    }

    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    fn go(&mut self, dir: PathBuf) {
        match list(&dir) {
            Ok((entries, truncated)) => {
                self.entries = entries;
                self.truncated = truncated;
                self.path_text = dir.display().to_string();
                self.dir = dir;
                self.cursor = 0;
                self.top = 0;
                self.problem = None;
                self.navigated = false;
            }
            Err(e) => {
                self.problem = Some(s::chooser_cannot_read(
                    &dir.display().to_string(),
                    &e.to_string(),
                ))
            }
        }
    }

    /// The message a key means while the chooser is open; `free` says no text field
    /// took the key (Backspace, Enter, Space and Esc then belong to the list).
    pub fn key(&self, key: &Key, modifiers: Modifiers, free: bool) -> Option<Message> {
        match key {
            Key::Named(Named::ArrowUp) => Some(Message::Up),
            Key::Named(Named::ArrowDown) => Some(Message::Down),
            Key::Named(Named::Enter) if modifiers.command() => Some(Message::Confirm),
            Key::Named(Named::Enter) if free => Some(Message::Activate),
            Key::Named(Named::Backspace) if free => Some(Message::Parent),
            Key::Named(Named::Space) if free => Some(Message::Mark),
            Key::Named(Named::Escape) if free => Some(Message::Cancel),
            _ => None,
        }
    }

    pub fn update(&mut self, message: Message) -> Outcome {
        match message {
            Message::Path(v) => {
                self.path_text = v;
                self.problem = None;
            }
            Message::GoTyped => {
                let typed = PathBuf::from(self.path_text.trim());
                if self.navigated && typed == self.dir {
                    return self.activate();
                }
                if typed.is_dir() {
                    self.go(typed);
                } else if typed.is_file() {
                    if !accepted(&typed) {
                        self.problem = Some(s::CHOOSER_BAD_TYPE.to_string());
                    } else {
                        return self.take(Some(typed));
                    }
                } else {
                    self.problem = Some(s::chooser_not_found(self.path_text.trim()));
                }
            }
            Message::Up => self.move_to(self.cursor.saturating_sub(1)),
            Message::Down => self.move_to(self.cursor + 1),
            Message::Click(i) => {
                self.move_to(i);
                return self.activate();
            }
            Message::Activate => return self.activate(),
            Message::Mark => {
                if let Some(e) = self.entries.get(self.cursor).filter(|e| !e.is_dir) {
                    match self.marked.iter().position(|p| *p == e.path) {
                        Some(i) => {
                            self.marked.remove(i);
                        }
                        None => self.marked.push(e.path.clone()),
                    }
                    self.move_to(self.cursor + 1);
                }
            }
            Message::Parent => {
                if let Some(up) = self.dir.parent().map(Path::to_path_buf) {
                    let from = self.dir.clone();
                    self.go(up);
                    if let Some(i) = self.entries.iter().position(|e| e.path == from) {
                        self.move_to(i);
                    }
                }
            }
            Message::Confirm => return self.take(None),
            Message::Cancel => return Outcome::Cancelled,
        }
        Outcome::Stay
    }

    fn move_to(&mut self, i: usize) {
        if self.entries.is_empty() {
            return;
        }
        self.navigated = true;
        self.cursor = i.min(self.entries.len() - 1);
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + VISIBLE {
            self.top = self.cursor + 1 - VISIBLE;
        }
    }

    fn activate(&mut self) -> Outcome {
        match self.entries.get(self.cursor).cloned() {
            Some(e) if e.is_dir => {
                self.go(e.path);
                Outcome::Stay
            }
            Some(e) => self.take(Some(e.path)),
            None => Outcome::Stay,
        }
    }

    /// The marked files (with `also` at the end when not marked yet), in order.
    fn take(&mut self, also: Option<PathBuf>) -> Outcome {
        let mut files = self.marked.clone();
        if let Some(p) = also
            && !files.contains(&p)
        {
            files.push(p);
        }
        if files.is_empty() {
            self.problem = Some(s::CHOOSER_NOTHING.to_string());
            return Outcome::Stay;
        }
        Outcome::Chosen(files)
    }

    pub fn view(&self) -> Element<'_, Message> {
        let path = text_input("", &self.path_text)
            .id(PATH_FIELD)
            .on_input(Message::Path)
            .on_submit(Message::GoTyped)
            .padding(6)
            .size(theme::BODY)
            .style(theme::input(self.problem.is_some()));
        let mut col = column![
            text(s::CHOOSER_TITLE).size(theme::BODY).font(theme::BOLD),
            text(s::CHOOSER_PATH).size(theme::SMALL).color(theme::MUTED),
            path,
        ]
        .spacing(6);
        if let Some(p) = &self.problem {
            col = col.push(text(p.as_str()).size(theme::SMALL).color(theme::RED));
        }
        let mut rows = Column::new().spacing(2);
        if self.dir.parent().is_some() {
            rows = rows.push(
                button(text(s::CHOOSER_UP).size(theme::SMALL))
                    .style(button::text)
                    .padding([2, 6])
                    .on_press(Message::Parent),
            );
        }
        if self.entries.is_empty() {
            rows = rows.push(
                text(s::CHOOSER_EMPTY)
                    .size(theme::SMALL)
                    .color(theme::MUTED),
            );
        }
        for (i, e) in self.entries.iter().enumerate().skip(self.top).take(VISIBLE) {
            rows = rows.push(self.row(i, e));
        }
        if self.truncated {
            rows = rows.push(
                text(s::chooser_truncated(MAX_ENTRIES))
                    .size(theme::SMALL)
                    .color(theme::AMBER),
            );
        }
        col = col.push(container(rows).width(Fill));
        if !self.marked.is_empty() {
            col = col.push(text(s::chooser_marked(self.marked.len())).size(theme::SMALL));
        }
        col = col.push(text(s::CHOOSER_HINT).size(theme::SMALL).color(theme::MUTED));
        col = col.push(
            row![
                button(text(s::chooser_take(self.marked.len())).size(theme::SMALL))
                    .on_press(Message::Confirm),
                button(text(s::CANCEL).size(theme::SMALL))
                    .style(button::secondary)
                    .on_press(Message::Cancel),
            ]
            .spacing(8),
        );
        widgets::panel(col)
    }

    fn row<'a>(&'a self, i: usize, e: &'a Entry) -> Element<'a, Message> {
        let marked = self.marked.contains(&e.path);
        let label = if e.is_dir {
            format!("{}/", e.name)
        } else {
            format!(
                "{} {} ({})",
                if marked { "[x]" } else { "[ ]" },
                e.name,
                crate::domain::document::size_vi(e.size)
            )
        };
        let font = if e.is_dir {
            theme::BOLD
        } else {
            theme::UI_FONT
        };
        button(text(label).size(theme::SMALL).font(font))
            .width(Fill)
            .padding([2, 6])
            .style(if i == self.cursor {
                button::primary
            } else {
                button::text
            })
            .on_press(Message::Click(i))
            .into()
    }
}

#[cfg(test)]
mod tests;
