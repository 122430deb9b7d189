//! Danh mục thủ tục (F6): the clerk looks a procedure up by code or any words of its
//! name, with or without diacritics, and reads what the applicant must bring, the time
//! limit, the fee, the deciding agency and the legal basis. Read-only: the catalogue
//! comes from the shipped seed and the centre. Searches the session's copy in memory.

use iced::widget::{button, column, container, row, scrollable, text, text_input};
use iced::{Element, Fill, FillPortion};

use crate::domain::procedure::{DocumentForm, Procedure};
use crate::ui::job::Action;
use crate::ui::session::Session;
use crate::ui::widgets::{heading, panel, section};
use crate::ui::{strings as s, theme};

/// The search box's id.
pub const SEARCH: &str = "catalogue-search";

#[derive(Debug, Clone)]
pub enum Message {
    /// The search text changed.
    Query(String),
    /// Enter in the search box: show the first match.
    Submit,
    /// A procedure was picked from the list.
    Select(String),
}

#[derive(Debug, Default)]
pub struct State {
    query: String,
    selected: Option<String>,
}

impl State {
    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn selected(&self) -> Option<&str> {
        self.selected.as_deref()
    }

    /// Procedures matching the query (all of them when it is empty), by code.
    pub fn matches<'a>(&self, session: &'a Session) -> Vec<&'a Procedure> {
        let q = self.query.trim();
        session
            .catalogue
            .iter()
            .filter(|p| q.is_empty() || p.matches(q))
            .collect()
    }

    pub fn on_show(&mut self, _session: &Session) -> Action<Message> {
        Action::Focus(SEARCH)
    }

    pub fn update(&mut self, message: Message, session: &Session) -> Action<Message> {
        match message {
            Message::Query(q) => {
                self.query = q;
                // Keep the shown procedure while it still matches; else show the first.
                let found = self.matches(session);
                let still = self
                    .selected
                    .as_deref()
                    .is_some_and(|c| found.iter().any(|p| p.code.as_str() == c));
                if !still {
                    self.selected = found.first().map(|p| p.code.to_string());
                }
                Action::None
            }
            Message::Submit => {
                self.selected = self
                    .matches(session)
                    .first()
                    .map(|p| p.code.to_string())
                    .or(self.selected.take());
                Action::None
            }
            Message::Select(code) => {
                if session.procedure(&code).is_some() {
                    self.selected = Some(code);
                }
                Action::None
            }
        }
    }

    pub fn view<'a>(&'a self, session: &'a Session) -> Element<'a, Message> {
        let found = self.matches(session);
        let search = text_input(s::CATALOGUE_HINT, &self.query)
            .id(SEARCH)
            .on_input(Message::Query)
            .on_submit(Message::Submit)
            .padding(8)
            .size(theme::BODY)
            .style(theme::input(false));
        let mut list = column![].spacing(2);
        if found.is_empty() {
            list = list.push(
                text(s::PROCEDURE_NONE)
                    .size(theme::BODY)
                    .color(theme::MUTED),
            );
        }
        for p in &found {
            let chosen = self.selected.as_deref() == Some(p.code.as_str());
            list = list.push(
                button(
                    column![
                        text(p.code.as_str()).size(theme::SMALL).font(theme::BOLD),
                        text(p.name.as_str()).size(theme::SMALL),
                    ]
                    .spacing(2),
                )
                .width(Fill)
                .padding([6, 8])
                .style(if chosen {
                    button::primary
                } else {
                    button::text
                })
                .on_press(Message::Select(p.code.to_string())),
            );
        }
        let left = column![
            heading(s::CATALOGUE_TITLE),
            search,
            text(s::catalogue_count(found.len(), session.catalogue.len()))
                .size(theme::SMALL)
                .color(theme::MUTED),
            scrollable(list).height(Fill),
        ]
        .spacing(10);
        let right: Element<'a, Message> =
            match self.selected.as_deref().and_then(|c| session.procedure(c)) {
                Some(p) => details(p),
                None => container(
                    text(s::CATALOGUE_PICK)
                        .size(theme::BODY)
                        .color(theme::MUTED),
                )
                .padding(20)
                .into(),
            };
        row![
            container(left).width(FillPortion(2)),
            container(right).width(FillPortion(3)),
        ]
        .spacing(16)
        .into()
    }
}

fn labelled<'a>(label: &'a str, value: String) -> Element<'a, Message> {
    column![
        text(label).size(theme::SMALL).color(theme::MUTED),
        text(value).size(theme::BODY),
    ]
    .spacing(2)
    .into()
}

/// The selected procedure: documents first (what the clerk checks at the counter).
fn details(p: &Procedure) -> Element<'_, Message> {
    let mut docs = column![
        row![
            text(s::DOC_NAME)
                .size(theme::SMALL)
                .font(theme::BOLD)
                .width(Fill),
            text(s::DOC_FORM)
                .size(theme::SMALL)
                .font(theme::BOLD)
                .width(110),
            text(s::DOC_COUNT)
                .size(theme::SMALL)
                .font(theme::BOLD)
                .width(60),
        ]
        .spacing(8)
    ]
    .spacing(6);
    if p.documents.is_empty() {
        docs = docs.push(text(s::DOCS_NONE).size(theme::SMALL).color(theme::MUTED));
    }
    for (i, d) in p.documents.iter().enumerate() {
        let form = match d.form {
            DocumentForm::Unspecified => "—".to_string(),
            f => f.label_vi().to_string(),
        };
        let form = if d.mandatory {
            form
        } else {
            format!("{form}\n{}", s::DOC_NOT_MANDATORY)
        };
        docs = docs.push(
            row![
                text(format!("{}. {}", i + 1, d.name))
                    .size(theme::SMALL)
                    .width(Fill),
                text(form).size(theme::SMALL).width(110),
                text(d.count.to_string()).size(theme::SMALL).width(60),
            ]
            .spacing(8),
        );
    }
    let limit = if p.time_limits.is_empty() {
        s::LIMIT_UNCONFIRMED.to_string()
    } else {
        let cases: Vec<String> = p.time_limits.iter().map(|c| c.describe_vi()).collect();
        cases.join("\n")
    };
    // The fee as the legal text words it ("Miễn lệ phí nếu đăng ký đúng hạn; đăng ký quá
    // hạn: theo Nghị quyết …"): an amount read from it would contradict its cases.
    let fee = match (p.fee_text.trim(), p.fee_amount) {
        ("", Some(0)) => s::FEE_FREE.to_string(),
        ("", Some(a)) => s::money_vi(a),
        (text, _) => text.to_string(),
    };
    scrollable(
        column![
            panel(
                column![
                    text(p.code.as_str()).size(theme::SMALL).color(theme::MUTED),
                    text(p.name.as_str()).size(theme::TITLE).font(theme::BOLD),
                    text(format!("{}: {}", s::FIELD, p.field)).size(theme::SMALL),
                ]
                .spacing(4)
            ),
            section(s::CATALOGUE_DOCUMENTS),
            docs,
            section(s::CATALOGUE_RULES),
            labelled(s::TIME_LIMIT, limit),
            labelled(s::FEE, fee),
            labelled(s::AGENCY, p.agency.clone()),
            labelled(s::LEGAL_BASIS, p.legal_basis.clone()),
        ]
        .spacing(10)
        .padding([0, 12]),
    )
    .height(Fill)
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::screens::dashboard::testing::desk;
    use iced_test::{selector, simulator};

    fn codes(state: &State, session: &Session) -> Vec<String> {
        state
            .matches(session)
            .iter()
            .map(|p| p.code.to_string())
            .collect()
    }

    #[test]
    fn searching_by_words_without_diacritics_and_by_code() {
        let (_dir, _store, session) = desk(false);
        let mut state = State::default();
        let _ = state.update(Message::Query("chung thuc ban sao".into()), &session);
        let found = codes(&state, &session);
        assert!(found.contains(&"2.000815".to_string()), "{found:?}");
        assert!(
            !found.contains(&"1.001193".to_string()),
            "khai sinh is not a copy"
        );
        assert!(found.len() < session.catalogue.len());
        assert!(state.selected().is_some());

        let _ = state.update(Message::Query("1.001193".into()), &session);
        assert_eq!(codes(&state, &session), vec!["1.001193".to_string()]);
        assert_eq!(state.selected(), Some("1.001193"));

        let _ = state.update(Message::Query("zzzz không có".into()), &session);
        assert!(codes(&state, &session).is_empty());
    }

    #[test]
    fn typing_in_the_simulator_shows_the_procedure_details() -> Result<(), iced_test::Error> {
        let (_dir, _store, session) = desk(false);
        let mut state = State::default();
        let mut ui = simulator(state.view(&session));
        let _ = ui.click(selector::id(SEARCH))?;
        let _ = ui.typewrite("1.001193");
        let msgs: Vec<Message> = ui.into_messages().collect();
        for m in msgs {
            let _ = state.update(m, &session);
        }
        assert_eq!(state.query(), "1.001193");
        let mut ui = simulator(state.view(&session));
        assert!(ui.find("Thủ tục đăng ký khai sinh").is_ok());
        assert!(ui.find(s::CATALOGUE_DOCUMENTS).is_ok());
        // Issue 19 §3: the fee text as it is, not "Không thu phí" beside "quá hạn: …".
        assert!(
            ui.find(
                "Miễn lệ phí nếu đăng ký đúng hạn; đăng ký quá hạn: theo Nghị quyết của HĐND tỉnh"
            )
            .is_ok()
        );
        assert!(ui.find(s::FEE_FREE).is_err());
        drop(ui);

        // Words without diacritics: three procedures, the first one shown; clicking
        // another in the list shows that one.
        let _ = state.update(Message::Query("chung thuc ban sao".into()), &session);
        assert_eq!(
            codes(&state, &session),
            vec!["2.000815", "2.000908", "2.000942"]
        );
        assert_eq!(state.selected(), Some("2.000815"));
        let mut ui = simulator(state.view(&session));
        let _ = ui.click("2.000942")?;
        let msgs: Vec<Message> = ui.into_messages().collect();
        for m in msgs {
            let _ = state.update(m, &session);
        }
        assert_eq!(state.selected(), Some("2.000942"));
        let mut ui = simulator(state.view(&session));
        assert!(ui.find(s::CATALOGUE_DOCUMENTS).is_ok());
        Ok(())
    }
}
