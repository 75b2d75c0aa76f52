from django.urls import path

from tools.ceiling import ceiling

# Added by actualites/urls.py only when BENCH_CEILING is set and tools/ is installed.
urlpatterns = [
    path("bench/plafond/", ceiling),
]
