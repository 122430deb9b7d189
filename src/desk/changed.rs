//! What a use case changed, so a caller refreshes exactly what it shows.

use std::collections::BTreeSet;

/// The parts of the desk's data a use case changed. `Changed::default()` is "nothing".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changed {
    /// Dossiers written, by code.
    pub dossiers: BTreeSet<String>,
    /// Dossiers changed whose codes are not known here (events pulled from the
    /// centre): every list and every open dossier should reload.
    pub all_dossiers: bool,
    /// The procedure catalogue (pulled from the centre).
    pub catalogue: bool,
    /// The work calendar (pulled from the centre): new due dates use it at once.
    pub calendar: bool,
    /// Desk settings (printer, paper, phone, idle lock, tracking page).
    pub settings: bool,
    /// The unit's details (name, authority, place, hours).
    pub unit: bool,
    /// The sync bookkeeping (enrollment, acknowledged events, last contact).
    pub sync: bool,
}

impl Changed {
    pub fn dossier(code: impl Into<String>) -> Changed {
        Changed {
            dossiers: BTreeSet::from([code.into()]),
            sync: true,
            ..Changed::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Changed::default()
    }

    /// Whether the dossier `code` may look different now.
    pub fn touches(&self, code: &str) -> bool {
        self.all_dossiers || self.dossiers.contains(code)
    }

    /// Whether any dossier changed (lists, counts and the dashboard reload).
    pub fn any_dossier(&self) -> bool {
        self.all_dossiers || !self.dossiers.is_empty()
    }

    /// Both changes together.
    pub fn merge(mut self, other: Changed) -> Changed {
        self.dossiers.extend(other.dossiers);
        self.all_dossiers |= other.all_dossiers;
        self.catalogue |= other.catalogue;
        self.calendar |= other.calendar;
        self.settings |= other.settings;
        self.unit |= other.unit;
        self.sync |= other.sync;
        self
    }
}
