//! The explorer page: one self-contained HTML file holding the model as JSON and the
//! bundled script (web/dist/explorer.js, built from web/src by esbuild and committed, so that
//! building gti needs no Node).
//!
//! A Content-Security-Policy allows the one script by its hash, inline styles, and nothing
//! else: no request of any kind can leave the page.

use super::Model;
use crate::present::esc;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The page's script, built by `npm run build` in web/.
pub const BUNDLE: &str = include_str!("../../web/dist/explorer.js");

/// The model as JSON that can sit inside a `<script>` element: `<`, `>` and `&` (found only
/// inside JSON strings) written as `\u003c`, `\u003e`, `\u0026`, so that no text can close
/// the element (`</script>`) or open a comment (`<!--`).
pub fn script_json(model: &Model) -> crate::Result<String> {
    let json = serde_json::to_string(model)
        .map_err(|e| crate::Error::Usage(format!("cannot write the model: {e}")))?;
    Ok(json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026"))
}

/// The CSP source that allows exactly `script`.
fn script_hash(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// The HTML of the page, in language `lang` (`en`, `fr`), with the world geometry when the
/// units are ISO-coded ([`super::geo::is_world`]).
pub fn html(model: &Model, lang: &str) -> crate::Result<String> {
    let json = script_json(model)?;
    let geo = if super::geo::is_world(model.units.iter().map(|u| u.code.as_str())) {
        format!("<script type=\"application/json\" id=\"gti-geo\">{}</script>\n", super::geo::script_json())
    } else {
        String::new()
    };
    let csp = format!(
        "default-src 'none'; script-src {}; style-src 'unsafe-inline'; img-src data: blob:; \
         base-uri 'none'; form-action 'none'",
        script_hash(BUNDLE)
    );
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <link rel=\"icon\" href=\"data:,\">\n<title>{title}</title>\n</head>\n<body>\n\
         <div id=\"app\"><noscript><p>{notice}</p><p>{needs}</p></noscript></div>\n\
         <script type=\"application/json\" id=\"gti-model\">{json}</script>\n\
         {geo}<script>{BUNDLE}</script>\n</body>\n</html>\n",
        lang = esc(lang),
        title = esc(&model.index.name),
        notice = esc(model.fictional.as_deref().unwrap_or("")),
        needs = if lang == "fr" {
            "Cette page a besoin de JavaScript pour afficher l’indice."
        } else {
            "This page needs JavaScript to show the index."
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundle_cannot_close_its_element() {
        let lower = BUNDLE.to_ascii_lowercase();
        for bad in ["</script", "<!--", "<script"] {
            assert!(!lower.contains(bad), "web/dist/explorer.js contains {bad}");
        }
    }

    #[test]
    fn hash_is_the_base64_sha256_of_the_script() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(script_hash("alert(1)"), "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
    }
}
