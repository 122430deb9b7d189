//! The Vietnamese lunisolar calendar (âm lịch), needed for Tết and Giỗ Tổ Hùng Vương.
//!
//! This is Hồ Ngọc Đức's public astronomical algorithm: new moons and the sun's
//! longitude from Jean Meeus' formulas, evaluated at **UTC+7** (Vietnam). Months start on
//! the local day of the new moon; month 11 is the one containing the winter solstice; a
//! lunar year with 13 months (from month 11 to the next month 11) repeats, as a leap month,
//! the first month that contains no major solar term (trung khí).
//!
//! The time zone matters: China computes at UTC+8, so a new moon shortly before local
//! midnight can start a month one day apart, or shift a leap month. Known divergences:
//! Tết 1968 (VN 29/01, CN 30/01), 1985 (VN 21/01, CN 20/02), 2007 (VN 17/02,
//! CN 18/02) and 2030 (VN 02/02, CN 03/02). The formulas are accurate for at least 1800–2199; tests cover 1900–2199.
//!
//! Day counts are Julian day numbers (JDN, integer day starting at noon UTC).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// Vietnam's time zone, in hours east of UTC.
const TIME_ZONE: f64 = 7.0;
/// Mean synodic month in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;
/// Julian date of the new moon of 1900-01-01, the origin of the lunation number `k`.
const NEW_MOON_EPOCH: f64 = 2_415_021.076_998_695;
/// JDN of the day before 0001-01-01 (chrono's day 0 "from CE").
const JDN_CE_OFFSET: i64 = 1_721_425;

/// A date of the Vietnamese lunar calendar. `year` is the Gregorian year in which the
/// lunar year starts (Tết Ất Tỵ = 29/01/2025 is 1/1/2025).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LunarDate {
    pub day: u32,
    pub month: u32,
    pub year: i32,
    /// True inside a leap month (tháng nhuận).
    pub leap: bool,
}

/// Mùng 1 tháng Giêng (Tết Nguyên đán) of the lunar year starting in `year`.
///
/// # Panics
/// Only when the date falls outside chrono's range (years beyond ±262 000).
pub fn lunar_new_year(year: i32) -> NaiveDate {
    solar_from_lunar(year, 1, 1, false)
        .expect("month 1 of every lunar year exists and is never a leap month")
}

/// The solar date of a lunar date, or `None` if it does not exist: month outside 1–12,
/// day 30 of a 29-day month, or `leap` for a month that is not the leap month of that year.
pub fn solar_from_lunar(year: i32, month: u32, day: u32, leap: bool) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) || !(1..=30).contains(&day) {
        return None;
    }
    let month = i64::from(month);
    // Month 11 of the lunar year `year` lies in December of the same Gregorian year.
    let (a11, b11) = if month < 11 {
        (lunar_month_11(year - 1), lunar_month_11(year))
    } else {
        (lunar_month_11(year), lunar_month_11(year + 1))
    };
    let k = (0.5 + (a11 as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64;
    // Months counted from month 11 (offset 0).
    let mut off = (month - 11).rem_euclid(12);
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        // The leap month repeats the month just before the first month without a major term.
        let leap_month = (leap_off - 2).rem_euclid(12);
        if leap && month != leap_month {
            return None;
        }
        if leap || off >= leap_off {
            off += 1;
        }
    } else if leap {
        return None;
    }
    let month_start = new_moon_day(k + off);
    let month_len = new_moon_day(k + off + 1) - month_start;
    if i64::from(day) > month_len {
        return None;
    }
    date_from_jdn(month_start + i64::from(day) - 1)
}

/// The lunar date of a solar date.
pub fn lunar_from_solar(date: NaiveDate) -> LunarDate {
    let day_number = jdn(date);
    let mut k = ((day_number as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64;
    // The mean lunation only estimates k; true new moons wander by up to ~14 hours, so
    // step until new moon k starts on or before the day and new moon k + 1 after it.
    // (The published algorithm checks only k and k + 1 and yields day 0 on rare dates,
    // e.g. 07/5/2054.)
    while new_moon_day(k + 1) <= day_number {
        k += 1;
    }
    while new_moon_day(k) > day_number {
        k -= 1;
    }
    let month_start = new_moon_day(k);
    let yy = date.year();
    let mut a11 = lunar_month_11(yy);
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = yy;
        a11 = lunar_month_11(yy - 1);
    } else {
        lunar_year = yy + 1;
        b11 = lunar_month_11(yy + 1);
    }
    let day = day_number - month_start + 1;
    // Whole months since month 11; 29 (not 29.53) so rounding never loses a month.
    let diff = (month_start - a11) / 29;
    let mut leap = false;
    let mut month = diff + 11;
    if b11 - a11 > 365 {
        let leap_off = leap_month_offset(a11);
        if diff >= leap_off {
            month = diff + 10;
            leap = diff == leap_off;
        }
    }
    if month > 12 {
        month -= 12;
    }
    // Months 11 and 12 at the start of the span belong to the previous lunar year.
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    LunarDate {
        day: u32::try_from(day).expect("a lunar day is between 1 and 30"),
        month: u32::try_from(month).expect("a lunar month is between 1 and 12"),
        year: lunar_year,
        leap,
    }
}

/// Heavenly stem and earthly branch of a lunar year, e.g. 2026 → "Bính Ngọ".
pub fn can_chi_year(year: i32) -> String {
    const CAN: [&str; 10] = [
        "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
    ];
    const CHI: [&str; 12] = [
        "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
    ];
    let y = i64::from(year);
    // rem_euclid of a positive modulus is in range, so the casts cannot truncate.
    let can = CAN[(y + 6).rem_euclid(10) as usize];
    let chi = CHI[(y + 8).rem_euclid(12) as usize];
    format!("{can} {chi}")
}

fn jdn(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) + JDN_CE_OFFSET
}

fn date_from_jdn(jdn: i64) -> Option<NaiveDate> {
    i32::try_from(jdn - JDN_CE_OFFSET)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// JDN of a proleptic Gregorian date, valid for any year (no chrono range limit).
fn jdn_from_ymd(year: i64, month: i64, day: i64) -> i64 {
    let a = (14 - month) / 12;
    let y = year + 4800 - a;
    let m = month + 12 * a - 3;
    day + (153 * m + 2) / 5 + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)
        - 32045
}

/// Julian date (UT) of the `k`-th new moon after 1900-01-01 (Meeus, ch. 49, abridged).
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    // Sun's mean anomaly, Moon's mean anomaly, Moon's argument of latitude.
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let mut c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    // ΔT (TT − UT) in days.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// Local (UTC+7) day number of the `k`-th new moon.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// Apparent solar longitude in radians, in [0, 2π), at Julian date `jd`.
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let mut dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin();
    dl += (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin() + 0.000_290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - 2.0 * PI * (l / (2.0 * PI)).floor()
}

/// Which of the 12 major-term sectors (0–11, 30° each) the sun is in at the start of
/// local day `day_number`; sector 9 begins at the winter solstice (270°).
fn sun_sector(day_number: i64) -> i64 {
    (sun_longitude(day_number as f64 - 0.5 - TIME_ZONE / 24.0) / PI * 6.0).floor() as i64
}

/// Day number of the first day of lunar month 11 that contains the winter solstice of
/// Gregorian year `year`.
fn lunar_month_11(year: i32) -> i64 {
    let off = jdn_from_ymd(i64::from(year), 12, 31) - 2_415_021;
    let k = (off as f64 / SYNODIC_MONTH).floor() as i64;
    let nm = new_moon_day(k);
    // A new moon already past the solstice starts month 12: month 11 began one lunation earlier.
    if sun_sector(nm) >= 9 {
        new_moon_day(k - 1)
    } else {
        nm
    }
}

/// In a 13-month span starting at month 11 (day `a11`), the offset of the leap month:
/// the first month whose start and next start lie in the same solar sector.
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            return i - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn jdn_matches_formula() {
        assert_eq!(jdn(d(2000, 1, 1)), 2_451_545);
        for date in [
            d(1900, 1, 1),
            d(1999, 12, 31),
            d(2024, 2, 29),
            d(2199, 12, 31),
        ] {
            let f = jdn_from_ymd(
                i64::from(date.year()),
                i64::from(date.month()),
                i64::from(date.day()),
            );
            assert_eq!(jdn(date), f);
            assert_eq!(date_from_jdn(f), Some(date));
        }
    }

    #[test]
    fn tet_in_the_official_years() {
        assert_eq!(lunar_new_year(2025), d(2025, 1, 29));
        assert_eq!(lunar_new_year(2026), d(2026, 2, 17));
        assert_eq!(lunar_new_year(2027), d(2027, 2, 6));
    }

    #[test]
    fn gio_to_in_the_official_years() {
        assert_eq!(solar_from_lunar(2025, 3, 10, false), Some(d(2025, 4, 7)));
        assert_eq!(solar_from_lunar(2026, 3, 10, false), Some(d(2026, 4, 26)));
        assert_eq!(solar_from_lunar(2027, 3, 10, false), Some(d(2027, 4, 16)));
    }

    /// Years where the UTC+7 calendar differs from China's UTC+8 one.
    #[test]
    fn vietnamese_not_chinese_tet() {
        assert_eq!(lunar_new_year(1968), d(1968, 1, 29)); // CN 30/01/1968
        assert_eq!(lunar_new_year(1985), d(1985, 1, 21)); // CN 20/02/1985
        assert_eq!(lunar_new_year(2007), d(2007, 2, 17)); // CN 18/02/2007
        assert_eq!(lunar_new_year(2030), d(2030, 2, 2)); // CN 03/02/2030
    }

    #[test]
    fn other_known_tet_dates() {
        assert_eq!(lunar_new_year(1900), d(1900, 1, 31));
        assert_eq!(lunar_new_year(2000), d(2000, 2, 5));
        assert_eq!(lunar_new_year(2020), d(2020, 1, 25));
        assert_eq!(lunar_new_year(2023), d(2023, 1, 22));
        assert_eq!(lunar_new_year(2024), d(2024, 2, 10));
    }

    #[test]
    fn leap_months() {
        // 2025 has a leap 6th month starting 25/07/2025; 2023 a leap 2nd month from 22/03.
        let l = lunar_from_solar(d(2025, 7, 25));
        assert_eq!(
            l,
            LunarDate {
                day: 1,
                month: 6,
                year: 2025,
                leap: true
            }
        );
        assert_eq!(solar_from_lunar(2025, 6, 1, true), Some(d(2025, 7, 25)));
        assert_eq!(solar_from_lunar(2025, 5, 1, true), None);
        assert_eq!(solar_from_lunar(2023, 2, 1, true), Some(d(2023, 3, 22)));
        assert_eq!(solar_from_lunar(2026, 2, 1, true), None); // 2026 has no leap month
    }

    #[test]
    fn invalid_lunar_dates() {
        assert_eq!(solar_from_lunar(2025, 0, 1, false), None);
        assert_eq!(solar_from_lunar(2025, 13, 1, false), None);
        assert_eq!(solar_from_lunar(2025, 1, 0, false), None);
        assert_eq!(solar_from_lunar(2025, 1, 31, false), None);
        // Tháng Chạp Giáp Thìn (2024) has 29 days: Tết Ất Tỵ follows 29 Chạp.
        assert_eq!(solar_from_lunar(2024, 12, 29, false), Some(d(2025, 1, 28)));
        assert_eq!(solar_from_lunar(2024, 12, 30, false), None);
    }

    #[test]
    fn year_boundaries() {
        let l = lunar_from_solar(d(2025, 1, 28));
        assert_eq!((l.day, l.month, l.year, l.leap), (29, 12, 2024, false));
        let l = lunar_from_solar(d(2025, 1, 29));
        assert_eq!((l.day, l.month, l.year, l.leap), (1, 1, 2025, false));
        let l = lunar_from_solar(d(2024, 12, 31));
        assert_eq!((l.month, l.year), (12, 2024));
    }

    /// Every solar day of 1900–2199 maps to a lunar date that maps back to it, days run
    /// 1, 2, … without gaps, and month 1 day 1 is exactly `lunar_new_year`.
    #[test]
    fn round_trip_1900_2199() {
        let mut date = d(1900, 1, 31);
        let end = d(2199, 12, 31);
        let mut prev = lunar_from_solar(date);
        assert_eq!((prev.day, prev.month, prev.year), (1, 1, 1900));
        while date < end {
            date = date.succ_opt().expect("in range");
            let l = lunar_from_solar(date);
            if l.day == 1 {
                assert!(
                    (29..=30).contains(&prev.day),
                    "{date}: month of {} days",
                    prev.day
                );
                if l.month == 1 && !l.leap {
                    assert_eq!(l.year, prev.year + 1, "{date}");
                    assert_eq!(lunar_new_year(l.year), date);
                }
            } else {
                assert_eq!(l.day, prev.day + 1, "{date}");
                assert_eq!(
                    (l.month, l.year, l.leap),
                    (prev.month, prev.year, prev.leap)
                );
            }
            assert_eq!(
                solar_from_lunar(l.year, l.month, l.day, l.leap),
                Some(date),
                "{date} -> {l:?}"
            );
            prev = l;
        }
    }

    #[test]
    fn can_chi() {
        assert_eq!(can_chi_year(2025), "Ất Tỵ");
        assert_eq!(can_chi_year(2026), "Bính Ngọ");
        assert_eq!(can_chi_year(2027), "Đinh Mùi");
        assert_eq!(can_chi_year(1984), "Giáp Tý");
    }
}
