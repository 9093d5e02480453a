"""A Pulumi project on disk: `Pulumi.yaml` and its `Pulumi.<stack>.yaml` stack files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mlops_platform.preview import stack_yaml

SERVING_LAYER = "serving"
"""The directory of a project's second program (its serving layer), when it has one: a Pulumi
project of its own whose `stackConfigDir` shares the first program's stack files."""
SECRET_PLACEHOLDER = "offline-secret-placeholder"
"""What a `secure:` value reads as offline, where its ciphertext cannot be decrypted. Letters and
dashes only, so it passes the format checks a real value must pass; the program sees the key
as secret, as under the engine."""


class ProjectError(Exception):
    """A project or stack file that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class StackConfigFile:
    """A stack's config as the engine hands it to a program: every value as text."""

    values: dict[str, str]
    """`namespace:key` to text; objects and lists as JSON, as `pulumi config` stores them."""
    secret_keys: tuple[str, ...]
    """Keys whose value is (or holds) a `secure:` value."""


@dataclass(frozen=True)
class PulumiProject:
    """What `Pulumi.yaml` says about a project, and where its files are."""

    directory: Path
    name: str
    program: Path
    """The directory or file the engine runs (`main`, or the project directory)."""
    defaults: dict[str, Any]
    """Project-level config values from `Pulumi.yaml`, overridden by stack files."""
    config_dir: Path | None = None
    """Where the stack files are (`stackConfigDir`); None: the project directory."""

    @property
    def stack_dir(self) -> Path:
        """The directory of the `Pulumi.<stack>.yaml` files."""
        return self.config_dir or self.directory

    def serving_layer(self) -> PulumiProject | None:
        """The project's second program (`serving/Pulumi.yaml`), or None when it has none."""
        if not (self.directory / SERVING_LAYER / "Pulumi.yaml").is_file():
            return None
        return PulumiProject.load(self.directory / SERVING_LAYER)

    @classmethod
    def load(cls, directory: Path) -> PulumiProject:
        """Read `directory/Pulumi.yaml`; raise `ProjectError` when it is missing or unusable."""
        document = _read_yaml(directory / "Pulumi.yaml")
        name = document.get("name")
        if not isinstance(name, str) or not name:
            raise ProjectError(f"{directory / 'Pulumi.yaml'}: `name` must be a non-empty string")
        runtime = document.get("runtime")
        runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
        if runtime_name != "python":
            raise ProjectError(
                f"{directory / 'Pulumi.yaml'}: runtime is {runtime_name!r}; only python programs "
                "can be previewed"
            )
        program = directory / str(document.get("main", "."))
        if not program.exists():
            raise ProjectError(f"{directory / 'Pulumi.yaml'}: main {program} does not exist")
        defaults = document.get("config") or {}
        if not isinstance(defaults, dict):
            raise ProjectError(f"{directory / 'Pulumi.yaml'}: `config` must be a mapping")
        config_dir = document.get("stackConfigDir")
        return cls(
            directory,
            name,
            program,
            defaults,
            (directory / str(config_dir)).resolve() if config_dir else None,
        )

    def stacks(self) -> list[str]:
        """Names of the stacks that have a stack file, sorted."""
        prefix, suffix = "Pulumi.", ".yaml"
        return sorted(
            path.name[len(prefix) : -len(suffix)] for path in self.stack_dir.glob("Pulumi.*.yaml")
        )

    def stack_config(self, stack: str) -> StackConfigFile:
        """The config of `stack`: project defaults overridden by its stack file."""
        if stack not in self.stacks():
            known = ", ".join(self.stacks()) or "none"
            raise ProjectError(f"unknown stack {stack!r}; stacks with a stack file: {known}")
        path = self.stack_dir / f"Pulumi.{stack}.yaml"
        config = _read_yaml(path).get("config") or {}
        if not isinstance(config, dict):
            raise ProjectError(f"{path}: `config` must be a mapping of keys to values")
        merged = {**_project_values(self.defaults), **config}
        values: dict[str, str] = {}
        secrets = []
        for key, value in merged.items():
            full_key = key if ":" in key else f"{self.name}:{key}"
            try:
                text, secret = config_text(value)
            except TypeError:
                raise ProjectError(f"{path}: {key} holds a value YAML cannot pass on") from None
            values[full_key] = text
            if secret:
                secrets.append(full_key)
        return StackConfigFile(values, tuple(sorted(secrets)))


def config_text(value: Any) -> tuple[str, bool]:
    """Turn one stack-file value into the engine's text form, and say whether it is secret."""
    scrubbed, secret = _scrub_secure(value)
    if isinstance(scrubbed, str):
        return scrubbed, secret
    return json.dumps(scrubbed), secret


def _scrub_secure(value: Any) -> tuple[Any, bool]:
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET_PLACEHOLDER, True
        pairs = {key: _scrub_secure(item) for key, item in value.items()}
        return {key: item for key, (item, _) in pairs.items()}, any(s for _, s in pairs.values())
    if isinstance(value, list):
        items = [_scrub_secure(item) for item in value]
        return [item for item, _ in items], any(s for _, s in items)
    return value, False


def _project_values(defaults: dict[str, Any]) -> dict[str, Any]:
    """Values from a `Pulumi.yaml` config block: plain values, or `value:`/`default:` entries."""
    values = {}
    for key, entry in defaults.items():
        if isinstance(entry, dict) and ("value" in entry or "default" in entry):
            values[key] = entry.get("value", entry.get("default"))
        elif not isinstance(entry, dict):
            values[key] = entry
    return values


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProjectError(f"{path}: no such file") from None
    except OSError as error:
        raise ProjectError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        document = stack_yaml.load(text)
    except stack_yaml.StackFileError as error:
        raise ProjectError("\n".join(f"{path}: {problem}" for problem in error.problems)) from None
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        raise ProjectError(
            f"{path}: not valid YAML{line}: {getattr(error, 'problem', error)}"
        ) from None
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ProjectError(
            f"{path}: expected a mapping at the top, found {type(document).__name__}"
        )
    return document


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


def _load_yaml(text: str) -> Any:
    """`yaml.safe_load`, with libyaml's parser where PyYAML has it (several times faster).

    A document it refuses is parsed again by PyYAML's own parser, so that the problem is
    described in the same words whichever parser is installed.
    """
    if _FAST_LOADER is not None:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)
