"""English times as "6:14 AM", not Django's "6:14 a.m.".

A time often ends a sentence ("This link works until Nov. 21, 2026, 6:14 AM."): with "a.m." the
sentence's own period made "a.m..". Dates keep Django's English formats otherwise.
"""

DATETIME_FORMAT = "N j, Y, g:i A"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
TIME_FORMAT = "g:i A"
