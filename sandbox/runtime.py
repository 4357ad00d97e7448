"""The Workbench runtime of the sandbox: the signed-in person, and every published event kept.

Open edX sends ``runtime.publish`` calls to the tracking log, the completion service and the
gradebook; the Workbench only logs them. The sandbox stores them so people can see what a block
would report to the LMS (events page and the panel on the home page).
"""
import json

from workbench.runtime import WorkbenchRuntime

from .models import PublishedEvent


class SandboxRuntime(WorkbenchRuntime):
    def publish(self, block, event_type, event_data):
        super().publish(block, event_type, event_data)
        PublishedEvent.objects.create(
            username=block.scope_ids.user_id or "",
            block_type=block.scope_ids.block_type,
            usage_id=str(block.scope_ids.usage_id),
            kind=PublishedEvent.kind_of(event_type),
            event_type=event_type,
            # Whatever the block sent, stored as JSON (anything else as its text).
            data=json.loads(json.dumps(event_data, default=str)),
        )


def runtime_for(request):
    """A runtime acting as the person signed in to this request (nobody when anonymous)."""
    user = getattr(request, "user", None)
    return SandboxRuntime(user.username if user is not None and user.is_authenticated else "")
