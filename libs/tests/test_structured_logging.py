import json
import logging

import pytest
from opentelemetry import trace

from haat.structured_logging import TraceContextFilter
from haat.telemetry import setup_telemetry

pytestmark = pytest.mark.fast


def test_log_lines_are_json_with_the_service_and_current_trace_id(capsys):
    from pythonjsonlogger.json import JsonFormatter

    handler = logging.StreamHandler()
    handler.addFilter(TraceContextFilter("catalog"))
    handler.setFormatter(JsonFormatter("{levelname}{message}", style="{"))
    logger = logging.getLogger("haat.test.logging")
    logger.addHandler(handler)
    logger.propagate = False
    setup_telemetry("haat-tests")
    try:
        with trace.get_tracer("test").start_as_current_span("work") as span:
            logger.warning("stock low", extra={"sku": "HALDI-200"})
            expected = format(span.get_span_context().trace_id, "032x")
        logger.warning("outside any span")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in capsys.readouterr().err.strip().splitlines())
    assert first["message"] == "stock low"
    assert first["sku"] == "HALDI-200"
    assert first["service"] == "catalog"
    assert first["trace_id"] == expected
    assert "trace_id" not in second


def test_a_routine_kafka_metadata_refresh_failure_is_a_warning_not_an_error():
    import logging

    from haat.structured_logging import RoutineKafkaNoise

    record = logging.LogRecord("kafka.cluster", logging.ERROR, __file__, 1, "Metadata refresh: failed %s", ("x",), None)
    assert RoutineKafkaNoise().filter(record)
    assert (record.levelno, record.levelname) == (logging.WARNING, "WARNING")
    other = logging.LogRecord("kafka.cluster", logging.ERROR, __file__, 1, "something else", (), None)
    RoutineKafkaNoise().filter(other)
    assert other.levelno == logging.ERROR
