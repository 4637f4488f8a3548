"""The API's routes: DRF's router over the product viewset."""
from rest_framework.routers import DefaultRouter

from catalog.views import ProductViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("products", ProductViewSet)
urlpatterns = router.urls
