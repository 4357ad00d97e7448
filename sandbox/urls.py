from django.urls import include, path

urlpatterns = [
    path("", include("workbench.urls")),
]
