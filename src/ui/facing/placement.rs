//! Where the facing window goes. iced 0.14 cannot list monitors, but it can tell the
//! size of the monitor a window is on: beside the counter's monitor (which starts at
//! the desktop's origin) is then a known point, and full screen fills whatever monitor
//! holds the window.

use iced::window::{self, Position};
use iced::{Point, Size};

use crate::desk::facing::FacingScreen;

/// The window's size before it goes full screen (a common 10" counter monitor).
pub const FIRST_SIZE: Size = Size::new(1024.0, 600.0);

/// The window to open for `screen`, given the size of the counter's own monitor, and
/// whether it then goes full screen. `None` when the screen is off.
pub fn settings(
    screen: FacingScreen,
    counter_monitor: Option<Size>,
) -> Option<(window::Settings, bool)> {
    let (position, size, full) = match screen {
        FacingScreen::Off => return None,
        FacingScreen::Right => {
            // Just past the right edge of the counter's monitor.
            let width = counter_monitor.map_or(1366.0, |s| s.width);
            (Point::new(width, 0.0), FIRST_SIZE, true)
        }
        FacingScreen::Left => (Point::new(-FIRST_SIZE.width, 0.0), FIRST_SIZE, true),
        FacingScreen::At {
            x,
            y,
            width,
            height,
        } => (
            Point::new(x as f32, y as f32),
            Size::new(width as f32, height as f32),
            false,
        ),
    };
    let settings = window::Settings {
        size,
        position: Position::Specific(position),
        decorations: false,
        resizable: false,
        // A kiosk: the citizen cannot close it; the setting turns it off.
        exit_on_close_request: false,
        ..window::Settings::default()
    };
    Some((settings, full))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beside_the_counter_monitor_or_at_the_rectangle_given() {
        assert!(settings(FacingScreen::Off, None).is_none());
        let (right, full) =
            settings(FacingScreen::Right, Some(Size::new(1920.0, 1080.0))).expect("on");
        assert!(full);
        assert!(matches!(right.position, Position::Specific(p) if p == Point::new(1920.0, 0.0)));
        let (at, full) = settings(
            FacingScreen::At {
                x: 1366,
                y: 0,
                width: 1024,
                height: 600,
            },
            None,
        )
        .expect("on");
        assert!(!full);
        assert_eq!(at.size, Size::new(1024.0, 600.0));
        assert!(!at.decorations && !at.exit_on_close_request);
    }
}
