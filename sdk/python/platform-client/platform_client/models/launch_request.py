from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.launch_request_params import LaunchRequestParams


T = TypeVar("T", bound="LaunchRequest")


@_attrs_define
class LaunchRequest:
    """
    Attributes:
        app (str):
        adapter (str | Unset):
        environment (str | Unset):
        gpus (str | Unset):
        params (LaunchRequestParams | Unset):
        version (str | Unset):
    """

    app: str
    adapter: str | Unset = UNSET
    environment: str | Unset = UNSET
    gpus: str | Unset = UNSET
    params: LaunchRequestParams | Unset = UNSET
    version: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        app = self.app

        adapter = self.adapter

        environment = self.environment

        gpus = self.gpus

        params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.params, Unset):
            params = self.params.to_dict()

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
        from ..models.launch_request_params import LaunchRequestParams  # noqa: PLC0415

        d = dict(src_dict)
        app = d.pop("app")

        adapter = d.pop("adapter", UNSET)

        environment = d.pop("environment", UNSET)

        gpus = d.pop("gpus", UNSET)

        _params = d.pop("params", UNSET)
        params: LaunchRequestParams | Unset
        if isinstance(_params, Unset):
            params = UNSET
        else:
            params = LaunchRequestParams.from_dict(_params)

        version = d.pop("version", UNSET)

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
