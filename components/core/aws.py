"""Look-ups of where a component is being deployed: account, partition and region."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class AwsContext:
    """The account, partition and region a component's resources land in.

    Looked up through the component's own provider (`parent=`), so a component deployed into
    another account with an assumed-role provider sees that account, not the caller's.
    """

    account_id: pulumi.Output[str]
    partition: pulumi.Output[str]
    region: pulumi.Output[str]
    dns_suffix: pulumi.Output[str]

    @classmethod
    def of(cls, parent: pulumi.Resource) -> AwsContext:
        """Look up the context through `parent`'s AWS provider."""
        opts = pulumi.InvokeOptions(parent=parent)
        identity = aws.get_caller_identity_output(opts=opts)
        partition = aws.get_partition_output(opts=opts)
        region = aws.get_region_output(opts=opts)
        return cls(
            account_id=identity.account_id,
            partition=partition.partition,
            region=region.region,
            dns_suffix=partition.dns_suffix,
        )

    def arn(
        self, service: str, resource: pulumi.Input[str], *, regional: bool = True
    ) -> pulumi.Output[str]:
        """Build an ARN in this account, e.g. `arn("logs", "log-group:/mlops/*")`."""
        region: pulumi.Input[str] = self.region if regional else ""
        return pulumi.Output.concat(
            "arn:", self.partition, ":", service, ":", region, ":", self.account_id, ":", resource
        )

    @property
    def account_root(self) -> pulumi.Output[str]:
        """The ARN of the account principal, which key policies must always name."""
        return pulumi.Output.concat("arn:", self.partition, ":iam::", self.account_id, ":root")
