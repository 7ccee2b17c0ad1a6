from sqlalchemy import LargeBinary
from sqlmodel import Column, Field, SQLModel


class ListingEmbedding(SQLModel, table=True):
    """A listing's sentence embedding, kept until its text or the model changes.

    Computing one costs tens of milliseconds, so it is done once per listing text (on save,
    or by `matchmaker embed` / `match` for what is missing) and read back for every index."""

    listing_id: int = Field(foreign_key="listing.id", primary_key=True, ondelete="CASCADE")
    model: str = Field(max_length=60)
    text_hash: str = Field(max_length=32)
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # float16, little-endian
