"""Run with `python zappa_invoke.py <settings dir> <event file>`: answer one API Gateway event
through Zappa's own Lambda handler, as Lambda would call it, and print its response as JSON.

<settings dir> holds the zappa_settings.py that `zappa package` would write (Zappa's own code
makes it from zappa_settings.json), pointed at the test settings; the project root must be on
PYTHONPATH. A process of its own: Zappa's handler is a singleton that sets process variables.
"""

import json
import sys

sys.path.insert(0, sys.argv[1])

from zappa.handler import lambda_handler


class Context:
    aws_request_id = "upload-limit-1"
    function_name = "photosite-prod"
    memory_limit_in_mb = 1024

    def get_remaining_time_in_millis(self):
        return 29_000


with open(sys.argv[2], encoding="utf-8") as source:
    event = json.load(source)
print(json.dumps(lambda_handler(event, Context())))
