from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.launch_request_params_type_0 import LaunchRequestParamsType0


T = TypeVar("T", bound="LaunchRequest")


@_attrs_define
class LaunchRequest:
    """
    Attributes:
        app (str):
        adapter (None | str | Unset):
        environment (None | str | Unset):
        gpus (None | str | Unset):
        params (LaunchRequestParamsType0 | None | Unset):
        version (None | str | Unset):
    """

    app: str
    adapter: None | str | Unset = UNSET
    environment: None | str | Unset = UNSET
    gpus: None | str | Unset = UNSET
    params: LaunchRequestParamsType0 | None | Unset = UNSET
    version: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.launch_request_params_type_0 import LaunchRequestParamsType0  # noqa: PLC0415

        app = self.app

        adapter: None | str | Unset
        if isinstance(self.adapter, Unset):
            adapter = UNSET
        else:
            adapter = self.adapter

        environment: None | str | Unset
        if isinstance(self.environment, Unset):
            environment = UNSET
        else:
            environment = self.environment

        gpus: None | str | Unset
        if isinstance(self.gpus, Unset):
            gpus = UNSET
        else:
            gpus = self.gpus

        params: dict[str, Any] | None | Unset
        if isinstance(self.params, Unset):
            params = UNSET
        elif isinstance(self.params, LaunchRequestParamsType0):
            params = self.params.to_dict()
        else:
            params = self.params

        version: None | str | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "app": app,
            }
        )
        if adapter is not UNSET:
            field_dict["adapter"] = adapter
        if environment is not UNSET:
            field_dict["environment"] = environment
        if gpus is not UNSET:
            field_dict["gpus"] = gpus
        if params is not UNSET:
            field_dict["params"] = params
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.launch_request_params_type_0 import LaunchRequestParamsType0  # noqa: PLC0415

        d = dict(src_dict)
        app = d.pop("app")

        def _parse_adapter(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        adapter = _parse_adapter(d.pop("adapter", UNSET))

        def _parse_environment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        environment = _parse_environment(d.pop("environment", UNSET))

        def _parse_gpus(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        gpus = _parse_gpus(d.pop("gpus", UNSET))

        def _parse_params(data: object) -> LaunchRequestParamsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                params_type_0 = LaunchRequestParamsType0.from_dict(data)

                return params_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LaunchRequestParamsType0 | None | Unset, data)

        params = _parse_params(d.pop("params", UNSET))

        def _parse_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        launch_request = cls(
            app=app,
            adapter=adapter,
            environment=environment,
            gpus=gpus,
            params=params,
            version=version,
        )

        launch_request.additional_properties = d
        return launch_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
