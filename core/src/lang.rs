//! The languages the engine writes its words in: reasons, explanations,
//! durations and targets read by people.

use std::fmt;
use std::str::FromStr;

/// The language reasons and explanations are written in.
///
/// # Examples
///
/// ```
/// let lang: aftersales::Lang = "zh_CN".parse().unwrap();
/// assert_eq!(lang, aftersales::Lang::ZhCn);
/// assert_eq!(lang.tag(), "zh-CN");
/// assert!("fr".parse::<aftersales::Lang>().is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Lang {
    /// English (`en`), the default.
    #[default]
    En,
    /// Simplified Chinese (`zh-CN`).
    ZhCn,
}

impl Lang {
    /// Every language, in order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag: `en`, `zh-CN`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl FromStr for Lang {
    type Err = String;

    /// `en` (also `en-US`, `en-GB`), `zh-CN` (also `zh`, `zh-Hans`,
    /// `zh_CN`); case does not matter.
    fn from_str(s: &str) -> Result<Lang, String> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "en" | "en-us" | "en-gb" => Ok(Lang::En),
            "zh-cn" | "zh" | "zh-hans" | "zh-hans-cn" => Ok(Lang::ZhCn),
            _ => Err(format!("unknown language `{s}`: use `en` or `zh-CN`")),
        }
    }
}
