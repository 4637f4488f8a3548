"""A Django REST Framework project as teams write them: one app, SQLite (the file in
SPECGATE_DJANGO_DB), page-number pagination, and bearer tokens (HS256, JWT_SECRET) checked by DRF."""
import os

BASE_DIR = os.path.dirname(os.path.abspath(__file__))
SECRET_KEY = "test-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "urls"
USE_TZ = True
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "rest_framework", "catalog"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ.get("SPECGATE_DJANGO_DB", os.path.join(BASE_DIR, "db.sqlite3"))}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["catalog.auth.BearerAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 2,
    "UNAUTHENTICATED_USER": None,
}
