//! The consent and privacy screens' own texts (the notices come from the catalogue), from
//! Project Fluent files in nb (the default), nn and en, compiled into the library.
//!
//! Every locale must define every message: a unit test compares them, so a shell never
//! shows a message id.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use crate::config::Locale;

const NB: &str = include_str!("locales/nb.ftl");
const NN: &str = include_str!("locales/nn.ftl");
const EN: &str = include_str!("locales/en.ftl");

fn source(locale: Locale) -> &'static str {
    match locale {
        Locale::Nb => NB,
        Locale::Nn => NN,
        Locale::En => EN,
    }
}

fn build(locale: Locale) -> Option<FluentBundle<FluentResource>> {
    let resource = FluentResource::try_new(source(locale).to_owned()).ok()?;
    let language = locale.tag().parse().ok()?;
    let mut bundle = FluentBundle::new_concurrent(vec![language]);
    // No Unicode isolation marks around arguments: the texts go to native text views and to
    // a terminal, both of which show the marks as stray characters.
    bundle.set_use_isolating(false);
    bundle.add_resource(resource).ok()?;
    Some(bundle)
}

fn bundle(locale: Locale) -> Option<&'static FluentBundle<FluentResource>> {
    static BUNDLES: [OnceLock<Option<FluentBundle<FluentResource>>>; 3] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = match locale {
        Locale::Nb => &BUNDLES[0],
        Locale::Nn => &BUNDLES[1],
        Locale::En => &BUNDLES[2],
    };
    slot.get_or_init(|| build(locale)).as_ref()
}

/// The message `id` in `locale` with `args`; the id itself if the message is missing (a
/// unit test makes sure none is).
pub fn text_with(locale: Locale, id: &str, args: &[(&str, &str)]) -> String {
    let Some(bundle) = bundle(locale) else {
        return id.to_owned();
    };
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_owned();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, *value);
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

/// The message `id` in `locale`.
pub fn text(locale: Locale, id: &str) -> String {
    text_with(locale, id, &[])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn ids(source: &str) -> Vec<String> {
        let mut ids: Vec<String> = source
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.trim().to_owned()))
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn every_locale_defines_every_message_and_formats_it() {
        assert_eq!(ids(NB), ids(NN));
        assert_eq!(ids(NB), ids(EN));
        for locale in [Locale::Nb, Locale::Nn, Locale::En] {
            for id in ids(NB) {
                let shown = text_with(
                    locale,
                    &id,
                    &[
                        ("partner", "Fremtind"),
                        ("controller", "LOfavør AS"),
                        ("date", "1. mars"),
                    ],
                );
                assert_ne!(shown, id, "{id} missing in {locale:?}");
                assert!(!shown.contains('{'), "{id} in {locale:?} left a placeable");
            }
        }
        assert_eq!(
            text_with(Locale::Nb, "explicit-confirm", &[("partner", "Fremtind")]),
            "Ja, del med Fremtind"
        );
        assert_eq!(text(Locale::En, "no-such-message"), "no-such-message");
    }
}
