"""gunicorn for Amparo: no access log, so no visitor address or query string is written.

Errors still go to stderr. A deployment that wants request counts should take them
from its proxy with a log format that leaves out the address and the query string.
"""

accesslog = None
errorlog = "-"
loglevel = "warning"
control_socket_disable = True
