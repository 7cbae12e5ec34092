"""The benchmark's reference view, mounted only when TECHFLOW_BENCH is on."""

from django.urls import path

from . import views

urlpatterns = [path("trivial/", views.trivial, name="bench_trivial")]
