"""One model served on a GPU cluster, rolled out as a canary that rolls back by itself."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from mlops_platform.components.core import iam as _iam
from mlops_platform.components.core.aws import AwsContext
from mlops_platform.components.core.children import Children, register_outputs
from mlops_platform.components.core.errors import raise_if_any
from mlops_platform.components.eks import _irsa
from mlops_platform.components.eks.cluster.access import ClusterAccess
from mlops_platform.components.eks.names import check_service_names
from mlops_platform.components.eks.service import manifests as _manifests
from mlops_platform.components.eks.service._objects import (
    create_object,
    depends_on_of,
    read_model_policy,
)
from mlops_platform.components.eks.service.args import ModelServiceArgs
from mlops_platform.components.eks.service.readers import (
    rollout_reader_binding,
    rollout_reader_role,
)

OUTPUTS = (
    "namespace",
    "role_arn",
    "service_url",
    "rollout_name",
)
"""The outputs every instance registers, by attribute name."""


class ModelService(pulumi.ComponentResource):
    """A model served on a GPU cluster behind a Service, autoscaled, rolled out as a canary.

    Pods run as a non-root user on a read-only root filesystem with every capability dropped,
    in a namespace that enforces the `restricted` Pod Security Standard; their only AWS right is
    reading the model's S3 prefix. Each new version takes traffic in the configured steps and
    is measured by Prometheus queries; a failed analysis aborts the rollout, and Argo Rollouts
    puts the previous version back. The group `mlops:rollout-readers` may `get` its Rollout
    (`readers.py`): the promotion verifier's EKS access entry names that group.
    """

    namespace: pulumi.Output[str]
    """The service's namespace."""
    role_arn: pulumi.Output[str]
    """The IAM role the pods assume."""
    service_url: pulumi.Output[str]
    """The in-cluster URL of the service."""
    rollout_name: pulumi.Output[str]
    """The Rollout to watch or promote with `kubectl argo rollouts`."""

    def __init__(
        self,
        name: str,
        args: ModelServiceArgs,
        cluster: ClusterAccess,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Create the service on `cluster` (`GpuCluster.access()`); `opts` reach every child."""
        raise_if_any("ModelService", check_service_names(name, args.service_name))
        opts = pulumi.ResourceOptions.merge(opts, cluster.options())
        super().__init__("mlops:eks:ModelService", name, None, opts)
        children = Children(name, self, args.tags, protect_data=False)
        context = AwsContext.of(self)
        role = _irsa.service_account_role(
            children,
            "role",
            provider_arn=cluster.oidc_provider_arn,
            issuer_url=cluster.oidc_issuer_url,
            namespace=args.service_name,
            account=args.service_name,
        )
        aws.iam.RolePolicy(
            children.name("read-model"),
            role=role.name,
            policy=_iam.to_json(read_model_policy(args, context)),
            opts=children.opts(),
        )
        # Children do not inherit a component's depends_on: the cluster software (CRDs,
        # controllers) must exist before the first object, so pass it on explicitly.
        space = create_object(
            children, "namespace", _manifests.namespace(args), depends_on_of(opts)
        )
        account = create_object(
            children, "service-account", _manifests.service_account(args, role.arn), [space]
        )
        analysis = create_object(children, "analysis", _manifests.analysis_template(args), [space])
        rollout = create_object(children, "rollout", _manifests.rollout(args), [account, analysis])
        create_object(children, "service", _manifests.service(args), [space])
        create_object(children, "hpa", _manifests.horizontal_pod_autoscaler(args), [rollout])
        create_object(children, "pdb", _manifests.pod_disruption_budget(args), [space])
        reader = create_object(children, "rollout-reader", rollout_reader_role(args), [space])
        create_object(children, "rollout-readers", rollout_reader_binding(args), [reader])
        name_ = args.service_name
        self.namespace = pulumi.Output.from_input(name_)
        self.role_arn = role.arn
        self.service_url = pulumi.Output.from_input(f"http://{name_}.{name_}.svc.cluster.local")
        self.rollout_name = pulumi.Output.from_input(name_)
        register_outputs(self, OUTPUTS)
