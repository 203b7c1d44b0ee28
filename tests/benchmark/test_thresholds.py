"""Per-detector thresholds read from JSON: NAB's ``config/thresholds.json`` layout and ``{detector: t}``."""

from __future__ import annotations

import json

import pytest

from pate.benchmark import read_nab_thresholds, read_thresholds
from pate.benchmark._thresholds import check_thresholds

# The shape of NAB's config/thresholds.json (two of its detectors, its three profiles).
NAB = {
    "numenta": {
        "reward_low_FN_rate": {"score": 74.3, "threshold": 0.5421876907348634},
        "reward_low_FP_rate": {"score": 63.1, "threshold": 0.5491251220703121},
        "standard": {"score": 70.1, "threshold": 0.5421876907348634},
    },
    "null": {
        "reward_low_FN_rate": {"score": 0.0, "threshold": 0.5},
        "reward_low_FP_rate": {"score": 0.0, "threshold": 0.5},
        "standard": {"score": 0.0, "threshold": 0.6250000000000001},
    },
}


def _write(tmp_path, data, name="thresholds.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_nab_layout_reads_the_standard_profile_or_the_one_asked_for(tmp_path):
    path = _write(tmp_path, NAB)
    assert read_thresholds(path) == {"numenta": 0.5421876907348634, "null": 0.6250000000000001}
    assert read_thresholds(path, profile="reward_low_FP_rate") == {"numenta": 0.5491251220703121, "null": 0.5}


def test_plain_layout(tmp_path):
    assert read_thresholds(_write(tmp_path, {"a": 0.5, "b": 1})) == {"a": 0.5, "b": 1.0}


def test_one_reader_of_nabs_layout_for_the_scoreboard_and_the_strategy(tmp_path):
    # read_thresholds (one profile, for binary metrics) and read_nab_thresholds (every profile, for
    # nab_scoreboard and pate nab) read the same layouts by the same entry rule
    loose = {"numenta": {"standard": 0.25, "reward_low_FP_rate": {"threshold": 0.5}}}
    path = _write(tmp_path, loose)
    assert read_thresholds(path) == {"numenta": 0.25}
    assert read_thresholds(path, profile="reward_low_FP_rate") == {"numenta": 0.5}
    assert read_nab_thresholds(path) == loose
    from pate.benchmark import _nab, _thresholds

    assert not hasattr(_nab, "_threshold") and _nab.nab_threshold is _thresholds.nab_threshold


@pytest.mark.parametrize(
    "content, kwargs, message",
    [
        ("{not json", {}, r"thresholds\.json: not JSON \(line 1, column 2"),
        ("[0.5]", {}, r"expected a JSON object of detectors"),
        ("{}", {}, r"expected a JSON object of detectors"),
        ({"a": 0.5, "b": {"standard": {"threshold": 0.5}}}, {}, r"'b' has NAB's layout .* but 'a' a plain number"),
        ({"a": "0.5"}, {}, r"detector 'a': the threshold must be a finite number, got '0\.5'"),
        ({"a": True}, {}, r"detector 'a': the threshold must be a finite number, got True"),
        ({"a": 0.5}, {"profile": "standard"}, r"a profile \('standard'\) only applies to NAB's layout"),
        (NAB, {"profile": "strict"}, r"thresholds\['numenta'\] has no profile 'strict' \(it has 'reward_low_FN_rate'"),
        ({"a": {"standard": {"score": 1}}}, {}, r"thresholds\['a'\]\['standard'\] has no 'threshold' key"),
        ({"a": {"standard": {"threshold": None}}}, {}, r"\['standard'\] must be a finite number, got None"),
    ],
)
def test_errors_name_the_file_and_the_entry(tmp_path, content, kwargs, message):
    path = _write(tmp_path, content)
    with pytest.raises(ValueError, match=message) as error:
        read_thresholds(path, **kwargs)
    assert str(error.value).startswith(str(path))


def test_a_missing_file_is_a_value_error_naming_it(tmp_path):
    with pytest.raises(ValueError, match=r"nope\.json: cannot read the thresholds file"):
        read_thresholds(tmp_path / "nope.json")


def test_every_detector_needs_a_threshold():
    assert check_thresholds({"a": 0.5, "b": 1, "extra": 3}, ["b", "a"]) == {"b": 1.0, "a": 0.5}
    with pytest.raises(ValueError, match=r"t\.json: no threshold for detectors 'b', 'c' \(it has 'a'\)"):
        check_thresholds({"a": 0.5}, ["a", "b", "c"], source="t.json")
    with pytest.raises(TypeError, match="expected a mapping"):
        check_thresholds(0.5, ["a"])
    with pytest.raises(ValueError, match=r"detector 'a': the threshold must be a finite number, got nan"):
        check_thresholds({"a": float("nan")}, ["a"])
