"""The framework-free core: vocabularies, validation rules and domain errors."""
