//! Kano survey evaluation: the standard 5x5 table and the aggregation over respondents.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One answer to a Kano question (functional or dysfunctional form).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// "I like it that way."
    Like,
    /// "It must be that way" (also written `expect`).
    MustBe,
    /// "I am neutral."
    Neutral,
    /// "I can live with it that way."
    LiveWith,
    /// "I dislike it that way."
    Dislike,
}

impl Answer {
    /// Reads an answer: `like`, `must-be` (`must_be`, `expect`), `neutral`, `live-with`
    /// (`live_with`, `tolerate`), `dislike`; case-insensitive.
    ///
    /// # Example
    /// ```
    /// use csrubric::priority::Answer;
    /// assert_eq!(Answer::parse("Must-be"), Some(Answer::MustBe));
    /// assert_eq!(Answer::parse("maybe"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Answer> {
        match text
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "like" => Some(Answer::Like),
            "must_be" | "expect" => Some(Answer::MustBe),
            "neutral" => Some(Answer::Neutral),
            "live_with" | "tolerate" => Some(Answer::LiveWith),
            "dislike" => Some(Answer::Dislike),
            _ => None,
        }
    }

    fn index(self) -> usize {
        match self {
            Answer::Like => 0,
            Answer::MustBe => 1,
            Answer::Neutral => 2,
            Answer::LiveWith => 3,
            Answer::Dislike => 4,
        }
    }
}

/// A Kano category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KanoCategory {
    /// Must-be (M): expected; absence dissatisfies.
    MustBe,
    /// One-dimensional (O): more is better.
    OneDimensional,
    /// Attractive (A): unexpected delight.
    Attractive,
    /// Indifferent (I).
    Indifferent,
    /// Reverse (R): the respondent prefers its absence.
    Reverse,
    /// Questionable (Q): contradictory answers.
    Questionable,
}

impl fmt::Display for KanoCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KanoCategory::MustBe => "must_be",
            KanoCategory::OneDimensional => "one_dimensional",
            KanoCategory::Attractive => "attractive",
            KanoCategory::Indifferent => "indifferent",
            KanoCategory::Reverse => "reverse",
            KanoCategory::Questionable => "questionable",
        })
    }
}

use KanoCategory::{
    Attractive as A, Indifferent as I, MustBe as M, OneDimensional as O, Questionable as Q,
    Reverse as R,
};

/// The standard Kano evaluation table: rows are the functional answer, columns the
/// dysfunctional answer, both in the order like, must-be, neutral, live-with, dislike.
const TABLE: [[KanoCategory; 5]; 5] = [
    [Q, A, A, A, O],
    [R, I, I, I, M],
    [R, I, I, I, M],
    [R, I, I, I, M],
    [R, R, R, R, Q],
];

/// Evaluates one respondent's pair of answers with the standard table.
///
/// # Example
/// ```
/// use csrubric::priority::{evaluate, Answer, KanoCategory};
/// assert_eq!(evaluate(Answer::Like, Answer::Dislike), KanoCategory::OneDimensional);
/// assert_eq!(evaluate(Answer::Neutral, Answer::Dislike), KanoCategory::MustBe);
/// ```
pub fn evaluate(functional: Answer, dysfunctional: Answer) -> KanoCategory {
    TABLE
        .get(functional.index())
        .and_then(|row| row.get(dysfunctional.index()))
        .copied()
        .unwrap_or(Q)
}

/// The aggregate of a request's survey: the category counts and the winner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KanoSummary {
    /// Respondents.
    pub respondents: usize,
    /// Respondents per category, in the order M, O, A, I, R, Q.
    pub counts: Vec<(KanoCategory, usize)>,
    /// The mode; ties go to the first of M > O > A > I > R > Q.
    pub category: KanoCategory,
}

/// Aggregates respondents by the mode of their categories. A tie is broken by the
/// "M > O > A > I" rule (then R, then Q): when as many respondents find a feature
/// must-be as attractive, missing it hurts more than having it delights.
///
/// Returns `None` for an empty survey.
///
/// # Example
/// ```
/// use csrubric::priority::{aggregate, Answer::*, KanoCategory};
/// let s = aggregate(&[(Like, Neutral), (Like, Dislike), (Neutral, Dislike)]).unwrap();
/// // one attractive, one one-dimensional, one must-be: the tie goes to must-be
/// assert_eq!(s.category, KanoCategory::MustBe);
/// ```
pub fn aggregate(answers: &[(Answer, Answer)]) -> Option<KanoSummary> {
    let order = [M, O, A, I, R, Q];
    let counts: Vec<(KanoCategory, usize)> = order
        .iter()
        .map(|c| {
            (
                *c,
                answers
                    .iter()
                    .filter(|(f, d)| evaluate(*f, *d) == *c)
                    .count(),
            )
        })
        .collect();
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    if max == 0 {
        return None;
    }
    let category = counts.iter().find(|(_, n)| *n == max).map(|(c, _)| *c)?;
    Some(KanoSummary {
        respondents: answers.len(),
        counts,
        category,
    })
}

/// Parses survey answers from a cell: `functional/dysfunctional` pairs separated by `;`
/// (`like/dislike;neutral/dislike`), or a JSON list of `{"functional": .., "dysfunctional": ..}`
/// objects or `[functional, dysfunctional]` pairs.
///
/// # Errors
/// A message naming the respondent (1-based) whose answer is not one of the five choices.
pub fn parse_answers(value: &crate::input::Value) -> Result<Vec<(Answer, Answer)>, String> {
    use crate::input::Value;
    let pair = |i: usize, f: &str, d: &str| -> Result<(Answer, Answer), String> {
        let one = |t: &str| {
            Answer::parse(t).ok_or_else(|| {
                format!(
                    "respondent {i}: `{t}` is not a Kano answer (like, must-be, neutral, live-with, dislike)"
                )
            })
        };
        Ok((one(f)?, one(d)?))
    };
    match value {
        Value::Text(t) => t
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .enumerate()
            .map(|(i, s)| match s.split_once('/') {
                Some((f, d)) => pair(i + 1, f, d),
                None => Err(format!(
                    "respondent {}: `{s}` is not a `functional/dysfunctional` pair",
                    i + 1
                )),
            })
            .collect(),
        Value::Json(serde_json::Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let (f, d) = match item {
                    serde_json::Value::Object(o) => (
                        o.get("functional").and_then(|v| v.as_str()),
                        o.get("dysfunctional").and_then(|v| v.as_str()),
                    ),
                    serde_json::Value::Array(a) => (
                        a.first().and_then(|v| v.as_str()),
                        a.get(1).and_then(|v| v.as_str()),
                    ),
                    _ => (None, None),
                };
                match (f, d) {
                    (Some(f), Some(d)) => pair(i + 1, f, d),
                    _ => Err(format!(
                        "respondent {}: expected a `functional` and a `dysfunctional` answer",
                        i + 1
                    )),
                }
            })
            .collect(),
        other => Err(format!(
            "expected `functional/dysfunctional` pairs separated by `;`, found `{}`",
            match other {
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Json(j) => j.to_string(),
                Value::Text(t) => t.clone(),
            }
        )),
    }
}
