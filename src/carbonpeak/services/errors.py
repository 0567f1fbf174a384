"""The error tree, and the one place that maps errors to CLI exit codes and HTTP statuses.

    CarbonPeakError
    ├── InputRejected      bad input: every issue names file, row and column   exit 1, HTTP 422
    │                      (HTTP 413 when a file is over an import limit)
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
from ..domain.messages import render
from ..settings import ImportLimits

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_BLOCKING = 0, 1, 2, 3
LIMIT_CODE_PREFIX = "input.limit."


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
        if any(i.code.startswith(LIMIT_CODE_PREFIX) for i in issues):
            self.http_status = 413  # a file over a configured limit (settings.ImportLimits)

    def messages(self, lang: str = "zh") -> list[str]:
        return [i.message(lang) for i in self.issues]

    def first(self, n: int, lang: str = "zh") -> tuple[list[InputIssue], str | None]:
        """The first ``n`` issues and, when there are more, the sentence saying how many are not
        listed (an answer stays small however many rows a file gets wrong)."""
        total = len(self.issues)
        if total <= n:
            return self.issues, None
        params = {"total": total, "shown": n, "rest": total - n, "setting": ImportLimits.ENV["max_issues"]}
        return self.issues[:n], render("input.issues_not_shown", params, lang)


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
