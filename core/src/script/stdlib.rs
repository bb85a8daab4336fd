//! The decimal helpers every script sees, registered once per engine.
//!
//! | function | returns |
//! |---|---|
//! | `pct_change(from, to)` | `(to - from) * 100 / from`, a decimal percent; error when `from` is 0 |
//! | `pct_change(list)` | percent change from the first to the last element |
//! | `mean(list)` | exact mean of a non-empty list of numbers |
//! | `min(list)`, `max(list)`, `min(a, b)`, `max(a, b)` | smallest / largest (numbers mix) |
//! | `clamp(x, lo, hi)` | `x` limited to `[lo, hi]` |
//! | `days_between(a, b)` | whole days from date `a` to date `b` (`"YYYY-MM-DD"`), negative when `b` is earlier |
//! | `dec(x)` | a number or numeric string as a decimal |
//! | `flag(x)` | a yes/no cell as a boolean: `true`, `"true"`, `"yes"`, `"y"`, `"1"` or a non-zero number are true; `()` and anything else false |

use chrono::NaiveDate;
use rhai::{Array, Dynamic, Engine, EvalAltResult, Position};
use rust_decimal::Decimal;

use super::to_decimal;

type Res<T> = Result<T, Box<EvalAltResult>>;

fn err<T>(msg: String) -> Res<T> {
    Err(Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(msg),
        Position::NONE,
    )))
}

fn num(fname: &str, v: &Dynamic) -> Res<Decimal> {
    match to_decimal(v) {
        Some(d) => Ok(d),
        None => err(format!(
            "{fname}: expected a number, found {}",
            super::describe(v)
        )),
    }
}

fn nums(fname: &str, list: &Array) -> Res<Vec<Decimal>> {
    if list.is_empty() {
        return err(format!("{fname}: the list is empty"));
    }
    list.iter().map(|v| num(fname, v)).collect()
}

fn pct(from: Decimal, to: Decimal) -> Res<Dynamic> {
    if from.is_zero() {
        return err("pct_change: the starting value is 0, a percent change is undefined".into());
    }
    match to
        .checked_sub(from)
        .and_then(|x| x.checked_mul(Decimal::ONE_HUNDRED))
        .and_then(|x| x.checked_div(from))
    {
        Some(d) => Ok(Dynamic::from_decimal(d.normalize())),
        None => err("pct_change: overflow".into()),
    }
}

fn extreme(fname: &str, list: &Array, want_max: bool) -> Res<Dynamic> {
    let v = nums(fname, list)?;
    let pick = if want_max {
        v.into_iter().max()
    } else {
        v.into_iter().min()
    };
    Ok(pick.map_or(Dynamic::UNIT, Dynamic::from_decimal))
}

fn date(v: &str) -> Res<NaiveDate> {
    match NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
        Ok(d) => Ok(d),
        Err(_) => err(format!("days_between: `{v}` is not a date (YYYY-MM-DD)")),
    }
}

pub(super) fn register(engine: &mut Engine) {
    engine.register_fn("pct_change", |from: Dynamic, to: Dynamic| {
        pct(num("pct_change", &from)?, num("pct_change", &to)?)
    });
    engine.register_fn("pct_change", |list: Array| -> Res<Dynamic> {
        let v = nums("pct_change", &list)?;
        match (v.first(), v.last()) {
            (Some(a), Some(b)) => pct(*a, *b),
            _ => err("pct_change: the list is empty".into()),
        }
    });
    engine.register_fn("mean", |list: Array| -> Res<Dynamic> {
        let v = nums("mean", &list)?;
        let mut sum = Decimal::ZERO;
        for d in &v {
            sum = match sum.checked_add(*d) {
                Some(s) => s,
                None => return err("mean: overflow".into()),
            };
        }
        match sum.checked_div(Decimal::from(v.len())) {
            Some(m) => Ok(Dynamic::from_decimal(m.normalize())),
            None => err("mean: overflow".into()),
        }
    });
    engine.register_fn("min", |list: Array| extreme("min", &list, false));
    engine.register_fn("max", |list: Array| extreme("max", &list, true));
    engine.register_fn("min", |a: Dynamic, b: Dynamic| -> Res<Dynamic> {
        Ok(Dynamic::from_decimal(num("min", &a)?.min(num("min", &b)?)))
    });
    engine.register_fn("max", |a: Dynamic, b: Dynamic| -> Res<Dynamic> {
        Ok(Dynamic::from_decimal(num("max", &a)?.max(num("max", &b)?)))
    });
    engine.register_fn(
        "clamp",
        |x: Dynamic, lo: Dynamic, hi: Dynamic| -> Res<Dynamic> {
            let (x, lo, hi) = (num("clamp", &x)?, num("clamp", &lo)?, num("clamp", &hi)?);
            if lo > hi {
                return err(format!("clamp: lower bound {lo} is above upper bound {hi}"));
            }
            Ok(Dynamic::from_decimal(x.max(lo).min(hi)))
        },
    );
    engine.register_fn(
        "days_between",
        |a: rhai::ImmutableString, b: rhai::ImmutableString| -> Res<rhai::INT> {
            Ok((date(&b)? - date(&a)?).num_days())
        },
    );
    // Typed overloads for the common all-decimal calls: Rhai finds them with its first
    // lookup, where the `Dynamic` versions above cost a search over every combination of
    // wildcard parameters on each call (the results are the same).
    engine.register_fn(
        "clamp",
        |x: Decimal, lo: Decimal, hi: Decimal| -> Res<Decimal> {
            if lo > hi {
                return err(format!("clamp: lower bound {lo} is above upper bound {hi}"));
            }
            Ok(x.max(lo).min(hi))
        },
    );
    engine.register_fn("min", |a: Decimal, b: Decimal| a.min(b));
    engine.register_fn("max", |a: Decimal, b: Decimal| a.max(b));
    engine.register_fn("pct_change", |from: Decimal, to: Decimal| pct(from, to));
    // `x == ()` and `x != ()` (is a value missing?) on numbers and booleans: Rhai has no
    // built-in for these pairs and would search every module on each call before deciding
    // that different types are not equal. Same answers, found at once.
    macro_rules! unit_comparisons {
        ($($t:ty),*) => {$(
            engine.register_fn("==", |_: $t, _: ()| false);
            engine.register_fn("==", |_: (), _: $t| false);
            engine.register_fn("!=", |_: $t, _: ()| true);
            engine.register_fn("!=", |_: (), _: $t| true);
        )*};
    }
    unit_comparisons!(Decimal, rhai::INT, bool);
    engine.register_fn("dec", |x: Dynamic| -> Res<Dynamic> {
        if let Some(d) = to_decimal(&x) {
            return Ok(Dynamic::from_decimal(d));
        }
        if let Ok(s) = x.clone().into_immutable_string() {
            if let Ok(d) = crate::decimal::parse_decimal(&s) {
                return Ok(Dynamic::from_decimal(d));
            }
        }
        err(format!("dec: {} is not a number", super::describe(&x)))
    });
    engine.register_fn("flag", |x: Dynamic| -> bool {
        if let Ok(b) = x.as_bool() {
            return b;
        }
        if let Some(d) = to_decimal(&x) {
            return !d.is_zero();
        }
        match x.into_immutable_string() {
            Ok(s) => matches!(
                s.trim().to_ascii_lowercase().as_str(),
                "true" | "yes" | "y" | "1"
            ),
            Err(_) => false,
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::{Hook, Limits, ScriptEngine};
    use rust_decimal::Decimal;

    fn run(src: &str) -> String {
        let e = ScriptEngine::new(Limits::default(), rhai::Map::new());
        let s = ScriptEngine::compile(&e, "t", Hook::Adjust, src).unwrap();
        match s.call("a", &mut rhai::Scope::new()) {
            Ok(o) => o.value.to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn helpers_compute_exactly() {
        // (80 - 100) * 100 / 100 = -20
        assert_eq!(run("pct_change(100, 80)"), "-20");
        // (7 - 3) * 100 / 3 = 133.333... (28 significant digits)
        assert!(run("pct_change(3, 7)").starts_with("133.3333333333"));
        assert_eq!(run("pct_change([50, 10, 40])"), "-20");
        // (1.1 + 2.2 + 3.3) / 3 = 2.2 exactly, unlike binary floats
        assert_eq!(run("mean([1.1, 2.2, 3.3])"), "2.2");
        assert_eq!(run("min([3, 1.5, 2])"), "1.5");
        assert_eq!(run("max(2, 2.5)"), "2.5");
        assert_eq!(run("clamp(120, 0, 100)"), "100");
        assert_eq!(run("clamp(-3.5, 0, 100)"), "0");
        assert_eq!(run(r#"days_between("2026-02-20", "2026-03-06")"#), "14");
        assert_eq!(run(r#"days_between("2026-03-06", "2026-02-20")"#), "-14");
        assert_eq!(run(r#"dec("12.50") + 1"#), "13.50");
        assert_eq!(run("0.1 + 0.2 == 0.3"), "true");
        // the typed overloads agree with the general ones; integers still mix
        assert_eq!(run("clamp(12.5, 0.0, 10.0)"), "10.0");
        assert_eq!(run("clamp(12.5, 0, 10)"), "10");
        assert_eq!(
            run("[min(1.5, 2.5), max(1.5, 2.5), min(1, 2.5)]"),
            "[1.5, 2.5, 1]"
        );
        assert_eq!(run("pct_change(80.0, 60.0)"), "-25");
        // comparing with () on numbers and booleans: different types are never equal
        assert_eq!(
            run("[1.5 == (), () == 1.5, 1.5 != (), 2 == (), () != 2, true == (), () == (), () != ()]"),
            "[false, false, true, false, true, false, true, false]"
        );
        assert_eq!(
            run(r#"[flag(true), flag("Yes"), flag(1), flag(0), flag(()), flag("no")]"#),
            "[true, true, true, false, false, false]"
        );
    }

    #[test]
    fn helpers_reject_bad_input() {
        assert!(run("pct_change(0, 5)").contains("starting value is 0"));
        assert!(run("mean([])").contains("the list is empty"));
        assert!(run(r#"mean([1, "x"])"#).contains("expected a number"));
        assert!(run(r#"days_between("2026-13-01", "2026-01-01")"#).contains("not a date"));
        assert!(run("clamp(1, 5, 0)").contains("above upper bound"));
        // Found by the script fuzz corpus: `to - from` overflowed (a panic inside Rhai).
        let max = "79228162514264337593543950335";
        assert!(run(&format!("pct_change(-{max}, {max})")).contains("pct_change: overflow"));
        let _ = Decimal::ZERO;
    }
}
