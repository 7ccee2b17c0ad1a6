from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class ListingSearch(SQLModel, table=True):
    """What the directory's text search reads of a listing, written by the matching worker
    from its index (``matchmaker.worker.search_table``): the concepts the listing names
    (``~concept``) and its normalised words, space-separated with a space at both ends, so
    that a web process answers a search with SQL and needs no index."""

    listing_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False},
                            foreign_key="listing.id", ondelete="CASCADE")
    terms: str = Field(sa_column=Column(Text, nullable=False))
