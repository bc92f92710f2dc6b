from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.usage_summary import UsageSummary
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    project: str | Unset = UNSET,
    tenant: str | Unset = UNSET,
    since: str | Unset = UNSET,
    group_by: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["project"] = project

    params["tenant"] = tenant

    params["since"] = since

    params["groupBy"] = group_by

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/usage/summary",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | UsageSummary | None:
    if response.status_code == 200:
        response_200 = UsageSummary.from_dict(response.json())

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
) -> Response[ErrorBody | UsageSummary]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    project: str | Unset = UNSET,
    tenant: str | Unset = UNSET,
    since: str | Unset = UNSET,
    group_by: str | Unset = UNSET,
) -> Response[ErrorBody | UsageSummary]:
    """Usage of a project or a tenant since a time, grouped by unit, app, instance or day, with rated
    amounts and unrated events.

    Args:
        project (str | Unset):
        tenant (str | Unset):
        since (str | Unset):
        group_by (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | UsageSummary]
    """

    kwargs = _get_kwargs(
        project=project,
        tenant=tenant,
        since=since,
        group_by=group_by,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    project: str | Unset = UNSET,
    tenant: str | Unset = UNSET,
    since: str | Unset = UNSET,
    group_by: str | Unset = UNSET,
) -> ErrorBody | UsageSummary | None:
    """Usage of a project or a tenant since a time, grouped by unit, app, instance or day, with rated
    amounts and unrated events.

    Args:
        project (str | Unset):
        tenant (str | Unset):
        since (str | Unset):
        group_by (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | UsageSummary
    """

    return sync_detailed(
        client=client,
        project=project,
        tenant=tenant,
        since=since,
        group_by=group_by,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    project: str | Unset = UNSET,
    tenant: str | Unset = UNSET,
    since: str | Unset = UNSET,
    group_by: str | Unset = UNSET,
) -> Response[ErrorBody | UsageSummary]:
    """Usage of a project or a tenant since a time, grouped by unit, app, instance or day, with rated
    amounts and unrated events.

    Args:
        project (str | Unset):
        tenant (str | Unset):
        since (str | Unset):
        group_by (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | UsageSummary]
    """

    kwargs = _get_kwargs(
        project=project,
        tenant=tenant,
        since=since,
        group_by=group_by,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    project: str | Unset = UNSET,
    tenant: str | Unset = UNSET,
    since: str | Unset = UNSET,
    group_by: str | Unset = UNSET,
) -> ErrorBody | UsageSummary | None:
    """Usage of a project or a tenant since a time, grouped by unit, app, instance or day, with rated
    amounts and unrated events.

    Args:
        project (str | Unset):
        tenant (str | Unset):
        since (str | Unset):
        group_by (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | UsageSummary
    """

    return (
        await asyncio_detailed(
            client=client,
            project=project,
            tenant=tenant,
            since=since,
            group_by=group_by,
        )
    ).parsed
