"""DynamoDB facts a test asserts on."""

from __future__ import annotations

from typing import Any

from harness.target import Target


def pitr_enabled(target: Target, table_name: str) -> bool:
    described = target.client("dynamodb").describe_continuous_backups(TableName=table_name)
    pitr = described["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    return bool(pitr["PointInTimeRecoveryStatus"] == "ENABLED")


def count_items(target: Target, table_name: str, partition_key: str) -> int:
    """Items in one partition, with strongly consistent reads (so a write just made counts)."""
    client = target.client("dynamodb")
    total = 0
    kwargs: dict[str, Any] = {
        "TableName": table_name,
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :item)",
        "ExpressionAttributeValues": {":pk": {"S": partition_key}, ":item": {"S": "ITEM#"}},
        "Select": "COUNT",
        "ConsistentRead": True,
    }
    while True:
        page = client.query(**kwargs)
        total += int(page["Count"])
        if "LastEvaluatedKey" not in page:
            return total
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def create_items_table(client: Any, name: str) -> None:
    """The table exactly as terraform/modules/dynamodb creates it (for tests and benchmarks).

    ``client`` is a boto3 DynamoDB client (moto in-process or an emulator endpoint).
    """
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": key, "AttributeType": "S"} for key in ("PK", "SK", "GSI1PK", "GSI1SK")
        ],
        KeySchema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "GSI1",
                "KeySchema": [
                    {"AttributeName": "GSI1PK", "KeyType": "HASH"},
                    {"AttributeName": "GSI1SK", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    client.update_time_to_live(
        TableName=name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
    )
