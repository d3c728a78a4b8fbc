"""Qualys Cloud Agent activation keys of two subscriptions, declared from Python.

Not run by this repository's tests (no Python toolchain or Pulumi CLI here); the same lifecycle is
proven over gRPC by tests/plugin/. Set up (README, "Use from any language"):

    pulumi plugin install resource qualys 0.1.0 --file pulumi-resource-qualys-v0.1.0-linux-amd64.tar.gz
    pulumi package add qualys@0.1.0    # generates the Python SDK into sdks/qualys
    pulumi config set --secret euPassword
    pulumi config set --secret usPassword
    pulumi up
"""
import pulumi
import pulumi_qualys as qualys

config = pulumi.Config()

# One explicit provider per subscription: each gets its own client, rate limiter and read cache.
eu = qualys.Provider("eu", username="eu-api-user", password=config.require_secret("euPassword"), platform="EU1")
us = qualys.Provider("us", username="us-api-user", password=config.require_secret("usPassword"), platform="US2")

linux_eu = qualys.ActivationKey(
    "linux-eu",
    title="linux-servers-eu",
    type="COUNT_LIMITED",
    count_purchased=500,
    modules=["VM_LICENSE", "PC_LICENSE"],
    opts=pulumi.ResourceOptions(provider=eu),
)

linux_us = qualys.ActivationKey(
    "linux-us",
    title="linux-servers-us",
    modules=["VM_LICENSE"],
    opts=pulumi.ResourceOptions(provider=us),
)

# Take an existing key over without recreating it: the `import` option reads it by its Qualys id,
# and the declared properties must match it (pulumi preview says which do not).
legacy = qualys.ActivationKey(
    "legacy",
    title="legacy-windows",
    modules=["VM_LICENSE"],
    opts=pulumi.ResourceOptions(provider=eu, import_="3617002"),
)

# A data source: every disabled key of the EU subscription whose title starts with "linux-".
disabled = qualys.get_activation_keys_output(disabled=True, title_prefix="linux-", opts=pulumi.InvokeOptions(provider=eu))

pulumi.export("linuxEuActivationKey", linux_eu.activation_key)  # a secret
pulumi.export("disabledLinuxKeys", disabled.keys.apply(lambda keys: [k.title for k in keys]))
