"""`mlops drill`: the release scenarios end to end on a moto server on 127.0.0.1.

The server runs in this process (moto's ThreadedMotoServer on a free port, stopped at the end)
so that its Lambda backend can run the real handlers; everything else talks to it over HTTP
with boto3, as `mlops release` talks to AWS. Nothing leaves loopback.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import os
import re
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO
from unittest import mock

from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.core.config import default_user_config
from moto.server import ThreadedMotoServer
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor

from mlops_platform.lambdas.common import aws

from . import cli
from ._drill_world import REGION, TARGET, Router, World
from .clients import Clients

ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "drill",
    "AWS_SECRET_ACCESS_KEY": "drill",
    "AWS_SESSION_TOKEN": "drill",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
}
_TOKEN = re.compile(r"Task token: (\S+)$")


_TREES: dict[str, Any] = {}
_PARSE = AmazonStateLanguageParser.parse


def _parse_once(definition: str) -> tuple[Any, Any]:
    """Parse each definition once.

    moto parses a definition with a pure-Python parser at every start (about 0.6 s): keep the
    syntax tree per definition, build fresh evaluation components each time.
    """
    if definition not in _TREES:
        _TREES[definition] = _PARSE(definition)[1]
    tree = _TREES[definition]
    return Preprocessor().visit(tree), tree


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on 127.0.0.1 and a free port, executing state machines; yields its URL."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("moto").setLevel(logging.CRITICAL)
    saved = copy.deepcopy(default_user_config)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        url = f"http://127.0.0.1:{server.get_host_and_port()[1]}"
        # moto's backends are process-wide: a server started after another starts empty.
        reset = urllib.request.Request(f"{url}/moto-api/reset", data=b"", method="POST")
        urllib.request.urlopen(reset, timeout=5).close()
        config = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
        request = urllib.request.Request(
            f"{url}/moto-api/config", data=json.dumps(config).encode(), method="POST"
        )
        urllib.request.urlopen(request, timeout=5).close()
        yield url
    finally:
        server.stop()
        # The server shares moto's process-wide settings: leave them as they were.
        for key, value in saved.items():
            default_user_config[key] = value  # type: ignore[literal-required]


@contextmanager
def environment(url: str) -> Iterator[None]:
    """Fake credentials and every client (the handlers' too) pointed at the server."""
    port = url.rsplit(":", 1)[1]
    values = {**ENVIRONMENT, "AWS_ENDPOINT_URL": url, "MOTO_PORT": port}
    with mock.patch.dict(os.environ, values):
        os.environ.pop("AWS_PROFILE", None)
        aws.reset()
        try:
            yield
        finally:
            aws.reset()


class Timeline:
    """Prints each line with the seconds since the drill started."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.start = out, time.monotonic()

    def say(self, text: str) -> None:
        """One or more lines on the timeline."""
        stamp = f"[{time.monotonic() - self.start:5.1f}s]"
        for line in text.rstrip("\n").splitlines():
            print(f"{stamp} {line}", file=self.out, flush=True)

    def write(self, text: str) -> int:
        """File protocol, so the commands can print to the timeline."""
        if text.strip():
            self.say(text)
        return len(text)

    def flush(self) -> None:
        """File protocol."""
        self.out.flush()


class Approver:
    """Answers approval requests on a stack's topic while `enabled`, as a person would."""

    def __init__(self, world: World, timeline: Timeline) -> None:
        self.world, self.timeline = world, timeline
        self.enabled = threading.Event()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        sqs = self.world.clients.client("sqs")
        sfn = self.world.clients.client("stepfunctions")
        while not self.stopped.wait(0.25):
            if not self.enabled.is_set():
                continue
            for env, queue in self.world.queues.items():
                messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)
                for message in messages.get("Messages", []):
                    sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
                    found = _TOKEN.search(message["Body"])
                    if found:
                        self.timeline.say(f"  approver: approving in {env}")
                        sfn.send_task_success(
                            taskToken=found.group(1),
                            output=json.dumps({"approved": True, "approver": "rm@drill"}),
                        )


class Drill:
    """The scenarios, each returning the problems found (empty: as expected)."""

    def __init__(self, url: str, timeline: Timeline) -> None:
        self.url, self.timeline = url, timeline
        self.clients = Clients(region=REGION, endpoint_url=url)
        self.world = World(self.clients)
        self.router = Router(self.world)
        self.approver = Approver(self.world, timeline)
        parser = argparse.ArgumentParser(prog="mlops")
        cli.add_commands(parser.add_subparsers())
        self.parser = parser

    def release(self, *argv: str) -> int:
        """Run `mlops release ARGV` against the server; prints on the timeline."""
        args = [*argv, "--endpoint-url", self.url, "--region", REGION]
        self.timeline.say("$ mlops release " + " ".join(argv))
        parsed = self.parser.parse_args(["release", *args])
        code = cli.run(parsed, self.timeline, self.clients)  # type: ignore[arg-type]
        self.timeline.say(f"  exit {code}")
        return code

    def promote(self, env: str, version: int, *extra: str) -> int:
        """`mlops release promote` of `version` with the drill's short waits."""
        return self.release(
            "promote", "--stack", env, "--target", TARGET, "--package", str(version),
            "--actor", "ci@drill", "--bake-interval", "0", "--bake-checks", "2",
            "--poll-seconds", "0", "--max-polls", "5", "--poll", "0.2", *extra,
        )  # fmt: skip

    def ledger(self, env: str) -> list[dict[str, Any]]:
        """The target's entries in `env`, oldest first."""
        items: list[dict[str, Any]] = self.world.clients.table(f"mlops-{env}-ledger").query(
            KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": f"{env}#{TARGET}"}
        )["Items"]
        return items

    def released(self, env: str) -> int:
        """Version of the release record."""
        value = self.clients.client("ssm").get_parameter(Name=f"/mlops/{env}/release/{TARGET}")
        return int(json.loads(value["Parameter"]["Value"])["version"])

    def expect(self, name: str, checks: list[tuple[bool, str]]) -> list[str]:
        """Report a scenario; returns its failed checks."""
        failed = [text for ok, text in checks if not ok]
        self.timeline.say(f"== {name}: {'as expected' if not failed else 'NOT as expected'}")
        for text in failed:
            self.timeline.say(f"   expected: {text}")
        return [f"{name}: {text}" for text in failed]


def run_scenarios(drill: Drill) -> list[str]:
    """Provision, then run every scenario; returns what did not end as expected."""
    from ._drill_scenarios import SCENARIOS  # noqa: PLC0415 - keeps this module short.

    world = drill.world
    role = world.role()
    world.packages(5)
    for env in ("staging", "prod"):
        world.stack(env, role)
    drill.timeline.say("provisioned staging and prod: tables, functions, topic, alarm, workflow")
    problems: list[str] = []
    for scenario in SCENARIOS:
        problems += scenario(drill)
    return problems


@contextmanager
def routed(drill: Drill) -> Iterator[None]:
    """Route the server's work to this process.

    moto's Lambda invocations run the real handlers (see `Router`), the handlers' SageMaker
    calls reach the simulated endpoints, and each definition is parsed once.
    """
    invoke: Callable[..., bytes] = lambda _b, name, _q, body, _h, headers: (  # noqa: E731
        drill.router.invoke(name, body, headers)
    )
    real_client = aws.client
    with (
        mock.patch.object(LambdaSimpleBackend, "invoke", invoke),
        mock.patch.object(AmazonStateLanguageParser, "parse", staticmethod(_parse_once)),
        mock.patch.object(
            aws, "client", lambda s: drill.world.live if s == "sagemaker" else real_client(s)
        ),
    ):
        yield


def _overrun(timeline: Timeline, timeout: float) -> None:
    timeline.say(f"drill: FAILED, still running after {timeout:.0f} s")
    os._exit(1)


def main(timeout: float = 55.0, out: TextIO | None = None) -> int:
    """Run the drill; 0 when every scenario ended as expected."""
    timeline = Timeline(out or sys.stdout)
    with moto_server() as url, environment(url):
        timeline.say(f"moto server on {url}")
        drill = Drill(url, timeline)
        with routed(drill):
            drill.approver.thread.start()
            deadline = threading.Timer(timeout, _overrun, (timeline, timeout))
            deadline.start()
            try:
                problems = run_scenarios(drill)
            finally:
                deadline.cancel()
                drill.approver.stopped.set()
    for problem in problems:
        timeline.say(f"FAILED {problem}")
    timeline.say("drill: all scenarios as expected" if not problems else "drill: FAILED")
    return 0 if not problems else 1
