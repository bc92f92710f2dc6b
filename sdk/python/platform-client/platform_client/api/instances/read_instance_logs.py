from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.instance_log_chunk import InstanceLogChunk
from ...types import UNSET, Response, Unset


def _get_kwargs(
    project: str,
    instance: str,
    *,
    offset: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/projects/{project}/instances/{instance}/logs".format(
            project=quote(str(project), safe=""),
            instance=quote(str(instance), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | InstanceLogChunk | None:
    if response.status_code == 200:
        response_200 = InstanceLogChunk.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | InstanceLogChunk]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project: str,
    instance: str,
    *,
    client: AuthenticatedClient,
    offset: int | Unset = UNSET,
) -> Response[ErrorBody | InstanceLogChunk]:
    """Log output from `offset`, with the next offset.

    Args:
        project (str):
        instance (str):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | InstanceLogChunk]
    """

    kwargs = _get_kwargs(
        project=project,
        instance=instance,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project: str,
    instance: str,
    *,
    client: AuthenticatedClient,
    offset: int | Unset = UNSET,
) -> ErrorBody | InstanceLogChunk | None:
    """Log output from `offset`, with the next offset.

    Args:
        project (str):
        instance (str):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | InstanceLogChunk
    """

    return sync_detailed(
        project=project,
        instance=instance,
        client=client,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    project: str,
    instance: str,
    *,
    client: AuthenticatedClient,
    offset: int | Unset = UNSET,
) -> Response[ErrorBody | InstanceLogChunk]:
    """Log output from `offset`, with the next offset.

    Args:
        project (str):
        instance (str):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | InstanceLogChunk]
    """

    kwargs = _get_kwargs(
        project=project,
        instance=instance,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project: str,
    instance: str,
    *,
    client: AuthenticatedClient,
    offset: int | Unset = UNSET,
) -> ErrorBody | InstanceLogChunk | None:
    """Log output from `offset`, with the next offset.

    Args:
        project (str):
        instance (str):
        offset (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | InstanceLogChunk
    """

    return (
        await asyncio_detailed(
            project=project,
            instance=instance,
            client=client,
            offset=offset,
        )
    ).parsed
