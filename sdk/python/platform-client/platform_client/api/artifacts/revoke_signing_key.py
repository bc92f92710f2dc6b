from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.trusted_key import TrustedKey
from ...types import Response


def _get_kwargs(
    project: str,
    key: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/projects/{project}/signingkeys/{key}/revoke".format(
            project=quote(str(project), safe=""),
            key=quote(str(key), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | TrustedKey | None:
    if response.status_code == 200:
        response_200 = TrustedKey.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 503:
        response_503 = ErrorBody.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | TrustedKey]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project: str,
    key: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorBody | TrustedKey]:
    """Revoke a signing key: nothing it signed counts any more.

    Args:
        project (str):
        key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TrustedKey]
    """

    kwargs = _get_kwargs(
        project=project,
        key=key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project: str,
    key: str,
    *,
    client: AuthenticatedClient,
) -> ErrorBody | TrustedKey | None:
    """Revoke a signing key: nothing it signed counts any more.

    Args:
        project (str):
        key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TrustedKey
    """

    return sync_detailed(
        project=project,
        key=key,
        client=client,
    ).parsed


async def asyncio_detailed(
    project: str,
    key: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorBody | TrustedKey]:
    """Revoke a signing key: nothing it signed counts any more.

    Args:
        project (str):
        key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TrustedKey]
    """

    kwargs = _get_kwargs(
        project=project,
        key=key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project: str,
    key: str,
    *,
    client: AuthenticatedClient,
) -> ErrorBody | TrustedKey | None:
    """Revoke a signing key: nothing it signed counts any more.

    Args:
        project (str):
        key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TrustedKey
    """

    return (
        await asyncio_detailed(
            project=project,
            key=key,
            client=client,
        )
    ).parsed
