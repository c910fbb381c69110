//! Merging a conflicting save: the form's values as the user loaded them (the base), as they
//! typed them (mine) and as someone else saved them meanwhile (theirs). A value only one side
//! changed takes that side's change; a value both changed differently is a clash the user
//! settles, value by value.

/// What the merge of one value decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merged {
    /// Theirs (I did not change it, or we changed it alike).
    Theirs,
    /// Mine (only I changed it).
    Mine,
    /// Both changed it differently: the user chooses.
    Clash,
}

/// The merge of one value.
pub fn merge(base: &str, mine: &str, theirs: &str) -> Merged {
    if mine == base || mine == theirs {
        Merged::Theirs
    } else if theirs == base {
        Merged::Mine
    } else {
        Merged::Clash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_side_keeps_its_own_changes_and_clashes_are_left_to_the_user() {
        assert_eq!(merge("North", "North", "South"), Merged::Theirs);
        assert_eq!(merge("North", "East", "North"), Merged::Mine);
        assert_eq!(merge("North", "East", "East"), Merged::Theirs);
        assert_eq!(merge("North", "East", "West"), Merged::Clash);
        assert_eq!(merge("", "", ""), Merged::Theirs);
    }
}
