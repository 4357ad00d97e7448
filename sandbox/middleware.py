"""The sandbox's identity: the Workbench takes ``?student=`` from the URL; we replace it with the
signed-in demo user, so a handler always acts as the person whose session made the request."""


class WorkbenchIdentityMiddleware:
    WORKBENCH_PREFIXES = ("/scenario/", "/view/", "/handler/", "/unauth_handler/", "/aside_handler/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.WORKBENCH_PREFIXES):
            query = request.GET.copy()
            user = getattr(request, "user", None)
            query["student"] = user.username if user is not None and user.is_authenticated else ""
            request.GET = query
        return self.get_response(request)
