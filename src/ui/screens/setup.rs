//! First run: the unit as printed on every form, this desk's index, and the first
//! administrator account. Nothing is written until everything is valid; the unit and
//! the account are then written (the unit first: an account without a unit would
//! bring the clerk back here, which is safe).

use iced::widget::{button, column, container, row, scrollable, text};
use iced::{Element, Fill};

use crate::desk::InitInput;
use crate::desk::NewClerk;
use crate::ui::job::Action;
use crate::ui::widgets::{banner, field, heading, panel, secret, section};
use crate::ui::{strings as s, theme};

pub const UNIT_CODE: &str = "setup-unit-code";
pub const UNIT_NAME: &str = "setup-unit-name";
pub const AUTHORITY: &str = "setup-authority";
pub const PLACE: &str = "setup-place";
pub const HOURS: &str = "setup-hours";
pub const DESK: &str = "setup-desk";
pub const USERNAME: &str = "setup-username";
pub const FULL_NAME: &str = "setup-full-name";
pub const PASSWORD: &str = "setup-password";
pub const PASSWORD_AGAIN: &str = "setup-password-again";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    UnitCode,
    UnitName,
    Authority,
    Place,
    Hours,
    Desk,
    Username,
    FullName,
    Password,
    PasswordAgain,
}

#[derive(Debug, Clone)]
pub enum Message {
    Edit(Field, String),
    Next(Field),
    Submit,
    Finished(Result<(), String>),
}

/// What the application does next.
#[derive(Debug)]
pub enum Outcome {
    Stay(Action<Message>),
    Done,
}

#[derive(Debug, Default)]
pub struct State {
    /// The unit was already set up (e.g. by `motcua init`): only the account is asked.
    unit_exists: bool,
    unit_code: String,
    unit_name: String,
    authority: String,
    place: String,
    hours: String,
    desk: String,
    username: String,
    full_name: String,
    password: String,
    password_again: String,
    error: Option<String>,
    busy: bool,
}

/// Enter and Tab move through the fields in the order they are shown.
const ORDER: [(Field, &str); 10] = [
    (Field::UnitCode, UNIT_CODE),
    (Field::Desk, DESK),
    (Field::UnitName, UNIT_NAME),
    (Field::Authority, AUTHORITY),
    (Field::Place, PLACE),
    (Field::Hours, HOURS),
    (Field::Username, USERNAME),
    (Field::FullName, FULL_NAME),
    (Field::Password, PASSWORD),
    (Field::PasswordAgain, PASSWORD_AGAIN),
];

impl State {
    pub fn new(unit_exists: bool) -> State {
        State {
            unit_exists,
            hours: crate::domain::due::WorkingHours::default().to_string(),
            desk: "1".into(),
            ..State::default()
        }
    }

    /// The fields' ids in the order Enter moves through them, which Tab follows too.
    pub fn tab_order() -> [&'static str; 10] {
        ORDER.map(|(_, id)| id)
    }

    pub fn first_field(&self) -> &'static str {
        if self.unit_exists {
            USERNAME
        } else {
            UNIT_CODE
        }
    }

    fn slot(&mut self, f: &Field) -> &mut String {
        match f {
            Field::UnitCode => &mut self.unit_code,
            Field::UnitName => &mut self.unit_name,
            Field::Authority => &mut self.authority,
            Field::Place => &mut self.place,
            Field::Hours => &mut self.hours,
            Field::Desk => &mut self.desk,
            Field::Username => &mut self.username,
            Field::FullName => &mut self.full_name,
            Field::Password => &mut self.password,
            Field::PasswordAgain => &mut self.password_again,
        }
    }

    pub fn update(&mut self, message: Message) -> Outcome {
        match message {
            Message::Edit(f, v) => {
                *self.slot(&f) = v;
                Outcome::Stay(Action::None)
            }
            Message::Next(f) => {
                let i = ORDER.iter().position(|(g, _)| *g == f).unwrap_or(0);
                match ORDER.get(i + 1) {
                    Some((_, id)) => Outcome::Stay(Action::Focus(id)),
                    None => self.submit(),
                }
            }
            Message::Submit => self.submit(),
            Message::Finished(Ok(())) => Outcome::Done,
            Message::Finished(Err(e)) => {
                self.busy = false;
                self.error = Some(e);
                Outcome::Stay(Action::None)
            }
        }
    }

    fn submit(&mut self) -> Outcome {
        if self.busy {
            return Outcome::Stay(Action::None);
        }
        if self.password != self.password_again {
            self.error = Some(s::PASSWORDS_DIFFER.into());
            return Outcome::Stay(Action::Focus(PASSWORD_AGAIN));
        }
        let desk_index = match self.desk.trim().parse::<u8>() {
            Ok(n) => n,
            Err(_) => {
                self.error = Some(s::SETUP_DESK_NUMBER.into());
                return Outcome::Stay(Action::Focus(DESK));
            }
        };
        let unit = (!self.unit_exists).then(|| InitInput {
            unit_code: self.unit_code.clone(),
            unit_name: self.unit_name.clone(),
            authority: self.authority.clone(),
            place: self.place.clone(),
            desk_index,
            working_hours: Some(self.hours.clone()),
        });
        let admin = NewClerk {
            username: self.username.clone(),
            full_name: self.full_name.clone(),
            password: self.password.clone(),
            is_admin: true,
        };
        // Check the unit before writing anything, so a bad account never leaves a
        // half-done setup behind.
        if let Some(u) = &unit
            && let Err(e) = u.validate()
        {
            self.error = Some(e.to_string());
            return Outcome::Stay(Action::None);
        }
        self.busy = true;
        self.error = None;
        Outcome::Stay(
            Action::desk(move |desk| {
                // The unit and the first administrator in one transaction.
                let result = desk.set_up_with_admin(unit.as_ref(), &admin);
                Message::Finished(result.map(|_| ()).map_err(|e| e.to_string()))
            })
            .recover(|e| Message::Finished(Err(e))),
        )
    }

    pub fn view(&self) -> Element<'_, Message> {
        let edit = |field: Field| move |v| Message::Edit(field.clone(), v);
        let mut form = column![
            heading(s::SETUP_TITLE),
            text(s::SETUP_INTRO).size(theme::BODY)
        ]
        .spacing(12)
        .max_width(820);
        if !self.unit_exists {
            form = form.push(panel(
                column![
                    section(s::SETUP_UNIT),
                    row![
                        field(
                            s::SETUP_UNIT_CODE,
                            UNIT_CODE,
                            &self.unit_code,
                            None,
                            edit(Field::UnitCode),
                            Message::Next(Field::UnitCode)
                        ),
                        field(
                            s::SETUP_DESK,
                            DESK,
                            &self.desk,
                            None,
                            edit(Field::Desk),
                            Message::Next(Field::Desk)
                        ),
                    ]
                    .spacing(12),
                    field(
                        s::SETUP_UNIT_NAME,
                        UNIT_NAME,
                        &self.unit_name,
                        None,
                        edit(Field::UnitName),
                        Message::Next(Field::UnitName)
                    ),
                    field(
                        s::SETUP_AUTHORITY,
                        AUTHORITY,
                        &self.authority,
                        None,
                        edit(Field::Authority),
                        Message::Next(Field::Authority)
                    ),
                    row![
                        field(
                            s::SETUP_PLACE,
                            PLACE,
                            &self.place,
                            None,
                            edit(Field::Place),
                            Message::Next(Field::Place)
                        ),
                        field(
                            s::SETUP_HOURS,
                            HOURS,
                            &self.hours,
                            None,
                            edit(Field::Hours),
                            Message::Next(Field::Hours)
                        ),
                    ]
                    .spacing(12),
                ]
                .spacing(8),
            ));
        }
        form = form.push(panel(
            column![
                section(s::SETUP_ADMIN),
                row![
                    field(
                        s::USERNAME,
                        USERNAME,
                        &self.username,
                        None,
                        edit(Field::Username),
                        Message::Next(Field::Username)
                    ),
                    field(
                        s::FULL_NAME,
                        FULL_NAME,
                        &self.full_name,
                        None,
                        edit(Field::FullName),
                        Message::Next(Field::FullName)
                    ),
                ]
                .spacing(12),
                row![
                    secret(
                        s::PASSWORD,
                        PASSWORD,
                        &self.password,
                        edit(Field::Password),
                        Message::Next(Field::Password)
                    ),
                    secret(
                        s::PASSWORD_AGAIN,
                        PASSWORD_AGAIN,
                        &self.password_again,
                        edit(Field::PasswordAgain),
                        Message::Next(Field::PasswordAgain)
                    ),
                ]
                .spacing(12),
            ]
            .spacing(8),
        ));
        if let Some(e) = &self.error {
            form = form.push(banner(text(e.as_str()).size(theme::BODY), theme::RED));
        }
        form = form.push(
            button(text(s::SETUP_DONE).size(theme::BODY))
                .padding([8, 16])
                .on_press_maybe((!self.busy).then_some(Message::Submit)),
        );
        scrollable(container(form).center_x(Fill).padding(24)).into()
    }
}
