"""core.localstack: the moto server names each request it serves to an observer."""

from __future__ import annotations

import json
import socket
import urllib.request

import boto3
import pytest
from botocore.exceptions import ClientError

from core.localstack import AwsCall, LocalAws


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def observed(emulator_ledger) -> tuple[LocalAws, list[AwsCall]]:
    """A moto server of its own, whose every request lands in a list.

    moto keeps its state per process, so this server shares it with the suite's: the suite's
    ledger hears of its requests too, and the next test gets the emulator reset.
    """
    calls: list[AwsCall] = []

    def observe(call: AwsCall) -> None:
        calls.append(call)
        emulator_ledger.observe(call)

    with LocalAws(port=_free_port(), observer=observe) as stack:
        yield stack, calls


def _client(stack: LocalAws, service: str):
    return boto3.session.Session().client(
        service,
        region_name="us-east-1",
        endpoint_url=stack.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def test_json_protocol_calls_are_named_by_their_target(observed):
    stack, calls = observed
    _client(stack, "dynamodb").list_tables()
    _client(stack, "cognito-idp").list_user_pools(MaxResults=5)

    assert [(c.service, c.operation) for c in calls] == [
        ("dynamodb", "ListTables"),
        ("cognito-idp", "ListUserPools"),
    ]


def test_query_protocol_calls_are_named_and_moto_still_reads_their_body(observed):
    stack, calls = observed
    iam = _client(stack, "iam")
    trust = {"Version": "2012-10-17", "Statement": []}
    iam.create_role(RoleName="reader", AssumeRolePolicyDocument=json.dumps(trust))

    assert iam.get_role(RoleName="reader")["Role"]["RoleName"] == "reader"
    assert [(c.service, c.operation) for c in calls] == [
        ("iam", "CreateRole"),
        ("iam", "GetRole"),
    ]


def test_s3_calls_are_described_by_method_and_path(observed):
    stack, calls = observed
    s3 = _client(stack, "s3")
    s3.create_bucket(Bucket="photos")
    s3.put_object(Bucket="photos", Key="a/b.jpg", Body=b"x")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "photos", "Key": "a/b.jpg"})
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
        assert response.read() == b"x"

    assert [(c.service, c.method, c.path) for c in calls] == [
        ("s3", "PUT", "/photos"),
        ("s3", "PUT", "/photos/a/b.jpg"),
        ("s3", "GET", "/photos/a/b.jpg"),  # presigned: the scope is in the query string
    ]


def test_a_reused_server_has_no_observer_to_call(observed):
    stack, calls = observed
    other: list[AwsCall] = []
    reused = LocalAws(port=stack.port, observer=other.append).start()

    _client(reused, "dynamodb").list_tables()

    assert not reused.owned
    assert other == []
    # The first observer hears both: the check that moto answers, then the call.
    assert [(c.service, c.operation) for c in calls] == [
        ("moto-api", ""),
        ("dynamodb", "ListTables"),
    ]


def test_racing_dynamodb_writes_are_each_atomic_as_on_aws(observed):
    """DynamoDB never loses an ADD nor lets two `attribute_not_exists` puts both succeed; moto
    alone does both under concurrent requests, so the server runs one DynamoDB request at a
    time (the site's own read-then-write races still interleave between requests)."""
    from concurrent.futures import ThreadPoolExecutor

    stack, _calls = observed
    table = "atomicity-check"
    _client(stack, "dynamodb").create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    threads, adds = 8, 25

    def add(_n: int) -> None:
        client = _client(stack, "dynamodb")
        for _ in range(adds):
            client.update_item(
                TableName=table,
                Key={"k": {"S": "counter"}},
                UpdateExpression="ADD n :one",
                ExpressionAttributeValues={":one": {"N": "1"}},
            )

    def claim(n: int) -> bool:
        try:
            _client(stack, "dynamodb").put_item(
                TableName=table,
                Item={"k": {"S": "claim"}, "by": {"N": str(n)}},
                ConditionExpression="attribute_not_exists(k)",
            )
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ConditionalCheckFailedException"
            return False
        return True

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(add, range(threads)))
        claims = list(pool.map(claim, range(threads)))

    item = _client(stack, "dynamodb").get_item(TableName=table, Key={"k": {"S": "counter"}})
    assert item["Item"]["n"] == {"N": str(threads * adds)}
    assert claims.count(True) == 1


def test_in_process_calls_reach_moto_without_the_socket(observed):
    stack, calls = observed
    stack.serve_in_process()
    stack._server.socket.close()  # nothing can connect any more

    client = _client(stack, "s3")
    client.create_bucket(Bucket="in-process")
    client.put_object(Bucket="in-process", Key="a.txt", Body=b"hello", ContentType="text/plain")
    head = client.head_object(Bucket="in-process", Key="a.txt")  # a length and no body
    body = client.get_object(Bucket="in-process", Key="a.txt")["Body"].read()

    assert (head["ContentLength"], body) == (5, b"hello")
    assert [(c.method, c.path) for c in calls] == [
        ("PUT", "/in-process"),
        ("PUT", "/in-process/a.txt"),
        ("HEAD", "/in-process/a.txt"),
        ("GET", "/in-process/a.txt"),
    ]
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{stack.endpoint_url}/moto-api/data.json", timeout=2)  # noqa: S310


def test_in_process_errors_are_answers_botocore_retries_as_it_would_a_500(emulator_ledger, caplog):
    operations: list[str] = []
    failures = iter([RuntimeError("moto broke")])

    def observe(call: AwsCall) -> None:  # fails once, inside the application, as moto can
        operations.append(call.operation)
        emulator_ledger.observe(call)
        failure = next(failures, None)
        if failure is not None:
            raise failure

    with LocalAws(port=_free_port(), observer=observe) as stack:
        stack.serve_in_process()
        assert "TableNames" in _client(stack, "dynamodb").list_tables()

    assert operations == ["ListTables", "ListTables"]  # a 500, then botocore's retry
    assert "moto failed on POST" in caplog.text
