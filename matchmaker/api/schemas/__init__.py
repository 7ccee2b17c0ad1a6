"""The API's marshmallow schemas, one module per resource: they validate what comes in, shape
what goes out, and are what the OpenAPI document is generated from."""
