from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.statement import Statement
from ...types import UNSET, Response, Unset


def _get_kwargs(
    tenant: str,
    period: str,
    *,
    format_: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["format"] = format_

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/billing/statements/{tenant}/{period}".format(
            tenant=quote(str(tenant), safe=""),
            period=quote(str(period), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | Statement | None:
    if response.status_code == 200:
        response_200 = Statement.from_dict(response.json())

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
) -> Response[ErrorBody | Statement]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    tenant: str,
    period: str,
    *,
    client: AuthenticatedClient,
    format_: str | Unset = UNSET,
) -> Response[ErrorBody | Statement]:
    """A tenant's monthly statement, a line per project, unit and app (computed while open, stored once
    closed); `format=csv` for CSV.

    Args:
        tenant (str):
        period (str):
        format_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Statement]
    """

    kwargs = _get_kwargs(
        tenant=tenant,
        period=period,
        format_=format_,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    tenant: str,
    period: str,
    *,
    client: AuthenticatedClient,
    format_: str | Unset = UNSET,
) -> ErrorBody | Statement | None:
    """A tenant's monthly statement, a line per project, unit and app (computed while open, stored once
    closed); `format=csv` for CSV.

    Args:
        tenant (str):
        period (str):
        format_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Statement
    """

    return sync_detailed(
        tenant=tenant,
        period=period,
        client=client,
        format_=format_,
    ).parsed


async def asyncio_detailed(
    tenant: str,
    period: str,
    *,
    client: AuthenticatedClient,
    format_: str | Unset = UNSET,
) -> Response[ErrorBody | Statement]:
    """A tenant's monthly statement, a line per project, unit and app (computed while open, stored once
    closed); `format=csv` for CSV.

    Args:
        tenant (str):
        period (str):
        format_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | Statement]
    """

    kwargs = _get_kwargs(
        tenant=tenant,
        period=period,
        format_=format_,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    tenant: str,
    period: str,
    *,
    client: AuthenticatedClient,
    format_: str | Unset = UNSET,
) -> ErrorBody | Statement | None:
    """A tenant's monthly statement, a line per project, unit and app (computed while open, stored once
    closed); `format=csv` for CSV.

    Args:
        tenant (str):
        period (str):
        format_ (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | Statement
    """

    return (
        await asyncio_detailed(
            tenant=tenant,
            period=period,
            client=client,
            format_=format_,
        )
    ).parsed
