//! Field rules shared by every domain's input validation: pure functions, each naming its field.
//!
//! A mutation runs all its checks through a [`Validator`] and fails with every invalid field at once,
//! before anything is written.

use crate::error::{AppError, FieldError};

/// Collects field errors.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    /// Checks an input that may be absent: `None` when it is, else [`Validator::check`] of
    /// `rule` on it.
    pub fn given<T>(
        &mut self,
        input: Option<&str>,
        rule: impl FnOnce(&str) -> Result<T, FieldError>,
    ) -> Option<T> {
        input.and_then(|s| self.check(rule(s)))
    }

    /// Keeps the value of a passed check, or records its error.
    pub fn check<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    /// Keeps the value of a passed check that reads the database: its field errors are recorded,
    /// any other error ends the request.
    pub fn absorb<T>(&mut self, r: Result<T, AppError>) -> Result<Option<T>, AppError> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(AppError::BadInput(errors)) => {
                self.errors.extend(errors);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Records an error directly.
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }

    /// `BAD_USER_INPUT` with every recorded field, or `Ok` when there is none.
    pub fn finish(self) -> Result<(), AppError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::BadInput(self.errors))
        }
    }
}

fn too_long(field: &str, max: usize) -> FieldError {
    FieldError::new(field, format!("must be at most {max} characters"))
}

/// Optional text: trimmed, empty becomes `None`, at most `max` characters, no control characters.
pub fn optional_text(field: &str, v: &str, max: usize) -> Result<Option<String>, FieldError> {
    let t = v.trim();
    if t.chars().count() > max {
        return Err(too_long(field, max));
    }
    if t.chars().any(|c| c.is_control()) {
        return Err(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok((!t.is_empty()).then(|| t.to_string()))
}

/// Optional text of several lines (descriptions, notes, terms): like [`optional_text`], but line
/// breaks and tabs are kept; line endings are stored as `\n`.
pub fn long_text(field: &str, v: &str, max: usize) -> Result<Option<String>, FieldError> {
    let t = v.replace("\r\n", "\n");
    let t = t.trim();
    if t.chars().count() > max {
        return Err(too_long(field, max));
    }
    if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(FieldError::new(
            field,
            "must not contain control characters other than line breaks and tabs",
        ));
    }
    Ok((!t.is_empty()).then(|| t.to_string()))
}

/// An optional calendar date `YYYY-MM-DD`; empty means none.
pub fn date(field: &str, v: &str) -> Result<Option<chrono::NaiveDate>, FieldError> {
    let t = v.trim();
    if t.is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| FieldError::new(field, "must be a date such as 2026-12-31"))
}

/// Required text: like [`optional_text`], but empty is an error.
pub fn required_text(field: &str, v: &str, max: usize) -> Result<String, FieldError> {
    optional_text(field, v, max)?.ok_or_else(|| FieldError::new(field, "is required"))
}

/// Required text of several lines: like [`long_text`], but empty is an error.
pub fn required_long_text(field: &str, v: &str, max: usize) -> Result<String, FieldError> {
    long_text(field, v, max)?.ok_or_else(|| FieldError::new(field, "is required"))
}

/// A human code such as `A-000123`: letters, digits, `-`, `_`, `.`; kept as entered, unique
/// and compared without regard to case (ASCII only, so both engines' `LOWER` agree).
pub fn code(field: &str, v: &str) -> Result<Option<String>, FieldError> {
    let Some(t) = optional_text(field, v, 32)? else {
        return Ok(None);
    };
    if !t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(FieldError::new(
            field,
            "may contain only letters, digits, '-', '_' and '.'",
        ));
    }
    Ok(Some(t))
}

/// The form e-mail addresses are compared in (lower-cased): `Ann@Example.COM` and
/// `ann@example.com` are one address.
pub fn email_key(email: &str) -> String {
    email.to_lowercase()
}

/// An e-mail stored in its [`email_key`] form, for values compared as stored: a user's sign-in
/// name, a custom e-mail field (whose uniqueness compares stored text).
pub fn lowered_email(field: &str, v: &str) -> Result<Option<String>, FieldError> {
    Ok(email(field, v)?.map(|e| email_key(&e)))
}

/// An e-mail address, kept as entered (trimmed); compare it by its [`email_key`]. Checks the
/// shape (`local@domain.tld`), not deliverability.
pub fn email(field: &str, v: &str) -> Result<Option<String>, FieldError> {
    let Some(t) = optional_text(field, v, 254)? else {
        return Ok(None);
    };
    let bad = || FieldError::new(field, "is not a valid e-mail address");
    let (local, domain) = t.rsplit_once('@').ok_or_else(bad)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.contains('@')
        && !local
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',');
    if domain_ok && local_ok {
        Ok(Some(t))
    } else {
        Err(bad())
    }
}

/// A phone number as entered, in its parts: the normalised form used for search and dedupe
/// (`+18014444444`, `;ext=12` appended when there is an extension) and the structure the
/// separators showed (country code after `+`, an area code in parentheses or as the first of
/// several groups, the number, the extension).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Phone {
    pub normalised: String,
    pub country_code: Option<String>,
    pub area_code: Option<String>,
    pub number: String,
    pub extension: Option<String>,
}

/// Splits `text` at an extension marker (`ext.`, `ext`, `extension`, `x`, `#`) followed by digits.
fn split_extension(text: &str) -> (&str, Option<&str>) {
    let lower = text.to_ascii_lowercase();
    for marker in ["extension", "ext.", "ext", "x", "#"] {
        if let Some(at) = lower.rfind(marker) {
            let rest = text[at + marker.len()..].trim();
            if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()) {
                return (text[..at].trim_end_matches([' ', ',', ';']), Some(rest));
            }
        }
    }
    (text, None)
}

/// A phone number (6 to 15 digits, optional leading `+`, spaces, dots, dashes, slashes and
/// parentheses between digits, an optional extension of up to 6 digits): see [`Phone`].
pub fn phone_parts(field: &str, v: &str) -> Result<Option<Phone>, FieldError> {
    let Some(t) = optional_text(field, v, 40)? else {
        return Ok(None);
    };
    let bad = || {
        FieldError::new(
            field,
            "is not a valid phone number (6 to 15 digits, optional leading + and extension)",
        )
    };
    let (main, extension) = split_extension(&t);
    if extension.is_some_and(|e| e.len() > 6) {
        return Err(bad());
    }
    let mut digits = String::new();
    // Digit groups as the separators showed them; `true` when in parentheses.
    let mut groups: Vec<(String, bool)> = Vec::new();
    let mut current = String::new();
    let mut in_parens = false;
    let plus = main.starts_with('+');
    for (i, c) in main.chars().enumerate() {
        match c {
            '+' if i == 0 => {}
            '0'..='9' => {
                digits.push(c);
                current.push(c);
            }
            ' ' | '-' | '.' | '/' | '(' | ')' => {
                if !current.is_empty() {
                    groups.push((std::mem::take(&mut current), in_parens));
                }
                match c {
                    '(' => in_parens = true,
                    ')' => in_parens = false,
                    _ => {}
                }
            }
            _ => return Err(bad()),
        }
    }
    if !current.is_empty() {
        groups.push((current, in_parens));
    }
    if !(6..=15).contains(&digits.len()) {
        return Err(bad());
    }
    let mut rest: &[(String, bool)] = &groups;
    let country_code = match rest.split_first() {
        Some(((cc, _), tail)) if plus && !tail.is_empty() && cc.len() <= 3 => {
            rest = tail;
            Some(cc.clone())
        }
        _ => None,
    };
    let area_code = match rest.split_first() {
        Some(((area, parens), tail)) if !tail.is_empty() && (*parens || rest.len() >= 3) => {
            rest = tail;
            Some(area.clone())
        }
        _ => None,
    };
    let number = rest
        .iter()
        .map(|(g, _)| g.as_str())
        .collect::<Vec<_>>()
        .join("-");
    let mut normalised = format!("{}{digits}", if plus { "+" } else { "" });
    if let Some(e) = extension {
        normalised.push_str(";ext=");
        normalised.push_str(e);
    }
    Ok(Some(Phone {
        normalised,
        country_code,
        area_code,
        number,
        extension: extension.map(str::to_owned),
    }))
}

/// A phone number in its normalised form (`+` and digits, `;ext=` and the extension): see
/// [`phone_parts`].
pub fn phone(field: &str, v: &str) -> Result<Option<String>, FieldError> {
    Ok(phone_parts(field, v)?.map(|p| p.normalised))
}

/// A web address; `https://` is added when no scheme is given.
pub fn website(field: &str, v: &str) -> Result<Option<String>, FieldError> {
    let Some(t) = optional_text(field, v, 300)? else {
        return Ok(None);
    };
    let url = if t.starts_with("http://") || t.starts_with("https://") {
        t
    } else if t.contains("://") {
        return Err(FieldError::new(field, "must be an http or https address"));
    } else {
        format!("https://{t}")
    };
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or_default()
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    if host.contains('.') && !url.chars().any(char::is_whitespace) && !host.starts_with('.') {
        Ok(Some(url))
    } else {
        Err(FieldError::new(field, "is not a valid web address"))
    }
}

/// A three-letter ISO 4217 currency code, upper-cased.
pub fn currency(field: &str, v: &str) -> Result<String, FieldError> {
    let t = v.trim().to_ascii_uppercase();
    if t.len() == 3 && t.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(t)
    } else {
        Err(FieldError::new(
            field,
            "must be a three-letter currency code such as EUR",
        ))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_rules() {
        assert_eq!(optional_text("f", "  a ", 5), Ok(Some("a".into())));
        assert_eq!(optional_text("f", "   ", 5), Ok(None));
        assert!(optional_text("f", "abcdef", 5).is_err());
        assert!(optional_text("f", "a\u{0}b", 5).is_err());
        assert_eq!(
            required_text("name", " ", 5).map_err(|e| e.message),
            Err("is required".into())
        );
    }

    #[test]
    fn email_rules() {
        assert_eq!(
            email("e", " Ann@Example.COM "),
            Ok(Some("Ann@Example.COM".into()))
        );
        assert_eq!(
            lowered_email("e", " Ann@Example.COM "),
            Ok(Some("ann@example.com".into()))
        );
        assert_eq!(email_key("Ann@Example.COM"), "ann@example.com");
        for bad in [
            "ann",
            "ann@",
            "@x.com",
            "ann@x",
            "a b@x.com",
            "ann@x..com",
            "ann@.x.com",
        ] {
            assert!(email("e", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phone_rules() {
        assert_eq!(
            phone("p", "+49 (30) 123-456"),
            Ok(Some("+4930123456".into()))
        );
        assert_eq!(phone("p", "030 1234567"), Ok(Some("0301234567".into())));
        assert!(phone("p", "12345").is_err());
        assert!(phone("p", "1234567890123456").is_err());
        assert!(phone("p", "call me").is_err());
        assert!(phone("p", "12+3456789").is_err());
        // The structure is kept beside the normalised form, extensions included.
        let p = phone_parts("p", "+1 801 444-4444 ext. 12")
            .unwrap()
            .unwrap();
        assert_eq!(p.normalised, "+18014444444;ext=12");
        assert_eq!(p.country_code.as_deref(), Some("1"));
        assert_eq!(p.area_code.as_deref(), Some("801"));
        assert_eq!(p.number, "444-4444");
        assert_eq!(p.extension.as_deref(), Some("12"));
        let p = phone_parts("p", "+49 (30) 123-456 x7").unwrap().unwrap();
        assert_eq!(
            (
                p.country_code.as_deref(),
                p.area_code.as_deref(),
                p.number.as_str()
            ),
            (Some("49"), Some("30"), "123-456")
        );
        assert_eq!(p.normalised, "+4930123456;ext=7");
        let p = phone_parts("p", "(030) 1234567").unwrap().unwrap();
        assert_eq!(
            (p.area_code.as_deref(), p.number.as_str()),
            (Some("030"), "1234567")
        );
        let p = phone_parts("p", "+18014444444").unwrap().unwrap();
        assert_eq!((p.country_code, p.area_code), (None, None));
        assert_eq!(p.number, "18014444444");
        assert!(phone("p", "555 1234 ext").is_err());
        assert!(phone("p", "555 1234 ext. 1234567").is_err());
    }

    #[test]
    fn website_and_code_rules() {
        assert_eq!(
            website("w", "example.com"),
            Ok(Some("https://example.com".into()))
        );
        assert_eq!(
            website("w", "http://a.b/c"),
            Ok(Some("http://a.b/c".into()))
        );
        assert!(website("w", "ftp://a.b").is_err());
        assert!(website("w", "nohost").is_err());
        assert_eq!(code("c", "a-12"), Ok(Some("a-12".into())));
        assert!(code("c", "a 12").is_err());
        assert_eq!(currency("c", "eur"), Ok("EUR".into()));
        assert!(currency("c", "EURO").is_err());
    }
}
