//! Tab and Shift+Tab, as a Windows clerk expects: they move the keyboard focus through
//! the screen's fields in the paper form's order, select what the next field holds (so
//! typing replaces a default such as the desk number "1"), and scroll it into view.
//!
//! `tabbing` wraps the whole window. On Tab it takes the key before any field sees it
//! (no field ever receives a tab character), surveys the focusable widgets in the order
//! they are drawn, and walks them in that order, except that the fields a screen names
//! in its `Order` take their places in the named order: a screen with an "Enter moves
//! on" order hands that same list here, so Tab and Enter never disagree. Fields not
//! named keep their drawn place (e.g. the count beside each document on Mẫu 01).
//!
//! The walk itself (`plan`) is pure; the widget only runs three passes over the tree:
//! survey, focus (and scroll), select the text.

use iced::keyboard::{self, Key, key::Named};
use iced::widget::scrollable::AbsoluteOffset;
use iced_core::widget::operation::{Focusable, Operation, Scrollable, TextInput};
use iced_core::widget::{Id, Tree, tree};
use iced_core::{
    self as core, Clipboard, Element, Event, Layout, Length, Rectangle, Shell, Size, Vector,
    Widget, layout, mouse, overlay, renderer,
};

/// Room kept above and below a field scrolled into view (its label sits above it).
const MARGIN: f32 = 32.0;

/// Which fields Tab visits, and in what order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Order {
    ids: Vec<&'static str>,
}

impl Order {
    /// The fields in the order they are drawn (left to right, top to bottom).
    pub fn drawn() -> Order {
        Order::default()
    }

    /// The named fields in this order; fields on screen not named keep their drawn place.
    pub fn form(ids: impl IntoIterator<Item = &'static str>) -> Order {
        Order {
            ids: ids.into_iter().collect(),
        }
    }

    fn rank(&self, id: Option<&Id>) -> Option<usize> {
        let id = id?;
        self.ids.iter().position(|s| Id::new(s) == *id)
    }
}

/// The focusable widgets in drawn order, as the walk sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// Its place in the screen's `Order`, if named there.
    pub rank: Option<usize>,
    pub focused: bool,
}

/// The drawn positions in the order Tab visits them: the named fields are put back
/// into the places they occupy, sorted by their rank.
pub fn walk(seen: &[Seen]) -> Vec<usize> {
    let named: Vec<usize> = (0..seen.len())
        .filter(|&i| seen[i].rank.is_some())
        .collect();
    let mut by_rank = named.clone();
    by_rank.sort_by_key(|&i| seen[i].rank);
    let mut out: Vec<usize> = (0..seen.len()).collect();
    for (slot, i) in named.into_iter().zip(by_rank) {
        out[slot] = i;
    }
    out
}

/// The drawn position to focus after Tab (`backwards` for Shift+Tab): the next in the
/// walk, round to the first after the last; the first (or last) when none has focus.
pub fn plan(seen: &[Seen], backwards: bool) -> Option<usize> {
    let walk = walk(seen);
    let n = walk.len();
    if n == 0 {
        return None;
    }
    let here = walk.iter().position(|&i| seen[i].focused);
    let next = match (here, backwards) {
        (None, false) => 0,
        (None, true) => n - 1,
        (Some(p), false) => (p + 1) % n,
        (Some(p), true) => (p + n - 1) % n,
    };
    walk.get(next).copied()
}

/// Wraps `content` so that Tab and Shift+Tab move the focus in `order`.
pub fn tabbing<'a, Message, Theme, Renderer>(
    content: impl Into<Element<'a, Message, Theme, Renderer>>,
    order: Order,
) -> Element<'a, Message, Theme, Renderer>
where
    Message: 'a,
    Theme: 'a,
    Renderer: core::Renderer + 'a,
{
    Element::new(Tabbing {
        content: content.into(),
        order,
    })
}

struct Tabbing<'a, Message, Theme, Renderer> {
    content: Element<'a, Message, Theme, Renderer>,
    order: Order,
}

impl<Message, Theme, Renderer> Tabbing<'_, Message, Theme, Renderer>
where
    Renderer: core::Renderer,
{
    fn move_focus(&mut self, tree: &mut Tree, layout: Layout<'_>, renderer: &Renderer, back: bool) {
        let content = self.content.as_widget_mut();
        let mut survey = Survey::new(&self.order);
        content.operate(tree, layout, renderer, &mut survey);
        let Some(target) = plan(&survey.seen, back) else {
            return;
        };
        let scroll = survey.scroll_for(target);
        content.operate(
            tree,
            layout,
            renderer,
            &mut Apply {
                target,
                count: 0,
                scrollables: 0,
                scroll,
            },
        );
        content.operate(tree, layout, renderer, &mut SelectAll { target, count: 0 });
    }
}

fn is_tab(event: &Event) -> Option<bool> {
    match event {
        Event::Keyboard(keyboard::Event::KeyPressed {
            key: Key::Named(Named::Tab),
            modifiers,
            ..
        }) if !modifiers.control() && !modifiers.alt() && !modifiers.logo() => {
            Some(modifiers.shift())
        }
        _ => None,
    }
}

impl<Message, Theme, Renderer> Widget<Message, Theme, Renderer>
    for Tabbing<'_, Message, Theme, Renderer>
where
    Renderer: core::Renderer,
{
    fn children(&self) -> Vec<Tree> {
        vec![Tree::new(&self.content)]
    }

    fn diff(&self, tree: &mut Tree) {
        tree.diff_children(std::slice::from_ref(&self.content));
    }

    fn tag(&self) -> tree::Tag {
        tree::Tag::stateless()
    }

    fn size(&self) -> Size<Length> {
        self.content.as_widget().size()
    }

    fn size_hint(&self) -> Size<Length> {
        self.content.as_widget().size_hint()
    }

    fn layout(
        &mut self,
        tree: &mut Tree,
        renderer: &Renderer,
        limits: &layout::Limits,
    ) -> layout::Node {
        self.content
            .as_widget_mut()
            .layout(&mut tree.children[0], renderer, limits)
    }

    fn operate(
        &mut self,
        tree: &mut Tree,
        layout: Layout<'_>,
        renderer: &Renderer,
        operation: &mut dyn Operation,
    ) {
        self.content
            .as_widget_mut()
            .operate(&mut tree.children[0], layout, renderer, operation);
    }

    fn update(
        &mut self,
        tree: &mut Tree,
        event: &Event,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        renderer: &Renderer,
        clipboard: &mut dyn Clipboard,
        shell: &mut Shell<'_, Message>,
        viewport: &Rectangle,
    ) {
        // Tab is taken before any field sees it, so none ever gets a tab character.
        if let Some(back) = is_tab(event) {
            self.move_focus(&mut tree.children[0], layout, renderer, back);
            shell.capture_event();
            shell.request_redraw();
            return;
        }
        self.content.as_widget_mut().update(
            &mut tree.children[0],
            event,
            layout,
            cursor,
            renderer,
            clipboard,
            shell,
            viewport,
        );
    }

    fn mouse_interaction(
        &self,
        tree: &Tree,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
        renderer: &Renderer,
    ) -> mouse::Interaction {
        self.content.as_widget().mouse_interaction(
            &tree.children[0],
            layout,
            cursor,
            viewport,
            renderer,
        )
    }

    fn draw(
        &self,
        tree: &Tree,
        renderer: &mut Renderer,
        theme: &Theme,
        style: &renderer::Style,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
    ) {
        self.content.as_widget().draw(
            &tree.children[0],
            renderer,
            theme,
            style,
            layout,
            cursor,
            viewport,
        );
    }

    fn overlay<'b>(
        &'b mut self,
        tree: &'b mut Tree,
        layout: Layout<'b>,
        renderer: &Renderer,
        viewport: &Rectangle,
        translation: Vector,
    ) -> Option<overlay::Element<'b, Message, Theme, Renderer>> {
        self.content.as_widget_mut().overlay(
            &mut tree.children[0],
            layout,
            renderer,
            viewport,
            translation,
        )
    }
}

/// A scroll that brings a field into view: which scrollable (by drawn position) and by
/// how much.
#[derive(Debug, Clone, Copy)]
struct Scroll {
    scrollable: usize,
    by: f32,
}

/// Where a focusable widget sits on screen and in which scrollable.
#[derive(Debug, Clone, Copy)]
struct Place {
    /// Its bounds on screen (after every enclosing scroll).
    on_screen: Rectangle,
    /// The innermost scrollable around it: its drawn position and viewport on screen.
    scrollable: Option<(usize, Rectangle)>,
}

/// First pass: every focusable widget in drawn order, its rank and where it sits.
struct Survey<'o> {
    order: &'o Order,
    seen: Vec<Seen>,
    places: Vec<Place>,
    scrollables: usize,
    /// The innermost scrollable and the total scroll at the current depth.
    here: (Option<(usize, Rectangle)>, Vector),
    stack: Vec<(Option<(usize, Rectangle)>, Vector)>,
}

impl<'o> Survey<'o> {
    fn new(order: &'o Order) -> Survey<'o> {
        Survey {
            order,
            seen: Vec::new(),
            places: Vec::new(),
            scrollables: 0,
            here: (None, Vector::ZERO),
            stack: Vec::new(),
        }
    }

    /// The scroll that shows the target whole with some room, if it is not in view.
    fn scroll_for(&self, target: usize) -> Option<Scroll> {
        let place = self.places.get(target)?;
        let (scrollable, viewport) = place.scrollable?;
        let field = place.on_screen;
        let above = viewport.y - (field.y - MARGIN);
        let below = (field.y + field.height + MARGIN) - (viewport.y + viewport.height);
        let by = if above > 0.0 {
            -above
        } else if below > 0.0 {
            below
        } else {
            return None;
        };
        Some(Scroll { scrollable, by })
    }
}

impl Operation for Survey<'_> {
    fn traverse(&mut self, operate: &mut dyn FnMut(&mut dyn Operation)) {
        self.stack.push(self.here);
        operate(self);
        let _ = self.stack.pop();
        if let Some(outer) = self.stack.last() {
            self.here = *outer;
        }
    }

    fn scrollable(
        &mut self,
        _id: Option<&Id>,
        bounds: Rectangle,
        _content_bounds: Rectangle,
        translation: Vector,
        _state: &mut dyn Scrollable,
    ) {
        let viewport = bounds + self.here.1;
        self.here = (
            Some((self.scrollables, viewport)),
            self.here.1 - translation,
        );
        self.scrollables += 1;
    }

    fn focusable(&mut self, id: Option<&Id>, bounds: Rectangle, state: &mut dyn Focusable) {
        self.seen.push(Seen {
            rank: self.order.rank(id),
            focused: state.is_focused(),
        });
        self.places.push(Place {
            on_screen: bounds + self.here.1,
            scrollable: self.here.0,
        });
    }
}

/// Second pass: focus the target (every other widget loses the focus) and scroll.
struct Apply {
    target: usize,
    count: usize,
    scrollables: usize,
    scroll: Option<Scroll>,
}

impl Operation for Apply {
    fn traverse(&mut self, operate: &mut dyn FnMut(&mut dyn Operation)) {
        operate(self);
    }

    fn scrollable(
        &mut self,
        _id: Option<&Id>,
        bounds: Rectangle,
        content_bounds: Rectangle,
        _translation: Vector,
        state: &mut dyn Scrollable,
    ) {
        if let Some(s) = self.scroll
            && s.scrollable == self.scrollables
        {
            state.scroll_by(AbsoluteOffset { x: 0.0, y: s.by }, bounds, content_bounds);
        }
        self.scrollables += 1;
    }

    fn focusable(&mut self, _id: Option<&Id>, _bounds: Rectangle, state: &mut dyn Focusable) {
        if self.count == self.target {
            state.focus();
        } else if state.is_focused() {
            state.unfocus();
        }
        self.count += 1;
    }
}

/// Third pass: select the target's text (focusing put the cursor at its end; a text
/// input reports itself as text before it reports itself as focusable).
struct SelectAll {
    target: usize,
    count: usize,
}

impl Operation for SelectAll {
    fn traverse(&mut self, operate: &mut dyn FnMut(&mut dyn Operation)) {
        operate(self);
    }

    fn text_input(&mut self, _id: Option<&Id>, _bounds: Rectangle, state: &mut dyn TextInput) {
        if self.count == self.target {
            state.select_all();
        }
    }

    fn focusable(&mut self, _id: Option<&Id>, _bounds: Rectangle, _state: &mut dyn Focusable) {
        self.count += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(ranks: &[Option<usize>], focused: Option<usize>) -> Vec<Seen> {
        ranks
            .iter()
            .enumerate()
            .map(|(i, &rank)| Seen {
                rank,
                focused: focused == Some(i),
            })
            .collect()
    }

    #[test]
    fn with_no_order_tab_walks_the_drawn_order_and_wraps() {
        let none = [None, None, None];
        assert_eq!(plan(&seen(&none, None), false), Some(0));
        assert_eq!(plan(&seen(&none, None), true), Some(2));
        assert_eq!(plan(&seen(&none, Some(0)), false), Some(1));
        assert_eq!(plan(&seen(&none, Some(2)), false), Some(0), "round again");
        assert_eq!(plan(&seen(&none, Some(0)), true), Some(2), "back round");
        assert_eq!(plan(&[], false), None);
    }

    #[test]
    fn named_fields_take_their_places_in_the_form_order() {
        // Drawn: A(rank 1), x, B(rank 0), y — the walk is B, x, A, y.
        let ranks = [Some(1), None, Some(0), None];
        assert_eq!(walk(&seen(&ranks, None)), vec![2, 1, 0, 3]);
        assert_eq!(plan(&seen(&ranks, None), false), Some(2));
        assert_eq!(plan(&seen(&ranks, Some(2)), false), Some(1));
        assert_eq!(plan(&seen(&ranks, Some(1)), false), Some(0));
        assert_eq!(plan(&seen(&ranks, Some(0)), false), Some(3));
        assert_eq!(plan(&seen(&ranks, Some(0)), true), Some(1));
    }

    #[test]
    fn an_order_names_fields_by_their_widget_ids() {
        let order = Order::form(["b", "a"]);
        assert_eq!(order.rank(Some(&Id::new("a"))), Some(1));
        assert_eq!(order.rank(Some(&Id::new("b"))), Some(0));
        assert_eq!(order.rank(Some(&Id::new("c"))), None);
        assert_eq!(order.rank(None), None);
    }
}
