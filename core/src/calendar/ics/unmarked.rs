//! A Chinese feed read without its working-day marker: its adjusted
//! working days (`补班`, `上班`) would close as holidays. `check` warns.

/// The character a Chinese feed writes in the summary of an adjusted
/// working day (`补班`, `上班`, `班`).
pub const WORKING_DAY_MARK: char = '班';

/// The first event of an ICS text whose own `SUMMARY` contains
/// [`WORKING_DAY_MARK`]: the line its summary starts on (folded lines
/// counted) and the summary, unfolded. Reads the text's lines only: the
/// file is parsed, and refused when it must be, by `parse_ics`.
pub fn unmarked_working_day(text: &str) -> Option<(usize, String)> {
    let mut logical: Vec<(usize, String)> = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        match (line.strip_prefix([' ', '\t']), logical.last_mut()) {
            (Some(rest), Some((_, open))) if index > 0 => open.push_str(rest),
            _ => logical.push((index + 1, line.to_string())),
        }
    }
    let mut stack: Vec<String> = Vec::new();
    for (number, line) in logical {
        let (name, value) = match line.split_once(':') {
            Some((head, value)) => (head.split(';').next().unwrap_or(head), value),
            None => continue,
        };
        match name.trim().to_ascii_uppercase().as_str() {
            "BEGIN" => stack.push(value.trim().to_ascii_uppercase()),
            "END" => {
                stack.pop();
            }
            "SUMMARY"
                if stack.last().map(String::as_str) == Some("VEVENT")
                    && value.contains(WORKING_DAY_MARK) =>
            {
                return Some((number, value.trim().to_string()));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folded_summary_with_the_mark_is_found_at_its_first_line() {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260215\r\n\
                    SUMMARY:春节\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260214\r\n\
                    SUMMARY;LANGUAGE=zh:春节补\r\n 班\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        assert_eq!(
            unmarked_working_day(text),
            Some((8, "春节补班".to_string()))
        );
    }

    #[test]
    fn the_mark_outside_an_event_summary_is_not_read() {
        // An alarm's description and the calendar's name are not events' summaries.
        let text = "BEGIN:VCALENDAR\nX-WR-CALNAME:上班\nBEGIN:VEVENT\nSUMMARY:春节\n\
                    BEGIN:VALARM\nSUMMARY:上班\nDESCRIPTION:上班\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n";
        assert_eq!(unmarked_working_day(text), None);
    }
}
