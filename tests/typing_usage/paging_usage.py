"""``<name>_iter`` as a user writes it: items and pages typed with the spec's models."""

from __future__ import annotations

from paging_client import PagingShopClient
from paging_client.models import Customer, Issue, ListCustomersResponse, Thing

from resilient_client import AsyncPaginator


async def walk(client: PagingShopClient) -> list[str]:
    titles: list[str] = []
    async for issue in client.list_issues_iter("octo", state="open", per_page=100):
        titles.append(issue.title)  # an Issue: mypy knows .title is a str
    first: Issue | None = None
    async for issue in client.list_issues_iter("octo", max_pages=1, correlation_id="walk-1"):
        first = issue
    customers: AsyncPaginator[Customer, ListCustomersResponse] = client.list_customers_iter(
        limit=10, email="a@example.test", timeout=2.0
    )
    async for customer in customers:
        titles.append(customer.email)
    async for page in client.list_customers_iter(limit=10).pages():
        more: bool = page.has_more
        titles += [c.id for c in page.data] if more else [page.url]
    thing: Thing
    async for thing in client.list_things_iter(page_size=5):
        titles.append(thing.id)
    async for thing in client.read_feed_iter(max_pages=3):
        titles.append(thing.id)
    return titles + ([first.title] if first else [])
