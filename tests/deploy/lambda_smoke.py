"""Run with `python -S lambda_smoke.py <unpacked package>`: serve two requests as Lambda would.

Only the package is on sys.path (-S drops site-packages), so a module the package lacks fails
here as it would on Lambda. Zappa's handler gets API Gateway events; it prints one JSON line.
"""

import importlib.machinery
import json
import sys

sys.path.insert(0, sys.argv[1])

# Which of the package's modules are compiled from source because no usable bytecode came with
# them: on Lambda (read-only /var/task) every cold start would compile them again.
compiled_from_source = []
_source_to_code = importlib.machinery.SourceFileLoader.source_to_code


def _counted(self, data, path, *args, **kwargs):
    if str(path).startswith(sys.argv[1]):
        compiled_from_source.append(str(path)[len(sys.argv[1]) :].lstrip("/"))
    return _source_to_code(self, data, path, *args, **kwargs)


importlib.machinery.SourceFileLoader.source_to_code = _counted

import handler  # noqa: E402 (after the counter is in place)


class Context:
    aws_request_id = "smoke-request-1"
    function_name = "photosite-prod"
    memory_limit_in_mb = 1024

    def get_remaining_time_in_millis(self):
        return 30000


def invoke(path, host):
    event = {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": "GET",
        "headers": {
            "Host": host,
            "X-Forwarded-For": "203.0.113.9, 130.176.0.1",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Port": "443",
        },
        "multiValueHeaders": None,
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path[1:]},
        "stageVariables": None,
        "body": None,
        "isBase64Encoded": False,
        "requestContext": {
            "requestId": "smoke",
            "stage": "prod",
            "resourcePath": "/{proxy+}",
            "identity": {"sourceIp": "203.0.113.9"},
            "httpMethod": "GET",
        },
    }
    response = handler.lambda_handler(event, Context())
    return {
        "status": response["statusCode"],
        "body": response.get("body", ""),
        "headers": response.get("headers", {}),
    }


def clients():
    """Build a client of every service the site and its functions use (no request is sent)."""
    from core import aws

    services = [
        "s3",
        "dynamodb",
        "cognito-idp",
        "cognito-identity",
        "lambda",
        "sqs",
        "secretsmanager",
    ]
    return [type(aws.client(name)).__name__ for name in services]


def trigger():
    """Run the Cognito trigger handler as the TriggerFunction would (no AWS call needed)."""
    from accounts.triggers import handler as cognito

    event = {
        "version": "1",
        "triggerSource": "PreSignUp_SignUp",
        "region": "us-east-1",
        "userPoolId": "us-east-1_smoke",
        "userName": "u1",
        "callerContext": {"clientId": "c1"},
        "request": {"userAttributes": {"email": "mei@example.com"}},
        "response": {},
    }
    return cognito(event, Context())["triggerSource"]


host = sys.argv[2]
print(
    json.dumps(
        {
            "trigger": trigger(),
            "healthz": invoke("/healthz", host),
            "login": invoke("/accounts/login/", host),
            "clients": clients(),
            "compiled_from_source": sorted(compiled_from_source),
        }
    )
)
