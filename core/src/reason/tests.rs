//! Each code rendered in both languages against hand-written text.

use super::*;
use crate::reason;
