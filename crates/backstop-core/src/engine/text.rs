//! [`Text`]: a verdict's words, shared rather than copied.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A verdict's text (an exercise id, a reason, a novelty's detail), shared rather than copied: a long history repeats
/// the same few sentences in every session, and a kept assessment is read back from its checkpoint and copied whole,
/// so a copy is a count raised instead of a string allocated. It reads, compares, prints and serialises as the text.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Text(Arc<str>);

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(s.into())
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(s.into())
    }
}

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.0.as_ref().to_owned()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        **self == *other.0
    }
}

impl Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(Text(s.as_ref().into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_reads_compares_and_prints_as_its_string() {
        let t = Text::from("pain 3 stayed under 5");
        let copy = t.clone();
        assert!(Arc::ptr_eq(&t.0, &copy.0), "a copy shares the text");
        assert_eq!(t, "pain 3 stayed under 5");
        assert_eq!("pain 3 stayed under 5", t);
        assert_eq!(t, String::from("pain 3 stayed under 5"));
        assert_ne!(t, "pain 4");
        assert_eq!(format!("{t}"), "pain 3 stayed under 5");
        assert_eq!(format!("{t:?}"), format!("{:?}", "pain 3 stayed under 5"));
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"pain 3 stayed under 5\"");
        let back: Text = serde_json::from_str("\"pain 3 stayed under 5\"").unwrap();
        assert_eq!(back, t);
        assert_eq!(String::from(t.clone()), "pain 3 stayed under 5");
        let mut sorted = vec![Text::from("b"), Text::from("a")];
        sorted.sort();
        assert_eq!(sorted, ["a", "b"]);
    }
}
