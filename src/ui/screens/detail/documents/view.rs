//! The documents panel's layout: each checklist item with its files, their page
//! thumbnails, marks and actions; the file chooser or the detach reason in place.

use iced::widget::{Column, Row, button, column, container, image, row, text};
use iced::{Element, Fill};

use crate::domain::clock::format_vi_short;
use crate::domain::document::size_vi;
use crate::domain::dossier::{AttachedDocument, DossierState};
use crate::ui::{strings as s, theme, widgets};

use super::{Busy, DETACH_REASON, Docs, Line, Message, THUMB_PAGES, lines};

/// The id of page `i`'s thumbnail of file `sha` (tests find it by this).
pub fn thumb_id(sha: &crate::domain::document::Sha256Hex, i: usize) -> String {
    format!("docs-thumb-{}-{i}", sha.as_str())
}

fn small_button(label: &str, m: Message) -> Element<'_, Message> {
    button(text(label).size(theme::SMALL))
        .style(button::secondary)
        .padding([3, 8])
        .on_press(m)
        .into()
}

fn highlight<'a>(content: impl Into<Element<'a, Message>>, on: bool) -> Element<'a, Message> {
    let c = container(content).padding(6).width(Fill);
    if on {
        c.style(theme::banner(theme::BLUE)).into()
    } else {
        c.into()
    }
}

impl Docs {
    pub fn view<'a>(&'a self, d: &'a DossierState) -> Element<'a, Message> {
        let mut col = column![
            widgets::section(s::DOCS_TITLE),
            text(format!("{} — {}", d.code, d.content.applicant.full_name))
                .size(theme::TITLE)
                .font(theme::BOLD),
        ]
        .spacing(8);
        col = col.push(text(s::DOCS_KEYS).size(theme::SMALL).color(theme::MUTED));
        if let Some(b) = self.busy() {
            let words = match b {
                Busy::Scanning => s::DOCS_SCANNING,
                Busy::Importing => s::DOCS_IMPORTING,
                Busy::Working => s::DOCS_WORKING,
            };
            let mut line = row![text(words).size(theme::BODY).width(Fill)].spacing(8);
            if b == Busy::Scanning {
                line = line.push(small_button(s::DOCS_STOP_SCAN, Message::StopScan));
            }
            col = col.push(widgets::banner(line, theme::AMBER));
        }
        match self.note() {
            Some(Ok(n)) => {
                col = col.push(widgets::banner(
                    text(n.as_str()).size(theme::BODY),
                    theme::GREEN,
                ))
            }
            Some(Err(e)) => {
                col = col.push(widgets::banner(
                    text(e.as_str()).size(theme::BODY),
                    theme::RED,
                ))
            }
            None => {}
        }
        for (i, line) in lines(d).into_iter().enumerate() {
            let here = i == self.cursor();
            match line {
                Line::Item(item) => {
                    if let Some(c) = self.chooser_for(&item) {
                        col = col.push(
                            text(s::chooser_for(&item))
                                .size(theme::BODY)
                                .font(theme::BOLD),
                        );
                        col = col.push(c.view().map(Message::Chooser));
                        continue;
                    }
                    let empty = !d.documents.iter().any(|x| x.item == item);
                    col = col.push(highlight(self.item_row(item, empty), here));
                }
                Line::File(_, sha) => {
                    if let Some(doc) = d.documents.iter().find(|x| x.file.sha256 == sha) {
                        col = col.push(highlight(self.file_card(doc), here));
                    }
                }
            }
        }
        col.into()
    }

    fn chooser_for(&self, item: &str) -> Option<&crate::ui::screens::file_chooser::Chooser> {
        self.chooser_item()
            .filter(|i| *i == item)
            .and(self.chooser())
    }

    fn item_row(&self, item: String, empty: bool) -> Element<'_, Message> {
        let mut c = column![
            row![
                text(item.clone())
                    .size(theme::BODY)
                    .font(theme::BOLD)
                    .width(Fill),
                small_button(s::DOCS_SCAN, Message::Scan(item.clone(), false)),
                small_button(s::DOCS_SCAN_FEEDER, Message::Scan(item.clone(), true)),
                small_button(s::DOCS_CHOOSE, Message::Choose(item.clone())),
                small_button(s::DOCS_FROM_FOLDER, Message::FromFolder(item)),
            ]
            .spacing(6)
            .align_y(iced::Center)
        ];
        if empty {
            c = c.push(text(s::DOCS_NO_FILE).size(theme::SMALL).color(theme::MUTED));
        }
        c.into()
    }

    fn file_card<'a>(&'a self, doc: &'a AttachedDocument) -> Element<'a, Message> {
        let f = &doc.file;
        let meta = s::docs_meta(
            f.pages,
            &size_vi(f.size),
            &doc.attached_by,
            &format_vi_short(doc.attached_at),
        );
        let mark = if !self.is_local(&f.sha256) {
            text(s::DOCS_NOT_LOCAL)
                .size(theme::SMALL)
                .color(theme::AMBER)
        } else if self.is_unsent(&f.sha256) {
            text(s::DOCS_NOT_SYNCED)
                .size(theme::SMALL)
                .color(theme::MUTED)
        } else {
            text(s::DOCS_SYNCED).size(theme::SMALL).color(theme::GREEN)
        };
        let mut thumbs: Row<'a, Message> = row![].spacing(6);
        match self.thumbs(&f.sha256) {
            Some(Ok(pages)) => {
                for (i, h) in pages.iter().enumerate() {
                    thumbs = thumbs.push(
                        container(image(h.clone()))
                            .id(thumb_id(&f.sha256, i))
                            .padding(2)
                            .style(theme::panel),
                    );
                }
                let more = (f.pages as usize).saturating_sub(THUMB_PAGES.min(pages.len()));
                if more > 0 && !pages.is_empty() {
                    thumbs = thumbs.push(text(s::docs_more_pages(more)).size(theme::SMALL));
                }
            }
            // A file not on this desk already says so in its mark.
            Some(Err(e)) if self.is_local(&f.sha256) => {
                thumbs = thumbs.push(text(e.as_str()).size(theme::SMALL).color(theme::MUTED))
            }
            _ => {}
        }
        let sha = f.sha256.clone();
        let mut c: Column<'a, Message> = column![
            row![
                text(f.name.as_str())
                    .size(theme::BODY)
                    .font(theme::BOLD)
                    .width(Fill),
                small_button(s::DOCS_OPEN, Message::Open(sha.clone())),
                small_button(s::DOCS_PRINT, Message::Print(sha.clone())),
                small_button(s::DOCS_DETACH, Message::Detach(sha.clone())),
            ]
            .spacing(6)
            .align_y(iced::Center),
            row![text(meta).size(theme::SMALL).color(theme::MUTED), mark].spacing(10),
            thumbs,
        ]
        .spacing(4);
        if let Some((which, reason)) = self.detaching()
            && *which == sha
        {
            c = c.push(widgets::field(
                s::DOCS_DETACH_REASON,
                DETACH_REASON,
                reason,
                self.detach_error(),
                Message::Reason,
                Message::ConfirmDetach,
            ));
            c = c.push(
                row![
                    button(text(s::DOCS_DETACH_CONFIRM).size(theme::SMALL))
                        .style(button::danger)
                        .on_press(Message::ConfirmDetach),
                    small_button(s::CANCEL, Message::CancelDetach),
                ]
                .spacing(8),
            );
        }
        widgets::panel(c)
    }
}
