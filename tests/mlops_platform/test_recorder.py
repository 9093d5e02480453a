"""The recording mock runtime: what it records, how it names, and where it refuses."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest

from mlops_platform.testing import DeterministicMocks, UnknownInvokeError
from tests.conftest import RunProgram


class Outer(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("test:index:Outer", name, None, opts)
        Inner(f"{name}-inner", pulumi.ResourceOptions(parent=self))
        self.register_outputs({"answer": 42})


class Inner(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("test:index:Inner", name, None, opts)
        aws.s3.Bucket(f"{name}-bucket", opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


def test_urns_carry_the_whole_parent_type_chain_but_not_the_stack(run: RunProgram) -> None:
    registry = run(lambda: Outer("outer"), stack="qa")
    urns = {r.name: r.urn for r in registry}
    prefix = "urn:pulumi:qa::mlops-platform::"
    assert urns == {
        "mlops-platform-qa": f"{prefix}pulumi:pulumi:Stack::mlops-platform-qa",
        "outer": f"{prefix}test:index:Outer::outer",
        "outer-inner": f"{prefix}test:index:Outer$test:index:Inner::outer-inner",
        "outer-inner-bucket": (
            f"{prefix}test:index:Outer$test:index:Inner$aws:s3/bucket:Bucket::outer-inner-bucket"
        ),
    }
    bucket = registry.one("aws:s3/bucket:Bucket")
    assert bucket.parent == urns["outer-inner"]
    assert registry.outputs(registry.one("test:index:Outer")) == {"answer": 42}


def test_options_dependencies_and_property_dependencies_come_from_the_request(
    run: RunProgram,
) -> None:
    def program() -> None:
        key = aws.kms.Key("key")
        other = aws.s3.Bucket("other")
        aws.s3.Bucket(
            "logs",
            tags={"KeyArn": key.arn},
            opts=pulumi.ResourceOptions(
                protect=True, retain_on_delete=True, ignore_changes=["tags"], depends_on=[other]
            ),
        )

    registry = run(program)
    key, other = registry.one("aws:kms/key:Key"), registry.one("aws:s3/bucket:Bucket", "other")
    logs = registry.one("aws:s3/bucket:Bucket", "logs")
    assert (logs.protect, logs.retain_on_delete, logs.ignore_changes) == (True, True, ("tags",))
    assert set(logs.dependencies) == {key.urn, other.urn}
    assert logs.property_dependencies == {"tags": (key.urn,)}
    assert logs.inputs["tags"] == {"KeyArn": key.state["arn"]}
    assert (other.protect, other.retain_on_delete, other.ignore_changes) == (False, False, ())


def test_secrets_are_recorded_as_a_marker_not_their_value(run: RunProgram) -> None:
    registry = run(lambda: aws.s3.Bucket("b", tags={"Token": pulumi.Output.secret("hunter2")}))
    assert registry.one("aws:s3/bucket:Bucket").inputs["tags"] == {"Token": "[secret]"}


def test_an_unknown_invoke_fails_loudly_naming_it(run: RunProgram) -> None:
    with pytest.raises(
        UnknownInvokeError, match="no mock answers the invoke aws:ec2/getAmi:getAmi"
    ):
        run(lambda: aws.ec2.get_ami(most_recent=True, owners=["amazon"]))


def test_each_run_starts_from_a_fresh_runtime(run: RunProgram) -> None:
    first = run(lambda: aws.s3.Bucket("first"), stack="one")
    second = run(lambda: aws.s3.Bucket("second"), stack="two")
    assert [r.name for r in first.all("aws:s3/bucket:Bucket")] == ["first"]
    assert [r.name for r in second.all("aws:s3/bucket:Bucket")] == ["second"]
    assert all(r.urn.startswith("urn:pulumi:two::") for r in second)


def test_computed_values_are_stable_across_runs(run: RunProgram) -> None:
    def program() -> None:
        aws.s3.Bucket("b")
        aws.kms.Key("k")

    first, second = run(program), run(program)
    assert [(r.id, r.state) for r in first] == [(r.id, r.state) for r in second]
    bucket = first.one("aws:s3/bucket:Bucket")
    assert bucket.state["arn"] == f"arn:aws:s3:::{bucket.state['name']}"


def test_lookups_answer_for_the_providers_account_and_region(run: RunProgram) -> None:
    def program() -> None:
        provider = aws.Provider("p", region="eu-west-1", allowed_account_ids=["210987654321"])
        opts = pulumi.InvokeOptions(provider=provider)
        identity = aws.get_caller_identity_output(opts=opts)
        region = aws.get_region_output(opts=opts)
        zones = aws.get_availability_zones(opts=opts)
        aws.s3.Bucket(
            "b",
            tags={
                "Account": identity.account_id,
                "Region": region.region,
                "Zones": ",".join(zones.names),
            },
            opts=pulumi.ResourceOptions(provider=provider),
        )

    registry = run(program, mocks=DeterministicMocks(region="us-east-1"))
    assert registry.one("aws:s3/bucket:Bucket").inputs["tags"] == {
        "Account": "210987654321",
        "Region": "eu-west-1",
        "Zones": "eu-west-1a,eu-west-1b,eu-west-1c",
    }


def test_two_registrations_with_one_urn_are_refused_as_the_engine_would(run: RunProgram) -> None:
    def program() -> None:
        aws.s3.Bucket("data")
        aws.s3.Bucket("data")

    urn = "urn:pulumi:test::mlops-platform::aws:s3/bucket:Bucket::data"
    with pytest.raises(Exception, match=f"two resources registered with one URN: {urn}"):
        run(program)
