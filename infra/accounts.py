"""Where a stack deploys: the caller's credentials, or a role assumed in the stack's account."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from infra.config import StackConfig


def deployment_options(config: StackConfig) -> pulumi.ResourceOptions:
    """Options every component of the stack takes: its AWS provider, when the stack names one.

    With `mlops:account` set, an explicit provider assumes the named role and refuses to touch
    any other account (`allowed_account_ids`), so a mix-up of credentials cannot deploy prod into
    dev. Without it, the default provider and the caller's credentials are used.
    """
    if config.account is None:
        return pulumi.ResourceOptions()
    account = config.account
    provider = aws.Provider(
        f"{config.environment}-account",
        region=config.region,
        allowed_account_ids=[account.account_id],
        assume_roles=[
            aws.ProviderAssumeRoleArgs(
                role_arn=account.role_arn,
                session_name=account.session_name,
                # Kept secret in the state and in plans, whether or not the stack file encrypts it.
                external_id=(
                    pulumi.Output.secret(account.external_id) if account.external_id else None
                ),
            )
        ],
    )
    return pulumi.ResourceOptions(providers={"aws": provider})
