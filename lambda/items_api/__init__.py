"""Items API: a multi-tenant CRUD API (API Gateway REST -> Lambda -> single-table DynamoDB).

The Lambda entry point is ``items_api.app.lambda_handler``. Layers, each testable alone:

* ``routes``  - HTTP: resolver, status codes, headers, ETag/If-Match, error envelope
* ``service`` - domain rules over Pydantic ``models`` and the closed set of ``errors``
* ``storage`` - DynamoDB keys, condition expressions, pagination (``cursor``)
"""
