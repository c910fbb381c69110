//! CSV out: one field, one line (RFC 4180 quoting), with spreadsheet formulas defused.

/// One CSV field, quoted when it must be; a leading `=`, `+`, `-` or `@` is prefixed with `'` so a
/// spreadsheet does not run it as a formula (numbers such as `-12.50` stay as they are).
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One CSV line of `cols`, ended by a line break.
pub fn line(cols: &[String]) -> String {
    let mut out = cols.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("-12.50"), "-12.50");
        assert_eq!(field("plain"), "plain");
        assert_eq!(line(&["a".into(), "b c".into()]), "a,b c\n");
    }
}
