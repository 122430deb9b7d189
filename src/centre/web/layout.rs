//! The frame of every page: Vietnamese, UTF-8, sized for a cheap phone, one stylesheet.

use maud::{DOCTYPE, Markup, html};

use super::assets::STYLESHEET_PATH;

/// A whole HTML page. `title` and everything in `body` are escaped by `maud`.
pub fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="vi" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex, nofollow";
                title { (title) }
                link rel="stylesheet" href=(STYLESHEET_PATH);
            }
            body {
                main { (body) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_and_body_are_escaped() {
        let html = page("<script>", html! { p { ("<b>x</b>") } }).into_string();
        assert!(html.contains("<title>&lt;script&gt;</title>"), "{html}");
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"), "{html}");
        assert!(html.contains(r#"<html lang="vi">"#));
    }
}
