"""Wall time of one full promotion on moto, excluding configured waits.

Every wait of the run is configured to zero (bake interval, polls) and no retry fires, so the
figure is the workflow's own cost: the real definition on moto's Step Functions interpreter,
the real handlers in-process, DynamoDB, SSM, SNS, CodeBuild and CloudWatch from moto.

    .venv/bin/python bench/promotion.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest
from moto import mock_aws
from moto.awslambda_simple.models import LambdaSimpleBackend

from lambdas.common import aws
from tests.lambdas.aws_fixtures import MOTO_CONFIG, create_tables, set_environment
from tests.workflows.fake_sagemaker import FakeSageMaker
from tests.workflows.harness import Router, World
from tests.workflows.test_promotion_paths import promotion


def measure(runs: int) -> list[float]:
    """Seconds of wall time of `runs` promotions, each from StartExecution to its end."""
    patch = pytest.MonkeyPatch()
    set_environment(patch)
    seconds = []
    with mock_aws(config=MOTO_CONFIG):
        create_tables()
        router, live = Router(), FakeSageMaker()
        real_client = aws.client
        patch.setattr(aws, "client", lambda s: live if s == "sagemaker" else real_client(s))
        invoke = lambda _b, name, _q, body, _h, headers: router.invoke(name, body, headers)  # noqa: E731
        with mock.patch.object(LambdaSimpleBackend, "invoke", invoke):
            world = World(router, live)
            world.alarm()
            world.serve(1)
            _ = world.promotion_arn
            for run in range(runs):
                started = time.perf_counter()
                result = world.promote(promotion(run + 2), name=f"bench-{run}")
                seconds.append(time.perf_counter() - started)
                if result.status != "SUCCEEDED":
                    raise SystemExit(
                        f"promotion {run} ended {result.status}: {result.error} {result.cause}"
                    )
    patch.undo()
    return seconds


def main() -> None:
    """Print the median and range over the runs."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    seconds = measure(runs)
    print(
        f"one full promotion on moto (waits excluded): median {statistics.median(seconds):.2f} s "
        f"over {runs} runs (min {min(seconds):.2f} s, max {max(seconds):.2f} s)"
    )


if __name__ == "__main__":
    main()
