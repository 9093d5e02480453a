"""`GithubOidc`: GitHub Actions' OIDC provider and the roles its workflows may assume."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.children import Children, register_outputs
from mlops_platform.components.delivery import access_spec
from mlops_platform.components.delivery.args import GithubOidcArgs

TYPE = "mlops:delivery:GithubOidc"
READ_ONLY_POLICY = "ReadOnlyAccess"
"""The AWS managed policy of the pull-request role: `pulumi preview` reads, never writes."""


def _trust(build: Any, provider: pulumi.Input[str], *rest: str) -> pulumi.Output[str]:
    return pulumi.Output.from_input(provider).apply(
        lambda arn: json.dumps(build(arn, *rest), sort_keys=True)
    )


class GithubOidc(pulumi.ComponentResource):
    """One role per GitHub environment, trusted for exactly that repository and environment.

    Each trust requires `aud = sts.amazonaws.com` and `sub = repo:OWNER/NAME:environment:ENV`
    with `StringEquals` (no wildcard); the pull-request role's is `repo:OWNER/NAME:pull_request`.
    """

    provider_arn: pulumi.Output[str]
    """The account's GitHub OIDC provider (created here, or the one given)."""
    role_arns: pulumi.Output[dict[str, str]]
    """Each environment's role (the GitHub environment variable `AWS_DEPLOY_ROLE_ARN`)."""
    pull_request_role_arn: pulumi.Output[str] | None
    """The read-only role for pull requests; None when switched off."""

    def __init__(
        self, name: str, args: GithubOidcArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        """Create the provider (unless given) and the roles; `opts` reach every child."""
        super().__init__(TYPE, name, None, opts)
        children = Children(name, self, args.tags, protect_data=False)
        provider = args.provider_arn
        if provider is None:
            provider = aws.iam.OpenIdConnectProvider(
                children.name("provider"),
                url=f"https://{access_spec.GITHUB_OIDC_HOST}",
                client_id_lists=[access_spec.STS_AUDIENCE],
                tags=children.tagged("provider"),
                opts=children.opts(),
            ).arn
        roles = {}
        for env in args.environments:
            role = aws.iam.Role(
                children.name(env),
                description=f"GitHub Actions of {args.repository}, environment {env}",
                assume_role_policy=_trust(
                    access_spec.github_environment_trust, provider, args.repository, env
                ),
                max_session_duration=3600,
                tags=children.tagged(env),
                opts=children.opts(),
            )
            aws.iam.RolePolicy(
                children.name(f"{env}-deploy"),
                role=role.id,
                policy=_iam.to_json(
                    _iam.document(
                        {
                            "Sid": "AssumeStackRole",
                            "Effect": "Allow",
                            "Action": "sts:AssumeRole",
                            "Resource": args.assumable_role_arns,
                        }
                    )
                ),
                opts=children.opts(),
            )
            roles[env] = role.arn
        self.pull_request_role_arn = None
        if args.pull_request_role:
            self.pull_request_role_arn = self._pull_request_role(children, args, provider)
        self.provider_arn = pulumi.Output.from_input(provider)
        self.role_arns = pulumi.Output.all(**roles)
        register_outputs(self, OUTPUTS)

    def _pull_request_role(
        self, children: Children, args: GithubOidcArgs, provider: pulumi.Input[str]
    ) -> pulumi.Output[str]:
        role = aws.iam.Role(
            children.name("pull-request"),
            description=f"Read-only: pull requests of {args.repository} (preview, policy check)",
            assume_role_policy=_trust(
                access_spec.github_pull_request_trust, provider, args.repository
            ),
            max_session_duration=3600,
            tags=children.tagged("pull-request"),
            opts=children.opts(),
        )
        partition = aws.get_partition_output(opts=pulumi.InvokeOptions(parent=self)).partition
        aws.iam.RolePolicyAttachment(
            children.name("pull-request-read-only"),
            role=role.name,
            policy_arn=pulumi.Output.concat(
                "arn:", partition, f":iam::aws:policy/{READ_ONLY_POLICY}"
            ),
            opts=children.opts(),
        )
        return role.arn


OUTPUTS = ("provider_arn", "role_arns", "pull_request_role_arn")
"""The outputs every GithubOidc registers."""
