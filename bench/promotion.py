"""Wall time of one full promotion on moto, excluding configured waits.

Every wait of the run is configured to zero (bake interval, polls) and no retry fires, so the
figure is the workflow's own cost: the real definition on moto's Step Functions interpreter,
the real handlers in-process, DynamoDB, SSM, SNS, CodeBuild and CloudWatch from moto. It
includes moto parsing the definition at each start (pure-Python ANTLR, about 0.6 s).

    .venv/bin/python bench/promotion.py [runs]
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytest
from moto import mock_aws
from moto.awslambda_simple.models import LambdaSimpleBackend

from mlops_platform.lambdas.common import aws
from tests.lambdas.aws_fixtures import MOTO_CONFIG, create_tables, set_environment
from tests.workflows.fake_sagemaker import FakeSageMaker
from tests.workflows.harness import Router, World
from tests.workflows.test_promotion_paths import promotion


def measure(runs: int) -> list[float]:
    """Seconds of wall time of `runs` promotions, from each execution's start to its stop.

    The dates are the execution's own, so the polling (which competes with moto for the
    interpreter) neither adds to the figure nor rounds it.
    """
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
            world.create_packages(runs + 1)
            world.alarm()
            world.serve(1)
            _ = world.promotion_arn
            for run in range(runs):
                arn = world.start(world.promotion_arn, promotion(run + 2), f"bench-{run}")
                result = world.wait(arn, poll=0.25)
                if result.status != "SUCCEEDED":
                    raise SystemExit(
                        f"promotion {run}: {result.status} {result.error} {result.cause}"
                    )
                described = world.sfn.describe_execution(executionArn=arn)
                seconds.append((described["stopDate"] - described["startDate"]).total_seconds())
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
