//! The report's labels, from Project Fluent files in nb (the default), nn and en compiled into
//! the library, as the consent screens do it. Every locale defines every message: a unit test
//! compares them, so a report never shows a message id.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use crate::config::Locale;

const NB: &str = include_str!("locales/nb.ftl");
const NN: &str = include_str!("locales/nn.ftl");
const EN: &str = include_str!("locales/en.ftl");

fn build(locale: Locale) -> Option<FluentBundle<FluentResource>> {
    let source = match locale {
        Locale::Nb => NB,
        Locale::Nn => NN,
        Locale::En => EN,
    };
    let resource = FluentResource::try_new(source.to_owned()).ok()?;
    let mut bundle = FluentBundle::new_concurrent(vec![locale.tag().parse().ok()?]);
    // No Unicode isolation marks: they are not in the PDF's font encoding.
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

/// The label `id` in `locale` with `args`; the id itself if missing (a test makes sure none is).
pub(crate) fn label_with(locale: Locale, id: &str, args: &[(&str, &str)]) -> String {
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

/// The label `id` in `locale`.
pub(crate) fn label(locale: Locale, id: &str) -> String {
    label_with(locale, id, &[])
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
    fn every_locale_defines_every_label() {
        assert_eq!(ids(NB), ids(NN));
        assert_eq!(ids(NB), ids(EN));
        for locale in [Locale::Nb, Locale::Nn, Locale::En] {
            for id in ids(NB) {
                let args = [
                    ("page", "1"),
                    ("pages", "2"),
                    ("partner", "Fremtind"),
                    ("date", "1"),
                    ("size", "1"),
                ];
                let shown = label_with(locale, &id, &args);
                assert_ne!(shown, id, "{id} missing in {locale:?}");
                assert!(!shown.contains('{'), "{id} in {locale:?} left a placeable");
            }
        }
        assert_eq!(label(Locale::Nb, "report-title"), "Skaderapport");
        assert_eq!(label(Locale::En, "report-title"), "Claim report");
    }
}
