from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from actualites.http import allow


@never_cache
@allow("GET")
def healthz(request):
    """For load balancers: 200 when the database answers and every migration is applied."""
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    if pending:
        return JsonResponse(
            {"status": "error", "database": "ok", "pending_migrations": len(pending)}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})
