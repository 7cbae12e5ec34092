"""X-Query-Count on every response, so the benchmark can report queries per request."""

from django.db import connections


class QueryCountMiddleware:
    """Outermost middleware: counts every query the request made, the page cache's included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response.headers["X-Query-Count"] = str(count[0])
        return response
