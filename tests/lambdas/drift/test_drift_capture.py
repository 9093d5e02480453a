"""Reading SageMaker data-capture lines: every documented encoding, and bad lines skipped."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from mlops_platform.lambdas.drift import capture

START = datetime(2026, 12, 1, 21, 0, tzinfo=UTC)
END = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)


def record(data: str, encoding: str = "CSV", *, output: str = "0.5",
           when: str = "2026-12-01T21:30:00Z", content_type: str = "text/csv",
           output_encoding: str = "CSV") -> str:  # fmt: skip
    return json.dumps({
        "captureData": {
            "endpointInput": {"observedContentType": content_type, "mode": "INPUT",
                              "data": data, "encoding": encoding},
            "endpointOutput": {"observedContentType": "text/csv", "mode": "OUTPUT",
                               "data": output, "encoding": output_encoding},
        },
        "eventMetadata": {"eventId": "e", "inferenceTime": when},
        "eventVersion": "0",
    })  # fmt: skip


SPECS = [
    capture.FeatureSpec("age", column=0),
    capture.FeatureSpec("country", column=2, key="country", kind="categorical"),
    capture.FeatureSpec("score", source="output"),
]


def read(*lines: str | bytes, specs: list[capture.FeatureSpec] = SPECS) -> capture.CaptureWindow:
    window = capture.CaptureWindow()
    capture.read_lines(list(lines), specs, START, END, window)
    return window


def test_csv_rows_including_several_rows_in_one_request() -> None:
    window = read(record("31,1.5,DE"), record("40,2.5,FR\n52,0.1,DE", output="0.9\n0.1"))
    assert list(window.numeric["age"]) == [31.0, 40.0, 52.0]
    assert window.categorical["country"] == ["DE", "FR", "DE"]
    assert list(window.numeric["score"]) == [0.5, 0.9, 0.1]
    assert (window.records, window.malformed, window.rows("age")) == (2, 0, 3)


def test_json_objects_lists_instances_and_base64() -> None:
    specs = [capture.FeatureSpec("age", key="age"),
             capture.FeatureSpec("country", key="country", kind="categorical")]  # fmt: skip
    encoded = base64.b64encode(json.dumps({"age": 7, "country": "IT"}).encode()).decode()
    window = read(
        record(json.dumps({"age": 31, "country": "DE"}), "JSON"),
        record(json.dumps([{"age": 40, "country": "FR"}, {"age": 41}]), "JSON"),
        record(json.dumps({"instances": [{"age": 50, "country": "ES"}]}), "JSON"),
        record(encoded, "BASE64", content_type="application/json"),
        specs=specs,
    )  # fmt: skip
    assert list(window.numeric["age"]) == [31.0, 40.0, 41.0, 50.0, 7.0]
    assert window.categorical["country"] == ["DE", "FR", "ES", "IT"]
    assert window.missing == {"country": 1}


def test_json_list_rows_by_column_and_base64_csv() -> None:
    specs = [capture.FeatureSpec("age", column=1)]
    encoded = base64.b64encode(b"0,61\n0,62").decode()
    window = read(record(json.dumps([[0, 11], [0, 12]]), "JSON"),
                  record(encoded, "BASE64", content_type="text/csv"), specs=specs)  # fmt: skip
    assert list(window.numeric["age"]) == [11.0, 12.0, 61.0, 62.0]


def test_malformed_lines_are_counted_and_skipped() -> None:
    good = record("31,1.5,DE")
    window = read(
        good,
        "not json at all",
        b"\xff\xfe",
        json.dumps({"captureData": {}}),
        json.dumps({"eventMetadata": {"inferenceTime": "2026-12-01T21:30:00Z"}}),
        record("31,1.5,DE", when="yesterday"),
        record("!!!", "BASE64"),
        record("{broken", "JSON"),
        record("31", "XML"),
        json.dumps([1, 2]),
        "",
        good,
    )  # fmt: skip
    assert (window.records, window.malformed) == (2, 9)
    assert list(window.numeric["age"]) == [31.0, 31.0]


def test_values_that_are_absent_or_not_numbers_are_counted_per_feature() -> None:
    window = read(record("abc,1,DE"), record("5"), record(",1,FR"))
    assert list(window.numeric["age"]) == [5.0]
    assert window.missing == {"age": 2, "country": 1}


def test_records_outside_the_window_are_not_read() -> None:
    window = read(
        record("1,1,DE", when="2026-12-01T20:59:59Z"),
        record("2,1,DE", when="2026-12-01T22:00:00Z"),
        record("3,1,DE", when="2026-12-01T21:00:00+00:00"),
    )
    assert list(window.numeric["age"]) == [3.0]
    assert (window.records, window.outside_window) == (1, 2)


def test_hour_prefixes_cover_the_window_and_the_hour_after() -> None:
    start = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)
    end = datetime(2026, 12, 2, 0, 15, tzinfo=UTC)
    assert capture.hour_prefixes("/capture/", "ep", "AllTraffic", start, end) == [
        "capture/ep/AllTraffic/2026/12/01/22/",
        "capture/ep/AllTraffic/2026/12/01/23/",
        "capture/ep/AllTraffic/2026/12/02/00/",
    ]
    assert capture.hour_prefixes("", "ep", "v", END, END) == ["ep/v/2026/12/01/22/"]


@pytest.mark.parametrize("text", ["yesterday", 5, None])
def test_bad_times_are_malformed(text: object) -> None:
    with pytest.raises(capture.MalformedRecordError):
        capture.parse_time(text)
