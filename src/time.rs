/*!
UTC seconds since the Unix epoch, to and from the three text forms we meet:
ISO 8601 (`2026-11-28T17:00:00Z`, the consent record), HTTP dates
(`Thu, 01 Jan 1970 00:00:00 GMT`, what we write in `Expires=`) and the
forgiving RFC 6265 cookie date (what other scripts write in `Expires=`).

Everything is integer arithmetic on `i64` seconds; there is no time zone
other than UTC and no leap seconds (as in Unix time). The civil date
conversion is the proleptic Gregorian one, valid for every `i64` day count
we can reach from `i64` seconds. Nothing here panics on any input.
*/
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

/// Seconds in one day.
pub const DAY: i64 = 86_400;

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Days since 1970-01-01 of a proleptic Gregorian date (`month` 1..=12).
///
/// The year is shifted to start in March so that the leap day is the last
/// day of the shifted year; then a 400-year era has exactly 146 097 days.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400; // 0..=399
    let shifted_month = i64::from((month + 9) % 12); // March = 0
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719 468 days from 0000-03-01 to 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`]: `(year, month, day)`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097; // 0..=146096
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // 0..=11, March = 0. The casts below cannot truncate: the values are
    // in 1..=31 and 1..=12.
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Seconds of a date and time, if the date exists and the time is in range.
fn seconds_of(year: i64, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Option<i64> {
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let time = i64::from(hour * 3600 + minute * 60 + second);
    days.checked_mul(DAY)?.checked_add(time)
}

/// Splits seconds into (days since epoch, seconds into the day).
fn split(secs: i64) -> (i64, u32) {
    // rem_euclid of a positive constant is in 0..DAY, so the cast is exact.
    (secs.div_euclid(DAY), secs.rem_euclid(DAY) as u32)
}

/// Appends `n` in decimal, zero-padded to at least `width` digits.
fn push_num(out: &mut String, n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let start = i.min(buf.len().saturating_sub(width));
    for &b in buf.get(start..).unwrap_or_default() {
        out.push(char::from(b));
    }
}

fn push_year(out: &mut String, year: i64) {
    if year < 0 {
        out.push('-');
    }
    push_num(out, year.unsigned_abs(), 4);
}

fn push_clock(out: &mut String, secs_of_day: u32) {
    push_num(out, u64::from(secs_of_day / 3600), 2);
    out.push(':');
    push_num(out, u64::from(secs_of_day / 60 % 60), 2);
    out.push(':');
    push_num(out, u64::from(secs_of_day % 60), 2);
}

/// Formats UTC seconds as `YYYY-MM-DDTHH:MM:SSZ`.
///
/// Years outside 0000..=9999 are written with more digits or a `-` sign;
/// [`parse_iso`] reads back exactly the years 0000..=9999.
pub fn format_iso(secs: i64) -> String {
    let (days, time) = split(secs);
    let (year, month, day) = civil_from_days(days);
    let mut out = String::with_capacity(20);
    push_year(&mut out, year);
    out.push('-');
    push_num(&mut out, u64::from(month), 2);
    out.push('-');
    push_num(&mut out, u64::from(day), 2);
    out.push('T');
    push_clock(&mut out, time);
    out.push('Z');
    out
}

/// The value of a run of ASCII digits (all of `s` must be digits).
fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 9 {
        return None;
    }
    s.iter().try_fold(0u32, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')))
}

/// Parses the strict form [`format_iso`] writes: `YYYY-MM-DDTHH:MM:SSZ`,
/// optionally with a fraction of a second (`.sss`, 1 to 9 digits, ignored)
/// before the `Z`. Anything else — another offset, lower-case `t`/`z`, a
/// date that does not exist, a leap second — is `None`.
pub fn parse_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let field = |from: usize, to: usize| b.get(from..to).and_then(digits);
    let sep = |at: usize, want: u8| b.get(at) == Some(&want);
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    let rest = b.get(19..)?;
    let rest = match rest.split_first() {
        Some((b'.', fraction)) => {
            let digits_len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
            if !(1..=9).contains(&digits_len) {
                return None;
            }
            fraction.get(digits_len..)?
        }
        _ => rest,
    };
    if rest != b"Z" {
        return None;
    }
    seconds_of(
        i64::from(field(0, 4)?),
        field(5, 7)?,
        field(8, 10)?,
        field(11, 13)?,
        field(14, 16)?,
        field(17, 19)?,
    )
}

/// Formats UTC seconds as an HTTP date, `Thu, 01 Jan 1970 00:00:00 GMT`
/// (RFC 9110 IMF-fixdate), the form browsers accept in `Expires=`.
pub fn format_http_date(secs: i64) -> String {
    let (days, time) = split(secs);
    let (year, month, day) = civil_from_days(days);
    let mut out = String::with_capacity(29);
    // 1970-01-01 was a Thursday (index 4); rem_euclid keeps it in 0..7.
    let weekday = days.wrapping_add(4).rem_euclid(7) as usize;
    out.push_str(WEEKDAYS.get(weekday).copied().unwrap_or("Thu"));
    out.push_str(", ");
    push_num(&mut out, u64::from(day), 2);
    out.push(' ');
    out.push_str(MONTHS.get((month as usize).saturating_sub(1)).copied().unwrap_or("Jan"));
    out.push(' ');
    push_year(&mut out, year);
    out.push(' ');
    push_clock(&mut out, time);
    out.push_str(" GMT");
    out
}

/// RFC 6265 §5.1.1 delimiter: `%x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E`.
fn is_date_delimiter(b: u8) -> bool {
    matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E)
}

/// Leading 1..=`max` digits of `token` and the rest, if at least `min`
/// digits lead and the rest does not start with a digit (the
/// `1*2DIGIT ( non-digit *OCTET )` shape of the cookie-date grammar).
fn leading_number(token: &[u8], min: usize, max: usize) -> Option<(u32, &[u8])> {
    let n = token.iter().take_while(|b| b.is_ascii_digit()).count();
    if n < min || n > max {
        return None;
    }
    Some((digits(token.get(..n)?)?, token.get(n..)?))
}

/// `hms-time = time-field ":" time-field ":" time-field [ non-digit *OCTET ]`
fn parse_hms(token: &[u8]) -> Option<(u32, u32, u32)> {
    let (hour, rest) = leading_number(token, 1, 2)?;
    let rest = rest.strip_prefix(b":")?;
    let (minute, rest) = leading_number(rest, 1, 2)?;
    let rest = rest.strip_prefix(b":")?;
    let (second, _) = leading_number(rest, 1, 2)?;
    Some((hour, minute, second))
}

fn parse_month(token: &[u8]) -> Option<u32> {
    let prefix = token.get(..3)?;
    let index = MONTHS.iter().position(|m| m.as_bytes().eq_ignore_ascii_case(prefix))?;
    Some(index as u32 + 1)
}

/// Parses a cookie date with the RFC 6265 §5.1.1 algorithm, the one
/// browsers use for `Expires=`: the string is cut into tokens at delimiter
/// characters and, in any order, the first token that looks like a time
/// (`h:m:s`), a day of month (1-2 digits), a month (its first three letters,
/// any case) and a year (2-4 digits) is taken. Two-digit years 70-99 mean
/// 19xx and 00-69 mean 20xx. A missing part, an out-of-range field, a year
/// before 1601 or a date that does not exist (`31 Feb`) gives `None`.
pub fn parse_cookie_date(s: &str) -> Option<i64> {
    let mut time = None;
    let mut day = None;
    let mut month = None;
    let mut year = None;
    for token in s.as_bytes().split(|&b| is_date_delimiter(b)) {
        if token.is_empty() {
            continue;
        }
        if time.is_none() {
            if let Some(hms) = parse_hms(token) {
                time = Some(hms);
                continue;
            }
        }
        if day.is_none() {
            if let Some((d, _)) = leading_number(token, 1, 2) {
                day = Some(d);
                continue;
            }
        }
        if month.is_none() {
            if let Some(m) = parse_month(token) {
                month = Some(m);
                continue;
            }
        }
        if year.is_none() {
            if let Some((y, _)) = leading_number(token, 2, 4) {
                year = Some(y);
            }
        }
    }
    let (hour, minute, second) = time?;
    let year = match year? {
        y @ 70..=99 => y + 1900,
        y @ 0..=69 => y + 2000,
        y => y,
    };
    if year < 1601 {
        return None;
    }
    seconds_of(i64::from(year), month?, day?, hour, minute, second)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// `iso!(name, secs, "text")`: formats to and parses back from the text.
    macro_rules! iso {
        ($name:ident, $secs:expr, $text:expr) => {
            #[test]
            fn $name() {
                assert_eq!(format_iso($secs), $text);
                assert_eq!(parse_iso($text), Some($secs));
            }
        };
    }

    iso!(iso_epoch, 0, "1970-01-01T00:00:00Z");
    iso!(iso_example, 1_795_885_200, "2026-11-28T17:00:00Z");
    iso!(iso_last_second_of_day, 86_399, "1970-01-01T23:59:59Z");
    iso!(iso_before_epoch, -1, "1969-12-31T23:59:59Z");
    iso!(iso_leap_day_2000, 951_782_400, "2000-02-29T00:00:00Z");
    iso!(iso_leap_day_2024, 1_709_164_800, "2024-02-29T00:00:00Z");
    iso!(iso_i32_overflow, 2_147_483_648, "2038-01-19T03:14:08Z");
    iso!(iso_year_9999, 253_402_300_799, "9999-12-31T23:59:59Z");
    iso!(iso_year_0, -62_167_219_200, "0000-01-01T00:00:00Z");

    #[test]
    fn iso_fraction_is_ignored() {
        assert_eq!(parse_iso("2026-11-28T17:00:00.123Z"), Some(1_795_885_200));
        assert_eq!(parse_iso("2026-11-28T17:00:00.5Z"), Some(1_795_885_200));
        assert_eq!(parse_iso("2026-11-28T17:00:00.123456789Z"), Some(1_795_885_200));
    }

    #[test]
    fn iso_rejects_everything_else() {
        for bad in [
            "",
            "2026-11-28",
            "2026-11-28T17:00:00",
            "2026-11-28T17:00:00z",
            "2026-11-28t17:00:00Z",
            "2026-11-28 17:00:00Z",
            "2026-11-28T17:00:00+00:00",
            "2026-11-28T17:00:00.Z",
            "2026-11-28T17:00:00.1234567890Z",
            "2026-11-28T17:00:00ZZ",
            "2026-11-28T17:00Z",
            "26-11-28T17:00:00Z",
            "+2026-11-28T17:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-01-00T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01T00:60:00Z",
            "2026-01-01T00:00:60Z",
            "2026-01-01T0a:00:00Z",
            "2026-1-01T00:00:00Z",
            "２026-01-01T00:00:00Z",
            "2026-01-01T00:00:00.１Z",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn iso_round_trips_every_day_of_several_centuries() {
        // 1600-01-01 .. 2400-12-31, one sample second per day.
        let start = days_from_civil(1600, 1, 1);
        let end = days_from_civil(2401, 1, 1);
        let mut previous = None;
        for day in start..end {
            let secs = day * DAY + (day.rem_euclid(DAY));
            let text = format_iso(secs);
            assert_eq!(parse_iso(&text), Some(secs), "{text}");
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
            if let Some((py, pm, pd)) = previous {
                // Consecutive days are consecutive dates.
                let next = if pd < days_in_month(py, pm) {
                    (py, pm, pd + 1)
                } else if pm < 12 {
                    (py, pm + 1, 1)
                } else {
                    (py + 1, 1, 1)
                };
                assert_eq!((y, m, d), next);
            }
            previous = Some((y, m, d));
        }
    }

    #[test]
    fn extreme_seconds_do_not_panic() {
        for secs in [i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1] {
            let iso = format_iso(secs);
            let http = format_http_date(secs);
            assert!(iso.ends_with('Z') && http.ends_with(" GMT"));
        }
    }

    macro_rules! http_date {
        ($name:ident, $secs:expr, $text:expr) => {
            #[test]
            fn $name() {
                assert_eq!(format_http_date($secs), $text);
                assert_eq!(parse_cookie_date($text), Some($secs));
            }
        };
    }

    http_date!(http_epoch, 0, "Thu, 01 Jan 1970 00:00:00 GMT");
    http_date!(http_example, 1_795_885_200, "Sat, 28 Nov 2026 17:00:00 GMT");
    http_date!(http_sunday, 1_704_067_199, "Sun, 31 Dec 2023 23:59:59 GMT");
    http_date!(http_leap_day, 1_709_164_800, "Thu, 29 Feb 2024 00:00:00 GMT");
    http_date!(http_1601, -11_644_473_600, "Mon, 01 Jan 1601 00:00:00 GMT");

    #[test]
    fn http_weekday_of_every_day_in_a_week() {
        let names: Vec<String> =
            (0..7).map(|d| format_http_date(d * DAY)[..3].to_string()).collect();
        assert_eq!(names, ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]);
        assert!(format_http_date(-DAY).starts_with("Wed, 31 Dec 1969"));
    }

    /// `cookie_date!(name, "text", Some(secs) | None)`
    macro_rules! cookie_date {
        ($name:ident, $text:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(parse_cookie_date($text), $want, "{:?}", $text);
            }
        };
    }

    const Y2026: Option<i64> = Some(1_795_885_200); // 2026-11-28T17:00:00Z

    cookie_date!(cd_imf_fixdate, "Sat, 28 Nov 2026 17:00:00 GMT", Y2026);
    cookie_date!(cd_rfc850, "Saturday, 28-Nov-26 17:00:00 GMT", Y2026);
    cookie_date!(cd_asctime, "Sat Nov 28 17:00:00 2026", Y2026);
    cookie_date!(cd_any_order, "17:00:00 2026 Nov 28", Y2026);
    cookie_date!(cd_month_case_and_long_name, "28 NOVEMBER 2026 17:00:00", Y2026);
    cookie_date!(cd_single_digit_time, "28 Nov 2026 17:0:0", Y2026);
    cookie_date!(cd_no_weekday_no_zone, "28 Nov 2026 17:00:00", Y2026);
    cookie_date!(cd_wrong_weekday_ignored, "Mon, 28 Nov 2026 17:00:00 GMT", Y2026);
    cookie_date!(cd_odd_delimiters, "28/Nov/2026;17:00:00+0000", Y2026);
    cookie_date!(cd_trailing_junk_on_tokens, "28th Nov 2026 17:00:00junk", Y2026);
    cookie_date!(cd_two_digit_70, "01 Jan 70 00:00:00", Some(0));
    cookie_date!(cd_two_digit_69, "01 Jan 69 00:00:00", Some(3_124_224_000));
    cookie_date!(cd_two_digit_00, "01 Jan 00 00:00:00", Some(946_684_800));
    cookie_date!(cd_three_digit_year, "01 Jan 999 00:00:00", None);
    cookie_date!(cd_year_1600, "31 Dec 1600 23:59:59", None);
    cookie_date!(cd_five_digit_year, "01 Jan 20266 00:00:00", None);
    cookie_date!(cd_no_time, "28 Nov 2026", None);
    cookie_date!(cd_no_month, "28 2026 17:00:00", None);
    cookie_date!(cd_no_day, "Nov 2026 17:00:00", None);
    cookie_date!(cd_feb_30, "30 Feb 2026 00:00:00", None);
    cookie_date!(cd_day_32, "32 Jan 2026 00:00:00", None);
    cookie_date!(cd_day_0, "0 Jan 2026 00:00:00", None);
    cookie_date!(cd_hour_24, "01 Jan 2026 24:00:00", None);
    cookie_date!(cd_minute_60, "01 Jan 2026 00:60:00", None);
    cookie_date!(cd_three_digit_time_field, "01 Jan 2026 001:00:00", None);
    cookie_date!(cd_empty, "", None);
    cookie_date!(cd_garbage, "\u{0}\u{ff}é😀", None);
    cookie_date!(cd_unix_zero_legacy, "Thu, 01-Jan-1970 00:00:01 GMT", Some(1));
    cookie_date!(
        // The first token that fits a part wins; later ones are ignored.
        cd_first_match_wins,
        "28 Nov 2026 17:00:00 03 Dec 1999 01:02:03",
        Y2026
    );
}
