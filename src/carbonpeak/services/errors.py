"""The error tree, and the one place that maps errors to CLI exit codes and HTTP statuses.

    CarbonPeakError
    ├── InputRejected      bad input: every issue names file, row and column   exit 1, HTTP 422
    ├── NotFound           a plan, year or record that does not exist          exit 1, HTTP 404
    ├── AuthenticationFailed  wrong or missing credentials                     exit 1, HTTP 401
    ├── Forbidden          the role may not do this                            exit 1, HTTP 403
    ├── Throttled          too many failed logins; retry later                 exit 1, HTTP 429
    ├── Conflict           the record already exists                           exit 1, HTTP 409
    └── ConfigurationError settings that cannot work                           exit 1, HTTP 500

Exit 3 (finished with blocking findings) is decided by the command from its findings.
"""

from __future__ import annotations

from ..domain.findings import InputIssue

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_BLOCKING = 0, 1, 2, 3


class CarbonPeakError(Exception):
    exit_code = EXIT_ERROR
    http_status = 500

    def messages(self, lang: str = "zh") -> list[str]:
        return [str(self)]


class InputRejected(CarbonPeakError):
    http_status = 422

    def __init__(self, issues: list[InputIssue]):
        super().__init__(f"{len(issues)} input issue(s)")
        self.issues = issues

    def messages(self, lang: str = "zh") -> list[str]:
        return [i.message(lang) for i in self.issues]


class NotFound(CarbonPeakError):
    http_status = 404


class ConfigurationError(CarbonPeakError):
    http_status = 500


class AuthenticationFailed(CarbonPeakError):
    http_status = 401


class Forbidden(CarbonPeakError):
    http_status = 403


class Throttled(CarbonPeakError):
    http_status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Conflict(CarbonPeakError):
    http_status = 409
