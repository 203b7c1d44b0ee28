"""The one validation layer every metric calls.

Like scikit-learn's ``_check_targets``, every public metric sends its inputs
through :func:`check_targets` (and option checks through the ``check_*``
helpers below) so that all metrics reject bad input with the same errors and
the same messages. Nothing here modifies its input: arrays are converted (a
copy where the dtype changes) and never written to.

Callers that know more than the array (the benchmark runner knows the series
and the detector, the CSV reader the file's line and column) do not check
again: they catch :class:`InvalidValuesError` and put its ``reason`` after their
own location (``exc.located(lambda i: f"line {lines[i]}, column 'det'")``).
"""

from __future__ import annotations

import numbers
from typing import Any, Callable, Literal, Sequence

import numpy as np

from pate._namespace import get_namespace

__all__ = [
    "InvalidValuesError",
    "short_repr",
    "check_targets",
    "check_same_length",
    "check_choice",
    "check_device_targets",
    "check_labels",
    "check_scores",
    "check_predictions",
    "check_nonnegative_int",
    "check_positive_int",
    "check_bool",
    "check_fraction",
    "check_exact_integers",
    "MAX_POINTS",
    "Kind",
]

#: Largest count of time points an option may hold (buffers, windows): beyond
#: 2**53 integers are not exact as float64, and no series is that long.
MAX_POINTS = 2**53
#: What the second array of a metric holds: continuous scores or binary predictions.
Kind = Literal["score", "binary"]


class InvalidValuesError(ValueError):
    """Labels, scores or predictions that cannot be used: the message, and where and what for callers.

    ``str(exc)`` is the message a metric raises (it names the argument).
    ``index`` is the first bad position (``None`` when the whole array is at
    fault) and ``reason`` says what is wrong there without naming the
    argument or the position, so that a caller can write ``"line 7, column
    'det': the score is nan; ..."``.
    """

    def __init__(self, message: str, *, index: int | None = None, reason: str | None = None) -> None:
        super().__init__(message)
        self.index = index
        self.reason = reason if reason is not None else message

    def located(self, where: Callable[[int], str] | None = None) -> str:
        """``reason`` after the place ``where(index)`` (default ``"index 5"``); ``reason`` alone without an index.

        >>> InvalidValuesError("y_true ...", index=5, reason="label 2 is not 0 or 1.").located()
        'index 5: label 2 is not 0 or 1.'
        """
        if self.index is None:
            return self.reason
        place = where(self.index) if where is not None else f"index {self.index}"
        return f"{place}: {self.reason}"


#: Integers up to this magnitude are exact as float64; beyond it, some are not.
_EXACT_INT = 2**53

NotBinary = Callable[[int, Any], Exception]

_CONVERT_HINT = "convert it first, for example with np.asarray({name}, dtype=float) or pandas.to_numeric"


def _short(value: Any) -> str:
    """``repr(value)``, shortened for huge integers and long strings (messages stay one line)."""
    if _is_plain_int(value) and abs(int(value)) >= 10**30:
        return f"an integer of {len(str(abs(int(value))))} digits"
    text = repr(value.item() if isinstance(value, np.generic) else value)
    return text if len(text) <= 60 else text[:57] + "..."


def short_repr(value: Any) -> str:
    """``repr(value)`` for a message, shortened for huge integers and long strings (one line).

    >>> short_repr("x" * 100)[-8:], len(short_repr("x" * 100))
    ('xxxxx...', 60)
    """
    if isinstance(value, (np.timedelta64, np.datetime64)):  # numpy counts these as integers
        return repr(value)
    return _short(value)


def _integer(value: int) -> str:
    text = _short(value)
    return text if text.startswith("an integer") else f"the integer {text}"


def _is_plain_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _exact_as_float(value: int) -> bool:
    """Whether the integer ``value`` converts to float64 without rounding or overflow."""
    try:
        return int(float(value)) == value
    except OverflowError:
        return False


def _inexact_int_error(name: str, index: int, value: Any) -> InvalidValuesError:
    value = int(value)
    try:
        becomes = f"it would become {float(value)!r}"
    except OverflowError:
        becomes = "it is beyond the largest float64"
    exact = f"which float64 cannot hold exactly ({becomes})"
    advice = (
        "scores are compared as float64, so distinct integers this large could tie. Subtract a common offset "
        "first (for example y_score - min(y_score)), or convert to float yourself if the rounding is acceptable."
    )
    return InvalidValuesError(
        f"{name} holds {_integer(value)} at index {index}, {exact}; " + advice.replace("y_score", name),
        index=index,
        reason=f"the score is {_integer(value)}, {exact}; {advice}",
    )


def check_exact_integers(arr: Any, name: str) -> None:
    """Refuse an int64/uint64 array holding an integer that float64 cannot hold exactly.

    Raises :class:`InvalidValuesError` (its ``index`` and ``reason`` let a
    reader name the line and column).

    Works in any array namespace (numpy, CuPy): a few vectorised passes, one
    index back to the host.
    """
    if arr.dtype.kind == "O":  # Python integers (object arrays)
        for i, v in enumerate(arr):
            if _is_plain_int(v) and not -_EXACT_INT <= v <= _EXACT_INT and not _exact_as_float(v):
                raise _inexact_int_error(name, i, v)
        return
    if arr.dtype.kind not in "iu" or arr.dtype.itemsize < 8:
        return  # every 8-, 16- and 32-bit integer is exact as float64
    xp = np if isinstance(arr, np.ndarray) else get_namespace(arr)
    f = arr.astype(xp.float64)
    # rounding up to 2**63 (2**64 unsigned) leaves the integer type: never exact
    over = f >= (2.0**63 if arr.dtype.kind == "i" else 2.0**64)
    bad = over | (xp.where(over, 0, f).astype(arr.dtype) != arr)
    if bool(bad.any()):
        i = int(xp.flatnonzero(bad)[0])
        raise _inexact_int_error(name, i, arr[i].item() if hasattr(arr[i], "item") else arr[i])


def _check_list_ints(values: Any, arr: np.ndarray, name: str) -> None:
    """numpy turns a list of integers beyond int64 into float64 (or object): check the originals."""
    if arr.dtype.kind != "f" or not isinstance(values, (list, tuple)):
        return
    with np.errstate(invalid="ignore"):
        big = np.flatnonzero(np.abs(arr) >= _EXACT_INT)
    for i in big.tolist():
        v = values[i]
        if _is_plain_int(v) and not _exact_as_float(v):
            raise _inexact_int_error(name, i, v)


def _object_as_float(arr: np.ndarray, name: str, not_binary: NotBinary | None) -> np.ndarray:
    """An object array of numbers as float64: strings refused, integers only where exact.

    The same rule as for numeric arrays: a string is not a number (numpy
    string arrays are refused too), and an integer must be exact as float64.
    For labels and predictions (``not_binary`` given) an integer other than
    0 and 1 gets their error instead.
    """
    is_text = np.fromiter((isinstance(v, (str, bytes)) for v in arr), dtype=bool, count=arr.size)
    if is_text.any():
        i = _first_index(is_text)
        raise TypeError(
            f"{name} must hold numbers; index {i} holds the string {_short(arr[i])}: "
            + _CONVERT_HINT.format(name=name)
            + "."
        )
    if not_binary is not None:
        for i, v in enumerate(arr):
            if _is_plain_int(v) and v != 0 and v != 1:
                raise not_binary(i, v)
    else:
        check_exact_integers(arr, name)
    try:
        return arr.astype(float)
    except (TypeError, ValueError, OverflowError):
        pass
    for i, v in enumerate(arr):
        try:
            float(v)
        except (TypeError, ValueError, OverflowError):
            raise TypeError(f"{name} must hold numbers; index {i} holds {_short(v)} ({type(v).__name__}).") from None
    raise TypeError(f"{name} must hold numbers.")  # pragma: no cover - astype failed, every item converts


def _as_1d_array(values: Any, name: str, not_binary: NotBinary | None = None) -> np.ndarray:
    """Turn a list, tuple, numpy array or pandas Series into a 1-D numpy array.

    One rule for every container: numbers only (a numeric string is refused,
    naming its index), and an integer only where float64 holds it exactly
    (scores are compared as float64; an inexact one could tie with its
    neighbour), naming the index. Labels and predictions pass
    ``not_binary(index, value)``, their error for a value other than 0 and 1.
    """
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{name} must be an array-like of numbers, got a {type(values).__name__}.")
    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        # pandas Series / Index: nullable dtypes with missing values become float NaN
        # (reported below as NaN) instead of an opaque object array.
        try:
            values = values.to_numpy(dtype=float, na_value=np.nan) if _has_na(values) else values.to_numpy()
        except (TypeError, ValueError):
            values = values.to_numpy()
    if hasattr(values, "__cuda_array_interface__") and not isinstance(values, np.ndarray):
        raise TypeError(
            f"{name} is a GPU array; pass backend='cupy' (or backend='auto') to keep it on the device, "
            "or convert it with cupy.asnumpy() first."
        )
    try:
        arr = np.asarray(values)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"{name} could not be read as a 1-D array of numbers: {exc}") from exc
    if arr.ndim != 1:
        if arr.ndim == 2 and 1 in arr.shape and arr.size > 0:
            hint = f" (shape {arr.shape}: pass a 1-D array, e.g. {name}.ravel())"
        else:
            hint = f" (shape {arr.shape})"
        raise ValueError(f"{name} must be 1-D, got a {arr.ndim}-D array{hint}.")
    if arr.size == 0:
        raise ValueError(f"{name} is empty: at least one time point is needed.")
    if arr.dtype.kind in "US":
        raise TypeError(
            f"{name} must hold numbers; index 0 holds the string {_short(arr[0].item())} (dtype {arr.dtype}): "
            + _CONVERT_HINT.format(name=name)
            + "."
        )
    if arr.dtype.kind not in "biuf":
        if arr.dtype.kind == "O":
            return _object_as_float(arr, name, not_binary)
        raise TypeError(f"{name} must hold numbers (bool, int or float), got dtype {arr.dtype}.")
    if not_binary is None:
        check_exact_integers(arr, name)
        _check_list_ints(values, arr, name)
    return arr


def _has_na(values: Any) -> bool:
    try:
        return bool(values.isna().any())
    except Exception:  # noqa: BLE001 - an object without a working isna(): treated as having no NA
        return False


def _first_index(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _not_labels(name: str) -> NotBinary:
    def error(index: int, value: Any) -> InvalidValuesError:
        return InvalidValuesError(
            f"{name} must contain only 0 and 1 (or True/False); index {index} holds {_short(value)}. "
            f"Binarise the labels first (for example {name} > 0).",
            index=index,
            reason=f"label {_number(value)} is not 0 or 1.",
        )

    return error


def _not_predictions(name: str) -> NotBinary:
    def error(index: int, value: Any) -> InvalidValuesError:
        return InvalidValuesError(
            f"{name} must contain only 0 and 1 (or True/False); index {index} holds {_short(value)}. "
            f"This metric takes binary predictions: pass {name} = y_score >= threshold "
            "(threshold= in df.pate, --threshold on the command line).",
            index=index,
            reason=f"prediction {_number(value)} is not 0 or 1.",
        )

    return error


def _number(value: Any) -> str:
    """A number as the messages write it: ``2``, ``0.5``, ``nan``, or a huge integer's size."""
    if _is_plain_int(value):
        return _short(int(value))
    return f"{float(value):g}"


def check_labels(y_true: Any, *, name: str = "y_true") -> np.ndarray:
    """Validate anomaly labels and return them as a boolean array.

    Labels must be 0/1 (any numeric dtype) or bool; anything else raises a
    ``ValueError`` that names the first offending index.
    """
    not_binary = _not_labels(name)
    arr = _as_1d_array(y_true, name, not_binary)
    if arr.dtype.kind == "b":
        return arr
    if arr.dtype.kind == "f":
        nan = np.isnan(arr)
        if nan.any():
            i = _first_index(nan)
            raise InvalidValuesError(
                f"{name} contains NaN at index {i}; labels must be 0 or 1.", index=i, reason="label nan is not 0 or 1."
            )
    bad = (arr != 0) & (arr != 1)
    if bad.any():
        i = _first_index(bad)
        raise not_binary(i, arr[i])
    return arr == 1


def check_predictions(y_pred: Any, *, name: str = "y_pred") -> np.ndarray:
    """Validate binary predictions (0/1 or bool) and return a boolean array.

    The error for continuous values says how to make predictions from scores.
    """
    not_binary = _not_predictions(name)
    arr = _as_1d_array(y_pred, name, not_binary)
    if arr.dtype.kind == "b":
        return arr
    bad = (arr != 0) & (arr != 1)  # NaN is bad too
    if bad.any():
        i = _first_index(bad)
        raise not_binary(i, arr[i])
    return arr == 1


def check_scores(y_score: Any, *, name: str = "y_score") -> np.ndarray:
    """Validate continuous anomaly scores and return a float64 array.

    Scores must be finite; NaN or infinity raise a ``ValueError`` naming the
    first offending index.
    """
    arr = _as_1d_array(y_score, name)
    if arr.dtype.kind == "b":
        return arr.astype(np.float64)
    out = arr.astype(np.float64, copy=False)
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(out)
        if bad.any():
            i = _first_index(bad)
            what = "NaN" if np.isnan(out[i]) else "infinity"
            raise InvalidValuesError(
                f"{name} contains {what} at index {i}; scores must be finite (impute or drop missing values first).",
                index=i,
                reason=f"the score is {float(out[i])!r}; scores must be finite numbers.",
            )
    return out


def check_targets(
    y_true: Any,
    y: Any,
    *,
    kind: Kind,
    y_name: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Validate a label array and a score or prediction array of the same length.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Ground-truth labels, 0/1 or bool.
    y : array-like of shape (n_samples,)
        Continuous scores (``kind="score"``) or binary predictions
        (``kind="binary"``).
    kind : {"score", "binary"}
        Which of the two ``y`` is.
    y_name : str, optional
        Name of ``y`` in error messages (default ``"y_score"`` or ``"y_pred"``).

    Returns
    -------
    labels : ndarray of bool
    y : ndarray of float64 (scores) or bool (predictions)

    Examples
    --------
    >>> labels, scores = check_targets([0, 1, 1], [0.2, 0.9, 0.4], kind="score")
    >>> labels.tolist(), scores.dtype.name
    ([False, True, True], 'float64')
    """
    if kind == "score":
        name = y_name or "y_score"
        checked = check_scores(y, name=name)
    elif kind == "binary":
        name = y_name or "y_pred"
        checked = check_predictions(y, name=name)
    else:  # pragma: no cover - programming error
        raise ValueError(f"kind must be 'score' or 'binary', got {short_repr(kind)}")
    labels = check_labels(y_true)
    check_same_length(labels, checked, name=name)
    return labels, checked


def check_same_length(labels: Any, values: Any, *, name: str) -> None:
    """Raise :class:`InvalidValuesError` unless ``values`` has one entry per label.

    >>> check_same_length(np.zeros(3), np.zeros(2), name="y_score")
    Traceback (most recent call last):
    ...
    pate._validation.InvalidValuesError: y_true and y_score must have the same length, got 3 and 2.
    """
    n, m = labels.shape[0], values.shape[0]
    if n != m:
        noun = "predictions" if "pred" in name else "scores"
        raise InvalidValuesError(
            f"y_true and {name} must have the same length, got {n} and {m}.",
            reason=f"{m} {noun} for {n} labels; every time step needs one {noun[:-1]}.",
        )


def check_choice(value: Any, name: str, choices: Sequence[Any]) -> Any:
    """Return ``value`` if it is one of ``choices``, else raise a ``ValueError`` listing them.

    The one check of every option that takes one of a few values. Text
    matches only text and a bool only a bool (``1`` is not ``True``).

    >>> check_choice("step", "interpolation", ("trapezoid", "step"))
    'step'
    >>> check_choice("sign", "test", ("wilcoxon-holm", "nemenyi"))
    Traceback (most recent call last):
    ...
    ValueError: test must be 'wilcoxon-holm' or 'nemenyi'; got 'sign'.
    """
    if not any(_same_kind(value, c) and value == c for c in choices):
        raise ValueError(f"{name} must be {choices_text(choices)}; got {_short(value)}.")
    return value


def _same_kind(a: Any, b: Any) -> bool:
    return isinstance(a, str) == isinstance(b, str) and isinstance(a, (bool, np.bool_)) == isinstance(b, bool)


def choices_text(choices: Sequence[Any]) -> str:
    """``'a' or 'b'``, or ``one of 'a', 'b', 'c'``."""
    shown = [repr(c) for c in choices]
    return " or ".join(shown) if len(shown) <= 2 else "one of " + ", ".join(shown)


def check_nonnegative_int(value: Any, name: str) -> int:
    """Return ``value`` as an ``int`` if it is a non-negative integer, else raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer() and not isinstance(value, (bool, np.bool_)):
            raise TypeError(
                f"{name} must be an integer number of time points, got the float {_short(value)}; "
                f"pass {int(float(value))}."
            )
        raise TypeError(f"{name} must be a non-negative integer, got {_short(value)} ({type(value).__name__}).")
    number = int(value)
    if number < 0:
        raise ValueError(f"{name} must be >= 0, got {_short(value)}.")
    if number > MAX_POINTS:
        raise ValueError(f"{name} must be at most 2**53 time points, got {_short(value)}.")
    return number


def check_positive_int(value: Any, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an ``int`` if it is an integer ``>= minimum``, else raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {_short(value)} ({type(value).__name__}).")
    number = int(value)
    if number < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {_short(value)}.")
    if number > MAX_POINTS:
        raise ValueError(f"{name} must be at most 2**53, got {_short(value)}.")
    return number


def check_bool(value: Any, name: str) -> bool:
    """Return ``value`` if it is a bool (numpy bools included), else raise ``TypeError``."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_short(value)}.")
    return bool(value)


def check_fraction(value: Any, name: str, *, low: float = 0.0, high: float = 1.0) -> float:
    """Return ``value`` as a float if it is a real number in ``[low, high]``, else raise."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in [{low}, {high}], got {_short(value)}.")
    value = float(value)
    if not (low <= value <= high):
        raise ValueError(f"{name} must be in [{low}, {high}], got {value}.")
    return value


def check_device_targets(xp: Any, y_true: Any, y: Any, *, kind: Kind) -> tuple[Any, Any]:
    """:func:`check_targets` for arrays that live on a GPU (``xp`` is CuPy).

    The same checks and messages, computed on the device: only the verdict
    (and the first bad index) comes back to the host.
    """
    name = "y_score" if kind == "score" else "y_pred"
    arrays = []
    for arr, arr_name in ((y_true, "y_true"), (y, name)):
        arr = xp.asarray(arr)
        if arr.ndim != 1:
            raise ValueError(f"{arr_name} must be 1-D, got a {arr.ndim}-D array (shape {arr.shape}).")
        if arr.size == 0:
            raise ValueError(f"{arr_name} is empty: at least one time point is needed.")
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"{arr_name} must hold numbers (bool, int or float), got dtype {arr.dtype}.")
        arrays.append(arr)
    labels, values = arrays
    if labels.shape[0] != values.shape[0]:
        raise ValueError(f"y_true and {name} must have the same length, got {labels.shape[0]} and {values.shape[0]}.")

    def binary(arr: Any, arr_name: str) -> Any:
        if arr.dtype.kind == "b":
            return arr
        bad = (arr != 0) & (arr != 1)  # NaN is bad too
        if bool(bad.any()):
            i = int(xp.flatnonzero(bad)[0])
            raise ValueError(
                f"{arr_name} must contain only 0 and 1 (or True/False); index {i} holds {arr[i].item()!r}. "
                + (
                    "Binarise the labels first (for example y_true > 0)."
                    if arr_name == "y_true"
                    else f"This metric takes binary predictions: pass {arr_name} = y_score >= threshold."
                )
            )
        return arr == 1

    labels = binary(labels, "y_true")
    if kind == "binary":
        return labels, binary(values, name)
    check_exact_integers(values, name)
    values = values.astype(xp.float64)
    bad = ~xp.isfinite(values)
    if bool(bad.any()):
        i = int(xp.flatnonzero(bad)[0])
        what = "NaN" if bool(xp.isnan(values[i])) else "infinity"
        raise ValueError(
            f"{name} contains {what} at index {i}; scores must be finite (impute or drop missing values first)."
        )
    return labels, values
