"""Lambda UpdateFunctionConfiguration settings moto drops, and a reserved concurrency of 0.

AWS: UpdateFunctionConfiguration changes ``TracingConfig``, ``EphemeralStorage`` and
``KMSKeyArn`` (among others), and GetFunctionConfiguration/GetFunction report the new values.
GetFunction reports ``Concurrency.ReservedConcurrentExecutions`` whenever a reservation exists,
including 0 (a function that is switched off).

moto 5.2: ``update_configuration`` ignores those three keys, so switching tracing off (for
example) never takes effect and the AWS provider plans the change forever; GetFunction omits a
reservation of 0, so the provider reads "unreserved" and plans it again.

This extension applies the three keys on update and reports a 0 reservation.
"""

from __future__ import annotations

from typing import Any

from moto.awslambda import models

_INSTALLED_FLAG = "_sda_function_configuration_installed"


def _apply_dropped_keys(function: Any, config_updates: dict[str, Any]) -> None:
    if "TracingConfig" in config_updates:
        mode = (config_updates["TracingConfig"] or {}).get("Mode") or "PassThrough"
        function.tracing_config = {"Mode": mode}
    if "EphemeralStorage" in config_updates:
        function.ephemeral_storage = (config_updates["EphemeralStorage"] or {}).get("Size", 512)
    if "KMSKeyArn" in config_updates:
        function.kms_key_arn = config_updates["KMSKeyArn"] or None


def install() -> None:
    function_class: Any = models.LambdaFunction
    if getattr(function_class, _INSTALLED_FLAG, False):
        return
    original_update = function_class.update_configuration
    original_get_code = function_class.get_code

    def update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
        _apply_dropped_keys(self, config_updates)
        result: dict[str, Any] = original_update(self, config_updates)
        return result

    def get_code(self: Any) -> dict[str, Any]:
        response: dict[str, Any] = original_get_code(self)
        if self.reserved_concurrency is not None and "Concurrency" not in response:
            response["Concurrency"] = {
                "ReservedConcurrentExecutions": int(self.reserved_concurrency)
            }
        return response

    function_class.update_configuration = update_configuration
    function_class.get_code = get_code
    setattr(function_class, _INSTALLED_FLAG, True)
