"""The exception hierarchy and the attributes each error carries."""

from __future__ import annotations

import pytest

import csrubric
from conftest import RUBRICS, account

GOOD = (RUBRICS / "health" / "slavkokernel.toml").read_text()


def test_hierarchy():
    assert issubclass(csrubric.RubricError, csrubric.CsrubricError)
    assert issubclass(csrubric.ValidationError, csrubric.RubricError)
    assert issubclass(csrubric.InputError, csrubric.CsrubricError)
    assert issubclass(csrubric.ScriptError, csrubric.CsrubricError)
    assert issubclass(csrubric.OptionsError, csrubric.CsrubricError)
    assert not issubclass(csrubric.OptionsError, csrubric.RubricError)
    assert issubclass(csrubric.CsrubricError, Exception)


ATTRIBUTES = ("code", "file", "path", "line", "column", "row", "id", "problems", "script", "op")


def raised(f, *args, **kwargs) -> csrubric.CsrubricError:
    with pytest.raises(csrubric.CsrubricError) as e:
        f(*args, **kwargs)
    return e.value


def test_every_error_has_every_attribute(tmp_path):
    errors = [
        raised(csrubric.Rubric.from_path, tmp_path / "nope.toml"),
        raised(csrubric.Rubric.from_toml, 'kind = "health"\nid = "x"\n'),
        raised(csrubric.Rubric.bundled("priority/kinos").run, "score"),
        raised(csrubric.Rubric.bundled("priority/kinos").prioritize, "no_id_column\n1\n"),
        raised(csrubric.Rubric.bundled("priority/kinos").prioritize, [], relative="yes"),
    ]
    assert [type(e) for e in errors] == [csrubric.RubricError, csrubric.ValidationError, csrubric.OptionsError,
                                         csrubric.InputError, csrubric.OptionsError]
    for e in errors:
        for attr in ATTRIBUTES:
            getattr(e, attr)  # never an AttributeError
        assert isinstance(e.code, str) and e.code


def test_options_errors_name_the_operation_and_option():
    kinos = csrubric.Rubric.bundled("priority/kinos")
    e = raised(kinos.prioritize, [], relative="yes")
    assert (type(e), e.code, e.op) == (csrubric.OptionsError, "invalid_options", "prioritize")
    assert str(e).startswith("`prioritize` options: `relative`: "), str(e)
    assert e.option == "relative"
    e = raised(kinos.run, "nonsense")
    assert (e.code, e.op, e.option) == ("unsupported_operation", "nonsense", None)
    assert str(e) == "a `priority` rubric has no operation `nonsense` (it has: prioritize, test)"


def test_a_calendar_option_that_cannot_be_read_is_a_rubric_error(tmp_path):
    playbook = csrubric.Rubric.from_path(RUBRICS / "renewal" / "slavkokernel.toml")
    contracts = [{"id": "a", "start": "2026-01-01", "end": "2026-12-31"}]
    e = raised(playbook.renewals, contracts, today="2026-06-01", calendar=tmp_path / "nope.toml")
    assert type(e) is csrubric.RubricError and e.code == "rubric_io"
    assert e.file == str(tmp_path / "nope.toml")
    # A bundled playbook reads calendars from the bundle: a repository path is found there.
    bundled = csrubric.Rubric.bundled("renewal/slavkokernel")
    out = bundled.renewals(contracts, today="2026-06-01", calendar="rubrics/calendars/business-hours-berlin.toml")
    assert out[0]["id"] == "a"


def test_a_request_that_fails_as_a_whole_is_an_input_error_with_the_domain_code():
    e = raised(csrubric.Rubric.bundled("health/slavkokernel").backtest,
               [{"id": "a", "product_adoption": 50, "churned": "no"}])
    assert type(e) is csrubric.InputError and e.code == "backtest_undefined", (e.code, str(e))


def test_missing_file_is_a_rubric_error(tmp_path):
    with pytest.raises(csrubric.RubricError, match="cannot read rubric") as e:
        csrubric.Rubric.from_path(tmp_path / "nope.toml")
    assert e.value.code == "rubric_io"
    assert e.value.file == str(tmp_path / "nope.toml")
    assert not isinstance(e.value, csrubric.ValidationError)


def test_wrong_extension(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text("kind: health")
    with pytest.raises(csrubric.RubricError) as e:
        csrubric.Rubric.from_path(p)
    assert e.value.code == "rubric_format"


def test_syntax_error_has_line_and_column():
    text = 'kind = "health"\nid = "x"\nversion = \n'
    with pytest.raises(csrubric.RubricError) as e:
        csrubric.Rubric.from_toml(text, name="broken.toml")
    err = e.value
    assert err.code == "rubric_syntax"
    assert err.file == "broken.toml"
    assert err.line == 3 and err.column is not None
    assert str(err).startswith("broken.toml:3:")


def test_invalid_rubric_is_a_validation_error_with_the_rubric_path():
    # Weights 25+20+25+15+15 = 100; making the third 30 breaks the sum.
    text = GOOD.replace('id = "business_outcomes"\nlabel = "Business Outcomes"', 'id = "business_outcomes"\nlabel = "Business Outcomes"\nbogus = 1')
    assert text != GOOD
    with pytest.raises(csrubric.ValidationError) as e:
        csrubric.Rubric.from_toml(text, name="bad.toml")
    err = e.value
    assert err.code == "rubric_invalid"
    assert err.path.startswith("components[2]")
    assert "bogus" in err.problems[0]["message"]
    assert err.line is not None and err.line > 1
    assert {"path", "message", "line", "column"} <= set(err.problems[0])


def test_json_rubric_errors_are_validation_errors_too():
    with pytest.raises(csrubric.ValidationError) as e:
        csrubric.Rubric.from_json('{"kind": "health", "id": "x"}')
    assert e.value.problems


def test_unknown_kind_and_unknown_bundled():
    with pytest.raises(csrubric.RubricError, match="kind `galaxy`"):
        csrubric.Rubric.from_toml('kind = "galaxy"\n')
    with pytest.raises(csrubric.RubricError, match="no bundled rubric `health/nope`") as e:
        csrubric.Rubric.bundled("health/nope")
    assert "health/slavkokernel" in str(e.value)
    with pytest.raises(csrubric.RubricError):
        csrubric.bundled_text("nope")


def test_out_of_scale_names_id_and_column(slavko):
    with pytest.raises(csrubric.InputError, match="outside the component scale 0-100") as e:
        slavko.score(account("acme", 90, 90, 900, 90, 90))
    err = e.value
    assert (err.code, err.id, err.column, err.row) == ("out_of_scale", "acme", "business_outcomes", None)


def test_not_a_number(slavko):
    with pytest.raises(csrubric.InputError) as e:
        slavko.score(account("acme", "lots", 90, 90, 90, 90))
    assert e.value.code == "not_a_number" and e.value.column == "product_adoption"


def test_missing_id(slavko):
    with pytest.raises(csrubric.InputError, match="missing `id`") as e:
        slavko.score({"product_adoption": 90})
    assert e.value.code == "input_row"


def test_ambiguous_input(slavko):
    with pytest.raises(csrubric.InputError) as e:
        slavko.score(account("a", 90, 90, 90, 90, 90, active_users_pct=50))
    assert e.value.code == "ambiguous_input" and e.value.column == "product_adoption"


def test_bad_override(slavko):
    with pytest.raises(csrubric.InputError) as e:
        slavko.score(account("a", 90, 90, 90, 90, 90, overrides=[{"band": "Nope", "author": "x", "reason": "y"}]))
    assert e.value.code == "invalid_override" and e.value.column == "overrides"


def test_bad_instant(slavko):
    with pytest.raises(csrubric.InputError, match="RFC 3339") as e:
        slavko.score(account("a", 90, 90, 90, 90, 90), at="2026-11-23T00:00:00")
    assert e.value.code == "input_instant"


def test_not_a_mapping(slavko):
    with pytest.raises(TypeError):
        slavko.score([1, 2, 3])  # type: ignore[arg-type]


def test_batch_table_errors(slavko):
    pa = pytest.importorskip("pyarrow")
    with pytest.raises(csrubric.InputError, match="no `id` column") as e:
        slavko.score_batch(pa.table({"product_adoption": [1]}))
    assert e.value.column == "id" and e.value.code == "input_file"
    with pytest.raises(TypeError):
        slavko.score_batch([1, 2])
    with pytest.raises(csrubric.InputError):
        slavko.score_batch({"id": ["a", "b"], "product_adoption": [1]})
